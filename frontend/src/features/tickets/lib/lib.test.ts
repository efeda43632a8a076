import { describe, expect, test } from 'vitest';
import { describeEvent, buildTimeline } from './timeline';
import { keyOf, shortcutFor } from './shortcuts';
import { isOpen } from './status';
import type { Followup, TicketEvent } from './types';

const at = (minute: number) => `2026-11-23T15:${String(minute).padStart(2, '0')}:00Z`;

function event(kind: string, minute: number, new_value: unknown = null): TicketEvent {
  return { id: `ev-${kind}-${minute}`, kind, created_at: at(minute), visibility: 'public', actor: null, new_value, old_value: null };
}

function followup(minute: number, visibility: 'public' | 'private' = 'public'): Followup {
  return {
    id: `fu-${minute}`,
    author: { id: 'u', name: 'Andrés' },
    visibility,
    body: 'Revisando',
    from_requester: false,
    attachments: [],
    created_at: at(minute),
  };
}

describe('buildTimeline', () => {
  test('merges follow-ups and events by time, leaving out the follow-up echo events', () => {
    const timeline = buildTimeline(
      [followup(5), followup(1, 'private')],
      [event('created', 0), event('followup', 1), event('attachment', 1), event('status', 3, { status: 'in_progress' })],
    );
    expect(timeline.map((e) => (e.kind === 'followup' ? `f${e.at.slice(14, 16)}` : e.event.kind))).toEqual([
      'created',
      'f01',
      'status',
      'f05',
    ]);
  });
});

describe('describeEvent', () => {
  const groups = (id: string) => (id === 'g2' ? 'Especialistas Infraestructura - Nivel 2' : null);
  test('status changes carry the new status and the reason', () => {
    expect(describeEvent(event('status', 1, { status: 'on_hold', hold_reason: 'waiting_requester', reason: 'Falta la placa' }), groups)).toEqual({
      key: 'status',
      values: { status: 'on_hold', hold_reason: 'waiting_requester' },
      reason: 'Falta la placa',
    });
  });
  test('assignments name the group when it is known', () => {
    expect(describeEvent(event('assignment', 1, { group_id: 'g2', agent_id: null }), groups)).toMatchObject({
      key: 'assignment_group',
      values: { group: 'Especialistas Infraestructura - Nivel 2', automatic: '' },
    });
    expect(describeEvent(event('assignment', 1, { group_id: 'g9', automatic: true }), groups)).toMatchObject({
      key: 'assignment',
      values: { automatic: 'true' },
    });
  });
  test('levels, solutions, rejections and unknown kinds', () => {
    expect(describeEvent(event('level', 1, { level: 2, reason: 'Requiere especialista' }), groups)).toEqual({
      key: 'level',
      values: { level: '2' },
      reason: 'Requiere especialista',
    });
    expect(describeEvent(event('solution', 1, { text: 'Se cambió la fuente' }), groups).values.text).toBe('Se cambió la fuente');
    expect(describeEvent(event('rejection', 1, { reason: 'No es TI', redirected_to: 'Talento Humano' }), groups).values).toEqual({
      reason: 'No es TI',
      redirected_to: 'Talento Humano',
    });
    expect(describeEvent(event('sla_breach', 1), groups)).toEqual({ key: 'other', values: { kind: 'sla_breach' }, reason: null });
  });
});

describe('shortcuts', () => {
  const key = (k: string, target: EventTarget | null = document.body, mods = {}) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target,
    ...mods,
  });
  test('map letters to the allowed actions only', () => {
    expect(shortcutFor(key('t'), ['take', 'resolve'])).toBe('take');
    expect(shortcutFor(key('r'), ['take', 'resolve'])).toBe('resolve');
    expect(shortcutFor(key('e'), ['take'])).toBeNull();
    expect(shortcutFor(key('n'), [])).toBe('followup');
    expect(shortcutFor(key('?'), [])).toBe('help');
  });
  test('stay quiet while typing or with modifiers', () => {
    const input = document.createElement('textarea');
    expect(shortcutFor(key('t', input), ['take'])).toBeNull();
    expect(shortcutFor(key('t', document.body, { ctrlKey: true }), ['take'])).toBeNull();
  });
  test('keyOf', () => {
    expect(keyOf('escalate')).toBe('e');
    expect(keyOf('cancel')).toBeNull();
  });
  test('isOpen', () => {
    expect(isOpen('on_hold')).toBe(true);
    expect(isOpen('resolved')).toBe(false);
  });
});
