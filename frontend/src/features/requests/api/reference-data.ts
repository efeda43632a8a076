import { useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';

export type Location = components['schemas']['Location'];
export type Organization = components['schemas']['Organization'];
export type Area = components['schemas']['Area'];

const STALE = 10 * 60_000;

/** GET /api/v1/locations (every active one). */
export function useLocations() {
  return useQuery({
    queryKey: ['locations', 'active'],
    staleTime: STALE,
    queryFn: () =>
      fetchAllPages(async (cursor) =>
        unwrap(await api.GET('/api/v1/locations', { params: { query: { active: true, limit: 200, cursor } } })),
      ),
  });
}

/** GET /api/v1/organizations (every active one). */
export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations', 'active'],
    staleTime: STALE,
    queryFn: () =>
      fetchAllPages(async (cursor) =>
        unwrap(await api.GET('/api/v1/organizations', { params: { query: { active: true, limit: 200, cursor } } })),
      ),
  });
}

/** GET /api/v1/areas?organization_id= (the areas of one organization). */
export function useAreas(organizationId: string | null) {
  return useQuery({
    queryKey: ['areas', 'active', organizationId],
    staleTime: STALE,
    enabled: organizationId !== null,
    queryFn: () =>
      fetchAllPages(async (cursor) =>
        unwrap(
          await api.GET('/api/v1/areas', {
            params: { query: { active: true, limit: 200, cursor, organization_id: organizationId ?? undefined } },
          }),
        ),
      ),
  });
}
