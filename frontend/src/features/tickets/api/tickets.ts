import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { asProblem, type Problem } from '@/shared/api/problem';
import { UploadNetworkError, sendForm } from '@/shared/api/upload';
import type { Action, Followup, ListQuery, Ticket } from '../lib/types';

/** Query keys: every ticket query starts with `tickets`, so one invalidation refreshes all. */
export const ticketKeys = {
  all: ['tickets'] as const,
  list: (query: ListQuery) => ['tickets', 'list', query] as const,
  counts: ['tickets', 'counts'] as const,
  one: (number: number) => ['tickets', 'one', number] as const,
  followups: (number: number) => ['tickets', 'one', number, 'followups'] as const,
  events: (number: number) => ['tickets', 'one', number, 'events'] as const,
  attachments: (number: number) => ['tickets', 'one', number, 'attachments'] as const,
};

/**
 * GET /api/v1/tickets — one list with keyset "load more". `refetchInterval` keeps queues
 * current without a reload (new cases appear on their own).
 */
export function useTicketList(query: Omit<ListQuery, 'cursor'>, options: { refetchInterval?: number } = {}) {
  return useInfiniteQuery({
    queryKey: ticketKeys.list(query),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/tickets', { params: { query: { ...query, cursor: pageParam } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: options.refetchInterval,
    refetchOnWindowFocus: options.refetchInterval !== undefined,
  });
}

/** GET /api/v1/tickets/queues — open cases per queue (the navigation badges, the queue tabs). */
export function useQueueCounts({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ticketKeys.counts,
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/queues')),
    enabled,
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
    staleTime: 10_000,
  });
}

export function useTicket(number: number) {
  return useQuery({
    queryKey: ticketKeys.one(number),
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{number}', { params: { path: { number } } })),
    refetchInterval: 60_000,
  });
}

export function useFollowups(number: number) {
  return useQuery({
    queryKey: ticketKeys.followups(number),
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{number}/followups', { params: { path: { number } } })),
    refetchInterval: 60_000,
  });
}

export function useEvents(number: number) {
  return useQuery({
    queryKey: ticketKeys.events(number),
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{number}/events', { params: { path: { number } } })),
    refetchInterval: 60_000,
  });
}

export function useAttachments(number: number) {
  return useQuery({
    queryKey: ticketKeys.attachments(number),
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/tickets/{number}/attachments', { params: { path: { number } } })),
  });
}

/** GET /api/v1/groups?desk_id= (staff): escalation and assignment targets. */
export function useGroups(deskId: string | null, enabled = true) {
  return useQuery({
    queryKey: ['groups', deskId],
    enabled: enabled && deskId !== null,
    staleTime: 5 * 60_000,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/groups', { params: { query: { desk_id: deskId ?? undefined, active: true } } })),
  });
}

/** Bodies of the actions that take one (the others send none). */
export type ActionBodies = {
  assign: { group_id?: string | null; agent_id?: string | null; note?: string | null };
  classify: {
    type?: 'incident' | 'request' | null;
    impact?: 'high' | 'medium' | 'low' | null;
    urgency?: 'high' | 'medium' | 'low' | null;
    priority?: 'critical' | 'high' | 'medium' | 'low' | null;
    priority_reason?: string | null;
  };
  escalate: { level: number; group_id: string; agent_id?: string | null; reason: string };
  hold: { reason: 'waiting_requester' | 'waiting_third_party' | 'waiting_provider'; note?: string | null; desist_after_days?: number | null };
  resolve: { solution: string; solution_type?: string | null };
  reject: { reason: string; redirected_to?: string | null };
  reopen: { reason: string };
};

export type ActionRequest =
  | { [A in keyof ActionBodies]: { action: A; body: ActionBodies[A] } }[keyof ActionBodies]
  | { action: Exclude<Action, keyof ActionBodies>; body?: undefined };

/** Why an action failed, with what the dialog needs to say it. */
export class ActionError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`action failed with ${status}`);
    this.name = 'ActionError';
    this.status = status;
    this.problem = problem;
  }
}

async function postAction(number: number, version: number, request: ActionRequest): Promise<Ticket> {
  const init = {
    params: { path: { number }, header: { 'If-Match': `"${version}"` } },
  };
  let result: { data?: Ticket; error?: unknown; response: Response };
  switch (request.action) {
    case 'assign':
      result = await api.POST('/api/v1/tickets/{number}/assign', { ...init, body: request.body });
      break;
    case 'classify':
      result = await api.POST('/api/v1/tickets/{number}/classify', { ...init, body: request.body });
      break;
    case 'escalate':
      result = await api.POST('/api/v1/tickets/{number}/escalate', { ...init, body: request.body });
      break;
    case 'hold':
      result = await api.POST('/api/v1/tickets/{number}/hold', { ...init, body: request.body });
      break;
    case 'resolve':
      result = await api.POST('/api/v1/tickets/{number}/resolve', { ...init, body: request.body });
      break;
    case 'reject':
      result = await api.POST('/api/v1/tickets/{number}/reject', { ...init, body: request.body });
      break;
    case 'reopen':
      result = await api.POST('/api/v1/tickets/{number}/reopen', { ...init, body: request.body });
      break;
    case 'take':
      result = await api.POST('/api/v1/tickets/{number}/take', init);
      break;
    case 'resume':
      result = await api.POST('/api/v1/tickets/{number}/resume', init);
      break;
    case 'cancel':
      result = await api.POST('/api/v1/tickets/{number}/cancel', init);
      break;
    case 'close':
      result = await api.POST('/api/v1/tickets/{number}/close', init);
      break;
  }
  if (result.data && result.error === undefined) return result.data;
  throw new ActionError(result.response.status, asProblem(result.error));
}

