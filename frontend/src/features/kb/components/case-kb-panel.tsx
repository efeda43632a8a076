import { Alert, Anchor, Button, Group, Modal, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useCaseArticles, useProposeArticle, type Article, type Audience } from '../api/kb';
import { useKbStrings } from '../lib/strings';

type CaseData = { number: number; subject: string; description: string; solution: string | null; status: string };

/**
 * The case's knowledge base: the articles linked to it and, for its staff once it has a
 * solution, "Proponer la solución como artículo" — prefilled from the case, sent to review.
 */
export function CaseKbPanel({ ticket, staff }: { ticket: CaseData; staff: boolean }) {
  const { t } = useKbStrings();
  const articles = useCaseArticles(ticket.number);
  const [proposing, setProposing] = useState(false);
  const [proposed, setProposed] = useState<Article | null>(null);
  const solved = (ticket.status === 'resolved' || ticket.status === 'closed') && ticket.solution;
  const items = articles.data ?? [];
  if (!staff && items.length === 0) return null;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="case-kb-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="case-kb-title">
          {t('case.title')}
        </Title>
        <Text size="sm" fw={600}>
          {t('case.linked')}
        </Text>
        {items.length === 0 ? (
          <Text size="sm">{t('case.none')}</Text>
        ) : (
          <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: 20 }}>
            {items.map((a) => (
              <li key={a.id}>
                <Anchor component={Link} to={`/kb/${a.id}`}>
                  {a.title}
                </Anchor>{' '}
                {staff && <Text span size="xs">({t(`status.${a.status}`)})</Text>}
              </li>
            ))}
          </Stack>
        )}
        {proposed && (
          <Alert color="green" variant="light" role="status">
            {t('case.proposed')}{' '}
            <Anchor component={Link} to={`/kb/${proposed.id}`}>
              {t('case.open_article')}
            </Anchor>
          </Alert>
        )}
        {staff && solved && !proposed && (
          <Group>
            <Button variant="outline" onClick={() => setProposing(true)}>
              {t('case.propose')}
            </Button>
          </Group>
        )}
      </Stack>
      <Modal opened={proposing} onClose={() => setProposing(false)} title={t('case.propose')} size="lg" closeButtonProps={{ 'aria-label': t('suggest.close') }}>
        <ProposalForm
          ticket={ticket}
          onDone={(a) => {
            setProposed(a);
            setProposing(false);
          }}
          onCancel={() => setProposing(false)}
        />
      </Modal>
    </Paper>
  );
}

function ProposalForm({ ticket, onDone, onCancel }: { ticket: CaseData; onDone: (a: Article) => void; onCancel: () => void }) {
  const { t } = useKbStrings();
  const propose = useProposeArticle(ticket.number);
  const [title, setTitle] = useState(ticket.subject);
  const [symptom, setSymptom] = useState(ticket.description.slice(0, 4000));
  const [body, setBody] = useState(ticket.solution ?? '');
  const [audience, setAudience] = useState<Audience>('public');
  const errors: Record<string, string> = {};
  for (const e of propose.error?.problem?.errors ?? []) errors[e.field] = e.message;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    propose.mutate({ title, symptom, body, audience }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{t('case.propose_intro')}</Text>
        {propose.isError && (
          <Alert color="red" variant="light" role="alert">
            {t('case.propose_failed')}
          </Alert>
        )}
        <TextInput label={t('editor.title')} required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={errors.title} />
        <Textarea label={t('editor.symptom')} required autosize minRows={2} maxLength={4000} value={symptom} onChange={(e) => setSymptom(e.currentTarget.value)} error={errors.symptom} />
        <Textarea label={t('editor.body')} description={t('editor.body_hint')} required autosize minRows={5} maxLength={50000} value={body} onChange={(e) => setBody(e.currentTarget.value)} error={errors.body} />
        <NativeSelect
          label={t('audience.label')}
          value={audience}
          onChange={(e) => setAudience(e.currentTarget.value as Audience)}
          data={[
            { value: 'public', label: t('audience.public') },
            { value: 'internal', label: t('audience.internal') },
          ]}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="outline" onClick={onCancel}>
            {t('actions.cancel')}
          </Button>
          <Button type="submit" loading={propose.isPending}>
            {t('actions.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
