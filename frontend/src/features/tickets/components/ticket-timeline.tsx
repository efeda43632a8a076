import { Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/shared/lib/format';
import { downloadAttachment } from '../api/tickets';
import { buildTimeline, describeEvent, type EventDescription } from '../lib/timeline';
import type { Attachment, Followup, TicketEvent } from '../lib/types';
import classes from './ticket.module.css';

function PaperclipIcon() {
  return (
    <svg aria-hidden width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" style={{ verticalAlign: '-2px' }}>
      <path d="M21 12.5l-8.5 8.5a5 5 0 0 1-7-7L14 5.5a3.5 3.5 0 0 1 5 5L10.5 19a2 2 0 0 1-3-3L15 8.5" />
    </svg>
  );
}

export function AttachmentLinks({ number, attachments }: { number: number; attachments: Attachment[] }) {
  const { t } = useTranslation();
  if (attachments.length === 0) return null;
  return (
    <Group gap="sm" component="ul" className={classes.plainList}>
      {attachments.map((a) => (
        <li key={a.id}>
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => void downloadAttachment(number, a.id, a.file_name)}
            aria-label={t('ticket.download', { name: a.file_name })}
          >
            <PaperclipIcon /> {a.file_name}
          </Anchor>
        </li>
      ))}
    </Group>
  );
}

/** A sentence for an audit event, in the UI language. */
export function eventText(d: EventDescription, t: TFunction): string {
  switch (d.key) {
    case 'created':
      return t('ticket.event.created', {
        channel: d.values.channel ? t(`ticket.channel.${d.values.channel as 'portal'}`) : '',
      });
    case 'status': {
      const status = t(`ticket.status.${d.values.status as 'new'}`);
      return d.values.hold_reason
        ? t('ticket.event.status_hold', { status, reason: t(`ticket.hold_reason.${d.values.hold_reason as 'waiting_requester'}`) })
        : t('ticket.event.status', { status });
    }
    case 'assignment':
      return d.values.automatic ? t('ticket.event.assignment_auto') : t('ticket.event.assignment');
    case 'assignment_group':
      return d.values.automatic
        ? t('ticket.event.assignment_group_auto', { group: d.values.group })
        : t('ticket.event.assignment_group', { group: d.values.group });
    case 'level':
      return t('ticket.event.level', { level: d.values.level });
    case 'priority':
      return t('ticket.event.priority', { priority: t(`ticket.priority.${d.values.priority as 'low'}`) });
    case 'classification':
      return t('ticket.event.classification', { type: d.values.type ? t(`ticket.type.${d.values.type as 'incident'}`) : '' });
    case 'solution':
      return t('ticket.event.solution');
    case 'rejection':
      return t('ticket.event.rejection');
    default:
      return t('ticket.event.other', { kind: d.values.kind });
  }
}

function FollowupCard({ number, followup }: { number: number; followup: Followup }) {
  const { t, i18n } = useTranslation();
  const isPrivate = followup.visibility === 'private';
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      className={isPrivate ? classes.private : followup.from_requester ? classes.fromRequester : undefined}
    >
      <Stack gap={6}>
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Text fw={600} size="sm">
              {followup.author.name}
            </Text>
            {followup.from_requester && (
              <Badge variant="light" color="teal" radius="sm">
                {t('ticket.followup.requester_update')}
              </Badge>
            )}
            <Badge
              variant={isPrivate ? 'filled' : 'light'}
              color={isPrivate ? 'yellow.3' : 'gray'}
              c={isPrivate ? "dark.9" : undefined}
              radius="sm"
            >
              {isPrivate ? t('ticket.followup.private') : t('ticket.followup.public')}
            </Badge>
          </Group>
          <Text size="sm" c="var(--mantine-color-gray-7)" component="time" dateTime={followup.created_at}>
            {formatDateTime(followup.created_at, i18n.language)}
          </Text>
        </Group>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{followup.body}</Text>
        <AttachmentLinks number={number} attachments={followup.attachments} />
      </Stack>
    </Paper>
  );
}

/** Public (and, for staff, private) follow-ups and the status changes, oldest first. */
export function TicketTimeline({
  number,
  followups,
  events,
  groupName,
}: {
  number: number;
  followups: Followup[];
  events: TicketEvent[];
  groupName: (id: string) => string | null;
}) {
  const { t, i18n } = useTranslation();
  const entries = buildTimeline(followups, events);
  if (entries.length === 0) return <Text>{t('ticket.timeline_empty')}</Text>;
  return (
    <ol className={classes.timeline} aria-label={t('ticket.timeline')}>
      {entries.map((entry) =>
        entry.kind === 'followup' ? (
          <li key={entry.followup.id}>
            <FollowupCard number={number} followup={entry.followup} />
          </li>
        ) : (
          <li key={entry.event.id} className={classes.eventLine}>
            <EventLine event={entry.event} groupName={groupName} language={i18n.language} />
          </li>
        ),
      )}
    </ol>
  );
}

function EventLine({ event, groupName, language }: { event: TicketEvent; groupName: (id: string) => string | null; language: string }) {
  const { t } = useTranslation();
  const d = describeEvent(event, groupName);
  return (
    <Stack gap={2}>
      <Text size="sm">
        <Text span fw={600} size="sm">
          {d.values.automatic ? t('ticket.system') : (event.actor?.name ?? t('ticket.system'))}
        </Text>{' '}
        {eventText(d, t)}
        {' · '}
        <Text span size="sm" c="var(--mantine-color-gray-7)" component="time" dateTime={event.created_at}>
          {formatDateTime(event.created_at, language)}
        </Text>
      </Text>
      {d.reason && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {t('ticket.event.reason', { reason: d.reason })}
        </Text>
      )}
      {d.key === 'solution' && d.values.text && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {d.values.text}
        </Text>
      )}
      {d.key === 'rejection' && (
        <Text size="sm">
          {d.values.reason}
          {d.values.redirected_to ? ` — ${t('ticket.redirected', { to: d.values.redirected_to })}` : ''}
        </Text>
      )}
    </Stack>
  );
}

/** Every audit entry (staff): who did what, when, and whether the requester sees it. */
export function AuditTrail({ events, groupName }: { events: TicketEvent[]; groupName: (id: string) => string | null }) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <Text>{t('ticket.timeline_empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped withTableBorder verticalSpacing="xs">
        <Table.Caption>{t('ticket.audit_caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('ticket.audit.when')}</Table.Th>
            <Table.Th scope="col">{t('ticket.audit.who')}</Table.Th>
            <Table.Th scope="col">{t('ticket.audit.what')}</Table.Th>
            <Table.Th scope="col">{t('ticket.audit.visibility')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((event) => {
            const d = describeEvent(event, groupName);
            const what =
              event.kind === 'followup'
                ? t('ticket.event.followup')
                : event.kind === 'attachment'
                  ? t('ticket.event.attachment', { name: String((event.new_value as { file_name?: string } | null)?.file_name ?? '') })
                  : eventText(d, t);
            return (
              <Table.Tr key={event.id}>
                <Table.Td>
                  <time dateTime={event.created_at}>{formatDateTime(event.created_at, i18n.language)}</time>
                </Table.Td>
                <Table.Td>{d.values.automatic ? t('ticket.system') : (event.actor?.name ?? t('ticket.system'))}</Table.Td>
                <Table.Td>
                  {what}
                  {d.reason ? ` — ${d.reason}` : ''}
                </Table.Td>
                <Table.Td>{event.visibility === 'private' ? t('ticket.followup.private') : t('ticket.followup.public')}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
