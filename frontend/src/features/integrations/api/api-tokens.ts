import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { sent } from '../lib/problems';

type Schemas = components['schemas'];
export type ApiToken = Schemas['ApiToken'];
export type CreateApiToken = Schemas['CreateApiToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];

export const tokenKeys = {
  all: ['api-tokens'] as const,
  /** `userId`: one person's tokens; null: every token (admins). */
  list: (userId: string | null) => ['api-tokens', 'list', userId] as const,
  scopes: ['api-tokens', 'scopes'] as const,
};

/** GET /api/v1/api-tokens/scopes: the scopes the caller's role may put on a token, in the API's order. */
export function useGrantableScopes() {
  return useQuery({
    queryKey: tokenKeys.scopes,
    staleTime: Infinity,
    queryFn: async () => unwrap(await api.GET('/api/v1/api-tokens/scopes')).items.filter((s) => s.grantable).map((s) => s.scope),
  });
}

/**
 * GET /api/v1/api-tokens, newest first, with "load more". The API lists a non-admin's own tokens
 * only and an admin's every token, so "mine" asks for the caller's `user_id` explicitly.
 */
export function useApiTokens(userId: string | null) {
  return useInfiniteQuery({
    queryKey: tokenKeys.list(userId),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/api-tokens', { params: { query: { user_id: userId ?? undefined, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** POST /api/v1/api-tokens: the answer holds the secret, this once (never cached). */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateApiToken) => sent(await api.POST('/api/v1/api-tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

/** DELETE /api/v1/api-tokens/{id}: refused from the next request on. */
export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (token: ApiToken) => {
      sent(await api.DELETE('/api/v1/api-tokens/{id}', { params: { path: { id: token.id } } }));
      return token;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
