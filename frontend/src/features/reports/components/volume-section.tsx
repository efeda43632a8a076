import { Table } from '@mantine/core';
import { ErrorState, LoadingState } from '@/shared/components/states';
import type { Measure } from '../api/cases';
import { downloadCsv } from '../api/downloads';
import { useReportVolume, type VolumeRow } from '../api/volume';
import type { OnDrill } from '../lib/drill';
import type { ReportQuery } from '../lib/filters';
import { formatBucket, formatCount, formatDay } from '../lib/format';
import { GRANULARITIES, bucketDays, type Granularity } from '../lib/period';
import { useReportStrings } from '../lib/strings';
import { DownloadButton } from './download-button';
import { DrillButton } from './drill-button';
import { LabelledChoice } from './labelled-choice';
import { VolumeChart } from './lazy-charts';
import { ChartFigure, Section } from './section';

const SERIES = [
  { name: 'opened', color: 'blue.6', type: 'bar' },
  { name: 'resolved', color: 'teal.6', type: 'bar' },
  { name: 'closed', color: 'gray.6', type: 'bar' },
  { name: 'backlog', color: 'orange.7', type: 'line' },
] as const;

const BARS = SERIES.filter((s) => s.type === 'bar');

const MEASURE: Record<(typeof SERIES)[number]['name'], Measure> = { opened: 'opened', resolved: 'resolved', closed: 'closed', backlog: 'backlog' };

/** Cases registered, resolved and closed per bucket, with the backlog line; each figure drills down. */
export function VolumeSection({
  query,
  granularity,
  onGranularity,
  onDrill,
}: {
  query: ReportQuery & { from: string; to: string };
  granularity: Granularity;
  onGranularity: (g: Granularity) => void;
  onDrill: OnDrill;
}) {
  const { t, language } = useReportStrings();
  const volume = useReportVolume(query, granularity);
  const period = { from: query.from, to: query.to };
  const label = (row: VolumeRow) =>
    granularity === 'week' ? t('volume.week_of', { date: formatDay(row.start, language) }) : granularity === 'day' ? formatDay(row.start, language) : formatBucket(row.start, 'month', language);
  const drillBucket = (row: VolumeRow, series: (typeof SERIES)[number]['name']) => {
    const days = bucketDays(row.start, granularity, period);
    onDrill({ measure: MEASURE[series], context: label(row), overrides: days });
  };
  const rows = volume.data?.rows ?? [];
  const data = rows.map((r) => ({ bucket: formatBucket(r.start, granularity, language), opened: r.opened, resolved: r.resolved, closed: r.closed, backlog: r.backlog }));

  return (
    <Section
      id="volume"
      title={t('volume.title')}
      intro={t('volume.intro')}
      actions={
        <>
          <LabelledChoice<Granularity>
            id="volume-granularity"
            label={t('volume.granularity')}
            value={granularity}
            onChange={onGranularity}
            options={GRANULARITIES.map((g) => ({ value: g, label: t(`volume.${g}`) }))}
          />
          <DownloadButton fetchFile={() => downloadCsv({ report: 'volume', granularity }, query)} label={t('csv_label', { table: t('volume.title') })}>
            {t('csv')}
          </DownloadButton>
        </>
      }
    >
      {volume.isPending ? (
        <LoadingState />
      ) : volume.isError ? (
        <ErrorState onRetry={() => void volume.refetch()} />
      ) : (
        <>
          <ChartFigure label={t('volume.chart_label')} testId="volume-chart" h={300}>
            <VolumeChart
              data={data}
              series={BARS.map((s) => ({ name: s.name, color: s.color, label: t(`volume.${s.name}`) }))}
              lineSeries={{ name: 'backlog', color: 'orange.7', label: t('volume.backlog') }}
              withDots={rows.length <= 31}
              onBarClick={(series, index) => {
                const row = rows[index];
                if (row) drillBucket(row, series as (typeof SERIES)[number]['name']);
              }}
            />
          </ChartFigure>
          <Table.ScrollContainer minWidth={480}>
            <Table striped verticalSpacing={4} fz="sm" aria-label={t('volume.table_label')} data-testid="volume-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('volume.bucket')}</Table.Th>
                  {SERIES.map((s) => (
                    <Table.Th key={s.name} ta="right">
                      {t(`volume.${s.name}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.start}>
                    <Table.Th scope="row" fw={500}>
                      {label(r)}
                    </Table.Th>
                    {SERIES.map((s) => (
                      <Table.Td key={s.name} ta="right">
                        <DrillButton
                          onClick={() => drillBucket(r, s.name)}
                          label={`${t('see_cases_of', { what: t(`volume.${s.name}`) })} — ${label(r)}`}
                          disabled={r[s.name] === 0}
                        >
                          {formatCount(r[s.name], language)}
                        </DrillButton>
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Section>
  );
}
