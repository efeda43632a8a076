import { Alert, Anchor, Box, Button, Checkbox, Group, List, Modal, NativeSelect, Stack, Table, Text, Textarea, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useBulkAction, useGroups, useTicketList, type ActionRequest, type BulkResult } from '../api/tickets';
import { isOpen } from '../lib/status';
import type { ListQuery, TicketSummary } from '../lib/types';
import { actionErrorMessage } from './action-dialog';
import { AssigneeFields } from './assignee-fields';
import { PriorityBadge, ReopenedBadge, StatusBadge } from './badges';
import { ClockBadge } from './sla';

export type Column = 'number' | 'subject' | 'requester' | 'service' | 'priority' | 'status' | 'group' | 'agent' | 'due';
export const COLUMNS: readonly Column[] = ['number', 'subject', 'requester', 'service', 'priority', 'status', 'group', 'agent', 'due'];
/** Sorted by the server over the whole list; the others sort the cases loaded so far. */
const SERVER_SORTED: Partial<Record<Column, NonNullable<ListQuery['sort']>>> = { number: 'number', due: 'due' };
export type SortState = { column: Column; direction: 'asc' | 'desc' };

const PRIORITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

function key(t: TicketSummary, column: Column): string | number {
  switch (column) {
    case 'number':
      return t.number;
    case 'subject':
      return t.subject.toLocaleLowerCase();
    case 'requester':
      return t.requester.name.toLocaleLowerCase();
    case 'service':
      return t.service.name.toLocaleLowerCase();
    case 'priority':
      return PRIORITY_RANK[t.priority];
    case 'status':
      return t.status;
    case 'group':
      return t.assigned_group?.name.toLocaleLowerCase() ?? '\uffff';
    case 'agent':
      return t.assigned_agent?.name.toLocaleLowerCase() ?? '\uffff';
    case 'due':
      return t.resolution_due_at ?? '\uffff';
  }
}

/** Rows in the order asked, stable (ties keep the server's order). Pure. */
export function sortRows(rows: TicketSummary[], sort: SortState): TicketSummary[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = key(a.row, sort.column);
      const y = key(b.row, sort.column);
      return x < y ? -sign : x > y ? sign : a.i - b.i;
    })
    .map(({ row }) => row);
}

type BulkKind = 'assign' | 'hold' | 'resume' | 'resolve';

/**
 * A dense, sortable table of cases with a checkbox per row and actions on the chosen ones
 * (assign to a group or person, hold, resume, resolve), each case answered on its own.
 */
