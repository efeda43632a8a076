import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { sent } from '../lib/problems';

type Schemas = components['schemas'];
export type Webhook = Schemas['Webhook'];
export type CreateWebhook = Schemas['CreateWebhook'];
export type UpdateWebhook = Schemas['UpdateWebhook'];
export type Delivery = Schemas['Delivery'];
export type DeliveryState = Schemas['DeliveryState'];

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  one: (id: string) => ['webhooks', 'one', id] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
  deliveriesIn: (id: string, state: DeliveryState | null) => ['webhooks', 'deliveries', id, state] as const,
  allowedHosts: ['webhooks', 'allowed-hosts'] as const,
};

/** GET /api/v1/webhooks, oldest first (admins). */
export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.list, queryFn: async () => unwrap(await api.GET('/api/v1/webhooks')) });
}

/** GET /api/v1/webhooks/{id} (its `version` goes in `If-Match` when saving). */
export function useWebhook(id: string) {
  return useQuery({
    queryKey: webhookKeys.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  });
}

/** The webhook as a write answered it, without the secret (shown once, never cached). */
function cache(queryClient: ReturnType<typeof useQueryClient>, hook: Webhook) {
  const { secret: _secret, ...rest } = hook;
  queryClient.setQueryData(webhookKeys.one(hook.id), rest);
  void queryClient.invalidateQueries({ queryKey: webhookKeys.list });
}

/** POST /api/v1/webhooks: the answer carries the signing secret, this once. */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateWebhook) => sent(await api.POST('/api/v1/webhooks', { body })),
    onSuccess: (hook) => cache(queryClient, hook),
  });
}

/** PATCH /api/v1/webhooks/{id} with `If-Match` (412 when someone changed it meanwhile). */
export function useUpdateWebhook(hook: Webhook) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: UpdateWebhook) =>
      sent(
        await api.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: hook.id }, header: { 'If-Match': `"${hook.version}"` } },
          body,
        }),
      ),
    onSuccess: (saved) => cache(queryClient, saved),
  });
}

/** POST …/enable: active again after Mesa disabled it; its run of failures starts afresh. */
export function useEnableWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => sent(await api.POST('/api/v1/webhooks/{id}/enable', { params: { path: { id } } })),
    onSuccess: (saved) => cache(queryClient, saved),
  });
}

/** POST …/rotate-secret: the answer carries the new secret, this once. */
export function useRotateSecret(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => sent(await api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id } } })),
    onSuccess: (saved) => cache(queryClient, saved),
  });
}

/** DELETE /api/v1/webhooks/{id}, its delivery log with it. */
export function useDeleteWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => sent(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    // The page showing it navigates away; the list is read again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.list }),
  });
}

/** POST …/test: a `ping` delivery, queued; the log shows it. */
export function useTestWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => sent(await api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}

/** While a delivery waits or is being sent the log looks again (the job runs every 5 s). */
const FOLLOW_MS = 3_000;

/** GET …/deliveries, newest first, with "load more"; followed while some are unfinished. */
export function useDeliveries(id: string, state: DeliveryState | null) {
  return useInfiniteQuery({
    queryKey: webhookKeys.deliveriesIn(id, state),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { state: state ?? undefined, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((d) => d.state === 'pending' || d.state === 'sending')) ? FOLLOW_MS : false,
  });
}

/** POST …/deliveries/{delivery_id}/retry: a failed delivery, pending again. */
export function useRetryDelivery(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (delivery: Delivery) =>
      sent(await api.POST('/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry', { params: { path: { id, delivery_id: delivery.id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}

/** GET /api/v1/webhooks/allowed-hosts: the hosts admins let past the SSRF guard. */
export function useAllowedHosts() {
  return useQuery({ queryKey: webhookKeys.allowedHosts, queryFn: async () => unwrap(await api.GET('/api/v1/webhooks/allowed-hosts')) });
}

/** PUT /api/v1/webhooks/allowed-hosts: the whole list, replaced (stored normalized). */
export function useSaveAllowedHosts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (hosts: string[]) => sent(await api.PUT('/api/v1/webhooks/allowed-hosts', { body: { hosts } })),
    onSuccess: (saved) => queryClient.setQueryData(webhookKeys.allowedHosts, saved),
  });
}
