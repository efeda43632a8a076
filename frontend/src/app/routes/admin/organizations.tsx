import { useMe } from '@/features/auth/api/get-me';
import { ReferenceAdmin } from '@/features/admin-org/components/reference-admin';
import { useOrgStrings } from '@/features/admin-org/components/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/organizations: organizations, areas and locations (admins: the API lets only them change these). */
export function AdminOrganizationsRoute() {
  const { t } = useOrgStrings();
  const me = useMe();
  return (
    <Page title={t('page.title')} intro={t('page.intro')}>
      {!me.data ? <LoadingState /> : me.data.role === 'admin' ? <ReferenceAdmin /> : <ErrorState title={t('page.admins_only')} />}
    </Page>
  );
}
