import { describe, expect, test } from 'vitest';
import { foldForSearch, matchesSearch } from './text';

describe('foldForSearch', () => {
  test('drops accents and case, collapses spaces', () => {
    expect(foldForSearch('  Impresión   y CÁMARA ')).toBe('impresion y camara');
    expect(foldForSearch('Año ÜBER')).toBe('ano uber');
  });
});

describe('matchesSearch', () => {
  test('finds accented words from unaccented queries and the reverse', () => {
    expect(matchesSearch('impresion', ['Impresión y escáner'])).toBe(true);
    expect(matchesSearch('escáner', ['Impresion y escaner'])).toBe(true);
  });
  test('needs every word, in any of the texts', () => {
    expect(matchesSearch('correo clave', ['Correo institucional', 'Cambio de clave'])).toBe(true);
    expect(matchesSearch('correo vpn', ['Correo institucional', null])).toBe(false);
  });
  test('an empty query matches everything', () => {
    expect(matchesSearch('   ', ['x'])).toBe(true);
  });
});
