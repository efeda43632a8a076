import { useQueries, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';

type CatalogNode = components['schemas']['CatalogNode'];
export type Option = { value: string; label: string };

const STALE = 5 * 60_000;

function services(nodes: CatalogNode[], path: string[] = []): Option[] {
  return nodes.flatMap((n) =>
    n.kind === 'service' ? [{ value: n.id, label: [...path, n.name].join(' › ') }] : services(n.children ?? [], [...path, n.name]),
  );
}

const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label, 'es');

/** The services of the desks in scope (GET /api/v1/desks/{id}/catalog each), named by their path. */
export function useServiceOptions(desks: { id: string; name: string }[]) {
  const results = useQueries({
    queries: desks.map((d) => ({
      queryKey: ['reports', 'options', 'catalog', d.id],
      staleTime: STALE,
      queryFn: async () => unwrap(await api.GET('/api/v1/desks/{id}/catalog', { params: { path: { id: d.id } } })),
    })),
  });
  const options = results.flatMap((r, i) => {
    const list = services(r.data?.nodes ?? []);
    // Several desks: say whose service it is.
    return desks.length > 1 ? list.map((o) => ({ ...o, label: `${desks[i]?.name ?? ''} › ${o.label}` })) : list;
  });
  return { options: options.sort(byLabel), isError: results.some((r) => r.isError) };
}

/** GET /api/v1/groups — the support groups of one desk, or of every desk. */
export function useGroupOptions(deskId: string | undefined, deskIds: string[]) {
  return useQuery({
    queryKey: ['reports', 'options', 'groups', deskId ?? 'all'],
    staleTime: STALE,
    queryFn: async () => {
      const groups = unwrap(await api.GET('/api/v1/groups', { params: { query: deskId ? { desk_id: deskId } : {} } }));
      return groups
        .filter((g) => deskIds.includes(g.desk_id))
        .map((g) => ({ value: g.id, label: g.name }))
        .sort(byLabel);
    },
  });
}

/** GET /api/v1/users?role=agent — the agents a case can be assigned to. */
export function useAgentOptions() {
  return useQuery({
    queryKey: ['reports', 'options', 'agents'],
    staleTime: STALE,
    queryFn: async () => {
      const users = await fetchAllPages(async (cursor) =>
        unwrap(await api.GET('/api/v1/users', { params: { query: { role: 'agent', limit: 200, cursor } } })),
      );
      return users.map((u) => ({ value: u.id, label: u.display_name })).sort(byLabel);
    },
  });
}

/** GET /api/v1/organizations — the public bodies requesters belong to. */
export function useOrganizationOptions() {
  return useQuery({
    queryKey: ['reports', 'options', 'organizations'],
    staleTime: STALE,
    queryFn: async () => {
      const orgs = await fetchAllPages(async (cursor) =>
        unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 200, cursor } } })),
      );
      return orgs.map((o) => ({ value: o.id, label: o.name })).sort(byLabel);
    },
  });
}
