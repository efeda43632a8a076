import type { components } from '@/api/schema';
import type { Policy, PolicyInput } from '../api/service-levels';
import { hoursToMinutes, minutesToHours } from './problems';

type Schemas = components['schemas'];
export type Priority = Schemas['Priority'];
export type RuleAction = Schemas['RuleAction'];
export type ClockKind = Schemas['ClockKind'];

export const PRIORITIES: readonly Priority[] = ['critical', 'high', 'medium', 'low'];
export const ACTIONS: readonly RuleAction[] = ['notify_supervisor', 'escalate', 'reassign', 'raise_priority'];
export const CLOCKS: readonly ClockKind[] = ['tto', 'ttr'];

type Hours = number | '';
export type TargetRow = { tto: Hours; ttr: Hours };
export type OverrideRow = { ticket_type: '' | 'incident' | 'request'; level: '' | '1' | '2' | '3'; priority: '' | Priority; tto: Hours; ttr: Hours };
export type RuleRow = { id: string | null; clock: ClockKind; at_percent: number | ''; action: RuleAction; group_id: string };

export type PolicyForm = {
  name: string;
  calendar_id: string;
  at_risk_percent: number | '';
  active: boolean;
  targets: Record<Priority, TargetRow>;
  overrides: OverrideRow[];
  rules: RuleRow[];
};

const percent = (share: number) => Math.round(share * 100);

/** The seeds' example: attention critical 1 h, high 2 h, medium 5 h, low 18 h. */
export function emptyPolicyForm(): PolicyForm {
  return {
    name: '',
    calendar_id: '',
    at_risk_percent: 75,
    active: true,
    targets: {
      critical: { tto: 1, ttr: 4 },
      high: { tto: 2, ttr: 8 },
      medium: { tto: 5, ttr: 24 },
      low: { tto: 18, ttr: 40 },
    },
    overrides: [],
    rules: [{ id: null, clock: 'ttr', at_percent: 100, action: 'notify_supervisor', group_id: '' }],
  };
}

export function policyForm(p: Policy): PolicyForm {
  const row = (priority: Priority): TargetRow => ({
    tto: minutesToHours(p.targets[priority].tto_minutes),
    ttr: minutesToHours(p.targets[priority].ttr_minutes),
  });
  return {
    name: p.name,
    calendar_id: p.calendar_id ?? '',
    at_risk_percent: percent(p.at_risk_share),
    active: p.active,
    targets: { critical: row('critical'), high: row('high'), medium: row('medium'), low: row('low') },
    overrides: (p.targets.overrides ?? []).map((o) => ({
      ticket_type: o.ticket_type ?? '',
      level: o.level ? (String(o.level) as OverrideRow['level']) : '',
      priority: o.priority ?? '',
      tto: minutesToHours(o.tto_minutes),
      ttr: minutesToHours(o.ttr_minutes),
    })),
    rules: p.rules.map((r) => ({
      id: r.id ?? null,
      clock: r.clock,
      at_percent: percent(r.at_share),
      action: r.action,
      group_id: r.group_id ?? '',
    })),
  };
}

/** A blank number is sent as 0 so the server names the field that needs one. */
const minutes = (h: Hours) => hoursToMinutes(h) ?? 0;

export function policyBody(f: PolicyForm): PolicyInput {
  const target = (priority: Priority) => ({ tto_minutes: minutes(f.targets[priority].tto), ttr_minutes: minutes(f.targets[priority].ttr) });
  return {
    name: f.name.trim(),
    calendar_id: f.calendar_id || null,
    at_risk_share: f.at_risk_percent === '' ? null : f.at_risk_percent / 100,
    active: f.active,
    targets: {
      critical: target('critical'),
      high: target('high'),
      medium: target('medium'),
      low: target('low'),
      overrides: f.overrides.map((o) => ({
        ticket_type: o.ticket_type || null,
        level: o.level ? Number(o.level) : null,
        priority: o.priority || null,
        tto_minutes: hoursToMinutes(o.tto),
        ttr_minutes: hoursToMinutes(o.ttr),
      })),
    },
    rules: f.rules.map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      clock: r.clock,
      at_share: r.at_percent === '' ? 0 : r.at_percent / 100,
      action: r.action,
      group_id: r.group_id || null,
    })),
  };
}
