import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** This feature's strings (namespace `admin_people`), loaded with its chunk. */
export function useStrings() {
  return useBundle('admin_people', { es, en });
}

export type Strings = ReturnType<typeof useStrings>['t'];
