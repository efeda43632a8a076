import { describe, expect, test } from 'vitest';
import { parseHours } from '../components/desk-settings';
import { calendarBody, calendarForm, emptyCalendarForm } from './calendar-form';
import { emptyPolicyForm, policyBody, policyForm } from './policy-form';
import { fieldErrorKey, hoursToMinutes, minutesToHours } from './problems';

describe('service-level forms', () => {
  test('hours typed become business minutes and back', () => {
    expect(hoursToMinutes(1.5)).toBe(90);
    expect(hoursToMinutes('2.5')).toBe(150);
    expect(hoursToMinutes('')).toBeNull();
    expect(minutesToHours(150)).toBe(2.5);
    expect(minutesToHours(null)).toBe('');
  });

  test('a new calendar proposes office hours with Colombian holidays; stored times show as HH:MM', () => {
    const body = calendarBody({ ...emptyCalendarForm(), name: '  Alcaldía  ' });
    expect(body).toMatchObject({ name: 'Alcaldía', country: 'CO', timezone: 'America/Bogota', always_open: false });
    expect(body.intervals).toHaveLength(10);
    expect(body.intervals?.[0]).toEqual({ weekday: 'mon', start: '07:30', end: '12:00' });
    const form = calendarForm({
      id: 'c1',
      name: 'C',
      timezone: 'America/Bogota',
      always_open: false,
      country: null,
      intervals: [{ weekday: 'sat', start: '08:00:00', end: '12:00:00' }],
      extra_holidays: [{ date: '2026-12-24', name: 'Nochebuena' }],
      removed_holidays: ['2026-01-12'],
      version: 3,
    });
    expect(form.intervals).toEqual([{ weekday: 'sat', start: '08:00', end: '12:00' }]);
    expect(calendarBody(form)).toMatchObject({ country: null, extra_holidays: [{ date: '2026-12-24', name: 'Nochebuena' }], removed_holidays: ['2026-01-12'] });
    // Always open: no intervals are sent.
    expect(calendarBody({ ...form, always_open: true }).intervals).toEqual([]);
  });

  test('a policy round-trips: targets in hours, overrides, rules keep their ids, shares as percents', () => {
    const form = emptyPolicyForm();
    form.name = 'ANS TIC';
    form.overrides.push({ ticket_type: 'incident', level: '2', priority: '', tto: '', ttr: 16 });
    form.rules.push({ id: null, clock: 'tto', at_percent: 75, action: 'reassign', group_id: 'g1' });
    const body = policyBody(form);
    expect(body.targets.critical).toEqual({ tto_minutes: 60, ttr_minutes: 240 });
    expect(body.targets.overrides).toEqual([{ ticket_type: 'incident', level: 2, priority: null, tto_minutes: null, ttr_minutes: 960 }]);
    expect(body.rules).toEqual([
      { clock: 'ttr', at_share: 1, action: 'notify_supervisor', group_id: null },
      { clock: 'tto', at_share: 0.75, action: 'reassign', group_id: 'g1' },
    ]);
    expect(body.at_risk_share).toBe(0.75);
    const back = policyForm({
      id: 'p1',
      name: 'ANS TIC',
      calendar_id: null,
      at_risk_share: 0.8,
      active: true,
      version: 2,
      targets: { ...body.targets, overrides: body.targets.overrides },
      rules: (body.rules ?? []).map((r, i) => ({ ...r, id: `r${i}` })),
    });
    expect(back.at_risk_percent).toBe(80);
    expect(back.overrides[0]).toEqual({ ticket_type: 'incident', level: '2', priority: '', tto: '', ttr: 16 });
    expect((policyBody(back).rules ?? []).map((r) => r.id)).toEqual(['r0', 'r1']);
  });

  test('reminder hours are whole numbers separated by commas', () => {
    expect(parseHours('24, 4')).toEqual([24, 4]);
    expect(parseHours('')).toEqual([]);
    expect(parseHours('24, cuatro')).toBeNull();
    expect(parseHours('1.5')).toBeNull();
  });

  test('problem codes map to translated messages', () => {
    expect(fieldErrorKey('required')).toBe('errors.required');
    expect(fieldErrorKey('out_of_range', 'attention cannot take longer than resolution: 1080 min')).toBe('errors.attention_over_resolution');
    expect(fieldErrorKey('exceeds_promised_resolution')).toBe('errors.exceeds_promised_resolution');
    expect(fieldErrorKey('something_new')).toBe('errors.invalid');
  });
});
