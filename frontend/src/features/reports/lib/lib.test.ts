import { describe, expect, test } from 'vitest';
import { paramsOfView, reportQuery, viewFromParams } from './filters';
import { formatBusinessTime, formatPercent } from './format';
import { bucketDays, defaultGranularity, presetOf, presetRange, previousQuarter, today } from './period';

describe('report periods', () => {
  test('today is Bogotá’s day, not the browser’s', () => {
    // 03:00 UTC on 1 December is still 30 November in Colombia (UTC−5).
    expect(today(new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-30');
    expect(today(new Date('2026-12-01T05:00:00Z'))).toBe('2026-12-01');
  });

  test('quick choices', () => {
    const now = '2026-12-03';
    expect(presetRange('last_7', now)).toEqual({ from: '2026-11-27', to: now });
    expect(presetRange('last_30', now)).toEqual({ from: '2026-11-04', to: now });
    expect(presetRange('this_month', now)).toEqual({ from: '2026-12-01', to: now });
    expect(presetRange('last_month', now)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(presetRange('this_quarter', now)).toEqual({ from: '2026-10-01', to: now });
    expect(presetRange('last_quarter', now)).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(presetRange('last_quarter', '2027-02-10')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(presetRange('this_year', now)).toEqual({ from: '2026-01-01', to: now });
    expect(presetOf('2026-11-01', '2026-11-30', now)).toBe('last_month');
    expect(presetOf('2026-11-02', '2026-11-30', now)).toBe('custom');
    expect(previousQuarter('2026-01-15')).toEqual({ year: 2025, quarter: 4 });
  });

  test('granularity by length; buckets clipped to the period', () => {
    expect(defaultGranularity('2026-11-04', '2026-12-03')).toBe('day');
    expect(defaultGranularity('2026-07-01', '2026-09-30')).toBe('week');
    expect(defaultGranularity('2026-01-01', '2026-12-03')).toBe('month');
    const period = { from: '2026-11-04', to: '2026-12-03' };
    // The first ISO week starts on Monday 2 November, before the period.
    expect(bucketDays('2026-11-02', 'week', period)).toEqual({ from: '2026-11-04', to: '2026-11-08' });
    expect(bucketDays('2026-12-01', 'month', period)).toEqual({ from: '2026-12-01', to: '2026-12-03' });
    expect(bucketDays('2026-11-20', 'day', period)).toEqual({ from: '2026-11-20', to: '2026-11-20' });
  });
});

describe('the address of a view', () => {
  const now = '2026-12-03';
  test('round trip; defaults stay out of the address; bad values fall back', () => {
    const view = viewFromParams(new URLSearchParams('desk=d1&priority=high&from=2026-07-01&to=2026-09-30&sla_by=service'), now);
    expect(view).toEqual({ filters: { desk: 'd1', priority: 'high', from: '2026-07-01', to: '2026-09-30' }, granularity: 'week', slaBy: 'service' });
    expect(paramsOfView(view, now).toString()).toBe('desk=d1&priority=high&from=2026-07-01&to=2026-09-30&sla_by=service');
    expect(reportQuery(view.filters)).toEqual({ from: '2026-07-01', to: '2026-09-30', desk: 'd1', priority: 'high' });

    const fallback = viewFromParams(new URLSearchParams('from=2026-13-01&to=2026-09-30&granularity=year'), now);
    expect(fallback.filters).toEqual({ from: '2026-11-04', to: now });
    expect(fallback.granularity).toBe('day');
    expect(paramsOfView(fallback, now).toString()).toBe('');
    // from after to: the default period.
    expect(viewFromParams(new URLSearchParams('from=2026-10-02&to=2026-10-01'), now).filters.from).toBe('2026-11-04');
  });
});

describe('figures in es-CO', () => {
  test('business time and percentages', () => {
    expect(formatBusinessTime(0, 'es')).toBe('0 min');
    expect(formatBusinessTime(59.6, 'es')).toBe('1 h 00 min');
    expect(formatBusinessTime(75_030, 'es')).toBe('1.250 h 30 min');
    expect(formatBusinessTime(null, 'es')).toBe('—');
    expect(formatPercent(85.5, 'es')).toBe('85,5\u00a0%');
    expect(formatPercent(85.5, 'en')).toBe('85.5%');
    expect(formatPercent(null, 'es')).toBe('—');
  });
});
