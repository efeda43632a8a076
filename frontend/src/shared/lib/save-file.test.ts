import { describe, expect, test } from 'vitest';
import { fileNameFrom } from './save-file';

describe('fileNameFrom', () => {
  test('prefers the UTF-8 name, then the plain one, then the fallback', () => {
    expect(fileNameFrom(`attachment; filename="informe.csv"; filename*=UTF-8''volumen-%C3%A1rea.csv`, 'x')).toBe('volumen-área.csv');
    expect(fileNameFrom('attachment; filename="informe-2026-T3.pdf"', 'x')).toBe('informe-2026-T3.pdf');
    expect(fileNameFrom('attachment; filename=resumen.csv', 'x')).toBe('resumen.csv');
    expect(fileNameFrom(null, 'fallback.csv')).toBe('fallback.csv');
    expect(fileNameFrom('attachment', 'fallback.csv')).toBe('fallback.csv');
  });
});
