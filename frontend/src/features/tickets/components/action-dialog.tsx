import { Alert, Button, Group, Modal, NativeSelect, NumberInput, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AssigneeFields } from './assignee-fields';
import { useTicketAction, type ActionError, type ActionRequest } from '../api/tickets';
import type { Action, Group as SupportGroup, HoldReason, Level3, Priority, Ticket, TicketType } from '../lib/types';
import { isOneOf } from '@/shared/lib/one-of';

/** Actions that need more than a click: they open this dialog. */
export const DIALOG_ACTIONS = ['assign', 'classify', 'escalate', 'hold', 'resolve', 'reject', 'reopen', 'cancel', 'close'] as const;
export type DialogAction = (typeof DIALOG_ACTIONS)[number];

export function needsDialog(action: Action): action is DialogAction {
  return isOneOf(DIALOG_ACTIONS, action);
}

type Errors = Record<string, string>;

/** Translated message for a failed action; 422 field problems go next to their inputs. */
export function actionErrorMessage(error: ActionError, t: ReturnType<typeof useTranslation>['t']): string {
  if (error.status === 409) {
    const allowed = error.problem?.allowed_actions ?? [];
    return allowed.length
      ? t('ticket.errors.conflict_allowed', { actions: allowed.map((a) => t(`ticket.actions.${a as Action}`)).join(', ') })
      : t('ticket.errors.conflict');
  }
  if (error.status === 412) return t('ticket.errors.stale');
  if (error.status === 403) return t('ticket.errors.forbidden');
  if (error.status === 404) return t('ticket.errors.not_found');
  if (error.status === 422) return t('ticket.errors.invalid');
  return t('ticket.errors.unexpected');
}

function fieldMessage(code: string, t: ReturnType<typeof useTranslation>['t']): string {
  switch (code) {
    case 'required':
      return t('ticket.errors.required');
    case 'too_long':
      return t('ticket.errors.too_long');
    case 'wrong_level':
      return t('ticket.errors.wrong_level');
    case 'unchanged':
      return t('ticket.errors.unchanged');
    case 'not_a_member':
      return t('ticket.errors.not_a_member');
    default:
      return t('ticket.errors.invalid_value');
  }
}

const HOLD_REASONS: HoldReason[] = ['waiting_requester', 'waiting_third_party', 'waiting_provider'];
const LEVEL3: Level3[] = ['high', 'medium', 'low'];
const PRIORITIES: Priority[] = ['critical', 'high', 'medium', 'low'];
const TYPES: TicketType[] = ['incident', 'request'];
const SOLUTION_TYPES = ['remote', 'on_site', 'workaround', 'configuration'] as const;

/**
 * The dialog of one action: its inputs (a reason, a group, a solution…), the checks the
 * server makes, and its answer (422 problems on the inputs; 409/412 explained).
 */
