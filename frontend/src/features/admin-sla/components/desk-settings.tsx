import { Badge, Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, Paper, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { components } from '@/api/schema';
import { ErrorState, LoadingState } from '@/shared/components/states';
import {
  useDeskServices,
  useMailbox,
  useSaveMailbox,
  useSaveSurvey,
  useSurveyDefinition,
  useUpdateDesk,
  type Desk,
  type MailKind,
  type Mailbox,
  type SurveyDefinition,
} from '../api/desk-settings';
import { useCalendars, usePolicies } from '../api/service-levels';
import { useSlaT } from '../lib/bundle';
import { fieldErrorsOf } from '../lib/problems';
import { SaveAlert, messageOf } from './field-error';

/** Every kind of mail about a case (the `intake_*` answers are not the desk's choice). */
const CASE_KINDS = [
  'registered',
  'classified',
  'assigned',
  'escalated',
  'followup',
  'on_hold',
  'resumed',
  'resolved',
  'closed',
  'reopened',
  'desisted',
  'survey_reminder',
  'rejected',
  'cancelled',
  'transferred',
  'sla_at_risk',
  'sla_breached',
] as const satisfies readonly MailKind[];

function Saved({ show }: { show: boolean }) {
  const t = useSlaT();
  return show ? (
    <Text role="status" c="teal.9">
      {t('common.saved')}
    </Text>
  ) : null;
}

/** One desk's settings: calendar and policy, the mail it sends, its survey and its mailbox. */
export function DeskSettings({ desk }: { desk: Desk }) {
  return (
    <Stack gap="lg">
      <GeneralSettings key={`g-${desk.id}`} desk={desk} />
      <SurveySettings key={`s-${desk.id}`} desk={desk} />
      <MailboxSettings key={`m-${desk.id}`} desk={desk} />
    </Stack>
  );
}

function GeneralSettings({ desk }: { desk: Desk }) {
  const t = useSlaT();
  const calendars = useCalendars();
  const policies = usePolicies();
  const update = useUpdateDesk();
  const [calendar, setCalendar] = useState(desk.calendar_id ?? '');
  const [policy, setPolicy] = useState(desk.sla_policy_id ?? '');
  const [kinds, setKinds] = useState<string[]>(desk.notification_kinds);
  const [saved, setSaved] = useState(false);
  const errors = fieldErrorsOf(update.error);
  const msg = (f: string) => messageOf(t, errors, f);
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="desk-general-title"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          update.mutate(
            {
              desk,
              body: {
                calendar_id: calendar || null,
                sla_policy_id: policy || null,
                notification_kinds: CASE_KINDS.filter((k) => kinds.includes(k)),
              },
            },
            { onSuccess: () => setSaved(true) },
          );
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id="desk-general-title">
            {t('desks.general')}
          </Title>
          <SaveAlert t={t} error={update.error} fields={errors} />
          <Saved show={saved && !update.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('desks.calendar')}
              value={calendar}
              data={[{ value: '', label: t('desks.default_calendar') }, ...(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
              onChange={(e) => setCalendar(e.currentTarget.value)}
              error={msg('calendar_id')}
            />
            <NativeSelect
              label={t('desks.policy')}
              value={policy}
              data={[{ value: '', label: t('desks.no_policy') }, ...(policies.data ?? []).map((p) => ({ value: p.id, label: p.name }))]}
              onChange={(e) => setPolicy(e.currentTarget.value)}
              error={msg('sla_policy_id')}
            />
          </SimpleGrid>
          <Checkbox.Group label={t('desks.kinds')} description={t('desks.kinds_hint')} value={kinds} onChange={setKinds} error={msg('notification_kinds')}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
              {CASE_KINDS.map((k) => (
                <Checkbox key={k} value={k} label={t(`kinds.${k}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t('desks.save_general')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

type SurveyForm = {
  ask_solved: boolean;
  satisfied_min_rating: number | '';
  unit: 'hours' | 'business_days';
  amount: number | '';
  reminders: string;
  staff_may_close: boolean;
};

function surveyForm(s: SurveyDefinition): SurveyForm {
  return {
    ask_solved: s.ask_solved,
    satisfied_min_rating: s.satisfied_min_rating,
    unit: s.acceptance_delay.unit,
    amount: s.acceptance_delay.amount,
    reminders: s.reminder_hours_before.join(', '),
    staff_may_close: s.staff_may_close,
  };
}

/** "24, 4" → [24, 4]; null when a part is not a whole number. */
export function parseHours(text: string): number[] | null {
  const parts = text.split(/[,\s;]+/).filter(Boolean);
  const numbers = parts.map(Number);
  return numbers.every((n) => Number.isInteger(n) && n > 0) ? numbers : null;
}

function SurveySettings({ desk }: { desk: Desk }) {
  const t = useSlaT();
  const survey = useSurveyDefinition(desk.id);
  if (survey.isPending) return <LoadingState label={t('survey.loading')} />;
  if (survey.isError) return <ErrorState onRetry={() => void survey.refetch()} />;
  return <SurveyEditor desk={desk} definition={survey.data} />;
}

function SurveyEditor({ desk, definition }: { desk: Desk; definition: SurveyDefinition }) {
  const t = useSlaT();
  const save = useSaveSurvey(desk.id);
  const [form, setForm] = useState(() => surveyForm(definition));
  const [saved, setSaved] = useState(false);
  const [badReminders, setBadReminders] = useState(false);
  const errors = fieldErrorsOf(save.error);
  const msg = (f: string) => messageOf(t, errors, f);
  const set = (patch: Partial<SurveyForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="desk-survey-title"
        onSubmit={(e) => {
          e.preventDefault();
          const reminders = parseHours(form.reminders);
          setBadReminders(reminders === null);
          if (reminders === null) return;
          save.mutate(
            {
              version: definition.version,
              body: {
                ask_solved: form.ask_solved,
                satisfied_min_rating: form.satisfied_min_rating === '' ? 0 : form.satisfied_min_rating,
                acceptance_delay: { unit: form.unit, amount: form.amount === '' ? 0 : form.amount },
                reminder_hours_before: reminders,
                staff_may_close: form.staff_may_close,
              },
            },
            { onSuccess: () => setSaved(true) },
          );
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id="desk-survey-title">
            {t('survey.title')}
          </Title>
          <SaveAlert t={t} error={save.error} fields={errors} />
          <Saved show={saved && !save.error} />
          <Fieldset legend={t('survey.acceptance_delay')}>
            <Text size="sm" mb="xs">
              {t('survey.acceptance_hint')}
            </Text>
            <Group align="flex-start" wrap="wrap">
              <NumberInput
                label={t('survey.amount')}
                value={form.amount}
                min={1}
                allowDecimal={false}
                onChange={(v) => set({ amount: v === '' ? '' : Number(v) })}
                error={msg('acceptance_delay.amount')}
                w={140}
              />
              <NativeSelect
                label={t('survey.unit')}
                value={form.unit}
                data={[
                  { value: 'hours', label: t('survey.hours') },
                  { value: 'business_days', label: t('survey.business_days') },
                ]}
                onChange={(e) => set({ unit: e.currentTarget.value as SurveyForm['unit'] })}
                error={msg('acceptance_delay.unit')}
                w={200}
              />
            </Group>
          </Fieldset>
          <NumberInput
            label={t('survey.satisfied_min')}
            description={t('survey.satisfied_min_hint')}
            value={form.satisfied_min_rating}
            min={1}
            max={5}
            allowDecimal={false}
            onChange={(v) => set({ satisfied_min_rating: v === '' ? '' : Number(v) })}
            error={msg('satisfied_min_rating')}
            w={260}
          />
          <TextInput
            label={t('survey.reminders')}
            description={t('survey.reminders_hint')}
            value={form.reminders}
            onChange={(e) => set({ reminders: e.currentTarget.value })}
            error={badReminders ? t('errors.whole_hours') : msg('reminder_hours_before')}
            maw={360}
          />
          <Switch label={t('survey.ask_solved')} checked={form.ask_solved} onChange={(e) => set({ ask_solved: e.currentTarget.checked })} />
          <Switch label={t('survey.staff_may_close')} checked={form.staff_may_close} onChange={(e) => set({ staff_may_close: e.currentTarget.checked })} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('survey.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

type TlsMode = components['schemas']['TlsMode'];
type UnknownSender = components['schemas']['UnknownSender'];
type MailboxForm = {
  host: string;
  port: number | '';
  tls_mode: TlsMode;
  username: string;
  folder: string;
  default_service_id: string;
  unknown_sender: UnknownSender;
  enabled: boolean;
  poll_seconds: number | '';
};

function mailboxForm(m: Mailbox | null): MailboxForm {
  return m
    ? { host: m.host, port: m.port, tls_mode: m.tls_mode, username: m.username, folder: m.folder, default_service_id: m.default_service_id, unknown_sender: m.unknown_sender, enabled: m.enabled, poll_seconds: m.poll_seconds }
    : { host: '', port: '', tls_mode: 'tls', username: '', folder: 'INBOX', default_service_id: '', unknown_sender: 'register', enabled: false, poll_seconds: 60 };
}

function MailboxSettings({ desk }: { desk: Desk }) {
  const t = useSlaT();
  const mailbox = useMailbox(desk.id);
  if (mailbox.isPending) return <LoadingState label={t('mailbox.loading')} />;
  if (mailbox.isError) return <ErrorState onRetry={() => void mailbox.refetch()} />;
  return <MailboxEditor desk={desk} mailbox={mailbox.data} />;
}

function MailboxEditor({ desk, mailbox }: { desk: Desk; mailbox: Mailbox | null }) {
  const t = useSlaT();
  const services = useDeskServices(desk.id);
  const save = useSaveMailbox(desk.id);
  const [form, setForm] = useState(() => mailboxForm(mailbox));
  const [saved, setSaved] = useState(false);
  const errors = fieldErrorsOf(save.error);
  const msg = (f: string) => messageOf(t, errors, f);
  const set = (patch: Partial<MailboxForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="desk-mailbox-title"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(
            {
              version: mailbox?.version ?? null,
              body: {
                host: form.host.trim(),
                port: form.port === '' ? null : form.port,
                tls_mode: form.tls_mode,
                username: form.username.trim(),
                folder: form.folder.trim() || null,
                default_service_id: form.default_service_id,
                unknown_sender: form.unknown_sender,
                enabled: form.enabled,
                poll_seconds: form.poll_seconds === '' ? null : form.poll_seconds,
              },
            },
            { onSuccess: () => setSaved(true) },
          );
        }}
      >
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} size="h3" id="desk-mailbox-title">
              {t('mailbox.title')}
            </Title>
            {mailbox ? (
              <Badge color={mailbox.password_configured ? 'green' : 'orange'} variant="light">
                {mailbox.password_configured ? t('mailbox.password_set') : t('mailbox.password_missing')}
              </Badge>
            ) : (
              <Badge variant="light" color="gray">
                {t('mailbox.none')}
              </Badge>
            )}
          </Group>
          <Text size="sm">{mailbox ? t('mailbox.password_hint', { variable: mailbox.password_variable }) : t('mailbox.none_hint')}</Text>
          <SaveAlert t={t} error={save.error} fields={errors} />
          <Saved show={saved && !save.error} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('mailbox.host')} required value={form.host} onChange={(e) => set({ host: e.currentTarget.value })} error={msg('host')} />
            <NativeSelect
              label={t('mailbox.tls_mode')}
              value={form.tls_mode}
              data={(['tls', 'starttls', 'none'] as const).map((m) => ({ value: m, label: t(`mailbox.tls.${m}`) }))}
              onChange={(e) => set({ tls_mode: e.currentTarget.value as TlsMode })}
              error={msg('tls_mode')}
            />
            <NumberInput label={t('mailbox.port')} description={t('mailbox.port_hint')} value={form.port} min={1} max={65535} allowDecimal={false} onChange={(v) => set({ port: v === '' ? '' : Number(v) })} error={msg('port')} />
            <TextInput label={t('mailbox.username')} required value={form.username} onChange={(e) => set({ username: e.currentTarget.value })} error={msg('username')} />
            <TextInput label={t('mailbox.folder')} value={form.folder} onChange={(e) => set({ folder: e.currentTarget.value })} error={msg('folder')} />
            <NumberInput label={t('mailbox.poll_seconds')} value={form.poll_seconds} min={30} max={86400} allowDecimal={false} onChange={(v) => set({ poll_seconds: v === '' ? '' : Number(v) })} error={msg('poll_seconds')} />
            <NativeSelect
              label={t('mailbox.default_service')}
              required
              value={form.default_service_id}
              data={[{ value: '', label: t('mailbox.pick_service') }, ...(services.data ?? []).map((s) => ({ value: s.id, label: s.label }))]}
              onChange={(e) => set({ default_service_id: e.currentTarget.value })}
              error={msg('default_service_id')}
            />
            <NativeSelect
              label={t('mailbox.unknown_sender')}
              value={form.unknown_sender}
              data={(['register', 'instruct'] as const).map((m) => ({ value: m, label: t(`mailbox.unknown.${m}`) }))}
              onChange={(e) => set({ unknown_sender: e.currentTarget.value as UnknownSender })}
              error={msg('unknown_sender')}
            />
          </SimpleGrid>
          <Switch label={t('mailbox.enabled')} checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('mailbox.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
