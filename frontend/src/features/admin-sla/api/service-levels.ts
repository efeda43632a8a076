import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { sent } from '../lib/problems';

type Schemas = components['schemas'];
export type Calendar = Schemas['BusinessCalendar'];
export type CalendarInput = Schemas['CalendarInput'];
export type Holiday = Schemas['Holiday'];
export type Policy = Schemas['SlaPolicy'];
export type PolicyInput = Schemas['PolicyInput'];
export type Group = Schemas['Group'];

export const slaKeys = {
  calendars: ['admin-sla', 'calendars'] as const,
  holidays: (id: string, year: number) => ['admin-sla', 'calendars', id, 'holidays', year] as const,
  policies: ['admin-sla', 'policies'] as const,
  groups: ['admin-sla', 'groups'] as const,
};

/** GET /api/v1/calendars */
export function useCalendars() {
  return useQuery({ queryKey: slaKeys.calendars, queryFn: async () => unwrap(await api.GET('/api/v1/calendars')) });
}

/** GET /api/v1/calendars/{id}/holidays?year= — national ones computed, plus extra, minus removed. */
export function useHolidays(id: string | null, year: number) {
  return useQuery({
    queryKey: slaKeys.holidays(id ?? '', year),
    enabled: id !== null,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/calendars/{id}/holidays', { params: { path: { id: id ?? '' }, query: { year } } })),
  });
}

/** POST /api/v1/calendars, or PATCH /api/v1/calendars/{id} with If-Match. */
export function useSaveCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ current, body }: { current: Calendar | null; body: CalendarInput }) =>
      current
        ? sent(
            await api.PATCH('/api/v1/calendars/{id}', {
              params: { path: { id: current.id }, header: { 'If-Match': `"${current.version}"` } },
              body,
            }),
          )
        : sent(await api.POST('/api/v1/calendars', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.calendars }),
  });
}

/** GET /api/v1/sla-policies */
export function usePolicies() {
  return useQuery({ queryKey: slaKeys.policies, queryFn: async () => unwrap(await api.GET('/api/v1/sla-policies')) });
}

/** POST /api/v1/sla-policies, or PATCH /api/v1/sla-policies/{id} with If-Match. */
export function useSavePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ current, body }: { current: Policy | null; body: PolicyInput }) =>
      current
        ? sent(
            await api.PATCH('/api/v1/sla-policies/{id}', {
              params: { path: { id: current.id }, header: { 'If-Match': `"${current.version}"` } },
              body,
            }),
          )
        : sent(await api.POST('/api/v1/sla-policies', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: slaKeys.policies }),
  });
}

/** GET /api/v1/groups — the targets of a "reassign" escalation rule. */
export function useAllGroups() {
  return useQuery({
    queryKey: slaKeys.groups,
    staleTime: 5 * 60_000,
    queryFn: async () => unwrap(await api.GET('/api/v1/groups', { params: { query: { active: true } } })),
  });
}
