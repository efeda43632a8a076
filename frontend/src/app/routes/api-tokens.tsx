import { useMe } from '@/features/auth/api/get-me';
import { MyApiTokens } from '@/features/integrations/components/api-tokens';
import { useIntegrationsT } from '@/features/integrations/lib/bundle';
import { LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';

/** /api-tokens: the signed-in person's own API tokens (everyone; from the user menu). */
export function ApiTokensRoute() {
  const t = useIntegrationsT();
  const me = useMe();
  return (
    <Page title={t('tokens.mine_title')} intro={t('tokens.mine_intro')}>
      {me.data ? <MyApiTokens me={me.data} /> : <LoadingState />}
    </Page>
  );
}
