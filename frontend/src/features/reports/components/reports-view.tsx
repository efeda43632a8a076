import '@mantine/core/styles/Drawer.css';
import '@mantine/core/styles/SegmentedControl.css';
import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useAskedSearchParams } from '@/shared/hooks/use-asked-search-params';
import { downloadCsv } from '../api/downloads';
import { useReportSummary, type Summary } from '../api/summary';
import type { Drill } from '../lib/drill';
import { paramsOfView, reportQuery, viewFromParams, type ReportView } from '../lib/filters';
import { formatDay } from '../lib/format';
import { defaultGranularity, today } from '../lib/period';
import { useReportStrings } from '../lib/strings';
import { DownloadButton } from './download-button';
import { DrillDown } from './drill-down';
import { FiltersPanel, type DeskOption } from './filters-panel';
import { QuarterlySection } from './quarterly-section';
import { SatisfactionSection } from './satisfaction-section';
import { Section } from './section';
import { SlaSection } from './sla-section';
import { StatCards } from './stat-cards';
import { TopSection } from './top-section';
import { VolumeSection } from './volume-section';

/** Nothing happened in the period: no case registered, resolved, closed, open or rejected. */
function isEmpty(s: Summary): boolean {
  return s.opened + s.resolved + s.closed + s.backlog_start + s.backlog_end + s.rejections + s.satisfaction.sent === 0;
}

/**
 * The supervisor's reports: filters kept in the address (a view can be shared and reloaded),
 * the headline indicators, volume, SLA, top services and satisfaction, each chart with its
 * table and CSV, a drill-down from any figure to its cases, and the quarterly report.
 */
export function ReportsView({ desks, isAdmin }: { desks: DeskOption[]; isAdmin: boolean }) {
  const { t, language } = useReportStrings();
  const [params, setParams] = useAskedSearchParams();
  const [now] = useState(() => today());
  const [drill, setDrill] = useState<Drill | null>(null);
  const viewOf = (p: URLSearchParams) => {
    const v = viewFromParams(p, now);
    // A desk the user does not manage (an old link): every desk of theirs instead.
    if (v.filters.desk && !desks.some((d) => d.id === v.filters.desk)) delete v.filters.desk;
    return v;
  };
  const view = viewOf(params);
  const setView = (change: (current: ReportView) => ReportView) => setParams((current) => paramsOfView(change(viewOf(current)), now));
  const query = reportQuery(view.filters);
  const summary = useReportSummary(query);

  return (
    <Stack gap="lg">
      <FiltersPanel
        filters={view.filters}
        desks={desks}
        isAdmin={isAdmin}
        now={now}
        onChange={(update) =>
          setView((current) => {
            const filters = update(current.filters);
            const samePeriod = filters.from === current.filters.from && filters.to === current.filters.to;
            // A new period gets the granularity that suits its length.
            return { ...current, filters, granularity: samePeriod ? current.granularity : defaultGranularity(filters.from, filters.to) };
          })
        }
      />
      <Text fw={600} role="status" data-testid="report-period">
        {t('period_label', { from: formatDay(view.filters.from, language), to: formatDay(view.filters.to, language) })}
      </Text>
      {summary.isPending ? (
        <LoadingState />
      ) : summary.isError ? (
        <ErrorState onRetry={() => void summary.refetch()} />
      ) : isEmpty(summary.data) ? (
        <EmptyState title={t('empty_title')}>{t('empty_text')}</EmptyState>
      ) : (
        <>
          <Section
            id="indicators"
            title={t('stats.title')}
            actions={
              <DownloadButton fetchFile={() => downloadCsv({ report: 'summary' }, query)} label={t('csv_label', { table: t('stats.title') })}>
                {t('csv')}
              </DownloadButton>
            }
          >
            <StatCards summary={summary.data} from={view.filters.from} onDrill={setDrill} />
          </Section>
          <VolumeSection
            query={{ ...query, from: view.filters.from, to: view.filters.to }}
            granularity={view.granularity}
            onGranularity={(granularity) => setView((current) => ({ ...current, granularity }))}
            onDrill={setDrill}
          />
          <SlaSection query={query} by={view.slaBy} onBy={(slaBy) => setView((current) => ({ ...current, slaBy }))} onDrill={setDrill} />
          <TopSection query={query} onDrill={setDrill} />
          <SatisfactionSection satisfaction={summary.data.satisfaction} />
        </>
      )}
      <QuarterlySection desks={desks} deskId={view.filters.desk} />
      <DrillDown drill={drill} filters={view.filters} onClose={() => setDrill(null)} />
    </Stack>
  );
}
