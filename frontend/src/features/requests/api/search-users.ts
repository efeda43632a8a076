import { useQuery } from '@tanstack/react-query';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';

/** GET /api/v1/users?q= — the directory (staff). */
export function useUserSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'search', q],
    enabled: enabled && q.length >= 2,
    staleTime: 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/users', { params: { query: { q, active: true, limit: 20 } } })),
  });
}
