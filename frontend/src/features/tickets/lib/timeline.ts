import type { Followup, TicketEvent } from './types';

export type TimelineEntry =
  | { kind: 'followup'; at: string; followup: Followup }
  | { kind: 'event'; at: string; event: TicketEvent };

/** Event kinds already shown another way (the follow-up itself, its files). */
const SHOWN_ELSEWHERE = new Set(['followup', 'attachment']);

/** Follow-ups and audit events in one list, oldest first (stable for equal instants). */
export function buildTimeline(followups: Followup[], events: TicketEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...followups.map((followup) => ({ kind: 'followup' as const, at: followup.created_at, followup })),
    ...events.filter((e) => !SHOWN_ELSEWHERE.has(e.kind)).map((event) => ({ kind: 'event' as const, at: event.created_at, event })),
  ];
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown, key: string): string | null {
  const found = field(value, key);
  return typeof found === 'string' && found.trim() ? found : typeof found === 'number' ? String(found) : null;
}

/** What an audit event says, as an i18n key under `ticket.event.` and its values. */
export type EventDescription = {
  key:
    | 'created'
    | 'status'
    | 'assignment'
    | 'assignment_group'
    | 'level'
    | 'priority'
    | 'classification'
    | 'solution'
    | 'rejection'
    | 'other';
  values: Record<string, string>;
  /** The reason or note that came with the change, if any. */
  reason: string | null;
};

export function describeEvent(event: TicketEvent, groupName: (id: string) => string | null): EventDescription {
  const next = event.new_value;
  const reason = text(next, 'reason');
  switch (event.kind) {
    case 'created':
      return { key: 'created', values: { channel: text(next, 'channel') ?? '' }, reason: null };
    case 'status':
      return {
        key: 'status',
        values: { status: text(next, 'status') ?? '', hold_reason: text(next, 'hold_reason') ?? '' },
        reason,
      };
    case 'assignment': {
      const groupId = text(next, 'group_id');
      const group = groupId ? groupName(groupId) : null;
      // Routing at registration (`automatic`): the desk's rules, not the person who filed it.
      const automatic = field(next, 'automatic') === true ? 'true' : '';
      return group
        ? { key: 'assignment_group', values: { group, automatic }, reason }
        : { key: 'assignment', values: { automatic }, reason };
    }
    case 'level':
      return { key: 'level', values: { level: text(next, 'level') ?? '' }, reason };
    case 'priority':
      return { key: 'priority', values: { priority: text(next, 'priority') ?? '' }, reason };
    case 'classification':
      return { key: 'classification', values: { type: text(next, 'type') ?? '' }, reason };
    case 'solution':
      return { key: 'solution', values: { text: text(next, 'text') ?? '' }, reason: null };
    case 'rejection':
      return {
        key: 'rejection',
        values: { reason: text(next, 'reason') ?? '', redirected_to: text(next, 'redirected_to') ?? '' },
        reason: null,
      };
    default:
      return { key: 'other', values: { kind: event.kind }, reason };
  }
}
