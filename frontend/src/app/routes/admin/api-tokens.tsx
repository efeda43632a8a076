import { useMe } from '@/features/auth/api/get-me';
import { AllApiTokens } from '@/features/integrations/components/api-tokens';
import { useIntegrationsT } from '@/features/integrations/lib/bundle';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/api-tokens: every person's API tokens (admins: the API lists them all only to them). */
export function AdminApiTokensRoute() {
  const t = useIntegrationsT();
  const me = useMe();
  return (
    <Page title={t('tokens.all_title')} intro={t('tokens.all_intro')}>
      {!me.data ? <LoadingState /> : me.data.role === 'admin' ? <AllApiTokens /> : <ErrorState title={t('errors.forbidden')} />}
    </Page>
  );
}
