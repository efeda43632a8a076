import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';
import { asProblem, type Problem } from '@/shared/api/problem';

type Schemas = components['schemas'];
export type Desk = Schemas['Desk'];
export type CatalogNode = Schemas['CatalogNode'];
export type CreateNode = Schemas['CreateNode'];
export type UpdateNode = Schemas['UpdateNode'];
export type MoveNode = Schemas['MoveNode'];
export type CatalogDocument = Schemas['CatalogDocument'];
export type ImportSummary = Schemas['ImportSummary'];
export type DeleteOutcome = Schemas['DeleteOutcome'];

/** A refused change, with the problem document that says why (field by field when it can). */
export class AdminError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`request failed with ${status}`);
    this.name = 'AdminError';
    this.status = status;
    this.problem = problem;
  }
}

async function send<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw new AdminError(result.response.status, asProblem(result.error));
}

export const catalogKeys = {
  desks: ['admin', 'desks'] as const,
  tree: (deskId: string) => ['admin', 'catalog', deskId] as const,
};

/** GET /api/v1/desks?include_inactive — every desk; the caller keeps those it manages. */
export function useDesks() {
  return useQuery({
    queryKey: catalogKeys.desks,
    queryFn: async () => unwrap(await api.GET('/api/v1/desks', { params: { query: { include_inactive: true } } })),
    staleTime: 60_000,
  });
}

/** GET /api/v1/desks/{id}/catalog?include_inactive=true — the whole tree, deactivated nodes too. */
export function useAdminCatalog(deskId: string | null) {
  return useQuery({
    queryKey: catalogKeys.tree(deskId ?? ''),
    enabled: deskId !== null,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/desks/{id}/catalog', {
          params: { path: { id: deskId ?? '' }, query: { include_inactive: true } },
        }),
      ),
  });
}

/** GET /api/v1/groups?desk_id= — the desk's support groups (responsible group, routes, audience). */
export function useDeskGroups(deskId: string | null) {
  return useQuery({
    queryKey: ['admin', 'groups', deskId],
    enabled: deskId !== null,
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/groups', { params: { query: { desk_id: deskId ?? undefined } } })),
  });
}

/** GET /api/v1/sla-policies. */
export function useSlaPolicies() {
  return useQuery({
    queryKey: ['admin', 'sla-policies'],
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/sla-policies')),
  });
}

/** Every organization (routes by organization). */
export function useAllOrganizations() {
  return useQuery({
    queryKey: ['admin', 'organizations', 'all'],
    staleTime: 60_000,
    queryFn: () =>
      fetchAllPages(async (cursor) => unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 200, cursor } } }))),
  });
}

/** Every area (a service's audience). */
export function useAllAreas() {
  return useQuery({
    queryKey: ['admin', 'areas', 'all'],
    staleTime: 60_000,
    queryFn: () => fetchAllPages(async (cursor) => unwrap(await api.GET('/api/v1/areas', { params: { query: { limit: 200, cursor } } }))),
  });
}

function useInvalidateTree(deskId: string) {
  const queryClient = useQueryClient();
  // The requester's catalog (`/desks/{id}/catalog` through $api) changes too.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: catalogKeys.tree(deskId) }),
      queryClient.invalidateQueries({ queryKey: ['get', '/api/v1/desks/{id}/catalog'] }),
    ]);
}

/** POST /api/v1/desks/{id}/catalog/nodes. */
export function useCreateNode(deskId: string) {
  const invalidate = useInvalidateTree(deskId);
  return useMutation<CatalogNode, AdminError, CreateNode>({
    mutationFn: (body) => send(api.POST('/api/v1/desks/{id}/catalog/nodes', { params: { path: { id: deskId } }, body })),
    onSuccess: () => invalidate(),
  });
}

/** PATCH /api/v1/catalog/nodes/{id} with If-Match: the node's version as last read. */
export function useUpdateNode(deskId: string) {
  const invalidate = useInvalidateTree(deskId);
  return useMutation<CatalogNode, AdminError, { id: string; version: number; body: UpdateNode }>({
    mutationFn: ({ id, version, body }) =>
      send(api.PATCH('/api/v1/catalog/nodes/{id}', { params: { path: { id }, header: { 'If-Match': `"${version}"` } }, body })),
    onSettled: () => invalidate(),
  });
}

/** POST /api/v1/catalog/nodes/{id}/move. */
export function useMoveNode(deskId: string) {
  const invalidate = useInvalidateTree(deskId);
  return useMutation<CatalogNode, AdminError, { id: string; body: MoveNode }>({
    mutationFn: ({ id, body }) => send(api.POST('/api/v1/catalog/nodes/{id}/move', { params: { path: { id } }, body })),
    onSettled: () => invalidate(),
  });
}

/** DELETE /api/v1/catalog/nodes/{id}: deleted, or deactivated when cases use it. */
export function useDeleteNode(deskId: string) {
  const invalidate = useInvalidateTree(deskId);
  return useMutation<DeleteOutcome, AdminError, string>({
    mutationFn: (id) => send(api.DELETE('/api/v1/catalog/nodes/{id}', { params: { path: { id } } })),
    onSettled: () => invalidate(),
  });
}

/** GET /api/v1/desks/{id}/catalog/export. */
export async function exportCatalog(deskId: string): Promise<CatalogDocument> {
  return send(api.GET('/api/v1/desks/{id}/catalog/export', { params: { path: { id: deskId } } }));
}

/** POST /api/v1/desks/{id}/catalog/import: all or nothing. */
export function useImportCatalog(deskId: string) {
  const invalidate = useInvalidateTree(deskId);
  return useMutation<ImportSummary, AdminError, CatalogDocument>({
    mutationFn: (body) => send(api.POST('/api/v1/desks/{id}/catalog/import', { params: { path: { id: deskId } }, body })),
    onSuccess: () => invalidate(),
  });
}
