import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The strings of the CSV import page (namespace `imports`), loaded with its chunk. */
export function useImportsT() {
  return useBundle('imports', { es, en }).t;
}

export type ImportsT = ReturnType<typeof useImportsT>;
