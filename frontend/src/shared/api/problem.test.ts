import { describe, expect, test } from 'vitest';
import { asProblem, parseRetryAfter } from './problem';

describe('parseRetryAfter', () => {
  test('reads delta-seconds', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });
  test('reads an HTTP date', () => {
    const now = Date.parse('2026-03-02T15:00:00Z');
    expect(parseRetryAfter('Mon, 02 Mar 2026 15:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Mon, 02 Mar 2026 14:00:00 GMT', now)).toBe(0);
  });
  test('gives null when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('asProblem', () => {
  test('accepts a problem body and rejects anything else', () => {
    expect(asProblem({ type: 't', title: 'x', status: 401, code: 'invalid_credentials' })?.code).toBe(
      'invalid_credentials',
    );
    expect(asProblem('<html>Bad Gateway</html>')).toBeNull();
    expect(asProblem(undefined)).toBeNull();
  });
});
