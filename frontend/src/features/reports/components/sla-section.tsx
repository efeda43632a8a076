import { Table } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { downloadCsv } from '../api/downloads';
import { useReportSla, type SlaRow } from '../api/sla';
import type { Drill, OnDrill } from '../lib/drill';
import type { ReportQuery, SlaBy } from '../lib/filters';
import { formatBusinessTime, formatCount, formatPercent } from '../lib/format';
import { useReportStrings } from '../lib/strings';
import { DownloadButton } from './download-button';
import { DrillButton } from './drill-button';
import { LabelledChoice } from './labelled-choice';
import { Bars } from './lazy-charts';
import { ChartFigure, Section } from './section';

const PRIORITY_ORDER = ['critical', 'high', 'medium', 'low'];

/** SLA compliance of the cases resolved in the period, by priority or by service. */
export function SlaSection({ query, by, onBy, onDrill }: { query: ReportQuery; by: SlaBy; onBy: (by: SlaBy) => void; onDrill: OnDrill }) {
  const { t, tApp, language } = useReportStrings();
  const sla = useReportSla(query, by);
  const name = (row: SlaRow) => (by === 'priority' ? tApp(`ticket.priority.${row.key}`, { defaultValue: row.name }) : row.name);
  const rows = [...(sla.data?.rows ?? [])].sort((a, b) => (by === 'priority' ? PRIORITY_ORDER.indexOf(a.key) - PRIORITY_ORDER.indexOf(b.key) : 0));
  const byLabel = by === 'priority' ? t('sla.by_priority').toLowerCase() : t('sla.by_service').toLowerCase();
  const drill = (row: SlaRow, measure: Drill['measure']) =>
    onDrill({
      measure,
      context: `${by === 'priority' ? t('sla.priority') : t('sla.service')}: ${name(row)}`,
      overrides: by === 'priority' ? { priority: row.key } : { service: row.key },
    });
  const data = rows.map((r) => ({ name: name(r), attention: r.attention.met_pct ?? 0, resolution: r.resolution.met_pct ?? 0 }));

  return (
    <Section
      id="sla"
      title={t('sla.title')}
      intro={t('sla.intro')}
      actions={
        <>
          <LabelledChoice<SlaBy>
            id="sla-by"
            label={t('sla.by')}
            value={by}
            onChange={onBy}
            options={[
              { value: 'priority', label: t('sla.by_priority') },
              { value: 'service', label: t('sla.by_service') },
            ]}
          />
          <DownloadButton fetchFile={() => downloadCsv({ report: 'sla', by }, query)} label={t('csv_label', { table: t('sla.title') })}>
            {t('csv')}
          </DownloadButton>
        </>
      }
    >
      {sla.isPending ? (
        <LoadingState />
      ) : sla.isError ? (
        <ErrorState onRetry={() => void sla.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={t('section_empty')} />
      ) : (
        <>
          <ChartFigure label={t('sla.chart_label', { by: byLabel })} testId="sla-chart" h={260}>
            <Bars
              h={260}
              data={data}
              dataKey="name"
              percent
              valueFormatter={(v) => formatPercent(v, language)}
              series={[
                { name: 'attention', color: 'blue.6', label: t('sla.attention') },
                { name: 'resolution', color: 'teal.7', label: t('sla.resolution') },
              ]}
              onBarClick={(index) => {
                const row = rows[index];
                if (row) drill(row, 'resolved');
              }}
            />
          </ChartFigure>
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={4} fz="sm" aria-label={t('sla.table_label', { by: byLabel })} data-testid="sla-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{by === 'priority' ? t('sla.priority') : t('sla.service')}</Table.Th>
                  <Table.Th ta="right">{t('sla.resolved')}</Table.Th>
                  <Table.Th ta="right">{t('sla.attention')}</Table.Th>
                  <Table.Th ta="right">{t('sla.attention_missed')}</Table.Th>
                  <Table.Th ta="right">{t('sla.resolution')}</Table.Th>
                  <Table.Th ta="right">{t('sla.resolution_missed')}</Table.Th>
                  <Table.Th ta="right">{t('sla.tta_mean')}</Table.Th>
                  <Table.Th ta="right">{t('sla.ttr_mean')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => {
                  const attentionMissed = r.attention.measured - r.attention.met;
                  const resolutionMissed = r.resolution.measured - r.resolution.met;
                  return (
                    <Table.Tr key={r.key}>
                      <Table.Th scope="row" fw={500}>
                        {name(r)}
                      </Table.Th>
                      <Table.Td ta="right">
                        <DrillButton onClick={() => drill(r, 'resolved')} label={`${t('see_cases_of', { what: t('measures.resolved') })} — ${name(r)}`} disabled={r.resolved === 0}>
                          {formatCount(r.resolved, language)}
                        </DrillButton>
                      </Table.Td>
                      <Table.Td ta="right">{formatPercent(r.attention.met_pct, language)}</Table.Td>
                      <Table.Td ta="right">
                        <DrillButton
                          onClick={() => drill(r, 'attention_missed')}
                          label={`${t('see_cases_of', { what: t('measures.attention_missed') })} — ${name(r)}`}
                          disabled={attentionMissed === 0}
                        >
                          {formatCount(attentionMissed, language)}
                        </DrillButton>
                      </Table.Td>
                      <Table.Td ta="right">{formatPercent(r.resolution.met_pct, language)}</Table.Td>
                      <Table.Td ta="right">
                        <DrillButton
                          onClick={() => drill(r, 'resolution_missed')}
                          label={`${t('see_cases_of', { what: t('measures.resolution_missed') })} — ${name(r)}`}
                          disabled={resolutionMissed === 0}
                        >
                          {formatCount(resolutionMissed, language)}
                        </DrillButton>
                      </Table.Td>
                      <Table.Td ta="right">{formatBusinessTime(r.time_to_attend.mean_minutes, language)}</Table.Td>
                      <Table.Td ta="right">{formatBusinessTime(r.time_to_resolve.mean_minutes, language)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Section>
  );
}
