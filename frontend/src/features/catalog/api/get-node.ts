import { $api } from '@/shared/api/client';

/** GET /api/v1/catalog/nodes/{id} — one service (the request form, a case's field labels). */
export function useCatalogNode(id: string, { enabled = true }: { enabled?: boolean } = {}) {
  return $api.useQuery(
    'get',
    '/api/v1/catalog/nodes/{id}',
    { params: { path: { id } } },
    { staleTime: 5 * 60_000, enabled: enabled && id !== '', retry: false },
  );
}
