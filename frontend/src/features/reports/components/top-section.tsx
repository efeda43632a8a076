import { Table, Text } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { downloadCsv } from '../api/downloads';
import { TOP_LIMIT, useReportTop, type TopRow } from '../api/top';
import type { OnDrill } from '../lib/drill';
import type { ReportQuery } from '../lib/filters';
import { formatCount, formatPercent } from '../lib/format';
import { useReportStrings } from '../lib/strings';
import { DownloadButton } from './download-button';
import { DrillButton } from './drill-button';
import { Bars } from './lazy-charts';
import { ChartFigure, Section } from './section';

const short = (name: string) => (name.length > 24 ? `${name.slice(0, 23)}…` : name);

/** The services with most cases registered in the period; each row lists its cases. */
export function TopSection({ query, onDrill }: { query: ReportQuery; onDrill: OnDrill }) {
  const { t, language } = useReportStrings();
  const top = useReportTop(query);
  const rows = top.data?.rows ?? [];
  const height = Math.max(160, rows.length * 36 + 40);
  const drill = (row: TopRow) => {
    if (row.id) onDrill({ measure: 'opened', context: `${t('top.service')}: ${row.name}`, overrides: { service: row.id } });
  };
  return (
    <Section
      id="top"
      title={t('top.title')}
      intro={t('top.intro', { count: TOP_LIMIT })}
      actions={
        <DownloadButton fetchFile={() => downloadCsv({ report: 'top' }, query)} label={t('csv_label', { table: t('top.title') })}>
          {t('csv')}
        </DownloadButton>
      }
    >
      {top.isPending ? (
        <LoadingState />
      ) : top.isError ? (
        <ErrorState onRetry={() => void top.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('section_empty')} />
      ) : (
        <>
          <ChartFigure label={t('top.chart_label')} testId="top-chart" h={height}>
            <Bars
              h={height}
              data={rows.map((r) => ({ name: r.name, cases: r.cases }))}
              dataKey="name"
              horizontal
              tickFormatter={short}
              valueFormatter={(v) => formatCount(v, language)}
              series={[{ name: 'cases', color: 'indigo.6', label: t('top.cases') }]}
              onBarClick={(index) => {
                const row = rows[index];
                if (row) drill(row);
              }}
            />
          </ChartFigure>
          <Table.ScrollContainer minWidth={320}>
            <Table striped verticalSpacing={4} fz="sm" aria-label={t('top.table_label')} data-testid="top-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('top.service')}</Table.Th>
                  <Table.Th ta="right">{t('top.cases')}</Table.Th>
                  <Table.Th ta="right">{t('top.share')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id ?? r.name}>
                    <Table.Th scope="row" fw={500}>
                      {r.name}
                    </Table.Th>
                    <Table.Td ta="right">
                      <DrillButton onClick={() => drill(r)} label={`${t('see_cases_of', { what: t('measures.opened') })} — ${r.name}`} disabled={!r.id || r.cases === 0}>
                        {formatCount(r.cases, language)}
                      </DrillButton>
                    </Table.Td>
                    <Table.Td ta="right">{formatPercent(r.share_pct, language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm">{t('top.total', { count: formatCount(top.data.total, language) })}</Text>
        </>
      )}
    </Section>
  );
}
