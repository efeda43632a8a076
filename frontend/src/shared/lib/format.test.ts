import { describe, expect, test } from 'vitest';
import { formatBytes, formatDateTime } from './format';

describe('formatBytes', () => {
  test('uses the explorer units and the language decimal separator', () => {
    expect(formatBytes(820, 'es')).toBe('820 B');
    expect(formatBytes(14_540, 'es')).toBe('14,2 KB');
    expect(formatBytes(10 * 1024 * 1024, 'es')).toBe('10 MB');
    expect(formatBytes(3_250_586, 'en')).toBe('3.1 MB');
  });
});

describe('formatDateTime', () => {
  test('formats in the given time zone', () => {
    expect(formatDateTime('2026-11-23T15:00:00Z', 'en', 'America/Bogota')).toMatch(/Nov 23, 2026.*10:00/);
  });
  test('returns unreadable input as is', () => {
    expect(formatDateTime('yesterday', 'es')).toBe('yesterday');
  });
});
