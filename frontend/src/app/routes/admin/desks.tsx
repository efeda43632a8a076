import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { DesksAdmin } from '@/features/admin-sla/components/desks';
import { useSlaT } from '@/features/admin-sla/lib/bundle';
import { LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/desks: a desk's calendar, policy, mail kinds, survey and mailbox (its managers). */
export function AdminDesksRoute() {
  const { t } = useTranslation();
  const s = useSlaT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  return (
    <Page title={t('admin.sections.desks')} intro={s('desks.intro')}>
      {me.data ? (
        <DesksAdmin
          userId={me.data.id}
          isAdmin={me.data.role === 'admin'}
          deskId={params.get('desk')}
          onDesk={(id) => setParams({ desk: id }, { replace: true })}
        />
      ) : (
        <LoadingState />
      )}
    </Page>
  );
}
