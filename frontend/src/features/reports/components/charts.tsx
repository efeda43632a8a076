// The chart library (recharts under @mantine/charts, ~540 kB) loads in its own chunk after the
// page's figures and tables, which never wait for it: see ./lazy-charts.ts.
import '@mantine/core/styles/ColorSwatch.css';
import '@mantine/charts/styles.css';
import { BarChart, CompositeChart } from '@mantine/charts';

type Row = Record<string, string | number>;
type Series = { name: string; color: string; label: string };

/** Registered, resolved and closed bars per bucket, with the backlog as a line. */
export function VolumeChart({
  data,
  series,
  lineSeries,
  withDots,
  onBarClick,
}: {
  data: Row[];
  series: Series[];
  lineSeries: Series;
  withDots: boolean;
  onBarClick: (series: string, index: number) => void;
}) {
  return (
    <CompositeChart
      h={300}
      data={data}
      dataKey="bucket"
      withLegend
      legendProps={{ verticalAlign: 'bottom' }}
      series={[...series.map((s) => ({ ...s, type: 'bar' as const })), { ...lineSeries, type: 'line' as const }]}
      maxBarWidth={28}
      withDots={withDots}
      composedChartProps={{ accessibilityLayer: false }}
      barProps={(s) => ({ cursor: 'pointer', onClick: (_: unknown, index: number) => onBarClick(s.name, index) })}
    />
  );
}

/** Vertical bars with a 0–100 scale (SLA compliance) or counts; a click names the bar's row. */
export function Bars({
  data,
  dataKey,
  series,
  h,
  percent = false,
  horizontal = false,
  valueFormatter,
  tickFormatter,
  onBarClick,
}: {
  data: Row[];
  dataKey: string;
  series: Series[];
  h: number;
  percent?: boolean;
  horizontal?: boolean;
  valueFormatter: (value: number) => string;
  tickFormatter?: (value: string) => string;
  onBarClick?: (index: number) => void;
}) {
  return (
    <BarChart
      h={h}
      data={data}
      dataKey={dataKey}
      orientation={horizontal ? 'vertical' : 'horizontal'}
      withLegend={series.length > 1}
      legendProps={{ verticalAlign: 'bottom' }}
      yAxisProps={horizontal ? { width: 150, ...(tickFormatter ? { tickFormatter } : {}) } : percent ? { domain: [0, 100] } : {}}
      maxBarWidth={horizontal ? 24 : 40}
      valueFormatter={valueFormatter}
      series={series}
      barChartProps={{ accessibilityLayer: false }}
      barProps={onBarClick ? { cursor: 'pointer', onClick: (_: unknown, index: number) => onBarClick(index) } : {}}
    />
  );
}
