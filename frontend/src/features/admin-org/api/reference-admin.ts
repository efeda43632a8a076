import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';
import { asProblem, type Problem } from '@/shared/api/problem';

type Schemas = components['schemas'];
export type Organization = Schemas['Organization'];
export type Area = Schemas['Area'];
export type Location = Schemas['Location'];

export type Kind = 'organization' | 'area' | 'location';

/** What each kind's form sends; blanks are null. */
export type Values = {
  organization: { name: string; short_name: string | null };
  area: { name: string; organization_id: string };
  location: { name: string; address: string | null; organization_id: string | null };
};

export type Row = { organization: Organization; area: Area; location: Location };

/** A refused change and the problem document that says why. */
export class ReferenceError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`request failed with ${status}`);
    this.name = 'ReferenceError';
    this.status = status;
    this.problem = problem;
  }
}

async function send<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw new ReferenceError(result.response.status, asProblem(result.error));
}

export const referenceKeys = {
  list: (kind: Kind) => ['admin', 'reference', kind] as const,
};

/** Every row of a kind, active or not, by name (short reference lists). */
export function useReferenceList<K extends Kind>(kind: K) {
  return useQuery({
    queryKey: referenceKeys.list(kind),
    queryFn: async (): Promise<Row[K][]> => {
      switch (kind) {
        case 'organization':
          return (await fetchAllPages(async (cursor) =>
            unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 200, cursor } } })),
          )) as Row[K][];
        case 'area':
          return (await fetchAllPages(async (cursor) =>
            unwrap(await api.GET('/api/v1/areas', { params: { query: { limit: 200, cursor } } })),
          )) as Row[K][];
        default:
          return (await fetchAllPages(async (cursor) =>
            unwrap(await api.GET('/api/v1/locations', { params: { query: { limit: 200, cursor } } })),
          )) as Row[K][];
      }
    },
  });
}

type Change =
  | { op: 'create'; kind: 'organization'; values: Values['organization'] }
  | { op: 'create'; kind: 'area'; values: Values['area'] }
  | { op: 'create'; kind: 'location'; values: Values['location'] }
  | { op: 'update'; kind: 'organization'; id: string; version: number; values: Partial<Values['organization']> & { active?: boolean } }
  | { op: 'update'; kind: 'area'; id: string; version: number; values: { name?: string; active?: boolean } }
  | { op: 'update'; kind: 'location'; id: string; version: number; values: Partial<Values['location']> & { active?: boolean } }
  | { op: 'delete'; kind: Kind; id: string };

async function apply(change: Change): Promise<unknown> {
  if (change.op === 'delete') {
    const init = { params: { path: { id: change.id } } };
    if (change.kind === 'organization') return send(api.DELETE('/api/v1/organizations/{id}', init));
    if (change.kind === 'area') return send(api.DELETE('/api/v1/areas/{id}', init));
    return send(api.DELETE('/api/v1/locations/{id}', init));
  }
  if (change.op === 'create') {
    if (change.kind === 'organization') return send(api.POST('/api/v1/organizations', { body: change.values }));
    if (change.kind === 'area') return send(api.POST('/api/v1/areas', { body: change.values }));
    return send(api.POST('/api/v1/locations', { body: change.values }));
  }
  const params = { path: { id: change.id }, header: { 'If-Match': `"${change.version}"` } };
  if (change.kind === 'organization') return send(api.PATCH('/api/v1/organizations/{id}', { params, body: change.values }));
  if (change.kind === 'area') return send(api.PATCH('/api/v1/areas/{id}', { params, body: change.values }));
  return send(api.PATCH('/api/v1/locations/{id}', { params, body: change.values }));
}

/** Create, change (with If-Match) or delete an organization, area or location (admins). */
export function useReferenceChange() {
  const queryClient = useQueryClient();
  return useMutation<unknown, ReferenceError, Change>({
    mutationFn: apply,
    onSettled: (_data, _error, change) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: referenceKeys.list(change.kind) }),
        // The request form's lists (`['organizations', 'active']`…) and the catalog editor's.
        queryClient.invalidateQueries({ queryKey: [`${change.kind}s`] }),
        queryClient.invalidateQueries({ queryKey: ['admin', `${change.kind}s`] }),
      ]),
  });
}
