import { Badge, Button, Code, Grid, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { usePreview, useResetTemplate, useSaveTemplate, useTemplate, type Lang, type MailKind, type MailTemplate, type TemplateBody } from '../api/mail';
import { useMailT } from '../lib/bundle';
import { SaveError, fieldErrorKey, fieldErrorsOf } from '../lib/problems';

export const KINDS = [
  'registered',
  'classified',
  'assigned',
  'escalated',
  'followup',
  'on_hold',
  'resumed',
  'resolved',
  'closed',
  'reopened',
  'desisted',
  'survey_reminder',
  'rejected',
  'cancelled',
  'transferred',
  'sla_at_risk',
  'sla_breached',
  'intake_refused',
  'intake_instructions',
] as const satisfies readonly MailKind[];

type Desk = { id: string; name: string; code: string };

/** Choose a desk, a kind of mail and a language; then edit that template with its live preview. */
export function MailTemplates({ desks }: { desks: Desk[] }) {
  const t = useMailT();
  const [deskId, setDeskId] = useState(desks[0]?.id ?? '');
  const [kind, setKind] = useState<MailKind>('registered');
  const [lang, setLang] = useState<Lang>('es');
  if (desks.length === 0) return <EmptyState title={t('templates.no_desks')} />;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NativeSelect label={t('templates.desk')} value={deskId} data={desks.map((d) => ({ value: d.id, label: `${d.name} (${d.code})` }))} onChange={(e) => setDeskId(e.currentTarget.value)} />
        <NativeSelect label={t('templates.kind')} value={kind} data={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} onChange={(e) => setKind(e.currentTarget.value as MailKind)} />
        <NativeSelect
          label={t('templates.lang')}
          value={lang}
          data={[
            { value: 'es', label: t('templates.lang_es') },
            { value: 'en', label: t('templates.lang_en') },
          ]}
          onChange={(e) => setLang(e.currentTarget.value as Lang)}
        />
      </SimpleGrid>
      <TemplateLoader key={`${deskId}/${kind}/${lang}`} desk={deskId} kind={kind} lang={lang} />
    </Stack>
  );
}

function TemplateLoader({ desk, kind, lang }: { desk: string; kind: MailKind; lang: Lang }) {
  const t = useMailT();
  const template = useTemplate(desk, kind, lang);
  if (template.isPending) return <LoadingState label={t('templates.loading')} />;
  if (template.isError) return <ErrorState onRetry={() => void template.refetch()} />;
  return <TemplateEditor desk={desk} kind={kind} lang={lang} template={template.data} />;
}

