import { Alert, Anchor, Badge, Button, Grid, Group, Kbd, Modal, Paper, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useAttachments, useCasePlaces, useEvents, useFollowups, useGroups, useTicketAction } from '../api/tickets';
import { SHORTCUTS, keyOf, shortcutFor } from '../lib/shortcuts';
import type { Action, Ticket } from '../lib/types';
import { ActionDialog, actionErrorMessage, needsDialog, type DialogAction } from './action-dialog';
import { PriorityBadge, ReopenedBadge, StatusBadge } from './badges';
import { SlaFacts } from './sla';
import { FollowupForm } from './followup-form';
import { AttachmentLinks, AuditTrail, TicketTimeline } from './ticket-timeline';

/** The order actions appear in; the API says which apply now (`allowed_actions`). */
const STAFF_ORDER: Action[] = ['take', 'resume', 'resolve', 'escalate', 'assign', 'classify', 'hold', 'reject', 'close', 'reopen'];
const REQUESTER_ORDER: Action[] = ['close', 'reopen', 'cancel'];

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <Text component="dt" size="sm" fw={600}>
        {term}
      </Text>
      <Text component="dd" m={0} size="sm">
        {children}
      </Text>
    </div>
  );
}

export type FieldLabel = { label: string; options?: Record<string, string> };

/**
 * One case: its facts, the actions `allowed_actions` permits, the timeline (public follow-ups
 * and status changes; staff also see private ones), the follow-up form, and for staff the
 * audit trail and one-key shortcuts.
 */
