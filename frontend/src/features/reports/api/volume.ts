import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import type { ReportQuery } from '../lib/filters';
import type { Granularity } from '../lib/period';
import { asJson, reportKeys } from './keys';

export type VolumeRow = components['schemas']['VolumeRow'];

/** GET /api/v1/reports/volume — registered, resolved, closed and backlog per day, week or month. */
export function useReportVolume(query: ReportQuery, granularity: Granularity) {
  return useQuery({
    queryKey: reportKeys.volume(query, granularity),
    placeholderData: keepPreviousData,
    queryFn: async () => asJson(unwrap(await api.GET('/api/v1/reports/volume', { params: { query: { ...query, granularity } } }))),
  });
}
