import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The strings of the API token and webhook screens (namespace `integrations`). */
export function useIntegrationsT() {
  return useBundle('integrations', { es, en }).t;
}

export type IntegrationsT = ReturnType<typeof useIntegrationsT>;
