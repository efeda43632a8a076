import { Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { Summary } from '../api/summary';
import { formatCount, formatDecimal, formatPercent } from '../lib/format';
import { useReportStrings } from '../lib/strings';
import { Bars } from './lazy-charts';
import { ChartFigure, Section } from './section';

const STAGES = ['sent', 'concluded', 'answered', 'satisfied'] as const;

/** Satisfaction surveys of the period: CSAT, response rate, mean rating, and the survey funnel. */
export function SatisfactionSection({ satisfaction: s }: { satisfaction: Summary['satisfaction'] }) {
  const { t, language } = useReportStrings();
  const figures = [
    { key: 'csat', value: formatPercent(s.csat_pct, language) },
    { key: 'response_rate', value: formatPercent(s.response_rate_pct, language) },
    { key: 'mean_rating', value: formatDecimal(s.mean_rating, language) },
  ] as const;
  return (
    <Section id="satisfaction" title={t('satisfaction.title')} intro={t('satisfaction.intro')}>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {figures.map((f) => (
          <Paper key={f.key} withBorder radius="md" p="sm">
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {t(`satisfaction.${f.key}`)}
              </Text>
              <Text fz={26} fw={700} data-testid={`satisfaction-${f.key}`}>
                {f.value}
              </Text>
            </Stack>
          </Paper>
        ))}
      </SimpleGrid>
      <ChartFigure label={t('satisfaction.chart_label')} testId="satisfaction-chart" h={220}>
        <Bars
          h={220}
          data={STAGES.map((k) => ({ stage: t(`satisfaction.${k}`), count: s[k] }))}
          dataKey="stage"
          valueFormatter={(v) => formatCount(v, language)}
          series={[{ name: 'count', color: 'grape.6', label: t('satisfaction.count') }]}
        />
      </ChartFigure>
      <Table.ScrollContainer minWidth={300}>
        <Table striped verticalSpacing={4} fz="sm" aria-label={t('satisfaction.table_label')} data-testid="satisfaction-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('satisfaction.stage')}</Table.Th>
              <Table.Th ta="right">{t('satisfaction.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {STAGES.map((k) => (
              <Table.Tr key={k}>
                <Table.Th scope="row" fw={500}>
                  {t(`satisfaction.${k}`)}
                </Table.Th>
                <Table.Td ta="right">{formatCount(s[k], language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  );
}