export function CaseTable({
  query,
  label,
  emptyTitle,
  refetchInterval,
  sort,
  onSort,
  bulk = true,
}: {
  query: Omit<ListQuery, 'cursor' | 'sort'>;
  label: string;
  emptyTitle: string;
  refetchInterval?: number;
  sort: SortState;
  onSort: (sort: SortState) => void;
  bulk?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const serverSort = SERVER_SORTED[sort.column] ?? 'due';
  const list = useTicketList({ ...query, sort: serverSort, limit: 50 }, { refetchInterval });
  const loaded = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const rows = useMemo(() => sortRows(loaded, sort), [loaded, sort]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [dialog, setDialog] = useState<BulkKind | null>(null);
  const [results, setResults] = useState<BulkResult[] | null>(null);
  const chosen = rows.filter((r) => selected.has(r.number));
  const allChosen = rows.length > 0 && chosen.length === rows.length;

  const toggle = (n: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(n)) next.delete(n);
      else next.add(n);
      return next;
    });

  const header = (column: Column) => {
    const active = sort.column === column;
    const next: SortState = { column, direction: active && sort.direction === 'asc' ? 'desc' : 'asc' };
    return (
      <Table.Th key={column} aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'} style={{ whiteSpace: 'nowrap' }}>
        <UnstyledButton onClick={() => onSort(next)} fw={600} fz="sm">
          {t(`tickets.table.columns.${column}`)}
          <span aria-hidden="true">{active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
          {!SERVER_SORTED[column] && <VisuallyHidden>{t('tickets.table.sorts_loaded')}</VisuallyHidden>}
        </UnstyledButton>
      </Table.Th>
    );
  };

  if (list.isPending) return <LoadingState label={t('tickets.list.loading')} />;
  if (list.isError) return <ErrorState onRetry={() => void list.refetch()} />;
  if (rows.length === 0) return <EmptyState title={emptyTitle}>{t('tickets.table.empty_text')}</EmptyState>;

  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs">
        <Text role="status" size="sm">
          {list.hasNextPage ? t('tickets.list.shown_more', { count: rows.length }) : t('tickets.list.shown', { count: rows.length })}
        </Text>
        {bulk && (
          <Group gap="xs" role="group" aria-label={t('tickets.table.bulk_label', { count: chosen.length })}>
            <Text size="sm">{t('tickets.table.selected', { count: chosen.length })}</Text>
            {(['assign', 'hold', 'resume', 'resolve'] as const).map((kind) => (
              <Button key={kind} size="compact-sm" variant="light" disabled={chosen.length === 0} onClick={() => { setResults(null); setDialog(kind); }}>
                {t(`tickets.table.bulk.${kind}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      {results && <BulkReport results={results} onDismiss={() => setResults(null)} />}
      <Table.ScrollContainer minWidth={960}>
        <Table striped highlightOnHover verticalSpacing={4} horizontalSpacing="xs" fz="sm" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              {bulk && (
                <Table.Th>
                  <Checkbox
                    aria-label={t('tickets.table.select_all')}
                    checked={allChosen}
                    indeterminate={chosen.length > 0 && !allChosen}
                    onChange={() => setSelected(allChosen ? new Set() : new Set(rows.map((r) => r.number)))}
                  />
                </Table.Th>
              )}
              {COLUMNS.map(header)}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                {bulk && (
                  <Table.Td>
                    <Checkbox aria-label={t('tickets.table.select', { number: r.number })} checked={selected.has(r.number)} onChange={() => toggle(r.number)} />
                  </Table.Td>
                )}
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${r.number}`} fw={600} size="sm">
                    #{r.number}
                  </Anchor>
                </Table.Td>
                <Table.Td style={{ maxWidth: 280 }}>
                  <Text size="sm" lineClamp={2}>
                    {r.subject}
                  </Text>
                  <Box miw="max-content">
                    <ReopenedBadge reason={r.reopen_reason} />
                  </Box>
                </Table.Td>
                <Table.Td>{r.requester.name}</Table.Td>
                <Table.Td>{r.service.name}</Table.Td>
                {/* At their full width: a squeezed column cut them to "PRIOR…" and "AS…". */}
                <Table.Td>
                  <Box miw="max-content">
                    <PriorityBadge priority={r.priority} />
                  </Box>
                </Table.Td>
                <Table.Td>
                  <Box miw="max-content">
                    <StatusBadge status={r.status} />
                  </Box>
                </Table.Td>
                <Table.Td>{r.assigned_group ? `${r.assigned_group.name} (N${r.level})` : '—'}</Table.Td>
                <Table.Td>{r.assigned_agent?.name ?? <Text span size="sm" fs="italic">{t('tickets.table.no_agent')}</Text>}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {r.resolution_due_at ? formatDateTime(r.resolution_due_at, i18n.language) : '—'}{' '}
                  {r.sla && isOpen(r.status) && <ClockBadge clock={r.sla.resolution} />}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('tickets.list.load_more')}
          </Button>
        </Group>
      )}
      {dialog && (
        <BulkDialog
          kind={dialog}
          cases={chosen}
          onClose={() => setDialog(null)}
          onDone={(done) => {
            setDialog(null);
            setResults(done);
            setSelected(new Set(done.filter((d) => !d.ok).map((d) => d.number)));
          }}
        />
      )}
    </Stack>
  );
}

function BulkReport({ results, onDismiss }: { results: BulkResult[]; onDismiss: () => void }) {
  const { t } = useTranslation();
  const failed = results.filter((r) => !r.ok);
  const done = results.length - failed.length;
  return (
    <Alert color={failed.length ? 'orange' : 'green'} variant="light" role="status" withCloseButton onClose={onDismiss} closeButtonLabel={t('common.close')}>
      <Text size="sm">{t('tickets.table.bulk_done', { done, count: results.length })}</Text>
      {failed.length > 0 && (
        <List size="sm" mt={4}>
          {failed.map((f) => (
            <List.Item key={f.number}>
              {t('tickets.table.bulk_failed', { number: f.number, reason: f.ok ? '' : actionErrorMessage(f.error, t) })}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

function BulkDialog({ kind, cases, onClose, onDone }: { kind: BulkKind; cases: TicketSummary[]; onClose: () => void; onDone: (results: BulkResult[]) => void }) {
  const { t } = useTranslation();
  const bulk = useBulkAction();
  const desks = [...new Set(cases.map((c) => c.desk_id))];
  const levels = [...new Set(cases.map((c) => c.level))];
  const groups = useGroups(desks.length === 1 ? (desks[0] ?? null) : null, kind === 'assign');
  const [groupId, setGroupId] = useState('');
  const [agentId, setAgentId] = useState('');
  const [text, setText] = useState('');
  const [holdReason, setHoldReason] = useState<'waiting_requester' | 'waiting_third_party' | 'waiting_provider'>('waiting_third_party');
  const [error, setError] = useState<string | undefined>();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    let request: ActionRequest;
    switch (kind) {
      case 'assign':
        if (!groupId) return setError(t('ticket.errors.required'));
        request = { action: 'assign', body: { group_id: groupId, agent_id: agentId || null } };
        break;
      case 'hold':
        request = { action: 'hold', body: { reason: holdReason, note: text.trim() || null } };
        break;
      case 'resume':
        request = { action: 'resume' };
        break;
      case 'resolve':
        if (!text.trim()) return setError(t('ticket.errors.required'));
        request = { action: 'resolve', body: { solution: text.trim() } };
        break;
    }
    bulk.mutate({ cases: cases.map((c) => ({ number: c.number, version: c.version })), request }, { onSuccess: onDone });
  }

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t(`tickets.table.bulk_title.${kind}`, { count: cases.length })} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Text size="sm">{t('tickets.table.bulk_cases', { numbers: cases.map((c) => `#${c.number}`).join(', ') })}</Text>
          {kind === 'assign' &&
            (desks.length > 1 ? (
              <Alert color="orange" variant="light">{t('tickets.table.one_desk')}</Alert>
            ) : (
              <>
                {levels.length > 1 && <Text size="sm">{t('tickets.table.mixed_levels')}</Text>}
                <AssigneeFields
                  idPrefix="bulk"
                  groups={(groups.data ?? []).filter((g) => levels.length !== 1 || g.level === levels[0])}
                  groupId={groupId}
                  agentId={agentId}
                  onGroup={(v) => { setGroupId(v); setError(undefined); }}
                  onAgent={setAgentId}
                  groupError={error}
                />
              </>
            ))}
          {kind === 'hold' && (
            <>
              <NativeSelect
                label={t('ticket.dialog.hold_reason')}
                value={holdReason}
                onChange={(e) => setHoldReason(e.currentTarget.value as typeof holdReason)}
                data={(['waiting_requester', 'waiting_third_party', 'waiting_provider'] as const).map((x) => ({ value: x, label: t(`ticket.hold_reason.${x}`) }))}
              />
              <Textarea label={t('ticket.dialog.hold_note')} autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
            </>
          )}
          {kind === 'resolve' && (
            <Textarea
              label={t('ticket.dialog.solution')}
              description={t('ticket.dialog.solution_hint')}
              required
              autosize
              minRows={3}
              value={text}
              error={error}
              onChange={(e) => { setText(e.currentTarget.value); setError(undefined); }}
            />
          )}
          {kind === 'resume' && <Text size="sm">{t('tickets.table.confirm_resume')}</Text>}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} type="button">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={bulk.isPending} disabled={kind === 'assign' && desks.length > 1}>
              {t(`tickets.table.bulk.${kind}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
