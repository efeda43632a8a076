import { Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useSurveyResults, type GroupBy, type Period, type SurveyResultRow } from '../api/survey-results';
import { useSupervisionStrings } from './desk-overview';

const GROUP_BYS: readonly GroupBy[] = ['service', 'group', 'agent', 'period', 'desk'];
const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter', 'year'];

/** `2026-12-01` → the start of that day, local time, as the API's instant (the end: the next day). */
function dayStart(day: string, next: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, next ? d + 1 : d).toISOString();
}

function percent(value: number | null | undefined, language: string): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

function decimal(value: number | null | undefined, language: string): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat(language, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(value);
}

/** The name of a row: the service, group or agent; the period by its first day; "without…" when none. */
function rowName(row: SurveyResultRow, groupBy: GroupBy, period: Period, language: string, t: ReturnType<typeof useSupervisionStrings>['t']): string {
  if (groupBy === 'period' && row.key && /^\d{4}-\d{2}-\d{2}$/.test(row.key)) {
    const [y, m, d] = row.key.split('-').map(Number) as [number, number, number];
    const first = new Date(y, m - 1, d);
    if (period === 'year') return String(y);
    if (period === 'month' || period === 'quarter') return new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }).format(first);
    const day = new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(first);
    return period === 'week' ? t('surveys.week_of', { date: day }) : day;
  }
  return row.name ?? (groupBy === 'agent' ? t('surveys.no_agent') : groupBy === 'group' ? t('surveys.no_group') : '—');
}

/** "Encuestas": the desk's satisfaction results by service, group, agent or period, between two dates. */
export function SurveyResultsPanel({ deskId, language }: { deskId: string; language: string }) {
  const { t } = useSupervisionStrings();
  const [groupBy, setGroupBy] = useState<GroupBy>('service');
  const [period, setPeriod] = useState<Period>('month');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const results = useSurveyResults({ deskId, groupBy, period, from: dayStart(from, false), to: dayStart(to, true) });
  const locale = language === 'en' ? 'en-US' : 'es-CO';
  return (
    <Stack gap="md">
      <Text size="sm">{t('surveys.intro')}</Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <NativeSelect
          label={t('surveys.group_by')}
          value={groupBy}
          onChange={(e) => setGroupBy(e.currentTarget.value as GroupBy)}
          data={GROUP_BYS.map((g) => ({ value: g, label: t(`surveys.by.${g}`) }))}
          w={220}
        />
        {groupBy === 'period' && (
          <NativeSelect
            label={t('surveys.period')}
            value={period}
            onChange={(e) => setPeriod(e.currentTarget.value as Period)}
            data={PERIODS.map((p) => ({ value: p, label: t(`surveys.periods.${p}`) }))}
            w={180}
          />
        )}
        <TextInput type="date" label={t('surveys.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} w={180} />
        <TextInput type="date" label={t('surveys.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} w={180} />
      </Group>
      {results.isPending ? (
        <LoadingState />
      ) : results.isError ? (
        <ErrorState title={t('surveys.load_error')} onRetry={() => void results.refetch()} />
      ) : results.data.rows.length === 0 ? (
        <EmptyState title={t('surveys.empty')}>{t('surveys.empty_text')}</EmptyState>
      ) : (
        <ResultsTable rows={results.data.rows} groupBy={results.data.group_by} period={results.data.period ?? 'month'} locale={locale} />
      )}
    </Stack>
  );
}

/** The rows as grouped by the answer shown (the previous one stays while a new grouping loads). */
function ResultsTable({ rows, groupBy, period, locale }: { rows: SurveyResultRow[]; groupBy: GroupBy; period: Period; locale: string }) {
  const { t } = useSupervisionStrings();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped verticalSpacing={4} fz="sm" aria-label={t('surveys.table', { by: t(`surveys.by.${groupBy}`).toLocaleLowerCase(locale) })}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t(`surveys.by.${groupBy}`)}</Table.Th>
            {(['sent', 'responses', 'pending', 'response_rate', 'csat', 'average', 'reopened'] as const).map((c) => (
              <Table.Th key={c} ta="right">
                {t(`surveys.columns.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, i) => (
            <Table.Tr key={r.key ?? `none-${i}`}>
              <Table.Th scope="row" fw={500}>
                {rowName(r, groupBy, period, locale, t)}
              </Table.Th>
              <Table.Td ta="right">{r.sent}</Table.Td>
              <Table.Td ta="right">{r.responses}</Table.Td>
              <Table.Td ta="right">{r.pending}</Table.Td>
              <Table.Td ta="right">{percent(r.response_rate, locale)}</Table.Td>
              <Table.Td ta="right">{percent(r.csat, locale)}</Table.Td>
              <Table.Td ta="right">{decimal(r.average_rating, locale)}</Table.Td>
              <Table.Td ta="right">
                {r.reopened} ({percent(r.reopen_rate, locale)})
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
