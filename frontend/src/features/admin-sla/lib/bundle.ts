import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The strings of the service-level and desk-settings screens (namespace `admin_sla`). */
export function useSlaT() {
  return useBundle('admin_sla', { es, en }).t;
}

export type SlaT = ReturnType<typeof useSlaT>;
