import { useBundle, type BundleT } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

export type OrgT = BundleT<typeof es>;

/** The strings of organizations, areas and locations (own bundle, loaded with the chunk). */
export function useOrgStrings(): { t: OrgT } {
  return useBundle<typeof es>('admin_org', { es, en: en as typeof es });
}
