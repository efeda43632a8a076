import { useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';

export type DeskOverview = components['schemas']['DeskOverview'];
export type Counts = components['schemas']['Counts'];

/** How often the overview asks again: react-query polls while the page is open (and on focus). */
export const OVERVIEW_REFRESH_MS = 30_000;

/** GET /api/v1/desks/{id}/overview — a desk's open cases by group and agent, polled. */
export function useDeskOverview(deskId: string | null) {
  return useQuery({
    queryKey: ['tickets', 'overview', deskId],
    enabled: deskId !== null,
    queryFn: async () => unwrap(await api.GET('/api/v1/desks/{id}/overview', { params: { path: { id: deskId ?? '' } } })),
    refetchInterval: OVERVIEW_REFRESH_MS,
    refetchOnWindowFocus: true,
  });
}
