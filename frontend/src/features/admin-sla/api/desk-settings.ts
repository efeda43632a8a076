import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { fetchAllPages, unwrap } from '@/shared/api/pages';
import { sent } from '../lib/problems';

type Schemas = components['schemas'];
export type Desk = Schemas['Desk'];
export type UpdateDesk = Schemas['UpdateDesk'];
export type CreateDesk = Schemas['CreateDesk'];
export type SurveyDefinition = Schemas['SurveyDefinition'];
export type SurveyDefinitionInput = Schemas['SurveyDefinitionInput'];
export type Mailbox = Schemas['Mailbox'];
export type PutMailbox = Schemas['PutMailbox'];
export type MailKind = Schemas['Kind'];
export type CatalogNode = Schemas['CatalogNode'];

export const deskKeys = {
  all: ['admin-desks'] as const,
  list: ['admin-desks', 'list'] as const,
  survey: (id: string) => ['admin-desks', id, 'survey'] as const,
  mailbox: (id: string) => ['admin-desks', id, 'mailbox'] as const,
  services: (id: string) => ['admin-desks', id, 'services'] as const,
  organizations: ['admin-desks', 'organizations'] as const,
  supervisors: ['admin-desks', 'supervisors'] as const,
};

/** GET /api/v1/desks (inactive ones too: an admin may reactivate them elsewhere). */
export function useDesks() {
  return useQuery({ queryKey: deskKeys.list, queryFn: async () => unwrap(await api.GET('/api/v1/desks')) });
}

/**
 * POST /api/v1/desks (admins). Every screen keeps its own list of desks: all of them are asked
 * again, so the new desk shows in the groups, catalog, mail and supervision screens at once.
 */
export function useCreateDesk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateDesk) => sent(await api.POST('/api/v1/desks', { body })),
    onSuccess: () =>
      queryClient.invalidateQueries({ predicate: (q) => q.queryKey.some((k) => k === 'desks' || k === 'admin-desks' || k === 'admin-mail') }),
  });
}

/** GET /api/v1/organizations — the ones a new desk may be limited to. */
export function useOrganizations(enabled: boolean) {
  return useQuery({
    queryKey: deskKeys.organizations,
    enabled,
    queryFn: async () =>
      fetchAllPages(async (cursor) => unwrap(await api.GET('/api/v1/organizations', { params: { query: { active: true, limit: 200, cursor } } }))),
  });
}

/** GET /api/v1/users?role=supervisor&active=true — who may manage a desk. */
export function useSupervisors(enabled: boolean) {
  return useQuery({
    queryKey: deskKeys.supervisors,
    enabled,
    queryFn: async () =>
      fetchAllPages(async (cursor) => unwrap(await api.GET('/api/v1/users', { params: { query: { role: 'supervisor', active: true, limit: 200, cursor } } }))),
  });
}

/** PATCH /api/v1/desks/{id} with If-Match. The survey's PUT bumps the same version: refresh both. */
export function useUpdateDesk() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ desk, body }: { desk: Desk; body: UpdateDesk }) =>
      sent(await api.PATCH('/api/v1/desks/{id}', { params: { path: { id: desk.id }, header: { 'If-Match': `"${desk.version}"` } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deskKeys.all }),
  });
}

/** GET /api/v1/desks/{id}/survey */
export function useSurveyDefinition(deskId: string) {
  return useQuery({
    queryKey: deskKeys.survey(deskId),
    queryFn: async () => unwrap(await api.GET('/api/v1/desks/{id}/survey', { params: { path: { id: deskId } } })),
  });
}

/** PUT /api/v1/desks/{id}/survey with the desk's version. */
export function useSaveSurvey(deskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number; body: SurveyDefinitionInput }) =>
      sent(await api.PUT('/api/v1/desks/{id}/survey', { params: { path: { id: deskId }, header: { 'If-Match': `"${version}"` } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deskKeys.all }),
  });
}

/** GET /api/v1/desks/{id}/mailbox — null when the desk has none yet (404). */
export function useMailbox(deskId: string) {
  return useQuery({
    queryKey: deskKeys.mailbox(deskId),
    queryFn: async () => {
      const result = await api.GET('/api/v1/desks/{id}/mailbox', { params: { path: { id: deskId } } });
      if (result.response.status === 404) return null;
      return unwrap(result);
    },
  });
}

/** PUT /api/v1/desks/{id}/mailbox (If-Match when one exists). */
export function useSaveMailbox(deskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, body }: { version: number | null; body: PutMailbox }) =>
      sent(
        await api.PUT('/api/v1/desks/{id}/mailbox', {
          params: { path: { id: deskId }, header: version === null ? {} : { 'If-Match': `"${version}"` } },
          body,
        }),
      ),
    onSuccess: (mailbox) => queryClient.setQueryData(deskKeys.mailbox(deskId), mailbox),
  });
}

function services(nodes: CatalogNode[], path: string[] = []): { id: string; label: string }[] {
  return nodes.flatMap((n) =>
    n.kind === 'service' ? [{ id: n.id, label: [...path, n.name].join(' › ') }] : services(n.children ?? [], [...path, n.name]),
  );
}

/** The desk's services (for the service of mail-opened cases). */
export function useDeskServices(deskId: string) {
  return useQuery({
    queryKey: deskKeys.services(deskId),
    staleTime: 5 * 60_000,
    queryFn: async () => services(unwrap(await api.GET('/api/v1/desks/{id}/catalog', { params: { path: { id: deskId } } })).nodes),
  });
}
