import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '@/shared/components/states';
import { useAnswerPublicSurvey, usePublicSurvey } from '../api/surveys';
import { SurveyForm, SurveyOutcome, surveyProblemKey } from './survey-form';

/** The survey a link opens, without login: the case, its solution, and the questions. */
export function PublicSurvey({ token }: { token: string }) {
  const { t } = useTranslation();
  const survey = usePublicSurvey(token);
  const answer = useAnswerPublicSurvey(token);
  if (survey.isPending) return <LoadingState />;
  if (survey.isError) {
    return (
      <Alert color="red" role="alert">
        {t(surveyProblemKey(survey.error))}
      </Alert>
    );
  }
  const s = survey.data;
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('survey.title')}
      </Title>
      <Text>{t('survey.intro', { number: s.ticket_number, subject: s.subject })}</Text>
      {s.solution && (
        <Paper withBorder p="md" radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('survey.solution')}
          </Title>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{s.solution}</Text>
        </Paper>
      )}
      {s.state === 'pending' ? (
        <SurveyForm survey={s} onSubmit={(a) => answer.mutate(a)} pending={answer.isPending} error={answer.error} />
      ) : (
        <SurveyOutcome survey={s} />
      )}
    </Stack>
  );
}
