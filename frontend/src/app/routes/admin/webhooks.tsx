import { Text } from '@mantine/core';
import { useLocation } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { WebhooksAdmin } from '@/features/integrations/components/webhooks-admin';
import { useIntegrationsT } from '@/features/integrations/lib/bundle';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/webhooks: the webhooks and the hosts allowed past the SSRF guard (admins). */
export function AdminWebhooksRoute() {
  const t = useIntegrationsT();
  const me = useMe();
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return (
    <Page title={t('webhooks.title')} intro={t('webhooks.intro')}>
      {notice && (
        <Text role="status" c="teal.9">
          {notice}
        </Text>
      )}
      {!me.data ? (
        <LoadingState />
      ) : me.data.role === 'admin' ? (
        <WebhooksAdmin hrefFor={(id) => `/admin/webhooks/${id}`} />
      ) : (
        <ErrorState title={t('errors.forbidden')} />
      )}
    </Page>
  );
}
