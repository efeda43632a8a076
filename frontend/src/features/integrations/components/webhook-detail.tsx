import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useDeleteWebhook, useEnableWebhook, useRotateSecret, useTestWebhook, useUpdateWebhook, type Webhook } from '../api/webhooks';
import { useIntegrationsT } from '../lib/bundle';
import { STATE_COLORS, webhookState } from '../lib/events';
import { fieldErrorsOf, formErrorKey } from '../lib/problems';
import { Deliveries } from './deliveries';
import { OneTimeSecret } from './one-time-secret';
import { SignatureHelp } from './signature-help';
import { WEBHOOK_INPUTS, WebhookForm } from './webhook-form';

type Confirm = 'rotate' | 'delete' | null;

/**
 * One webhook (admins): send a test event, a new signing secret (shown once), delete; its
 * settings; and its delivery log.
 */
export function WebhookDetail({ webhook, onDeleted }: { webhook: Webhook; onDeleted: (url: string) => void }) {
  const t = useIntegrationsT();
  const update = useUpdateWebhook(webhook);
  const enable = useEnableWebhook(webhook.id);
  const test = useTestWebhook(webhook.id);
  const rotate = useRotateSecret(webhook.id);
  const remove = useDeleteWebhook(webhook.id);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const state = webhookState(webhook);
  const failed = [test, rotate, remove, enable].find((m) => m.isError);

  return (
    <Stack gap="lg">
      <Group gap="xs">
        <Badge color={STATE_COLORS[state]} variant="light" style={{ minWidth: 'max-content' }}>
          {t(`webhooks.states.${state}`)}
        </Badge>
        {webhook.description && <Text size="sm">{webhook.description}</Text>}
      </Group>
      {state === 'disabled' && (
        <Alert color="red" variant="light" title={t('webhooks.disabled_alert', { reason: webhook.disabled_reason })}>
          <Button size="xs" mt="xs" loading={enable.isPending} onClick={() => enable.mutate(undefined, { onSuccess: () => setNotice(t('webhooks.enabled')) })}>
            {t('webhooks.enable')}
          </Button>
        </Alert>
      )}
      {notice && (
        <Text role="status" c="teal.9">
          {notice}
        </Text>
      )}
      {failed && (
        <Text role="alert" c="red.9">
          {t(formErrorKey(failed.error), { count: 0 })}
        </Text>
      )}
      {secret && (
        <OneTimeSecret title={t('secret.webhook_title')} warning={t('secret.webhook_warning')} label={t('secret.webhook_label')} value={secret} onDone={() => setSecret(null)} />
      )}
      <Group gap="xs" role="group" aria-label={t('webhooks.actions')}>
        <Button
          loading={test.isPending}
          onClick={() => {
            setNotice(null);
            test.mutate(undefined, { onSuccess: () => setNotice(t('webhooks.tested')) });
          }}
        >
          {t('webhooks.test')}
        </Button>
        <Button variant="default" onClick={() => setConfirm('rotate')}>
          {t('webhooks.rotate')}
        </Button>
        <Button variant="outline" color="red" onClick={() => setConfirm('delete')}>
          {t('webhooks.delete')}
        </Button>
      </Group>

      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Title order={2} size="h3" id="edit-webhook-title">
            {t('webhooks.edit')}
          </Title>
          {update.isSuccess && (
            <Text role="status" c="teal.9">
              {t('webhooks.saved')}
            </Text>
          )}
          <WebhookForm
            key={webhook.version}
            initial={webhook}
            idPrefix="edit-webhook"
            submitLabel={t('webhooks.save')}
            pending={update.isPending}
            error={update.error}
            errors={fieldErrorsOf(update.error, WEBHOOK_INPUTS)}
            onSubmit={(draft) => update.mutate(draft)}
          />
        </Stack>
      </Paper>

      <Stack gap="sm" component="section" aria-labelledby="deliveries-title">
        <Title order={2} size="h3" id="deliveries-title">
          {t('deliveries.title')}
        </Title>
        <Deliveries webhookId={webhook.id} />
      </Stack>

      <SignatureHelp />

      {confirm && (
        <Modal
          opened
          onClose={() => setConfirm(null)}
          title={confirm === 'rotate' ? t('webhooks.rotate_title') : t('webhooks.delete_title', { url: webhook.url })}
          closeButtonProps={{ 'aria-label': t('webhooks.close') }}
        >
          <Stack gap="md">
            <Text>{confirm === 'rotate' ? t('webhooks.rotate_body') : t('webhooks.delete_body')}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirm(null)}>
                {t('webhooks.cancel')}
              </Button>
              {confirm === 'rotate' ? (
                <Button
                  loading={rotate.isPending}
                  onClick={() =>
                    rotate.mutate(undefined, {
                      onSuccess: (hook) => setSecret(hook.secret ?? null),
                      onSettled: () => setConfirm(null),
                    })
                  }
                >
                  {t('webhooks.rotate')}
                </Button>
              ) : (
                <Button
                  color="red"
                  loading={remove.isPending}
                  onClick={() =>
                    remove.mutate(undefined, {
                      onSuccess: () => onDeleted(webhook.url),
                      onError: () => setConfirm(null),
                    })
                  }
                >
                  {t('webhooks.delete')}
                </Button>
              )}
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
