import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { MailAdmin, type MailTab } from '@/features/admin-mail/components/mail-admin';
import { useMailT } from '@/features/admin-mail/lib/bundle';
import { useMe } from '@/features/auth/api/get-me';
import { LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

const TABS: readonly MailTab[] = ['templates', 'outbox', 'jobs'];

/** /admin/mail: templates with their preview; the outbox and failed jobs for admins. */
export function AdminMailRoute() {
  const { t } = useTranslation();
  const m = useMailT();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'templates';
  return (
    <Page title={t('admin.sections.mail')} intro={m('intro')}>
      {me.data ? (
        <MailAdmin tab={tab} onTab={(next) => setParams({ tab: next }, { replace: true })} userId={me.data.id} isAdmin={me.data.role === 'admin'} />
      ) : (
        <LoadingState />
      )}
    </Page>
  );
}
