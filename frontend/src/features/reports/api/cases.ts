import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import type { ReportQuery } from '../lib/filters';
import { reportKeys } from './keys';

/** The figures a drill-down lists (the populations the summary counts). */
export const MEASURES = [
  'opened',
  'resolved',
  'closed',
  'backlog',
  'attention_met',
  'attention_missed',
  'resolution_met',
  'resolution_missed',
  'first_contact',
  'reopened',
  'escalated',
  'rejected',
] as const;
export type Measure = (typeof MEASURES)[number];

export const CASES_PAGE_SIZE = 50;

/**
 * GET /api/v1/reports/cases — the cases one figure counts, under the same filters, newest
 * first, with keyset "load more".
 */
export function useReportCases(query: ReportQuery, measure: Measure) {
  return useInfiniteQuery({
    queryKey: reportKeys.cases(query, measure),
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/reports/cases', {
          params: { query: { ...query, measure, limit: CASES_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