function TemplateEditor({ desk, kind, lang, template }: { desk: string; kind: MailKind; lang: Lang; template: MailTemplate }) {
  const t = useMailT();
  const [body, setBody] = useState<TemplateBody>({ subject: template.subject, text: template.text, html: template.html });
  const [role, setRole] = useState<'requester' | 'agent'>('requester');
  const [saved, setSaved] = useState(false);
  const [debounced] = useDebouncedValue(body, 400);
  const preview = usePreview(desk, kind, lang, role, debounced);
  const save = useSaveTemplate(desk, kind, lang);
  const reset = useResetTemplate(desk, kind, lang);
  // The save's problems, else the preview's: both name the part that does not parse.
  const saveErrors = fieldErrorsOf(save.error);
  const previewErrors = fieldErrorsOf(preview.error);
  const errors = Object.keys(saveErrors).length > 0 ? saveErrors : previewErrors;
  const msg = (field: 'subject' | 'text' | 'html') => {
    const e = errors[field];
    return e ? t(fieldErrorKey(e.code), { detail: e.message }) : null;
  };
  const set = (patch: Partial<TemplateBody>) => {
    setSaved(false);
    save.reset();
    setBody((b) => ({ ...b, ...patch }));
  };
  const stale = debounced !== body;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper withBorder p="md" radius="md">
          <form
            noValidate
            aria-labelledby="template-editor-title"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(body, { onSuccess: () => setSaved(true) });
            }}
          >
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h3" id="template-editor-title">
                  {t('templates.editor')}
                </Title>
                <Badge variant="light" color={template.custom ? 'blue' : 'gray'}>
                  {template.custom ? t('templates.custom') : t('templates.builtin')}
                </Badge>
              </Group>
              {save.error && !(save.error instanceof SaveError && save.error.status === 422) && (
                <Text role="alert" c="red.9">
                  {t('errors.failed')}
                </Text>
              )}
              {saved && (
                <Text role="status" c="teal.9">
                  {t('templates.saved')}
                </Text>
              )}
              <TextInput label={t('templates.subject')} value={body.subject} onChange={(e) => set({ subject: e.currentTarget.value })} error={msg('subject')} />
              <Textarea
                label={t('templates.text')}
                value={body.text}
                onChange={(e) => set({ text: e.currentTarget.value })}
                error={msg('text')}
                autosize
                minRows={6}
                maxRows={16}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <Textarea
                label={t('templates.html')}
                value={body.html}
                onChange={(e) => set({ html: e.currentTarget.value })}
                error={msg('html')}
                autosize
                minRows={6}
                maxRows={16}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <Text size="sm">
                {t('templates.variables')}{' '}
                {template.variables.map((v, i) => (
                  <span key={v}>
                    {i > 0 && ' '}
                    <Code>{v}</Code>
                  </span>
                ))}
              </Text>
              <Group>
                <Button type="submit" loading={save.isPending}>
                  {t('templates.save')}
                </Button>
                {template.custom && (
                  <Button variant="outline" color="red" loading={reset.isPending} onClick={() =>
                      reset.mutate(undefined, {
                        onSuccess: (builtin) => {
                          save.reset();
                          setSaved(false);
                          setBody({ subject: builtin.subject, text: builtin.text, html: builtin.html });
                        },
                      })
                    }>
                    {t('templates.reset')}
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Paper withBorder p="md" radius="md" aria-labelledby="template-preview-title" component="section">
          <Stack gap="sm">
            <Group justify="space-between" align="flex-end">
              <Title order={2} size="h3" id="template-preview-title">
                {t('templates.preview')}
              </Title>
              <NativeSelect
                label={t('templates.role')}
                value={role}
                data={[
                  { value: 'requester', label: t('templates.role_requester') },
                  { value: 'agent', label: t('templates.role_agent') },
                ]}
                onChange={(e) => setRole(e.currentTarget.value as 'requester' | 'agent')}
                w={200}
              />
            </Group>
            <Text size="sm">{t('templates.preview_hint')}</Text>
            <div aria-live="polite" aria-busy={stale || preview.isFetching}>
              {preview.isError ? (
                <Text c="red.9">{preview.error instanceof SaveError && preview.error.status === 422 ? t('templates.preview_broken') : t('errors.preview_failed')}</Text>
              ) : preview.data ? (
                <Stack gap="sm" style={{ opacity: stale || preview.isFetching ? 0.6 : 1 }}>
                  <Text fw={600} data-testid="preview-subject">
                    {t('templates.preview_subject')} {preview.data.subject}
                  </Text>
                  {/* No scripts, no same origin: the mail's HTML cannot reach the app. */}
                  <iframe
                    title={t('templates.preview_html')}
                    sandbox=""
                    srcDoc={preview.data.html}
                    style={{ width: '100%', minHeight: 320, border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, background: 'white' }}
                  />
                  <Text fw={600} size="sm">
                    {t('templates.preview_text')}
                  </Text>
                  <Code block data-testid="preview-text" style={{ whiteSpace: 'pre-wrap' }}>
                    {preview.data.text}
                  </Code>
                </Stack>
              ) : (
                <LoadingState label={t('templates.previewing')} minHeight={120} />
              )}
            </div>
          </Stack>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
