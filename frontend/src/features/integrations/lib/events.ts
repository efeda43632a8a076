import type { components } from '@/api/schema';
import { isOneOf } from '@/shared/lib/one-of';

type Webhook = components['schemas']['Webhook'];

/** The event types a webhook may subscribe to, in the API's order (`webhooks::domain::EVENTS`). */
export const EVENTS = [
  'case.registered',
  'case.changed',
  'case.state_changed',
  'case.assigned',
  'case.escalated',
  'case.transferred',
  'case.followup_added',
  'case.sla_at_risk',
  'case.sla_breached',
  'survey.answered',
] as const;

export type EventType = (typeof EVENTS)[number] | 'ping';

export function isEventType(value: string): value is EventType {
  return value === 'ping' || isOneOf(EVENTS, value);
}

type Keyed<S extends string> = S extends `${infer A}.${infer B}` ? `${A}_${B}` : S;

/** The i18n key of an event type's name (dots would be read as nesting). */
export function eventKey(event: EventType) {
  return `webhooks.events_names.${event.replace('.', '_')}` as `webhooks.events_names.${Keyed<EventType>}`;
}

export type WebhookState = 'active' | 'paused' | 'disabled';

/** Active; paused by an admin; or disabled by Mesa after failing for long (it says why). */
export function webhookState(hook: Pick<Webhook, 'active' | 'disabled_reason'>): WebhookState {
  if (hook.active) return 'active';
  return hook.disabled_reason ? 'disabled' : 'paused';
}

export const STATE_COLORS: Record<WebhookState, string> = { active: 'green', paused: 'gray', disabled: 'red' };
