import { Badge, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/shared/lib/format';
import { CLOCK_COLOR, formatMinutes } from '../lib/sla';
import type { ClockView, SlaView } from '../lib/types';

function duration(minutes: number, t: ReturnType<typeof useTranslation>['t']): string {
  const { hours, minutes: rest } = formatMinutes(minutes);
  if (hours === 0) return t('ticket.sla.minutes', { count: rest });
  if (rest === 0) return t('ticket.sla.hours', { count: hours });
  return t('ticket.sla.hours_minutes', { hours, minutes: rest });
}

export function ClockBadge({ clock }: { clock: ClockView }) {
  const { t } = useTranslation();
  const label = clock.met === true ? t('ticket.sla.met') : clock.met === false ? t('ticket.sla.missed') : t(`ticket.sla.state.${clock.state}`);
  const color = clock.met === true ? 'green' : clock.met === false ? 'red' : CLOCK_COLOR[clock.state];
  return (
    <Badge variant="light" color={color} radius="sm">
      {label}
    </Badge>
  );
}

/** One SLA clock: its state, what is left (or how late), the due date, paused on hold. */
function Clock({ title, clock }: { title: string; clock: ClockView }) {
  const { t, i18n } = useTranslation();
  const running = clock.met === null || clock.met === undefined;
  return (
    <Stack gap={2}>
      <Text component="dt" size="sm" fw={600}>
        {title}
      </Text>
      <Text component="dd" m={0} size="sm">
        <ClockBadge clock={clock} />{' '}
        {t('ticket.sla.target', { duration: duration(clock.target_minutes, t) })}
        {running && (
          <>
            {' · '}
            {clock.remaining_minutes >= 0
              ? t('ticket.sla.remaining', { duration: duration(clock.remaining_minutes, t) })
              : t('ticket.sla.overdue', { duration: duration(-clock.remaining_minutes, t) })}
          </>
        )}
        {clock.paused && <> · {t('ticket.sla.paused')}</>}
        {running && clock.due_at && (
          <>
            <br />
            {t('ticket.sla.due', { date: formatDateTime(clock.due_at, i18n.language) })}
          </>
        )}
      </Text>
    </Stack>
  );
}

export function SlaFacts({ sla }: { sla: SlaView }) {
  const { t } = useTranslation();
  return (
    <>
      <Clock title={t('ticket.sla.response')} clock={sla.response} />
      <Clock title={t('ticket.sla.resolution')} clock={sla.resolution} />
    </>
  );
}
