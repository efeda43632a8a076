import '@mantine/core/styles/Pagination.css';
import { Badge, Group, List, NativeSelect, Pagination, Paper, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldChange, FieldError, ImportAction, ImportReport, ImportRow } from '../api/imports';
import type { ImportsT } from '../lib/bundle';
import { useImportsT } from '../lib/bundle';
import { countOf, initialFilter, isChangeField, isRowFilter, pageOf, ROW_FILTERS, rowErrorCode, valueWord, type RowFilter } from '../lib/report';

/** `review`: a dry run; `applied`: written; `rejected`: an apply refused, nothing written. */
export type ReportMode = 'review' | 'applied' | 'rejected';

const ACTION_COLORS: Record<ImportAction, string> = { create: 'teal', update: 'blue', unchanged: 'gray', error: 'red' };

/** How the actions read: what would happen (a review, a refused apply) or what happened. */
function actionKey(mode: ReportMode, action: ImportAction) {
  return mode === 'applied' ? (`actions.applied.${action}` as const) : (`actions.review.${action}` as const);
}

/**
 * A report: its totals, and its rows filtered by result, a page at a time (a file may have
 * 10,000 rows). Each row shows its line, key, result, the changes (`field: old → new`) and the
 * errors, each at the column as written in the file.
 */
export function ReportView({ report, mode, titleId, title }: { report: ImportReport; mode: ReportMode; titleId: string; title: string }) {
  const t = useImportsT();
  const { i18n } = useTranslation();
  const [filter, setFilter] = useState<RowFilter>(() => initialFilter(report.totals));
  const [page, setPage] = useState(1);
  const shown = useMemo(() => pageOf(report.rows, filter, page), [report.rows, filter, page]);
  const number = (n: number) => new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'es-CO').format(n);
  const label = (f: RowFilter) => {
    if (f === 'all') return t('report.all');
    if (f === 'changes') return mode === 'applied' ? t('report.changes_applied') : t('report.changes_review');
    return t(actionKey(mode, f));
  };
  const totals: { key: string; label: string; value: number; color?: string }[] = [
    { key: 'rows', label: t('report.rows'), value: report.totals.rows },
    ...(['create', 'update', 'unchanged', 'error'] as const).map((action) => ({
      key: action,
      label: t(actionKey(mode, action)),
      value: report.totals[action],
      color: report.totals[action] > 0 ? `${ACTION_COLORS[action]}.9` : undefined,
    })),
  ];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <Title order={2} size="h3" id={titleId} tabIndex={-1} style={{ wordBreak: 'break-word' }}>
          {title}
        </Title>
        <SimpleGrid cols={{ base: 2, xs: 5 }} spacing="xs" component="dl" aria-label={t('report.totals')} m={0}>
          {totals.map((total) => (
            <Paper key={total.key} withBorder radius="sm" p="xs" bg="gray.0">
              <Text component="dt" size="xs" c="gray.8">
                {total.label}
              </Text>
              <Text component="dd" m={0} fw={700} size="xl" c={total.color}>
                {number(total.value)}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        <Group align="flex-end" justify="space-between" gap="sm">
          <NativeSelect
            label={t('report.show')}
            value={filter}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (!isRowFilter(value)) return;
              setFilter(value);
              setPage(1);
            }}
            data={ROW_FILTERS.map((f) => ({ value: f, label: t('report.option', { label: label(f), count: number(countOf(f, report.totals)) }) }))}
            style={{ flex: '0 1 280px' }}
          />
          {shown.total > 0 && (
            <Text size="sm">
              {t('report.range', { first: number(shown.first), last: number(shown.first + shown.rows.length - 1), total: number(shown.total) })}
            </Text>
          )}
        </Group>
        {shown.total === 0 ? (
          <Text size="sm">{t('report.none')}</Text>
        ) : (
          // The rows hold nothing focusable: the scrolling box itself takes the focus (keyboard scrolling on a phone).
          <Table.ScrollContainer minWidth={600} scrollAreaProps={{ viewportProps: { tabIndex: 0, role: 'region', 'aria-label': t('report.caption') } }}>
            <Table striped verticalSpacing="xs">
              <Table.Caption>{t('report.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col" w={70}>
                    {t('report.line')}
                  </Table.Th>
                  <Table.Th scope="col">{t('report.key')}</Table.Th>
                  <Table.Th scope="col" w={150}>
                    {t('report.action')}
                  </Table.Th>
                  <Table.Th scope="col">{t('report.detail')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.rows.map((row) => (
                  <ReportRow key={row.line} row={row} mode={mode} t={t} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {shown.pages > 1 && (
          <Pagination
            total={shown.pages}
            value={shown.page}
            onChange={setPage}
            siblings={1}
            boundaries={1}
            size="sm"
            aria-label={t('report.pages')}
            getItemProps={(p) => ({ 'aria-label': t('report.page', { page: p }) })}
            getControlProps={(control) =>
              control === 'previous' ? { 'aria-label': t('report.previous') } : control === 'next' ? { 'aria-label': t('report.next') } : {}
            }
          />
        )}
      </Stack>
    </Paper>
  );
}

function ReportRow({ row, mode, t }: { row: ImportRow; mode: ReportMode; t: ImportsT }) {
  return (
    <Table.Tr>
      <Table.Td>{row.line}</Table.Td>
      <Table.Td style={{ wordBreak: 'break-word' }}>{row.key}</Table.Td>
      <Table.Td>
        <Badge color={ACTION_COLORS[row.action]} variant="light" style={{ minWidth: 'max-content' }}>
          {t(actionKey(mode, row.action))}
        </Badge>
      </Table.Td>
      <Table.Td>
        {row.errors.length > 0 && (
          <List size="sm" spacing={2}>
            {row.errors.map((error, i) => (
              <List.Item key={`${error.field}-${error.code}-${i}`}>
                <RowErrorText error={error} t={t} />
              </List.Item>
            ))}
          </List>
        )}
        {row.changes.length > 0 && (
          <List size="sm" spacing={2}>
            {row.changes.map((change) => (
              <List.Item key={change.field}>
                <ChangeText change={change} action={row.action} t={t} />
              </List.Item>
            ))}
          </List>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The translated problem at its column; the server's own words (English, with details such as the line of a duplicate) below. */
function RowErrorText({ error, t }: { error: FieldError; t: ImportsT }) {
  const message = t(`row_errors.${rowErrorCode(error.code)}`);
  return (
    <>
      <Text span size="sm" c="red.9">
        {error.field === 'file' ? t('report.error_row', { message }) : t('report.error_at', { column: error.field, message })}
      </Text>
      <Text size="xs" c="gray.7" lang="en">
        {error.message}
      </Text>
    </>
  );
}

/** `Field: old → new`; a new record's fields only have the new value. */
function ChangeText({ change, action, t }: { change: FieldChange; action: ImportAction; t: ImportsT }) {
  const word = (value: string | null | undefined) => {
    const w = valueWord(change, value);
    if (w === null) return t('report.empty_value');
    return w.kind === 'key' ? t(w.key) : w.text;
  };
  const field = isChangeField(change.field) ? t(`fields.${change.field}`) : change.field;
  if (action === 'create') {
    return (
      <Text span size="sm">
        {`${field}: ${word(change.new)}`}
      </Text>
    );
  }
  return (
    <Text span size="sm">
      {`${field}: ${word(change.old)} `}
      <span aria-hidden>→</span>
      <VisuallyHidden>{` ${t('report.changes_to')}`}</VisuallyHidden>
      {` ${word(change.new)}`}
    </Text>
  );
}
