import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import type { ReportQuery } from '../lib/filters';
import { asJson, reportKeys } from './keys';

export type TopRow = components['schemas']['TopRow'];

/** How many services the chart ranks. */
export const TOP_LIMIT = 10;

/** GET /api/v1/reports/top?by=service — the services with most cases registered in the period. */
export function useReportTop(query: ReportQuery) {
  return useQuery({
    queryKey: reportKeys.top(query),
    placeholderData: keepPreviousData,
    queryFn: async () =>
      asJson(unwrap(await api.GET('/api/v1/reports/top', { params: { query: { ...query, by: 'service', limit: TOP_LIMIT } } }))),
  });
}
