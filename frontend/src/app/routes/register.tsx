import { useTranslation } from 'react-i18next';
import { CatalogBrowser } from '@/features/catalog/components/catalog-browser';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';

/** "Registrar por teléfono": the catalog, then the form on the caller's behalf. */
export function RegisterRoute() {
  const { t } = useTranslation();
  return (
    <RequireStaff>
      <Page title={t('register.title')} intro={t('register.intro')}>
        <CatalogBrowser requestPath={(id) => `/register/${id}`} />
      </Page>
    </RequireStaff>
  );
}
