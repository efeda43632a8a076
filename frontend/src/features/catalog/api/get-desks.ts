import { $api } from '@/shared/api/client';

/** GET /api/v1/desks — the desks the user may open cases on. */
export function useDesks() {
  return $api.useQuery('get', '/api/v1/desks', {}, { staleTime: 5 * 60_000 });
}
