import { useBundle, type BundleT } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

export type CatalogT = BundleT<typeof es>;

/**
 * The catalog editor's strings (its own bundle, loaded with its chunk), typed by the Spanish
 * file. English has no "many" plural form, hence the cast.
 */
export function useCatalogStrings(): { t: CatalogT } {
  return useBundle<typeof es>('admin_catalog', { es, en: en as typeof es });
}
