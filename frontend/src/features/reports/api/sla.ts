import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import type { ReportQuery, SlaBy } from '../lib/filters';
import { asJson, reportKeys } from './keys';

export type SlaRow = components['schemas']['SlaRow'];

/** GET /api/v1/reports/sla — compliance of the cases resolved in the period, by priority or service. */
export function useReportSla(query: ReportQuery, by: SlaBy) {
  return useQuery({
    queryKey: reportKeys.sla(query, by),
    placeholderData: keepPreviousData,
    queryFn: async () => asJson(unwrap(await api.GET('/api/v1/reports/sla', { params: { query: { ...query, by } } }))),
  });
}