export function ActionDialog({
  ticket,
  action,
  groups,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  action: DialogAction;
  groups: SupportGroup[];
  onClose: () => void;
  onDone: (updated: Ticket, action: Action) => void;
}) {
  const { t } = useTranslation();
  const mutation = useTicketAction(ticket);
  const [values, setValues] = useState<Record<string, string>>(() => initial(action, ticket));
  const [errors, setErrors] = useState<Errors>({});
  const set = (key: string) => (value: string) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors(({ [key]: _drop, ...rest }) => rest);
  };
  const v = (key: string) => values[key] ?? '';

  const levelGroups = groups.filter((g) => String(g.level) === v('level'));

  function build(): { request: ActionRequest | null; errors: Errors } {
    const e: Errors = {};
    const required = (key: string) => {
      if (!v(key).trim()) e[key] = t('ticket.errors.required');
      return v(key).trim();
    };
    const optional = (key: string) => v(key).trim() || null;
    switch (action) {
      case 'assign': {
        const group_id = required('group_id');
        return { request: { action, body: { group_id, ...(v('agent_id') ? { agent_id: v('agent_id') } : {}), note: optional('note') } }, errors: e };
      }
      case 'classify': {
        if (v('impact') && !v('urgency')) e.urgency = t('ticket.errors.required');
        if (v('urgency') && !v('impact')) e.impact = t('ticket.errors.required');
        if (v('priority') && !v('priority_reason').trim()) e.priority_reason = t('ticket.errors.required');
        return {
          request: {
            action,
            body: {
              type: (v('type') || null) as TicketType | null,
              impact: (v('impact') || null) as Level3 | null,
              urgency: (v('urgency') || null) as Level3 | null,
              priority: (v('priority') || null) as Priority | null,
              priority_reason: optional('priority_reason'),
            },
          },
          errors: e,
        };
      }
      case 'escalate': {
        const group_id = required('group_id');
        const reason = required('reason');
        return { request: { action, body: { level: Number(v('level')), group_id, ...(v('agent_id') ? { agent_id: v('agent_id') } : {}), reason } }, errors: e };
      }
      case 'hold': {
        const days = v('desist_after_days') ? Number(v('desist_after_days')) : null;
        if (days !== null && (!Number.isInteger(days) || days < 1 || days > 90)) e.desist_after_days = t('ticket.errors.days');
        return {
          request: {
            action,
            body: {
              reason: v('reason') as HoldReason,
              note: optional('note'),
              desist_after_days: v('reason') === 'waiting_requester' ? days : null,
            },
          },
          errors: e,
        };
      }
      case 'resolve': {
        const solution = required('solution');
        return { request: { action, body: { solution, solution_type: optional('solution_type') } }, errors: e };
      }
      case 'reject': {
        const reason = required('reason');
        return { request: { action, body: { reason, redirected_to: optional('redirected_to') } }, errors: e };
      }
      case 'reopen': {
        const reason = required('reason');
        return { request: { action, body: { reason } }, errors: e };
      }
      case 'cancel':
      case 'close':
        return { request: { action }, errors: e };
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const built = build();
    setErrors(built.errors);
    if (Object.keys(built.errors).length > 0 || !built.request) return;
    mutation.mutate(built.request, {
      onSuccess: (updated) => onDone(updated, action),
      onError: (error) => {
        const fromServer: Errors = {};
        for (const fe of error.problem?.errors ?? []) fromServer[fe.field] = fieldMessage(fe.code, t);
        setErrors(fromServer);
      },
    });
  }

  const input = (key: string) => ({ value: v(key), error: errors[key], id: `action-${key}` });
  let body: ReactNode = null;
  switch (action) {
    case 'assign':
      body = (
        <>
          <AssigneeFields
            idPrefix="action"
            groups={groups.filter((g) => g.level === ticket.level)}
            groupId={v('group_id')}
            agentId={v('agent_id')}
            onGroup={set('group_id')}
            onAgent={set('agent_id')}
            groupError={errors.group_id}
            agentError={errors.agent_id}
          />
          <Textarea label={t('ticket.dialog.note')} autosize minRows={2} {...input('note')} onChange={(e) => set('note')(e.currentTarget.value)} />
        </>
      );
      break;
    case 'classify':
      body = (
        <>
          <NativeSelect
            label={t('ticket.facts.type')}
            {...input('type')}
            onChange={(e) => set('type')(e.currentTarget.value)}
            data={TYPES.map((x) => ({ value: x, label: t(`ticket.type.${x}`) }))}
          />
          <Group grow align="flex-start">
            <NativeSelect
              label={t('ticket.dialog.impact')}
              {...input('impact')}
              onChange={(e) => set('impact')(e.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...LEVEL3.map((x) => ({ value: x, label: t(`ticket.level3.${x}`) }))]}
            />
            <NativeSelect
              label={t('ticket.dialog.urgency')}
              {...input('urgency')}
              onChange={(e) => set('urgency')(e.currentTarget.value)}
              data={[{ value: '', label: '—' }, ...LEVEL3.map((x) => ({ value: x, label: t(`ticket.level3.${x}`) }))]}
            />
          </Group>
          <Text size="sm">{t('ticket.dialog.matrix_hint')}</Text>
          <NativeSelect
            label={t('ticket.dialog.priority_override')}
            {...input('priority')}
            onChange={(e) => set('priority')(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...PRIORITIES.map((x) => ({ value: x, label: t(`ticket.priority.${x}`) }))]}
          />
          {v('priority') && (
            <Textarea
              label={t('ticket.dialog.priority_reason')}
              required
              autosize
              minRows={2}
              {...input('priority_reason')}
              onChange={(e) => set('priority_reason')(e.currentTarget.value)}
            />
          )}
        </>
      );
      break;
    case 'escalate':
      body = (
        <>
          <NativeSelect
            label={t('ticket.dialog.level')}
            required
            {...input('level')}
            onChange={(e) => {
              set('level')(e.currentTarget.value);
              set('group_id')('');
              set('agent_id')('');
            }}
            data={[1, 2, 3]
              .filter((l) => l !== ticket.level)
              .map((l) => ({ value: String(l), label: t(`ticket.dialog.level_option_${l as 1 | 2 | 3}`) }))}
          />
          <AssigneeFields
            idPrefix="action"
            groups={levelGroups}
            groupId={v('group_id')}
            agentId={v('agent_id')}
            onGroup={set('group_id')}
            onAgent={set('agent_id')}
            groupError={errors.group_id}
            agentError={errors.agent_id}
            groupDescription={levelGroups.length === 0 ? t('ticket.dialog.no_groups') : undefined}
          />
          <Textarea
            label={t('ticket.dialog.escalation_reason')}
            required
            autosize
            minRows={3}
            {...input('reason')}
            onChange={(e) => set('reason')(e.currentTarget.value)}
          />
        </>
      );
      break;
    case 'hold':
      body = (
        <>
          <NativeSelect
            label={t('ticket.dialog.hold_reason')}
            required
            {...input('reason')}
            onChange={(e) => set('reason')(e.currentTarget.value)}
            data={HOLD_REASONS.map((x) => ({ value: x, label: t(`ticket.hold_reason.${x}`) }))}
          />
          <Textarea label={t('ticket.dialog.hold_note')} autosize minRows={2} {...input('note')} onChange={(e) => set('note')(e.currentTarget.value)} />
          {v('reason') === 'waiting_requester' && (
            <NumberInput
              label={t('ticket.dialog.desist_days')}
              description={t('ticket.dialog.desist_hint')}
              min={1}
              max={90}
              allowDecimal={false}
              id="action-desist_after_days"
              value={v('desist_after_days')}
              error={errors.desist_after_days}
              onChange={(value) => set('desist_after_days')(String(value))}
            />
          )}
        </>
      );
      break;
    case 'resolve':
      body = (
        <>
          <Textarea
            label={t('ticket.dialog.solution')}
            description={t('ticket.dialog.solution_hint')}
            required
            autosize
            minRows={4}
            {...input('solution')}
            onChange={(e) => set('solution')(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('ticket.dialog.solution_type')}
            {...input('solution_type')}
            onChange={(e) => set('solution_type')(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...SOLUTION_TYPES.map((x) => ({ value: x, label: t(`ticket.solution_type.${x}`) }))]}
          />
        </>
      );
      break;
    case 'reject':
      body = (
        <>
          <Textarea
            label={t('ticket.dialog.reject_reason')}
            required
            autosize
            minRows={3}
            {...input('reason')}
            onChange={(e) => set('reason')(e.currentTarget.value)}
          />
          <TextInput
            label={t('ticket.dialog.redirected_to')}
            description={t('ticket.dialog.redirected_hint')}
            {...input('redirected_to')}
            onChange={(e) => set('redirected_to')(e.currentTarget.value)}
          />
        </>
      );
      break;
    case 'reopen':
      body = (
        <Textarea
          label={t('ticket.dialog.reopen_reason')}
          required
          autosize
          minRows={3}
          {...input('reason')}
          onChange={(e) => set('reason')(e.currentTarget.value)}
        />
      );
      break;
    case 'cancel':
      body = <Text>{t('ticket.dialog.confirm_cancel')}</Text>;
      break;
    case 'close':
      body = <Text>{t('ticket.dialog.confirm_close')}</Text>;
      break;
  }

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ 'aria-label': t('common.close') }} title={t(`ticket.dialog.title.${action}`, { number: ticket.number })} size="lg" radius="md">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {mutation.error && (
            <Alert color="red" variant="light" role="alert">
              {actionErrorMessage(mutation.error, t)}
            </Alert>
          )}
          {body}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} type="button">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t(`ticket.dialog.submit.${action}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function initial(action: DialogAction, ticket: Ticket): Record<string, string> {
  switch (action) {
    case 'classify':
      return { type: ticket.type, impact: ticket.impact ?? '', urgency: ticket.urgency ?? '', priority: '' };
    case 'escalate':
      return { level: String(Math.min(3, ticket.level + 1) === ticket.level ? 2 : Math.min(3, ticket.level + 1)) };
    case 'hold':
      return { reason: 'waiting_requester' };
    case 'assign':
      return { group_id: ticket.assigned_group?.id ?? '', agent_id: '' };
    default:
      return {};
  }
}
