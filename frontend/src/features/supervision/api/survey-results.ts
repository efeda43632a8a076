import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';

export type SurveyResults = components['schemas']['SurveyResults'];
export type SurveyResultRow = components['schemas']['SurveyResultRow'];
export type GroupBy = components['schemas']['GroupBy'];
export type Period = components['schemas']['Period'];

export type ResultsQuery = { deskId: string; groupBy: GroupBy; period: Period; from?: string | undefined; to?: string | undefined };

/** GET /api/v1/surveys/results — one desk's satisfaction results, grouped as asked. */
export function useSurveyResults(q: ResultsQuery) {
  return useQuery({
    queryKey: ['surveys', 'results', q],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/surveys/results', {
          params: {
            query: {
              desk_id: q.deskId,
              group_by: q.groupBy,
              ...(q.groupBy === 'period' ? { period: q.period } : {}),
              ...(q.from ? { from: q.from } : {}),
              ...(q.to ? { to: q.to } : {}),
            },
          },
        }),
      ),
  });
}
