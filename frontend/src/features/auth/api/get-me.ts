import { $api } from '@/shared/api/client';

/** GET /api/v1/me — the signed-in user. */
export function meQueryOptions() {
  return $api.queryOptions('get', '/api/v1/me', {}, { staleTime: 60_000 });
}

export function useMe() {
  return $api.useQuery('get', '/api/v1/me', {}, { staleTime: 60_000 });
}
