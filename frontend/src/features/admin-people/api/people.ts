import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';
import { asProblem, type Problem } from '@/shared/api/problem';

export type User = components['schemas']['User'];
export type Role = components['schemas']['Role'];
export type CreateUser = components['schemas']['CreateUser'];
export type UpdateUser = components['schemas']['UpdateUser'];
export type SetAvailability = components['schemas']['SetAvailability'];
export type Organization = components['schemas']['Organization'];
export type Area = components['schemas']['Area'];
export type Desk = components['schemas']['Desk'];

/** The filters of the people list (`GET /users`). */
export type PeopleFilter = { q: string; role: Role | null; active: boolean | null; organizationId: string | null };

/** Every query of this feature about people starts with `users`, so one invalidation refreshes all. */
export const peopleKeys = {
  all: ['users'] as const,
  list: (filter: PeopleFilter) => ['users', 'admin-list', filter] as const,
  one: (id: string) => ['users', 'one', id] as const,
  staff: ['users', 'staff'] as const,
};

/** A failed write, with what a form needs to show it at its fields. */
export class WriteError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`write failed with ${status}`);
    this.name = 'WriteError';
    this.status = status;
    this.problem = problem;
  }
}

function orThrow<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.error === undefined) return result.data;
  throw new WriteError(result.response.status, asProblem(result.error));
}

/** GET /api/v1/users — one page after another ("load more"), by username. */
export function usePeople(filter: PeopleFilter) {
  return useInfiniteQuery({
    queryKey: peopleKeys.list(filter),
    initialPageParam: undefined as string | undefined,
    placeholderData: keepPreviousData,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/users', {
          params: {
            query: {
              q: filter.q || undefined,
              role: filter.role ?? undefined,
              active: filter.active ?? undefined,
              organization_id: filter.organizationId ?? undefined,
              limit: 50,
              cursor: pageParam,
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** GET /api/v1/users/{id}. */
export function usePerson(id: string) {
  return useQuery({
    queryKey: peopleKeys.one(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/users/{id}', { params: { path: { id } } })),
  });
}

/**
 * Every active agent, supervisor and admin (the people a group may hold), by name.
 * Staff are few: a page of 200 per role, followed to its end.
 */
export function useStaff(enabled = true) {
  return useQuery({
    queryKey: peopleKeys.staff,
    enabled,
    staleTime: 60_000,
    queryFn: async () => {
      const roles: Role[] = ['agent', 'supervisor', 'admin'];
      const lists = await Promise.all(
        roles.map((role) =>
          fetchAllPages(async (cursor) =>
            unwrap(await api.GET('/api/v1/users', { params: { query: { role, active: true, limit: 200, cursor } } })),
          ),
        ),
      );
      return lists.flat().sort((a, b) => a.display_name.localeCompare(b.display_name));
    },
  });
}

/** POST /api/v1/users (admins): a local account. */
export function useCreatePerson() {
  const queryClient = useQueryClient();
  return useMutation<User, WriteError, CreateUser>({
    mutationFn: async (body) => orThrow(await api.POST('/api/v1/users', { body })),
    onSuccess: (user) => {
      queryClient.setQueryData(peopleKeys.one(user.id), user);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

/** PATCH /api/v1/users/{id} with If-Match (admins). */
export function useUpdatePerson(user: User) {
  const queryClient = useQueryClient();
  return useMutation<User, WriteError, UpdateUser>({
    mutationFn: async (body) =>
      orThrow(
        await api.PATCH('/api/v1/users/{id}', {
          params: { path: { id: user.id }, header: { 'If-Match': `"${user.version}"` } },
          body,
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(peopleKeys.one(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

/** PUT /api/v1/users/{id}/availability (admins and supervisors): absent until an instant, or available. */
export function useSetAvailability(id: string) {
  const queryClient = useQueryClient();
  return useMutation<User, WriteError, SetAvailability>({
    mutationFn: async (body) =>
      orThrow(await api.PUT('/api/v1/users/{id}/availability', { params: { path: { id } }, body })),
    onSuccess: (updated) => {
      queryClient.setQueryData(peopleKeys.one(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

const STALE = 5 * 60_000;

/** GET /api/v1/organizations (active and inactive: a person may still belong to a closed one). */
export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations', 'all'],
    staleTime: STALE,
    queryFn: () =>
      fetchAllPages(async (cursor) =>
        unwrap(await api.GET('/api/v1/organizations', { params: { query: { limit: 200, cursor } } })),
      ),
  });
}

/** GET /api/v1/areas?organization_id= (the areas of one organization). */
export function useAreas(organizationId: string | null) {
  return useQuery({
    queryKey: ['areas', 'all', organizationId],
    staleTime: STALE,
    enabled: organizationId !== null,
    queryFn: () =>
      fetchAllPages(async (cursor) =>
        unwrap(
          await api.GET('/api/v1/areas', {
            params: { query: { limit: 200, cursor, organization_id: organizationId ?? undefined } },
          }),
        ),
      ),
  });
}

/** GET /api/v1/desks?include_inactive=true (managers see every desk). */
export function useDesks() {
  return useQuery({
    queryKey: ['desks', 'admin'],
    staleTime: STALE,
    queryFn: async () => unwrap(await api.GET('/api/v1/desks', { params: { query: { include_inactive: true } } })),
  });
}
