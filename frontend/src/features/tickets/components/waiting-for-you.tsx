import { Alert, Anchor, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useTicketList } from '../api/tickets';
import type { TicketSummary } from '../lib/types';

/** A case of hers that cannot move until the requester answers: a question on hold, or a solution to accept. */
export function waitsForRequester(t: Pick<TicketSummary, 'status' | 'hold_reason'>): boolean {
  return (t.status === 'on_hold' && t.hold_reason === 'waiting_requester') || t.status === 'resolved';
}

/** On the home page: the requester's cases that wait for her answer, each with what it needs.
 * The links are a dark blue: the default anchor shade fails contrast on the orange alert. */
export function WaitingForYou() {
  const { t } = useTranslation();
  const list = useTicketList({ view: 'requested', status: 'on_hold,resolved', limit: 50 }, { refetchInterval: 60_000 });
  const waiting = (list.data?.pages.flatMap((p) => p.items) ?? []).filter(waitsForRequester);
  if (waiting.length === 0) return null;
  return (
    <Alert color="orange" variant="light" radius="md" title={t('home.waiting_title', { count: waiting.length })} component="section" aria-label={t('home.waiting_title', { count: waiting.length })}>
      <Text size="sm" mb="xs">
        {t('home.waiting_text')}
      </Text>
      <List size="sm" spacing={4}>
        {waiting.map((c) => (
          <List.Item key={c.id}>
            <Anchor component={Link} to={`/tickets/${c.number}`} fw={600} c="blue.9">
              #{c.number} · {c.subject}
            </Anchor>{' '}
            — {c.status === 'resolved' ? t('home.waiting_accept') : t('home.waiting_answer')}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
