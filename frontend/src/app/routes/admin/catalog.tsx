import { useMe } from '@/features/auth/api/get-me';
import { CatalogEditor } from '@/features/admin-catalog/components/catalog-editor';
import { useCatalogStrings } from '@/features/admin-catalog/components/strings';
import { LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/catalog: the catalog editor of the desks the user manages. */
export function AdminCatalogRoute() {
  const { t } = useCatalogStrings();
  const me = useMe();
  return (
    <Page title={t('page.title')} intro={t('page.intro')}>
      {me.data ? <CatalogEditor role={me.data.role} userId={me.data.id} /> : <LoadingState />}
    </Page>
  );
}
