import { Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Compliance, Summary, TimeStats } from '../api/summary';
import type { Measure } from '../api/cases';
import type { OnDrill } from '../lib/drill';
import { addDays, type Day } from '../lib/period';
import { formatBusinessTime, formatCount, formatPercent } from '../lib/format';
import { useReportStrings } from '../lib/strings';
import { DrillButton } from './drill-button';

function CardBody({ label, value, hint, testId }: { label: string; value: string; hint?: ReactNode; testId: string }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} lh={1.2} data-testid={`${testId}-value`}>
        {value}
      </Text>
      {hint && <Text size="xs">{hint}</Text>}
    </Stack>
  );
}

/** A headline figure; when it counts cases, the whole card opens their list. */
function Stat({ label, value, hint, testId, onDrill }: { label: string; value: string; hint?: ReactNode; testId: string; onDrill?: () => void }) {
  const { t } = useReportStrings();
  if (!onDrill) {
    return (
      <Paper withBorder radius="md" p="sm" data-testid={testId}>
        <CardBody label={label} value={value} hint={hint} testId={testId} />
      </Paper>
    );
  }
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="button"
      type="button"
      onClick={onDrill}
      data-testid={testId}
      style={{ borderInlineStart: '4px solid var(--mantine-color-blue-6)', textAlign: 'start', width: '100%', cursor: 'pointer', font: 'inherit', color: 'inherit' }}
    >
      <CardBody label={label} value={value} hint={hint} testId={testId} />
      <Text size="xs" c="blue.9" td="underline" mt={4}>
        {t('see_cases')}
      </Text>
    </Paper>
  );
}

/** SLA compliance: the share met, with the met and missed cases each a way into their list. */
function ComplianceStat({ label, c, testId, met, missed, onDrill }: { label: string; c: Compliance; testId: string; met: Measure; missed: Measure; onDrill: OnDrill }) {
  const { t, language } = useReportStrings();
  const missedCount = c.measured - c.met;
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <CardBody
        label={label}
        value={formatPercent(c.met_pct, language)}
        hint={t('stats.met_of', { met: formatCount(c.met, language), measured: formatCount(c.measured, language) })}
        testId={testId}
      />
      <Group gap="sm" mt={4} fz="xs">
        <DrillButton onClick={() => onDrill({ measure: met })} label={t('see_cases_of', { what: t(`measures.${met}`) })} disabled={c.met === 0}>
          {t('stats.met')}: {formatCount(c.met, language)}
        </DrillButton>
        <DrillButton onClick={() => onDrill({ measure: missed })} label={t('see_cases_of', { what: t(`measures.${missed}`) })} disabled={missedCount === 0}>
          {t('stats.missed')}: {formatCount(missedCount, language)}
        </DrillButton>
      </Group>
    </Paper>
  );
}

function TimeStat({ label, stats, testId }: { label: string; stats: TimeStats; testId: string }) {
  const { t, language } = useReportStrings();
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Stack gap={2}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Group gap="md" align="baseline">
          <Stack gap={0}>
            <Text size="xs">{t('stats.mean')}</Text>
            <Text fz={20} fw={700} data-testid={`${testId}-mean`}>
              {formatBusinessTime(stats.mean_minutes, language)}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs">{t('stats.p90')}</Text>
            <Text fz={20} fw={700} data-testid={`${testId}-p90`}>
              {formatBusinessTime(stats.p90_minutes, language)}
            </Text>
          </Stack>
        </Group>
        <Text size="xs">{t('stats.business_time', { count: formatCount(stats.measured, language) })}</Text>
      </Stack>
    </Paper>
  );
}

function Group3({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {title}
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm">
        {children}
      </SimpleGrid>
    </Stack>
  );
}

/** The period's headline indicators, each counting figure a way into its cases. */
export function StatCards({ summary: s, from, onDrill }: { summary: Summary; from: Day; onDrill: OnDrill }) {
  const { t, language } = useReportStrings();
  const n = (v: number) => formatCount(v, language);
  const drill = (measure: Measure, count: number) => (count > 0 ? () => onDrill({ measure }) : undefined);
  const escalated = s.escalations.reduce((sum, l) => sum + l.escalations, 0);
  const dayBefore = addDays(from, -1);
  return (
    <Stack gap="md">
      <Group3 title={t('stats.volume')}>
        <Stat label={t('stats.opened')} value={n(s.opened)} testId="stat-opened" onDrill={drill('opened', s.opened)} />
        <Stat label={t('stats.resolved')} value={n(s.resolved)} testId="stat-resolved" onDrill={drill('resolved', s.resolved)} />
        <Stat label={t('stats.closed')} value={n(s.closed)} testId="stat-closed" onDrill={drill('closed', s.closed)} />
        <Stat
          label={t('stats.backlog_start')}
          value={n(s.backlog_start)}
          testId="stat-backlog-start"
          // Open when the period began: open at the end of the day before.
          onDrill={s.backlog_start > 0 ? () => onDrill({ measure: 'backlog', context: t('stats.backlog_start'), overrides: { from: dayBefore, to: dayBefore } }) : undefined}
        />
        <Stat label={t('stats.backlog_end')} value={n(s.backlog_end)} testId="stat-backlog-end" onDrill={drill('backlog', s.backlog_end)} />
      </Group3>
      <Group3 title={t('stats.sla')}>
        <ComplianceStat label={t('stats.attention')} c={s.attention} testId="stat-attention" met="attention_met" missed="attention_missed" onDrill={onDrill} />
        <ComplianceStat label={t('stats.resolution')} c={s.resolution} testId="stat-resolution" met="resolution_met" missed="resolution_missed" onDrill={onDrill} />
        <TimeStat label={t('stats.tta')} stats={s.time_to_attend} testId="stat-tta" />
        <TimeStat label={t('stats.ttr')} stats={s.time_to_resolve} testId="stat-ttr" />
        <Stat
          label={t('stats.csat')}
          value={formatPercent(s.satisfaction.csat_pct, language)}
          hint={t('stats.csat_hint', { satisfied: n(s.satisfaction.satisfied), answered: n(s.satisfaction.answered) })}
          testId="stat-csat"
        />
      </Group3>
      <Group3 title={t('stats.quality')}>
        <Stat
          label={t('stats.first_contact')}
          value={formatPercent(s.first_contact_pct, language)}
          hint={t('stats.of_resolved', { count: n(s.first_contact) })}
          testId="stat-first-contact"
          onDrill={drill('first_contact', s.first_contact)}
        />
        <Stat
          label={t('stats.reopened')}
          value={formatPercent(s.reopen_pct, language)}
          hint={t('stats.of_resolved', { count: n(s.reopened) })}
          testId="stat-reopened"
          onDrill={drill('reopened', s.reopened)}
        />
        <Stat
          label={t('stats.escalations')}
          value={n(escalated)}
          hint={s.escalations.length ? s.escalations.map((l) => t('stats.level_count', { level: l.level, count: n(l.escalations) })).join(' · ') : t('stats.escalations_none')}
          testId="stat-escalations"
          onDrill={drill('escalated', escalated)}
        />
        <Stat label={t('stats.rejections')} value={n(s.rejections)} testId="stat-rejections" onDrill={drill('rejected', s.rejections)} />
        <Stat label={t('stats.transfers')} value={n(s.transfers)} testId="stat-transfers" />
        <Stat label={t('stats.reassignments')} value={n(s.reassignments)} testId="stat-reassignments" />
      </Group3>
    </Stack>
  );
}
