import { describe, expect, test } from 'vitest';
import { LANGUAGE_STORAGE_KEY, createI18n, resources, setLanguage, storedLanguage } from '.';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(PLURAL_SUFFIX, '')];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

describe('i18n', () => {
  test('Spanish and English define the same keys', () => {
    const es = [...new Set(keys(resources.es.translation))].sort();
    const en = [...new Set(keys(resources.en.translation))].sort();
    expect(en).toEqual(es);
  });

  test('defaults to Colombian Spanish', () => {
    expect(storedLanguage()).toBe('es');
    const i18n = createI18n();
    expect(i18n.language).toBe('es');
    expect(document.documentElement.lang).toBe('es-CO');
    expect(document.title).toBe('Mesa de servicios');
  });

  test('remembers the chosen language and follows it on <html lang>', async () => {
    const i18n = createI18n();
    await setLanguage(i18n, 'en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(createI18n().language).toBe('en');
  });

  test('ignores an unknown stored language', () => {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, 'fr');
    expect(createI18n().language).toBe('es');
  });

  test('pluralises the retry delay', () => {
    const i18n = createI18n('es');
    expect(i18n.t('auth.errors.too_many_attempts', { count: 1 })).toMatch(/1 segundo\./);
    expect(i18n.t('auth.errors.too_many_attempts', { count: 30 })).toMatch(/30 segundos\./);
  });
});
