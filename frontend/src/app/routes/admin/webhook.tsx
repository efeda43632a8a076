import { Anchor, Stack } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { useWebhook } from '@/features/integrations/api/webhooks';
import { WebhookDetail } from '@/features/integrations/components/webhook-detail';
import { useIntegrationsT } from '@/features/integrations/lib/bundle';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/webhooks/:id: one webhook, its settings, test event and delivery log (admins). */
export function AdminWebhookRoute() {
  const t = useIntegrationsT();
  const { id = '' } = useParams();
  const me = useMe();
  const navigate = useNavigate();
  const webhook = useWebhook(id);
  const back = (
    <Anchor component={Link} to="/admin/webhooks" size="sm">
      {t('webhooks.back')}
    </Anchor>
  );
  if (me.data && me.data.role !== 'admin') return <ErrorState title={t('errors.forbidden')} />;
  if (webhook.isPending) return <LoadingState label={t('webhooks.loading')} />;
  if (webhook.isError) {
    const status = (webhook.error as { status?: number }).status;
    return (
      <Stack>
        {back}
        <ErrorState title={status === 404 ? t('webhooks.not_found') : undefined} onRetry={status === 404 ? undefined : () => void webhook.refetch()} />
      </Stack>
    );
  }
  return (
    <Page title={webhook.data.url}>
      {back}
      <WebhookDetail webhook={webhook.data} onDeleted={(url) => void navigate('/admin/webhooks', { replace: true, state: { notice: t('webhooks.deleted', { url }) } })} />
    </Page>
  );
}
