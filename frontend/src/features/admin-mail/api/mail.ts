import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { sent } from '../lib/problems';

type Schemas = components['schemas'];
export type MailKind = Schemas['Kind'];
export type Lang = Schemas['Lang'];
export type MailTemplate = Schemas['MailTemplate'];
export type TemplateBody = Schemas['MailTemplateBody'];
export type MailState = Schemas['MailState'];
export type JobState = Schemas['JobState'];
export type OutboxMail = Schemas['OutboxMail'];
export type Job = Schemas['Job'];

export const mailKeys = {
  desks: ['admin-mail', 'desks'] as const,
  template: (desk: string, kind: MailKind, lang: Lang) => ['admin-mail', 'template', desk, kind, lang] as const,
  preview: (desk: string, kind: MailKind, lang: Lang, role: string, body: TemplateBody) => ['admin-mail', 'preview', desk, kind, lang, role, body] as const,
  outbox: (state: MailState | null) => ['admin-mail', 'outbox', state] as const,
  jobs: (state: JobState | null) => ['admin-mail', 'jobs', state] as const,
};

export function useMailDesks() {
  return useQuery({ queryKey: mailKeys.desks, queryFn: async () => unwrap(await api.GET('/api/v1/desks')) });
}

/** GET /api/v1/desks/{id}/mail-templates/{kind}/{lang}: the desk's own wording or the built-in one. */
export function useTemplate(desk: string, kind: MailKind, lang: Lang) {
  return useQuery({
    queryKey: mailKeys.template(desk, kind, lang),
    queryFn: async () => unwrap(await api.GET('/api/v1/desks/{id}/mail-templates/{kind}/{lang}', { params: { path: { id: desk, kind, lang } } })),
  });
}

/**
 * POST …/preview with the unsaved template: the mail it makes for the sample case. A template
 * that does not parse is an error naming its part (kept as the query's error, not retried).
 */
export function usePreview(desk: string, kind: MailKind, lang: Lang, role: 'requester' | 'agent', body: TemplateBody | null) {
  return useQuery({
    queryKey: mailKeys.preview(desk, kind, lang, role, body ?? { subject: '', text: '', html: '' }),
    enabled: body !== null,
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: async () =>
      sent(
        await api.POST('/api/v1/desks/{id}/mail-templates/{kind}/{lang}/preview', {
          params: { path: { id: desk, kind, lang } },
          body: { template: body, role },
        }),
      ),
  });
}

export function useSaveTemplate(desk: string, kind: MailKind, lang: Lang) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TemplateBody) =>
      sent(await api.PUT('/api/v1/desks/{id}/mail-templates/{kind}/{lang}', { params: { path: { id: desk, kind, lang } }, body })),
    onSuccess: (template) => queryClient.setQueryData(mailKeys.template(desk, kind, lang), template),
  });
}

/** DELETE: back to the built-in wording. */
export function useResetTemplate(desk: string, kind: MailKind, lang: Lang) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      sent(await api.DELETE('/api/v1/desks/{id}/mail-templates/{kind}/{lang}', { params: { path: { id: desk, kind, lang } } }));
      return unwrap(await api.GET('/api/v1/desks/{id}/mail-templates/{kind}/{lang}', { params: { path: { id: desk, kind, lang } } }));
    },
    onSuccess: (template) => queryClient.setQueryData(mailKeys.template(desk, kind, lang), template),
  });
}

/** GET /api/v1/outbox, newest first, with "load more". */
export function useOutbox(state: MailState | null) {
  return useInfiniteQuery({
    queryKey: mailKeys.outbox(state),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/outbox', { params: { query: { state: state ?? undefined, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useRetryMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => sent(await api.POST('/api/v1/outbox/{id}/retry', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin-mail', 'outbox'] }),
  });
}

/** GET /api/v1/jobs with "load more". */
export function useJobs(state: JobState | null) {
  return useInfiniteQuery({
    queryKey: mailKeys.jobs(state),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET('/api/v1/jobs', { params: { query: { state: state ?? undefined, cursor: pageParam, limit: 50 } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useRetryJob() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => sent(await api.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['admin-mail', 'jobs'] }),
  });
}
