import { describe, expect, test } from 'vitest';
import { absentUntilFromLastDay, isAbsent, lastDayFromAbsentUntil, today } from './absence';
import { fieldCode, outcomeOf } from './problems';

describe('absences', () => {
  test('the last day away becomes the start of the next day, and back', () => {
    const until = absentUntilFromLastDay('2026-12-31');
    expect(until).not.toBeNull();
    expect(new Date(until!).getTime()).toBe(new Date(2027, 0, 1).getTime());
    expect(lastDayFromAbsentUntil(until!)).toBe('2026-12-31');
  });
  test('refuses dates that do not exist', () => {
    expect(absentUntilFromLastDay('2026-02-30')).toBeNull();
    expect(absentUntilFromLastDay('31/12/2026')).toBeNull();
  });
  test('absent only while the instant is ahead', () => {
    expect(isAbsent(null)).toBe(false);
    expect(isAbsent('2026-01-01T00:00:00Z', Date.parse('2025-12-31T00:00:00Z'))).toBe(true);
    expect(isAbsent('2026-01-01T00:00:00Z', Date.parse('2026-01-02T00:00:00Z'))).toBe(false);
    expect(today(new Date(2026, 2, 5))).toBe('2026-03-05');
  });
});

describe('problems', () => {
  const base = { type: 't', title: 'x', status: 422, code: 'validation_failed' };
  test('fields the form has go to their inputs; others to the form', () => {
    const outcome = outcomeOf(
      422,
      {
        ...base,
        errors: [
          { field: 'username', code: 'invalid', message: '' },
          { field: 'username', code: 'too_long', message: '' },
          { field: 'user_ids.3', code: 'invalid', message: '' },
          { field: 'location_id', code: 'unknown_reference', message: '' },
        ],
      },
      ['username', 'user_ids'],
    );
    expect(outcome).toEqual({ fields: { username: 'invalid', user_ids: 'invalid' }, general: 'unknown_reference' });
  });
  test('a conflict can belong to an input; other statuses to the form', () => {
    const taken = { ...base, status: 409, code: 'username_taken' };
    expect(outcomeOf(409, taken, ['username'], { username_taken: 'username' })).toEqual({ fields: { username: 'username_taken' }, general: null });
    expect(outcomeOf(412, null, [])).toEqual({ fields: {}, general: 'version_mismatch' });
    expect(outcomeOf(403, null, [])).toEqual({ fields: {}, general: 'forbidden' });
    expect(outcomeOf(500, null, [])).toEqual({ fields: {}, general: 'unexpected' });
  });
  test('unknown field codes read as invalid', () => {
    expect(fieldCode('weak')).toBe('weak');
    expect(fieldCode('something_new')).toBe('invalid');
  });
});
