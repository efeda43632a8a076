import { Alert, Anchor, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '@/shared/lib/format';
import { recordView, useArticleStep, type Article, type KbError, type Step } from '../api/kb';
import { useKbStrings } from '../lib/strings';
import { ArticleBody, StatusBadge } from './article-body';
import { HelpfulVote } from './helpful-vote';
import { VersionsPanel } from './versions-panel';

type Props = {
  article: Article;
  language: string;
  /** Opened from the new-request form's suggestions (`?from=suggestion`). */
  fromSuggestion?: boolean;
};

const STEPS: Step[] = ['submit', 'publish', 'return', 'archive'];

/** The review steps the server allows the caller now (`allowed_actions`), in the order offered. */
export function availableSteps(article: Pick<Article, 'allowed_actions'>): Step[] {
  return STEPS.filter((s) => article.allowed_actions.includes(s));
}

/** One article for its readers; for the desk's staff also its review actions and versions. */
export function ArticlePage({ article, language, fromSuggestion = false }: Props) {
  const { t } = useKbStrings();
  const step = useArticleStep(article);
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState('');
  const counted = useRef<string | null>(null);

  // One reading per opening of a published article (not the editor's reloads).
  useEffect(() => {
    if (article.status !== 'published' || counted.current === article.id) return;
    counted.current = article.id;
    void recordView(article.id, fromSuggestion);
  }, [article.id, article.status, fromSuggestion]);

  // The desk's staff read its history; the server says so through `allowed_actions`.
  const staff = article.allowed_actions.includes('history');
  const canEdit = article.allowed_actions.includes('edit');
  const steps = availableSteps(article);
  const error = step.error as KbError | null;

  return (
    <Stack gap="lg">
      <Group gap="sm">
        {staff && <StatusBadge status={article.status} />}
        {article.published_at && <Text size="sm">{t('article.published_at', { date: formatDateTime(article.published_at, language) })}</Text>}
        {staff && <Text size="sm">{t('article.author', { name: article.author.name })}</Text>}
        {staff && article.reviewer && <Text size="sm">{t('article.reviewer', { name: article.reviewer.name })}</Text>}
        {staff && article.source_ticket_number && (
          <Anchor component={Link} to={`/tickets/${article.source_ticket_number}`} size="sm">
            {t('article.from_case', { number: article.source_ticket_number })}
          </Anchor>
        )}
      </Group>
      {staff && article.review_note && article.status === 'draft' && (
        <Alert color="orange" variant="light" title={t('article.review_note')}>
          {article.review_note}
        </Alert>
      )}
      {(canEdit || steps.length > 0) && (
        <Group gap="xs">
          {canEdit && (
            <Button component={Link} to={`/kb/${article.id}/edit`} variant="outline">
              {t('actions.edit')}
            </Button>
          )}
          {steps.map((s) => (
            <Button
              key={s}
              variant={s === 'publish' ? 'filled' : 'outline'}
              color={s === 'archive' || s === 'return' ? 'gray' : undefined}
              loading={step.isPending && step.variables?.step === s}
              onClick={() => (s === 'return' ? setReturning(true) : step.mutate({ step: s }))}
            >
              {t(`actions.${s}`)}
            </Button>
          ))}
        </Group>
      )}
      {error && (
        <Alert color="red" variant="light" role="alert">
          {error.status === 412 ? t('actions.stale') : t('actions.failed')}
        </Alert>
      )}
      <Paper withBorder radius="md" p="md">
        <ArticleBody article={article} />
      </Paper>
      <HelpfulVote article={article} />
      {staff && (
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('versions.title')}
          </Title>
          <VersionsPanel articleId={article.id} revision={article.revision} language={language} />
        </Stack>
      )}
      <Modal opened={returning} onClose={() => setReturning(false)} title={t('actions.return')} closeButtonProps={{ 'aria-label': t('actions.cancel') }}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            step.mutate({ step: 'return', note }, { onSuccess: () => setReturning(false) });
          }}
        >
          <Stack gap="sm">
            <Textarea label={t('actions.return_note')} required value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={3} maxLength={2000} />
            <Group justify="flex-end" gap="xs">
              <Button variant="outline" onClick={() => setReturning(false)}>
                {t('actions.cancel')}
              </Button>
              <Button type="submit" loading={step.isPending}>
                {t('actions.confirm_return')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
