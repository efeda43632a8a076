import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import type { ReportQuery } from '../lib/filters';
import { asJson, reportKeys } from './keys';

export type Summary = components['schemas']['Summary'];
export type Compliance = components['schemas']['Compliance'];
export type TimeStats = components['schemas']['TimeStats'];

/** GET /api/v1/reports/summary — the period's indicators. */
export function useReportSummary(query: ReportQuery) {
  return useQuery({
    queryKey: reportKeys.summary(query),
    placeholderData: keepPreviousData,
    queryFn: async () => asJson(unwrap(await api.GET('/api/v1/reports/summary', { params: { query } }))),
  });
}
