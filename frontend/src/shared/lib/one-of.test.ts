import { describe, expect, it } from 'vitest';
import { isOneOf } from './one-of';

describe('isOneOf', () => {
  const KINDS = ['organizations', 'areas', 'users'] as const;
  it('accepts the members and nothing else, exactly as written', () => {
    expect(KINDS.map((k) => isOneOf(KINDS, k))).toEqual([true, true, true]);
    for (const other of ['Users', 'user', '', ' users', null, undefined]) expect(isOneOf(KINDS, other)).toBe(false);
  });
});
