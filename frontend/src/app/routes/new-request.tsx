import { useTranslation } from 'react-i18next';
import { CatalogBrowser } from '@/features/catalog/components/catalog-browser';
import { Page } from '../components/page';

/** "Nueva solicitud": the catalog. */
export function NewRequestRoute() {
  const { t } = useTranslation();
  return (
    <Page title={t('catalog.page_title')} intro={t('catalog.page_intro')}>
      <CatalogBrowser requestPath={(id) => `/requests/new/${id}`} />
    </Page>
  );
}
