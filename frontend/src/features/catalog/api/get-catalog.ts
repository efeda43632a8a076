import { $api } from '@/shared/api/client';

/** GET /api/v1/desks/{id}/catalog — the whole tree the user may request from. */
export function useCatalog(deskId: string | null) {
  return $api.useQuery(
    'get',
    '/api/v1/desks/{id}/catalog',
    { params: { path: { id: deskId ?? '' } } },
    { enabled: deskId !== null, staleTime: 5 * 60_000 },
  );
}
