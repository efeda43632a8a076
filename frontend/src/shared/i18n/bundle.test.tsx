import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, test } from 'vitest';
import { createI18n } from '.';
import { useBundle } from './bundle';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(PLURAL_SUFFIX, '')];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

// Every feature bundle: `src/features/<feature>/locales/{es,en}.json`.
const files = import.meta.glob<Record<string, unknown>>('../../features/*/locales/*.json', { eager: true, import: 'default' });

describe('feature bundles', () => {
  const features = [...new Set(Object.keys(files).map((path) => path.split('/')[3]))];
  test.each(features.map((f) => [f]))('%s: Spanish and English define the same keys', (feature) => {
    const es = files[`../../features/${feature}/locales/es.json`];
    const en = files[`../../features/${feature}/locales/en.json`];
    expect(es, 'es.json').toBeDefined();
    expect(en, 'en.json').toBeDefined();
    expect([...new Set(keys(en))].sort()).toEqual([...new Set(keys(es))].sort());
  });

  test('a bundle is added once, in both languages, and follows the language', async () => {
    const i18n = createI18n('es');
    const wrapper = ({ children }: { children: ReactNode }) => <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
    const bundle = { es: { hello: 'Hola' }, en: { hello: 'Hello' } };
    const { result, rerender } = renderHook(() => useBundle('demo', bundle), { wrapper });
    expect(result.current.t('hello')).toBe('Hola');
    rerender();
    await i18n.changeLanguage('en');
    rerender();
    expect(result.current.t('hello')).toBe('Hello');
  });
});
