import { Alert, Button, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { asProblem } from '@/shared/api/problem';
import type { Survey, SurveyAnswerInput } from '../api/surveys';

/** The message for a refused answer, by the problem's stable code. */
export function surveyProblemKey(error: unknown) {
  const status = (error as { status?: number } | null)?.status;
  const code = asProblem((error as { problem?: unknown } | null)?.problem)?.code;
  switch (code) {
    case 'survey_already_answered':
      return 'survey.answered' as const;
    case 'survey_expired':
      return 'survey.expired' as const;
    case 'survey_withdrawn':
      return 'survey.withdrawn' as const;
    case 'too_many_attempts':
      return 'survey.too_many' as const;
    default:
      return status === 404 ? ('survey.not_found' as const) : ('survey.error' as const);
  }
}

/**
 * The three questions: a rating from 1 to 5, "Was it solved?" (when the desk asks it) and a free
 * comment. Native radio groups, so keyboards and screen readers work as usual.
 */
export function SurveyForm({
  survey,
  onSubmit,
  pending,
  error,
}: {
  survey: Survey;
  onSubmit: (answer: SurveyAnswerInput) => void;
  pending: boolean;
  error: unknown;
}) {
  const { t, i18n } = useTranslation();
  const [rating, setRating] = useState<string | null>(null);
  const [solved, setSolved] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const ratingMissing = touched && rating === null;
  const solvedMissing = touched && survey.ask_solved && solved === null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (rating === null || (survey.ask_solved && solved === null)) return;
    onSubmit({
      rating: Number(rating),
      solved: survey.ask_solved ? solved === 'yes' : undefined,
      comment: comment.trim() === '' ? undefined : comment.trim(),
    });
  }

  const expires = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeStyle: 'short' }).format(
    new Date(survey.expires_at),
  );

  return (
    <form onSubmit={submit} noValidate aria-label={t('survey.title')}>
      <Stack gap="md">
        <Radio.Group
          name="rating"
          label={t('survey.rating')}
          value={rating}
          onChange={setRating}
          required
          error={ratingMissing ? t('survey.required_rating') : undefined}
        >
          <Group gap="sm" mt="xs">
            {[1, 2, 3, 4, 5].map((value) => (
              <Radio
                key={value}
                value={String(value)}
                label={
                  value === 1
                    ? `1 · ${t('survey.rating_1')}`
                    : value === 5
                      ? `5 · ${t('survey.rating_5')}`
                      : String(value)
                }
              />
            ))}
          </Group>
        </Radio.Group>
        {survey.ask_solved && (
          <Radio.Group
            name="solved"
            label={t('survey.solved')}
            value={solved}
            onChange={setSolved}
            required
            error={solvedMissing ? t('survey.required_solved') : undefined}
          >
            <Group gap="md" mt="xs">
              <Radio value="yes" label={t('survey.yes')} />
              <Radio value="no" label={t('survey.no')} />
            </Group>
          </Radio.Group>
        )}
        <Textarea
          label={t('survey.comment')}
          description={t('survey.comment_hint')}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          maxLength={2000}
          autosize
          minRows={3}
        />
        {error !== null && error !== undefined && (
          <Alert color="red" role="alert">
            {t(surveyProblemKey(error))}
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          {t('survey.expires', { date: expires })}
        </Text>
        <Group>
          <Button type="submit" loading={pending}>
            {t('survey.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What a survey no longer waiting for an answer says. */
export function SurveyOutcome({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  if (survey.state === 'answered' && survey.answer) {
    return (
      <Alert color={survey.answer.satisfied ? 'green' : 'orange'} role="status">
        {t(survey.answer.satisfied ? 'survey.thanks_closed' : 'survey.thanks_reopened')}
      </Alert>
    );
  }
  return (
    <Alert color="gray" role="status">
      {t(survey.state === 'expired' ? 'survey.expired' : 'survey.withdrawn')}
    </Alert>
  );
}
