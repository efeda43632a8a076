import '@mantine/core/styles/Typography.css';
import { Alert, Button, CloseButton, Grid, Group, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title, Typography } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState, type FormEvent } from 'react';
import { previewHtml, useCreateArticle, useDeskCategories, useEditArticle, type Article, type Audience, type KbError } from '../api/kb';
import { useKbStrings } from '../lib/strings';

type Link = { title: string; url: string };

export type Draft = {
  deskId: string;
  categoryId: string;
  audience: Audience;
  title: string;
  symptom: string;
  body: string;
  links: Link[];
};

/** The editor's starting point: an empty draft on the first desk, or the article as saved. */
export function initialDraft(article: Article | undefined, deskId: string): Draft {
  return article
    ? {
        deskId: article.desk_id,
        categoryId: article.category?.id ?? '',
        audience: article.audience,
        title: article.title,
        symptom: article.symptom,
        body: article.body,
        links: article.links.map((l) => ({ ...l })),
      }
    : { deskId, categoryId: '', audience: 'public', title: '', symptom: '', body: '', links: [] };
}

/** Field errors of a 422, by the API's field name (`title`, `links.0.url`, …). */
function fieldErrors(error: KbError | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of error?.problem?.errors ?? []) out[e.field] = e.message;
  return out;
}

type Props = {
  /** Editing this article; a new draft otherwise. */
  article?: Article;
  /** The desks the author works. */
  desks: { id: string; name: string }[];
  onSaved: (article: Article) => void;
};

/**
 * Writing an article: name, symptom, steps in Markdown with a live preview rendered by the
 * server exactly as the article will show it, category of the desk's catalog, audience, links.
 */
export function ArticleEditor({ article, desks, onSaved }: Props) {
  const { t } = useKbStrings();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(article, desks[0]?.id ?? ''));
  const { categories } = useDeskCategories(draft.deskId || null);
  const create = useCreateArticle();
  const edit = useEditArticle(article ?? ({ id: '', version: 0 } as Article));
  const saving = article ? edit : create;
  const errors = fieldErrors(saving.error);
  const [preview, setPreview] = useState('');
  const [debouncedBody] = useDebouncedValue(draft.body, 400);

  useEffect(() => {
    if (!debouncedBody.trim()) return;
    const controller = new AbortController();
    previewHtml(debouncedBody, controller.signal).then(setPreview, () => undefined);
    return () => controller.abort();
  }, [debouncedBody]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setLink = (i: number, key: keyof Link, value: string) => set('links', draft.links.map((l, j) => (j === i ? { ...l, [key]: value } : l)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const common = { title: draft.title, symptom: draft.symptom, body: draft.body, audience: draft.audience, links: draft.links };
    if (article) {
      edit.mutate({ ...common, category_id: draft.categoryId || null }, { onSuccess: onSaved });
    } else {
      create.mutate({ ...common, desk_id: draft.deskId, category_id: draft.categoryId || null }, { onSuccess: onSaved });
    }
  };

  if (!article && desks.length === 0) return <Alert color="yellow">{t('editor.no_desks')}</Alert>;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {saving.error && (
          <Alert color="red" variant="light" role="alert">
            {saving.error.status === 412 ? t('editor.stale') : saving.error.status === 422 ? t('editor.invalid') : t('editor.failed')}
          </Alert>
        )}
        <Group grow align="flex-start">
          {!article && desks.length > 1 && (
            <NativeSelect
              label={t('editor.desk')}
              value={draft.deskId}
              onChange={(e) => setDraft((d) => ({ ...d, deskId: e.currentTarget.value, categoryId: '' }))}
              data={desks.map((d) => ({ value: d.id, label: d.name }))}
            />
          )}
          <NativeSelect
            label={t('editor.category')}
            value={draft.categoryId}
            onChange={(e) => set('categoryId', e.currentTarget.value)}
            data={[{ value: '', label: t('no_category') }, ...categories.map((c) => ({ value: c.id, label: c.name }))]}
            error={errors.category_id}
          />
          <NativeSelect
            label={t('audience.label')}
            value={draft.audience}
            onChange={(e) => set('audience', e.currentTarget.value as Audience)}
            data={[
              { value: 'public', label: t('audience.public') },
              { value: 'internal', label: t('audience.internal') },
            ]}
          />
        </Group>
        <TextInput label={t('editor.title')} required maxLength={200} value={draft.title} onChange={(e) => set('title', e.currentTarget.value)} error={errors.title} />
        <Textarea
          label={t('editor.symptom')}
          description={t('editor.symptom_hint')}
          required
          autosize
          minRows={2}
          maxLength={4000}
          value={draft.symptom}
          onChange={(e) => set('symptom', e.currentTarget.value)}
          error={errors.symptom}
        />
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Textarea
              label={t('editor.body')}
              description={t('editor.body_hint')}
              required
              autosize
              minRows={10}
              maxLength={50000}
              value={draft.body}
              onChange={(e) => set('body', e.currentTarget.value)}
              error={errors.body}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="kb-preview-title" h="100%">
              <Title order={2} size="h5" id="kb-preview-title">
                {t('editor.preview')}
              </Title>
              {draft.body.trim() && preview ? (
                <Typography>
                  <div data-testid="kb-preview" dangerouslySetInnerHTML={{ __html: preview }} />
                </Typography>
              ) : (
                <Text size="sm">{t('editor.preview_empty')}</Text>
              )}
            </Paper>
          </Grid.Col>
        </Grid>
        <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
          <Text component="legend" fw={600}>
            {t('editor.links')}
          </Text>
          {draft.links.map((l, i) => (
            <Group key={i} align="flex-end" gap="xs">
              <TextInput label={t('editor.link_title', { n: i + 1 })} value={l.title} onChange={(e) => setLink(i, 'title', e.currentTarget.value)} error={errors[`links.${i}.title`]} style={{ flex: 1 }} />
              <TextInput label={t('editor.link_url', { n: i + 1 })} type="url" value={l.url} onChange={(e) => setLink(i, 'url', e.currentTarget.value)} error={errors[`links.${i}.url`]} style={{ flex: 2 }} />
              <CloseButton aria-label={t('editor.remove_link', { n: i + 1 })} onClick={() => set('links', draft.links.filter((_, j) => j !== i))} mb={6} />
            </Group>
          ))}
          {draft.links.length < 20 && (
            <Button variant="subtle" onClick={() => set('links', [...draft.links, { title: '', url: '' }])} style={{ alignSelf: 'flex-start' }}>
              {t('editor.add_link')}
            </Button>
          )}
        </Stack>
        <Group>
          <Button type="submit" loading={saving.isPending}>
            {article ? t('editor.save_changes') : t('editor.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
