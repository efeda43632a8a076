import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { asProblem } from '@/shared/api/problem';
import { WriteError } from './people';

export type Group = components['schemas']['Group'];
export type CreateGroup = components['schemas']['CreateGroup'];
export type UpdateGroup = components['schemas']['UpdateGroup'];

/** Every group query starts with `groups` (the tickets' assignment lists too, so they follow). */
export const groupKeys = {
  all: ['groups'] as const,
  ofDesk: (deskId: string) => ['groups', 'admin', deskId] as const,
};

function orThrow<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.error === undefined) return result.data;
  throw new WriteError(result.response.status, asProblem(result.error));
}

/** GET /api/v1/groups?desk_id= (active and inactive), by level and name. */
export function useDeskGroups(deskId: string | null) {
  return useQuery({
    queryKey: groupKeys.ofDesk(deskId ?? ''),
    enabled: deskId !== null,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/groups', { params: { query: { desk_id: deskId ?? undefined } } })),
  });
}

/** POST /api/v1/groups (admins and the desk's supervisors). */
export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation<Group, WriteError, CreateGroup>({
    mutationFn: async (body) => orThrow(await api.POST('/api/v1/groups', { body })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

/** PATCH /api/v1/groups/{id} with If-Match. */
export function useUpdateGroup(group: Group) {
  const queryClient = useQueryClient();
  return useMutation<Group, WriteError, UpdateGroup>({
    mutationFn: async (body) =>
      orThrow(
        await api.PATCH('/api/v1/groups/{id}', {
          params: { path: { id: group.id }, header: { 'If-Match': `"${group.version}"` } },
          body,
        }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

/** PUT /api/v1/groups/{id}/members: the complete member list. */
export function useSetMembers(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation<Group, WriteError, string[]>({
    mutationFn: async (userIds) =>
      orThrow(await api.PUT('/api/v1/groups/{id}/members', { params: { path: { id: groupId } }, body: { user_ids: userIds } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: groupKeys.all }),
  });
}

/** GET /api/v1/groups/{id}. */
export function useGroup(id: string) {
  return useQuery({
    queryKey: ['groups', 'one', id],
    queryFn: async () => unwrap(await api.GET('/api/v1/groups/{id}', { params: { path: { id } } })),
  });
}
