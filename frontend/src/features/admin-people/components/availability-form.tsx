import { Badge, Button, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/shared/lib/format';
import { useSetAvailability, WriteError, type User } from '../api/people';
import { absentUntilFromLastDay, formatDay, isAbsent, lastDayAway, lastDayFromAbsentUntil, today } from '../lib/absence';
import { outcomeOf, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';
import { FormAlert, useFieldMessage } from './form-alert';

const INPUTS = ['absent_until', 'note'] as const;

/**
 * Whether a staff account gets new cases: away until a date (the last day away, inclusive) with
 * an optional reason, or available again. Requesters have no availability.
 */
export function AvailabilityForm({ user }: { user: User }) {
  const { t } = useStrings();
  const { i18n } = useTranslation();
  const message = useFieldMessage();
  const save = useSetAvailability(user.id);
  const absent = isAbsent(user.absent_until);
  const [lastDay, setLastDay] = useState(() => (absent && user.absent_until ? lastDayFromAbsentUntil(user.absent_until) : ''));
  const [note, setNote] = useState(() => (absent ? (user.absence_note ?? '') : ''));
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  if (user.role === 'requester') {
    return (
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="availability-heading">
        <Stack gap="xs">
          <Title order={2} size="h3" id="availability-heading">
            {t('availability.title')}
          </Title>
          <Text size="sm">{t('availability.requester')}</Text>
        </Stack>
      </Paper>
    );
  }

  const inputs = {
    absent_until: { label: t('availability.last_day'), id: 'availability-last-day' },
    note: { label: t('availability.note_label'), id: 'availability-note' },
  };

  /** Set by this form, an absence ends at midnight: say its days; otherwise the instant. */
  function absenceText(until: string): string {
    const end = new Date(until);
    if (end.getHours() === 0 && end.getMinutes() === 0)
      return t('availability.absent_until', {
        date: formatDay(lastDayAway(until), i18n.language),
        back: formatDay(until, i18n.language),
      });
    return t('availability.absent_until_time', { when: formatDateTime(until, i18n.language) });
  }

  async function send(body: { absent_until: string | null; note: string | null }, done: string) {
    setOutcome(null);
    setStatus(null);
    try {
      await save.mutateAsync(body);
      setStatus(done);
    } catch (error) {
      setOutcome(error instanceof WriteError ? outcomeOf(error.status, error.problem, INPUTS) : { fields: {}, general: 'network' });
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const until = lastDay ? absentUntilFromLastDay(lastDay) : null;
    const problem = !lastDay ? 'required' : !until ? 'invalid' : lastDay < today() ? 'past_date' : null;
    if (problem) {
      setOutcome({ fields: { absent_until: problem }, general: null });
      return;
    }
    await send({ absent_until: until, note: note.trim() || null }, t('availability.saved_absent'));
  }

  async function markAvailable() {
    if (save.isPending) return;
    await send({ absent_until: null, note: null }, t('availability.saved_available'));
    setLastDay('');
    setNote('');
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="availability-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Group gap="sm">
            <Title order={2} size="h3" id="availability-heading">
              {t('availability.title')}
            </Title>
            <Badge variant="light" color={absent ? 'orange' : 'green'}>
              {absent ? t('availability.absent') : t('availability.available')}
            </Badge>
          </Group>
          <Text size="sm">{absent && user.absent_until ? absenceText(user.absent_until) : t('availability.intro')}</Text>
          {absent && user.absence_note && <Text size="sm">{t('availability.note', { note: user.absence_note })}</Text>}
          <FormAlert outcome={outcome} inputs={inputs} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              id="availability-last-day"
              type="date"
              label={t('availability.last_day')}
              description={t('availability.last_day_hint')}
              required
              min={today()}
              value={lastDay}
              onChange={(e) => {
                setLastDay(e.currentTarget.value);
                setOutcome(null);
              }}
              error={message(outcome?.fields.absent_until)}
            />
            <TextInput
              id="availability-note"
              label={t('availability.note_label')}
              description={t('availability.note_hint')}
              maxLength={300}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={message(outcome?.fields.note)}
            />
          </SimpleGrid>
          <Group gap="sm">
            <Button type="submit" loading={save.isPending}>
              {absent ? t('availability.update_absence') : t('availability.mark_absent')}
            </Button>
            {absent && (
              <Button variant="default" onClick={() => void markAvailable()} disabled={save.isPending}>
                {t('availability.mark_available')}
              </Button>
            )}
            <Text size="sm" role="status">
              {status}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
