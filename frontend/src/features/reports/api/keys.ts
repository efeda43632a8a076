import type { ReportQuery } from '../lib/filters';

/** Query keys: every report query starts with `reports`. */
export const reportKeys = {
  all: ['reports'] as const,
  summary: (q: ReportQuery) => ['reports', 'summary', q] as const,
  volume: (q: ReportQuery, granularity: string) => ['reports', 'volume', q, granularity] as const,
  sla: (q: ReportQuery, by: string) => ['reports', 'sla', q, by] as const,
  top: (q: ReportQuery) => ['reports', 'top', q] as const,
  cases: (q: ReportQuery, measure: string) => ['reports', 'cases', q, measure] as const,
};

/**
 * The report endpoints also answer CSV (`format=csv`), so their generated success type is
 * "the JSON or a string"; without `format` the answer is JSON.
 */
export function asJson<T>(data: T | string): T {
  if (typeof data === 'string') throw new Error('expected JSON, got text');
  return data;
}
