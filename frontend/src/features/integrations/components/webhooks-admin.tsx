import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useAllowedHosts, useCreateWebhook, useSaveAllowedHosts, useWebhooks, type Webhook } from '../api/webhooks';
import { useIntegrationsT } from '../lib/bundle';
import { STATE_COLORS, webhookState } from '../lib/events';
import { fieldErrorsOf } from '../lib/problems';
import { listOf } from '../lib/scopes';
import { OneTimeSecret } from './one-time-secret';
import { messageOf, SaveAlert } from './save-alert';
import { SignatureHelp } from './signature-help';
import { WEBHOOK_INPUTS, WebhookForm } from './webhook-form';

/**
 * The webhooks (admins): the list, each linking to its page; a new one (its signing secret
 * shown once, with how a receiver verifies it); the hosts allowed past the SSRF guard.
 */
export function WebhooksAdmin({ hrefFor }: { hrefFor: (id: string) => string }) {
  const t = useIntegrationsT();
  const hooks = useWebhooks();
  const create = useCreateWebhook();
  const [created, setCreated] = useState<Webhook | null>(null);
  // A new form after each creation: its inputs start empty again.
  const [formKey, setFormKey] = useState(0);
  return (
    <Stack gap="lg">
      {hooks.isPending ? (
        <LoadingState label={t('webhooks.loading')} />
      ) : hooks.isError ? (
        <ErrorState onRetry={() => void hooks.refetch()} />
      ) : hooks.data.length === 0 ? (
        <EmptyState title={t('webhooks.empty')} />
      ) : (
        <WebhookTable hooks={hooks.data} hrefFor={hrefFor} />
      )}
      {created?.secret && (
        <OneTimeSecret title={t('secret.webhook_title')} warning={t('secret.webhook_warning')} label={t('secret.webhook_label')} value={created.secret} onDone={() => setCreated(null)}>
          <Text size="sm">
            {t('webhooks.created')}{' '}
            <Anchor component={Link} to={hrefFor(created.id)}>
              {t('webhooks.open_created')}
            </Anchor>
          </Text>
        </OneTimeSecret>
      )}
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Title order={2} size="h3" id="new-webhook-title">
            {t('webhooks.new')}
          </Title>
          <WebhookForm
            key={formKey}
            idPrefix="new-webhook"
            submitLabel={t('webhooks.create')}
            pending={create.isPending}
            error={create.error}
            errors={fieldErrorsOf(create.error, WEBHOOK_INPUTS)}
            onSubmit={(draft) =>
              create.mutate(draft, {
                onSuccess: (hook) => {
                  setCreated(hook);
                  setFormKey((k) => k + 1);
                },
              })
            }
          />
        </Stack>
      </Paper>
      <SignatureHelp />
      <AllowedHosts />
    </Stack>
  );
}

function WebhookTable({ hooks, hrefFor }: { hooks: Webhook[]; hrefFor: (id: string) => string }) {
  const t = useIntegrationsT();
  const { i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped verticalSpacing="xs">
        <Table.Caption>{t('webhooks.list_caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('webhooks.url')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.events')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.state')}</Table.Th>
            <Table.Th scope="col">{t('webhooks.failures')}</Table.Th>
            <Table.Th scope="col">{t('deliveries.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hooks.map((hook) => {
            const state = webhookState(hook);
            return (
              <Table.Tr key={hook.id}>
                <Table.Td>
                  <Anchor component={Link} to={hrefFor(hook.id)} size="sm" style={{ wordBreak: 'break-all' }}>
                    {hook.url}
                  </Anchor>
                  {hook.description && <Text size="xs">{hook.description}</Text>}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" title={hook.events.join(', ')}>
                    {t('webhooks.events_count', { count: hook.events.length })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLORS[state]} variant="light" style={{ minWidth: 'max-content' }}>
                    {t(`webhooks.states.${state}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{hook.consecutive_failures}</Table.Td>
                <Table.Td>{formatDateTime(hook.created_at, i18n.language)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function AllowedHosts() {
  const t = useIntegrationsT();
  const hosts = useAllowedHosts();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="allowed-hosts-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="allowed-hosts-title">
          {t('hosts.title')}
        </Title>
        <Text size="sm">{t('hosts.intro')}</Text>
        {hosts.isPending ? (
          <LoadingState label={t('hosts.loading')} minHeight={80} />
        ) : hosts.isError ? (
          <ErrorState onRetry={() => void hosts.refetch()} />
        ) : (
          <AllowedHostsForm initial={hosts.data.hosts} />
        )}
      </Stack>
    </Paper>
  );
}

function AllowedHostsForm({ initial }: { initial: string[] }) {
  const t = useIntegrationsT();
  const save = useSaveAllowedHosts();
  const [text, setText] = useState(initial.join('\n'));
  const errors = fieldErrorsOf(save.error, ['hosts']);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (save.isPending) return;
    save.mutate(listOf(text), { onSuccess: (saved) => setText(saved.hosts.join('\n')) });
  }
  return (
    <form noValidate aria-labelledby="allowed-hosts-title" onSubmit={submit}>
      <Stack gap="sm">
        <SaveAlert t={t} error={save.error} fields={errors} />
        {save.isSuccess && (
          <Text role="status" c="teal.9" size="sm">
            {t('hosts.saved')}
          </Text>
        )}
        <Textarea
          label={t('hosts.label')}
          description={t('hosts.hint')}
          autosize
          minRows={2}
          maxRows={10}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            save.reset();
          }}
          error={messageOf(t, errors, 'hosts', listOf(text))}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group>
          <Button type="submit" variant="light" loading={save.isPending}>
            {t('hosts.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
