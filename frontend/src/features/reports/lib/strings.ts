import { useTranslation } from 'react-i18next';
import { useBundle } from '@/shared/i18n/bundle';
import en from '../locales/en.json';
import es from '../locales/es.json';

/** The reports' own strings (they load with the page's chunk) and the current language. */
export function useReportStrings() {
  const { t } = useBundle('reports', { es, en });
  const { t: tApp, i18n } = useTranslation();
  return { t, tApp, language: i18n.language };
}
