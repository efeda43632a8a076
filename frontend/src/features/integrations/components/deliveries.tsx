import { Badge, Button, Code, Group, NativeSelect, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useDeliveries, useRetryDelivery, type Delivery, type DeliveryState } from '../api/webhooks';
import { useIntegrationsT } from '../lib/bundle';
import { eventKey, isEventType } from '../lib/events';

const STATES: readonly DeliveryState[] = ['pending', 'sending', 'delivered', 'failed'];
const COLORS: Record<DeliveryState, string> = { pending: 'yellow', sending: 'blue', delivered: 'green', failed: 'red' };

/** A webhook's delivery log, newest first: state, attempts, the receiver's answer, times; a failed one is retried. */
export function Deliveries({ webhookId }: { webhookId: string }) {
  const t = useIntegrationsT();
  const { i18n } = useTranslation();
  const [state, setState] = useState<DeliveryState | ''>('');
  const deliveries = useDeliveries(webhookId, state || null);
  const retry = useRetryDelivery(webhookId);
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const eventName = (d: Delivery) => (isEventType(d.event_type) ? t(eventKey(d.event_type)) : d.event_type);
  return (
    <Stack gap="md">
      <NativeSelect
        label={t('deliveries.state')}
        value={state}
        data={[{ value: '', label: t('deliveries.all') }, ...STATES.map((s) => ({ value: s, label: t(`deliveries.states.${s}`) }))]}
        onChange={(e) => setState(e.currentTarget.value as DeliveryState | '')}
        maw={260}
      />
      {retry.isError && (
        <Text role="alert" c="red.9">
          {t('deliveries.retry_failed')}
        </Text>
      )}
      {retry.isSuccess && (
        <Text role="status" c="teal.9">
          {t('deliveries.retried')}
        </Text>
      )}
      {deliveries.isPending ? (
        <LoadingState label={t('deliveries.loading')} />
      ) : deliveries.isError ? (
        <ErrorState onRetry={() => void deliveries.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={state ? t('deliveries.empty_state', { state: t(`deliveries.states.${state}`) }) : t('deliveries.empty')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing="xs">
              <Table.Caption>{t('deliveries.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('deliveries.created')}</Table.Th>
                  <Table.Th scope="col">{t('deliveries.event')}</Table.Th>
                  <Table.Th scope="col">{t('deliveries.state')}</Table.Th>
                  <Table.Th scope="col">{t('deliveries.attempts')}</Table.Th>
                  <Table.Th scope="col">{t('deliveries.answer')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('webhooks.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{when(d.created_at)}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{eventName(d)}</Text>
                      <Code>{d.event_type}</Code>
                      <details>
                        <summary>
                          <Text span size="xs">
                            {t('deliveries.payload')}
                          </Text>
                        </summary>
                        <Code block style={{ whiteSpace: 'pre-wrap', maxWidth: 480, maxHeight: 320, overflow: 'auto' }}>
                          {JSON.stringify(d.payload, null, 2)}
                        </Code>
                      </details>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[d.state]} variant="light" style={{ minWidth: 'max-content' }}>
                        {t(`deliveries.states.${d.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t('deliveries.attempts_of', { attempts: d.attempts, max: d.max_attempts })}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.last_status_code != null ? t('deliveries.status_code', { code: d.last_status_code }) : d.attempts > 0 ? t('deliveries.no_answer') : '—'}</Text>
                      {d.last_error && (
                        <Text size="xs" c="red.9" style={{ wordBreak: 'break-word' }}>
                          {d.last_error}
                        </Text>
                      )}
                      {d.last_attempt_at && <Text size="xs">{t('deliveries.last_attempt', { when: when(d.last_attempt_at) })}</Text>}
                      {d.delivered_at && <Text size="xs">{t('deliveries.delivered_at', { when: when(d.delivered_at) })}</Text>}
                      {(d.state === 'pending' || d.state === 'sending') && <Text size="xs">{t('deliveries.next_attempt', { when: when(d.next_attempt_at) })}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {d.state === 'failed' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={retry.isPending && retry.variables.id === d.id}
                          onClick={() => retry.mutate(d)}
                          aria-label={t('deliveries.retry_named', { event: d.event_type, when: when(d.created_at) })}
                        >
                          {t('deliveries.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {deliveries.hasNextPage && (
            <Group>
              <Button variant="default" loading={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
                {t('deliveries.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
