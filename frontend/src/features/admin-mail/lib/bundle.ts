import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The strings of the mail screens (namespace `admin_mail`). */
export function useMailT() {
  return useBundle('admin_mail', { es, en }).t;
}

export type MailT = ReturnType<typeof useMailT>;