export function TicketView({
  ticket,
  staff,
  fieldLabels = {},
}: {
  ticket: Ticket;
  staff: boolean;
  /** Labels of the service's fields in the UI language, by key (values shown raw otherwise). */
  fieldLabels?: Record<string, FieldLabel>;
}) {
  const { t, i18n } = useTranslation();
  const followups = useFollowups(ticket.number);
  const events = useEvents(ticket.number);
  const attachments = useAttachments(ticket.number);
  const groups = useGroups(ticket.desk_id, staff);
  const quick = useTicketAction(ticket);
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  const [help, setHelp] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const places = useCasePlaces(ticket);
  // What an action did, said in a region that stays when the actions box goes (a reopened or
  // closed case may have no action left), and focused so focus does not fall to the page body.
  const finished = (action: Action) => {
    setDone(t(`ticket.done_by.${action}`, { number: ticket.number }));
    window.setTimeout(() => doneRef.current?.focus(), 0);
  };

  const allowed = ticket.allowed_actions;
  const order = staff ? STAFF_ORDER : REQUESTER_ORDER;
  const actions = order.filter((a) => allowed.includes(a));
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? null;

  function run(action: Action) {
    setDone(null);
    if (needsDialog(action)) {
      setDialog(action);
      return;
    }
    quick.mutate(
      { action } as { action: 'take' | 'resume' },
      { onSuccess: () => finished(action) },
    );
  }

  // One-key shortcuts (staff): t take, r resolve, e escalate…; n writes a follow-up; ? helps.
  // The listener calls the latest `run` without being re-attached on every render.
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    if (!staff) return;
    const onKey = (event: KeyboardEvent) => {
      if (dialog || help) return;
      const target = shortcutFor(event, allowed);
      if (!target) return;
      event.preventDefault();
      if (target === 'followup') composer.current?.focus();
      else if (target === 'help') setHelp(true);
      else runRef.current(target);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [staff, allowed, dialog, help]);

  const fieldEntries = Object.entries(ticket.fields && typeof ticket.fields === 'object' ? (ticket.fields as Record<string, unknown>) : {});
  const creationFiles = (attachments.data ?? []).filter((a) => !a.followup_id);

  const timeline =
    followups.isPending || events.isPending ? (
      <LoadingState />
    ) : followups.isError || events.isError ? (
      <ErrorState
        onRetry={() => {
          void followups.refetch();
          void events.refetch();
        }}
      />
    ) : (
      <TicketTimeline number={ticket.number} followups={followups.data} events={events.data} groupName={groupName} />
    );

  const closedForFollowups = !['new', 'assigned', 'in_progress', 'on_hold', 'resolved'].includes(ticket.status);

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <StatusBadge status={ticket.status} />
        <ReopenedBadge reason={ticket.reopen_reason} />
        <PriorityBadge priority={ticket.priority} />
        <Badge variant="light" color="gray" radius="sm">
          {t(`ticket.type.${ticket.type}`)}
        </Badge>
        {staff && (
          <Badge variant="light" color="grape" radius="sm">
            {t('ticket.facts.level_value', { level: ticket.level })}
          </Badge>
        )}
      </Group>

      {ticket.status === 'resolved' && ticket.solution && (
        <Alert color="green" variant="light" title={t('ticket.solution_title')} radius="md">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{ticket.solution.text}</Text>
          {!staff && allowed.includes('close') && <Text mt="xs" fw={600}>{t('ticket.resolved_prompt')}</Text>}
        </Alert>
      )}
      {ticket.status === 'closed' && ticket.solution && (
        <Alert color="gray" variant="light" title={t('ticket.solution_title')} radius="md">
          <Text style={{ whiteSpace: 'pre-wrap' }}>{ticket.solution.text}</Text>
        </Alert>
      )}
      {ticket.rejection && (
        <Alert color="red" variant="light" title={t('ticket.rejection_title')} radius="md">
          <Text>{ticket.rejection.reason}</Text>
          {ticket.rejection.redirected_to && <Text mt={4}>{t('ticket.redirected', { to: ticket.rejection.redirected_to })}</Text>}
        </Alert>
      )}
      {ticket.hold && ticket.status === 'on_hold' && (
        <Alert color="yellow" variant="light" title={t('ticket.hold_title', { reason: t(`ticket.hold_reason.${ticket.hold.reason}`) })} radius="md">
          {ticket.hold.note && <Text>{ticket.hold.note}</Text>}
          {ticket.hold.desist_at && <Text mt={4}>{t('ticket.hold_desist', { date: formatDateTime(ticket.hold.desist_at, i18n.language) })}</Text>}
          {!staff && ticket.hold.reason === 'waiting_requester' && <Text mt={4} fw={600}>{t('ticket.hold_requester')}</Text>}
        </Alert>
      )}

      {actions.length > 0 && (
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="ticket-actions-heading">
          <Group justify="space-between" mb="sm">
            <Title order={2} size="h4" id="ticket-actions-heading">
              {t('ticket.actions_label')}
            </Title>
            {staff && (
              <Button variant="subtle" size="xs" onClick={() => setHelp(true)} aria-keyshortcuts="?" visibleFrom="sm">
                {t('ticket.shortcuts.open')}
              </Button>
            )}
          </Group>
          <Group gap="sm">
            {actions.map((action, index) => {
              const key = staff ? keyOf(action) : null;
              return (
                <Button
                  key={action}
                  variant={index === 0 ? 'filled' : 'default'}
                  color={action === 'reject' || action === 'cancel' ? 'red' : undefined}
                  onClick={() => run(action)}
                  loading={quick.isPending && quick.variables?.action === action}
                  aria-keyshortcuts={key ?? undefined}
                  rightSection={
                    key ? (
                      <Kbd size="xs" aria-hidden visibleFrom="sm">
                        {key}
                      </Kbd>
                    ) : undefined
                  }
                >
                  {staff && action === 'close' ? t('ticket.actions.close_staff') : t(`ticket.actions.${action}`)}
                </Button>
              );
            })}
          </Group>
          {quick.error && (
            <Alert color="red" variant="light" role="alert" mt="sm">
              {actionErrorMessage(quick.error, t)}
            </Alert>
          )}
        </Paper>
      )}
      <Alert
        ref={doneRef}
        tabIndex={-1}
        role="status"
        color="green"
        variant="light"
        radius="md"
        hidden={!done}
        withCloseButton
        closeButtonLabel={t('common.close')}
        onClose={() => setDone(null)}
      >
        {done}
      </Alert>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Paper withBorder radius="md" p="md" component="section" aria-labelledby="ticket-description-heading">
              <Title order={2} size="h4" id="ticket-description-heading" mb="xs">
                {t('ticket.description')}
              </Title>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{ticket.description}</Text>
              {fieldEntries.length > 0 && (
                <Table mt="md" withTableBorder variant="vertical" layout="fixed">
                  <Table.Caption>{t('ticket.fields')}</Table.Caption>
                  <Table.Tbody>
                    {fieldEntries.map(([key, value]) => {
                      const label = fieldLabels[key];
                      const shown =
                        typeof value === 'boolean'
                          ? value
                            ? t('ticket.yes')
                            : t('ticket.no')
                          : (label?.options?.[String(value)] ?? String(value));
                      return (
                        <Table.Tr key={key}>
                          <Table.Th scope="row" w="40%">
                            {label?.label ?? key}
                          </Table.Th>
                          <Table.Td>{shown}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              )}
              {creationFiles.length > 0 && (
                <Stack gap={4} mt="md">
                  <Text fw={600} size="sm">
                    {t('ticket.attachments')}
                  </Text>
                  <AttachmentLinks number={ticket.number} attachments={creationFiles} />
                </Stack>
              )}
            </Paper>

            <section aria-labelledby="ticket-timeline-heading">
              {staff ? (
                <Tabs defaultValue="timeline" keepMounted={false}>
                  <Tabs.List>
                    <Tabs.Tab value="timeline" id="ticket-timeline-heading">
                      {t('ticket.timeline')}
                    </Tabs.Tab>
                    <Tabs.Tab value="audit">{t('ticket.audit_title')}</Tabs.Tab>
                  </Tabs.List>
                  <Tabs.Panel value="timeline" pt="md">
                    {timeline}
                  </Tabs.Panel>
                  <Tabs.Panel value="audit" pt="md">
                    {events.data ? <AuditTrail events={events.data} groupName={groupName} /> : <LoadingState />}
                  </Tabs.Panel>
                </Tabs>
              ) : (
                <>
                  <Title order={2} size="h4" id="ticket-timeline-heading" mb="sm">
                    {t('ticket.timeline')}
                  </Title>
                  {timeline}
                </>
              )}
            </section>

            <Paper withBorder radius="md" p="md">
              {closedForFollowups ? <Text>{t('ticket.compose.closed')}</Text> : <FollowupForm ref={composer} number={ticket.number} staff={staff} />}
            </Paper>
          </Stack>
        </Grid.Col>

        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper withBorder radius="md" p="md" component="aside" aria-labelledby="ticket-facts-heading">
            <Title order={2} size="h4" id="ticket-facts-heading" mb="sm">
              {t('ticket.facts.title')}
            </Title>
            <Stack component="dl" gap="sm" m={0}>
              <Fact term={t('ticket.facts.service')}>{ticket.service.name}</Fact>
              <Fact term={t('ticket.facts.requester')}>{ticket.requester.name}</Fact>
              {ticket.requester_email && (
                <Fact term={t('ticket.facts.requester_email')}>
                  <Anchor href={`mailto:${ticket.requester_email}`} size="sm">
                    {ticket.requester_email}
                  </Anchor>
                </Fact>
              )}
              <Fact term={t('ticket.facts.group')}>{ticket.assigned_group?.name ?? t('ticket.facts.unassigned')}</Fact>
              <Fact term={t('ticket.facts.agent')}>{ticket.assigned_agent?.name ?? t('ticket.facts.unassigned')}</Fact>
              <Fact term={t('ticket.facts.level')}>{t('ticket.facts.level_value', { level: ticket.level })}</Fact>
              <Fact term={t('ticket.facts.channel')}>{t(`ticket.channel.${ticket.channel}`)}</Fact>
              {ticket.external_reference && <Fact term={t('ticket.facts.external_reference')}>{ticket.external_reference}</Fact>}
              {ticket.contact_phone && <Fact term={t('request.contact_phone')}>{ticket.contact_phone}</Fact>}
              {ticket.location_id && (
                <Fact term={t('ticket.facts.location')}>
                  {places.location.data
                    ? [places.location.data.name, places.location.data.address].filter(Boolean).join(' · ')
                    : places.location.isError
                      ? t('ticket.facts.place_unavailable')
                      : '…'}
                </Fact>
              )}
              {ticket.organization_id && (
                <Fact term={t('ticket.facts.organization')}>
                  {places.organization.data?.name ?? (places.organization.isError ? t('ticket.facts.place_unavailable') : '…')}
                </Fact>
              )}
              {ticket.area_id && (
                <Fact term={t('ticket.facts.area')}>{places.area.data?.name ?? (places.area.isError ? t('ticket.facts.place_unavailable') : '…')}</Fact>
              )}
              <Fact term={t('ticket.facts.created')}>{formatDateTime(ticket.created_at, i18n.language)}</Fact>
              <Fact term={t('ticket.facts.updated')}>{formatDateTime(ticket.updated_at, i18n.language)}</Fact>
              {ticket.sla && <SlaFacts sla={ticket.sla} />}
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>

      {dialog && (
        <ActionDialog
          ticket={ticket}
          action={dialog}
          groups={groups.data ?? []}
          onClose={() => setDialog(null)}
          onDone={(_, action) => {
            setDialog(null);
            finished(action);
          }}
        />
      )}

      <Modal opened={help} onClose={() => setHelp(false)} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('ticket.shortcuts.title')}>
        <Table>
          <Table.Tbody>
            {Object.entries(SHORTCUTS).map(([key, action]) => (
              <Table.Tr key={key}>
                <Table.Td w={60}>
                  <Kbd>{key}</Kbd>
                </Table.Td>
                <Table.Td>{t(`ticket.actions.${action}`)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Td>
                <Kbd>n</Kbd>
              </Table.Td>
              <Table.Td>{t('ticket.shortcuts.followup')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Td>
                <Kbd>?</Kbd>
              </Table.Td>
              <Table.Td>{t('ticket.shortcuts.help')}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
        <Text size="sm" mt="sm">
          {t('ticket.shortcuts.note')}
        </Text>
      </Modal>
    </Stack>
  );
}
