import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The knowledge base's strings (es-CO first, then en), loaded with its chunk. */
export function useKbStrings() {
  return useBundle('kb', { es, en });
}

export type KbT = ReturnType<typeof useKbStrings>['t'];
