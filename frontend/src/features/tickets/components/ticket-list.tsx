import { Anchor, Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useTicketList } from '../api/tickets';
import { OPEN_STATUSES, PRIORITIES, STATUSES, isOpen } from '../lib/status';
import type { ListQuery, TicketSummary, View } from '../lib/types';
import { PriorityBadge, ReopenedBadge, StatusBadge } from './badges';
import { ClockBadge } from './sla';
import { waitsForRequester } from './waiting-for-you';

function TicketRow({ ticket, staff }: { ticket: TicketSummary; staff: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper component="li" withBorder radius="md" p="md">
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
          <Anchor component={Link} to={`/tickets/${ticket.number}`} fw={600} size="lg">
            #{ticket.number} · {ticket.subject}
          </Anchor>
          <Group gap={6}>
            <StatusBadge status={ticket.status} />
            <ReopenedBadge reason={ticket.reopen_reason} />
            {!staff && waitsForRequester(ticket) && (
              <Badge variant="light" color="orange" radius="sm">
                {t('tickets.list.waits_for_you')}
              </Badge>
            )}
            <PriorityBadge priority={ticket.priority} />
            {staff && ticket.sla && isOpen(ticket.status) && <ClockBadge clock={ticket.sla.resolution} />}
          </Group>
        </Group>
        <Text size="sm">{ticket.service.name}</Text>
        <Text size="sm" c="var(--mantine-color-gray-7)">
          {[
            staff ? t('tickets.list.requester', { name: ticket.requester.name }) : null,
            ticket.assigned_group ? t('tickets.list.group', { name: ticket.assigned_group.name }) : null,
            ticket.assigned_agent ? t('tickets.list.agent', { name: ticket.assigned_agent.name }) : null,
            staff ? t('tickets.list.level', { level: ticket.level }) : null,
            t('tickets.list.updated', { date: formatDateTime(ticket.updated_at, i18n.language) }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      </Stack>
    </Paper>
  );
}

/** `reopened_survey`: cases back at work because of an unsatisfied survey (any status). */
type StatusFilter = 'open' | 'all' | 'reopened_survey' | (typeof STATUSES)[number];

/**
 * A list of cases with filters (status, priority, text) and keyset "Cargar más".
 * `refetchInterval` makes new cases appear without a reload (queues).
 */
export function TicketList({
  view,
  staff,
  refetchInterval,
  emptyTitle,
  emptyText,
  emptyAction,
  label,
}: {
  view: View;
  staff: boolean;
  refetchInterval?: number;
  emptyTitle: string;
  emptyText?: string;
  emptyAction?: React.ReactNode;
  /** Accessible name of the list. */
  label: string;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StatusFilter>(view === 'requested' ? 'all' : 'open');
  const [priority, setPriority] = useState('');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);

  const query: Omit<ListQuery, 'cursor'> = {
    view,
    limit: 25,
    ...(status === 'all'
      ? {}
      : status === 'reopened_survey'
        ? { reopen_reason: 'survey' as const }
        : { status: status === 'open' ? OPEN_STATUSES.join(',') : status }),
    ...(priority ? { priority } : {}),
    ...(q ? { q } : {}),
  };
  const list = useTicketList(query, { refetchInterval });
  const tickets = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = status !== (view === 'requested' ? 'all' : 'open') || priority !== '' || q !== '';

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NativeSelect
          label={t('tickets.filters.status')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value as StatusFilter)}
          data={[
            { value: 'open', label: t('tickets.filters.open') },
            { value: 'all', label: t('tickets.filters.all') },
            { value: 'reopened_survey', label: t('ticket.reopened_by_survey') },
            ...STATUSES.map((s) => ({ value: s, label: t(`ticket.status.${s}`) })),
          ]}
        />
        <NativeSelect
          label={t('tickets.filters.priority')}
          value={priority}
          onChange={(e) => setPriority(e.currentTarget.value)}
          data={[
            { value: '', label: t('tickets.filters.any_priority') },
            ...PRIORITIES.map((p) => ({ value: p, label: t(`ticket.priority.${p}`) })),
          ]}
        />
        <TextInput
          type="search"
          label={t('tickets.filters.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </SimpleGrid>

      {list.isPending ? (
        <LoadingState label={t('tickets.list.loading')} />
      ) : list.isError ? (
        <ErrorState onRetry={() => void list.refetch()} />
      ) : tickets.length === 0 ? (
        <EmptyState title={filtered ? t('tickets.list.no_match') : emptyTitle} action={filtered ? undefined : emptyAction}>
          {filtered ? t('tickets.list.no_match_text') : emptyText}
        </EmptyState>
      ) : (
        <>
          <Text role="status" size="sm">
            {list.hasNextPage ? t('tickets.list.shown_more', { count: tickets.length }) : t('tickets.list.shown', { count: tickets.length })}
          </Text>
          <Stack component="ul" gap="sm" aria-label={label} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {tickets.map((ticket) => (
              <TicketRow key={ticket.id} ticket={ticket} staff={staff} />
            ))}
          </Stack>
          {list.hasNextPage && (
            <Group justify="center">
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('tickets.list.load_more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
