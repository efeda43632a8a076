import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ServiceLevels } from '@/features/admin-sla/components/service-levels';
import { useSlaT } from '@/features/admin-sla/lib/bundle';
import { useMe } from '@/features/auth/api/get-me';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/service-levels: business calendars and SLA policies (admins). */
export function AdminServiceLevelsRoute() {
  const { t } = useTranslation();
  const s = useSlaT();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const tab = params.get('tab') === 'policies' ? 'policies' : 'calendars';
  return (
    <Page title={t('admin.sections.service_levels')} intro={s('service_levels.intro')}>
      {!me.data ? (
        <LoadingState />
      ) : me.data.role !== 'admin' ? (
        // The API lets only admins write them (`require_admin`).
        <ErrorState title={s('service_levels.admins_only')} />
      ) : (
        <ServiceLevels tab={tab} onTab={(next) => setParams({ tab: next }, { replace: true })} />
      )}
    </Page>
  );
}
