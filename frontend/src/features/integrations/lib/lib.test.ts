import { describe, expect, test } from 'vitest';
import { EVENTS, eventKey, webhookState } from './events';
import { fieldErrorsOf, SaveError } from './problems';
import en from '../locales/en.json';
import es from '../locales/es.json';
import { expiresAtFromLastDay, isScope, listOf, SCOPES, scopeKey, tokenState } from './scopes';

describe('scopes', () => {
  test('every scope the SPA knows is described in both languages', () => {
    for (const locale of [es, en]) {
      for (const scope of SCOPES) expect(locale.scopes[scopeKey(scope).slice('scopes.'.length) as keyof typeof locale.scopes], scope).toBeTruthy();
    }
    expect(isScope('users:read')).toBe(true);
    expect(isScope('tickets:delete')).toBe(false);
  });

  test('keys without i18next separators', () => {
    expect(scopeKey('tickets:read')).toBe('scopes.tickets_read');
    expect(eventKey('case.sla_at_risk')).toBe('webhooks.events_names.case_sla_at_risk');
    expect(eventKey('ping')).toBe('webhooks.events_names.ping');
    expect(EVENTS).toHaveLength(10);
  });

  test('a token is revoked, expired or active', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(tokenState({ revoked_at: '2026-12-01T00:00:00Z', expires_at: '2027-01-01T00:00:00Z' }, now)).toBe('revoked');
    expect(tokenState({ revoked_at: null, expires_at: '2026-12-04T12:00:00Z' }, now)).toBe('expired');
    expect(tokenState({ revoked_at: null, expires_at: '2026-12-04T12:00:01Z' }, now)).toBe('active');
    expect(tokenState({ revoked_at: null, expires_at: null }, now)).toBe('active');
  });

  test('the last valid day is inclusive: the token stops at the start of the next day', () => {
    expect(expiresAtFromLastDay('2026-12-31')).toBe(new Date(2027, 0, 1).toISOString());
    expect(expiresAtFromLastDay('2026-02-30')).toBeNull();
    expect(expiresAtFromLastDay('mañana')).toBeNull();
  });

  test('lists: one per line or comma-separated, blanks left out', () => {
    expect(listOf(' 10.0.0.0/8 \n\n192.168.1.7, 2001:db8::/32\n')).toEqual(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
    expect(listOf('  ')).toEqual([]);
  });
});

describe('webhooks and problems', () => {
  test('a webhook is active, paused by an admin, or disabled by Mesa', () => {
    expect(webhookState({ active: true, disabled_reason: null })).toBe('active');
    expect(webhookState({ active: false, disabled_reason: null })).toBe('paused');
    expect(webhookState({ active: false, disabled_reason: '10 failed attempts in a row' })).toBe('disabled');
  });

  test('field errors go to the list input they index; the first one wins', () => {
    const error = new SaveError(422, {
      type: 'about:blank',
      title: 'Invalid',
      status: 422,
      code: 'validation_failed',
      errors: [
        { field: 'events.2', code: 'invalid_choice', message: 'unknown' },
        { field: 'events', code: 'required', message: 'x' },
        { field: 'url', code: 'forbidden_address', message: '127.0.0.1 is loopback' },
        { field: 'secret', code: 'invalid', message: 'not an input' },
      ],
    });
    const fields = fieldErrorsOf(error, ['url', 'events']);
    expect(Object.keys(fields)).toEqual(['events', 'url']);
    expect(fields.events!.code).toBe('invalid_choice');
    expect(fieldErrorsOf(new Error('network'), ['url'])).toEqual({});
  });
});