/** POST /api/v1/tickets/{number}/{action} with If-Match; refreshes the case and the queues. */
export function useTicketAction(ticket: Ticket) {
  const queryClient = useQueryClient();
  return useMutation<Ticket, ActionError, ActionRequest>({
    mutationFn: (request) => postAction(ticket.number, ticket.version, request),
    onSuccess: (updated) => {
      queryClient.setQueryData(ticketKeys.one(updated.number), updated);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
  });
}

export type FollowupResult = { ok: true; followup: Followup } | { ok: false; status: number; problem: Problem | null };

/** POST /api/v1/tickets/{number}/followups as multipart (text + files). */
export async function addFollowup(
  number: number,
  data: { body: string; visibility: 'public' | 'private' },
  files: File[],
): Promise<FollowupResult> {
  const form = new FormData();
  form.append('data', new Blob([JSON.stringify(data)], { type: 'application/json' }));
  for (const file of files) form.append('file', file, file.name);
  const response = await sendForm(`${globalThis.location.origin}/api/v1/tickets/${number}/followups`, form);
  if (response.status === 201 && typeof response.body === 'object' && response.body !== null && 'id' in response.body) {
    return { ok: true, followup: response.body as Followup };
  }
  return { ok: false, status: response.status, problem: asProblem(response.body) };
}

export function useAddFollowup(number: number) {
  const queryClient = useQueryClient();
  return useMutation<FollowupResult, UploadNetworkError | Error, { body: string; visibility: 'public' | 'private'; files: File[] }>({
    mutationFn: ({ body, visibility, files }) => addFollowup(number, { body, visibility }, files),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
  });
}

/** Downloads an attachment with the session's token and hands it to the browser. */
export async function downloadAttachment(number: number, id: string, fileName: string): Promise<boolean> {
  const { data, response } = await api.GET('/api/v1/tickets/{number}/attachments/{id}', {
    params: { path: { number, id } },
    parseAs: 'blob',
  });
  if (!response.ok || !(data instanceof Blob)) return false;
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return true;
}

/** GET /api/v1/groups/{id}/members — whom a case can go to: available members first, with their open cases. */
export function useGroupMembers(groupId: string | null) {
  return useQuery({
    queryKey: ['groups', groupId, 'members'],
    enabled: groupId !== null && groupId !== '',
    staleTime: 30_000,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/groups/{id}/members', { params: { path: { id: groupId ?? '' } } })),
  });
}

/** GET /api/v1/desks — the desks a filter or the overview chooses from. */
export function useDesks() {
  return useQuery({
    queryKey: ['desks'],
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/desks')),
  });
}

/** What happened to one case of a bulk action. */
export type BulkResult = { number: number; ok: true } | { number: number; ok: false; error: ActionError };

/**
 * One action on several cases: the per-case endpoint for each, with the version the list showed
 * (`If-Match`), one after the other, so each case's answer (done, changed meanwhile, not allowed)
 * is reported on its own. Refreshes the lists once at the end.
 */
export function useBulkAction() {
  const queryClient = useQueryClient();
  return useMutation<BulkResult[], Error, { cases: { number: number; version: number }[]; request: ActionRequest }>({
    mutationFn: async ({ cases, request }) => {
      const results: BulkResult[] = [];
      for (const c of cases) {
        try {
          await postAction(c.number, c.version, request);
          results.push({ number: c.number, ok: true });
        } catch (error) {
          results.push({ number: c.number, ok: false, error: error instanceof ActionError ? error : new ActionError(0, null) });
        }
      }
      return results;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
  });
}

/** The names of the place, organization and area a case was registered with (one query each, cached). */
export function useCasePlaces(ticket: { location_id?: string | null; organization_id?: string | null; area_id?: string | null }) {
  const options = { staleTime: 10 * 60_000 };
  const location = useQuery({
    ...options,
    queryKey: ['locations', 'one', ticket.location_id],
    enabled: !!ticket.location_id,
    queryFn: async () => unwrap(await api.GET('/api/v1/locations/{id}', { params: { path: { id: ticket.location_id ?? '' } } })),
  });
  const organization = useQuery({
    ...options,
    queryKey: ['organizations', 'one', ticket.organization_id],
    enabled: !!ticket.organization_id,
    queryFn: async () => unwrap(await api.GET('/api/v1/organizations/{id}', { params: { path: { id: ticket.organization_id ?? '' } } })),
  });
  const area = useQuery({
    ...options,
    queryKey: ['areas', 'one', ticket.area_id],
    enabled: !!ticket.area_id,
    queryFn: async () => unwrap(await api.GET('/api/v1/areas/{id}', { params: { path: { id: ticket.area_id ?? '' } } })),
  });
  return { location, organization, area };
}
