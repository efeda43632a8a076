import { Anchor, Button, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { recordView, useArticle, useSuggestions, type Suggestion } from '../api/kb';
import { useKbStrings } from '../lib/strings';
import { ArticleBody } from './article-body';
import { HelpfulVote } from './helpful-vote';

/** Milliseconds of quiet typing before the subject is searched. */
export const SUGGEST_DEBOUNCE_MS = 300;

/**
 * Self-help while filing: published articles matching the subject being typed (debounced).
 * An article opens in a dialog over the form, so the request is not lost; each opening is
 * counted as a view from the suggestions, and `onOpened` gets its id (for the deflection count
 * if the form is then left without filing).
 */
export function KbSuggestions({ subject, deskId, onOpened }: { subject: string; deskId?: string; onOpened?: (viewId: string) => void }) {
  const { t } = useKbStrings();
  const [debounced] = useDebouncedValue(subject, SUGGEST_DEBOUNCE_MS);
  const suggestions = useSuggestions(debounced, deskId);
  const [open, setOpen] = useState<Suggestion | null>(null);
  const items = debounced.trim().length >= 3 ? (suggestions.data ?? []) : [];

  const show = (s: Suggestion) => {
    setOpen(s);
    void recordView(s.id, true).then((viewId) => {
      if (viewId) onOpened?.(viewId);
    });
  };

  return (
    <div aria-live="polite">
      {items.length > 0 && (
        <Paper withBorder radius="md" p="sm" bg="blue.0" component="section" aria-labelledby="kb-suggest-title">
          <Stack gap={6}>
            <Title order={2} size="h5" id="kb-suggest-title">
              {t('suggest.title')}
            </Title>
            <Text size="sm">{t('suggest.hint')}</Text>
            <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {items.map((s) => (
                <li key={s.id}>
                  <Anchor component="button" type="button" onClick={() => show(s)} aria-label={t('suggest.open', { title: s.title })} ta="left">
                    {s.title}
                  </Anchor>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {s.symptom}
                  </Text>
                </li>
              ))}
            </Stack>
          </Stack>
        </Paper>
      )}
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={open?.title} size="lg" closeButtonProps={{ 'aria-label': t('suggest.close') }}>
        {open && <SuggestedArticle id={open.id} onClose={() => setOpen(null)} />}
      </Modal>
    </div>
  );
}

function SuggestedArticle({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useKbStrings();
  const article = useArticle(id);
  if (!article.data) return <Text role="status">{article.isError ? t('article.not_found') : '…'}</Text>;
  return (
    <Stack gap="md">
      <ArticleBody article={article.data} headingLevel={3} />
      <HelpfulVote article={article.data} />
      <Text size="sm">{t('suggest.solved')}</Text>
      <Button variant="outline" onClick={onClose} style={{ alignSelf: 'flex-start' }}>
        {t('suggest.close')}
      </Button>
    </Stack>
  );
}
