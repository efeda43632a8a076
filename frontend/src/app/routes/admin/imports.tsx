import { useMe } from '@/features/auth/api/get-me';
import { ImportsAdmin } from '@/features/imports/components/imports-admin';
import { useImportsT } from '@/features/imports/lib/bundle';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/imports: organizations, areas and people from CSV files, reviewed before they are applied (admins). */
export function AdminImportsRoute() {
  const t = useImportsT();
  const me = useMe();
  return (
    <Page title={t('title')} intro={t('intro')}>
      {!me.data ? <LoadingState /> : me.data.role === 'admin' ? <ImportsAdmin /> : <ErrorState title={t('errors.forbidden')} />}
    </Page>
  );
}
