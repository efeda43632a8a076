import { Paper, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAnswerCaseSurvey, useCaseSurvey } from '../api/surveys';
import { SurveyForm, SurveyOutcome } from './survey-form';

/**
 * The survey on the requester's case page: the questions while the solution waits for their
 * verdict, then what came of it. Staff and cases without a survey see nothing here.
 */
export function CaseSurvey({ number, requester }: { number: number; requester: boolean }) {
  const { t } = useTranslation();
  const survey = useCaseSurvey(number, requester);
  const answer = useAnswerCaseSurvey(number);
  if (!requester || !survey.data) return null;
  const s = survey.data;
  if (s.state !== 'pending' && !answer.isSuccess) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="case-survey-title">
      <Title order={2} size="h3" id="case-survey-title" mb="sm">
        {t('survey.title')}
      </Title>
      {s.state === 'pending' ? (
        <SurveyForm survey={s} onSubmit={(a) => answer.mutate(a)} pending={answer.isPending} error={answer.error} />
      ) : (
        <SurveyOutcome survey={s} />
      )}
    </Paper>
  );
}
