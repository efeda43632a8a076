import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';

export type Survey = components['schemas']['Survey'];
export type SurveyAnswerInput = components['schemas']['SurveyAnswerInput'];

/** The case's survey lives under the case's key, so refreshing the case refreshes it too. */
export const surveyKeys = {
  public: (token: string) => ['surveys', 'public', token] as const,
  ofCase: (number: number) => ['tickets', 'one', number, 'survey'] as const,
};

/** GET /api/v1/surveys/{token} — the survey behind a link, without login. */
export function usePublicSurvey(token: string) {
  return useQuery({
    queryKey: surveyKeys.public(token),
    queryFn: async () => unwrap(await api.GET('/api/v1/surveys/{token}', { params: { path: { token } } })),
    retry: false,
  });
}

export function useAnswerPublicSurvey(token: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SurveyAnswerInput) =>
      unwrap(await api.POST('/api/v1/surveys/{token}', { params: { path: { token } }, body })),
    onSuccess: (survey) => queryClient.setQueryData(surveyKeys.public(token), survey),
  });
}

/** GET /api/v1/tickets/{number}/survey — the case's latest survey; `null` when it has none. */
export function useCaseSurvey(number: number, enabled: boolean) {
  return useQuery({
    queryKey: surveyKeys.ofCase(number),
    queryFn: async () => {
      const result = await api.GET('/api/v1/tickets/{number}/survey', { params: { path: { number } } });
      if (result.response.status === 404) return null;
      return unwrap(result);
    },
    enabled,
  });
}

export function useAnswerCaseSurvey(number: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: SurveyAnswerInput) =>
      unwrap(await api.POST('/api/v1/tickets/{number}/survey', { params: { path: { number } }, body })),
    // The verdict closes or reopens the case: everything about it is stale.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tickets'] }),
  });
}
