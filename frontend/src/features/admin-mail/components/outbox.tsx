import { Badge, Button, Group, NativeSelect, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useOutbox, useRetryMail, type MailState } from '../api/mail';
import { useMailT } from '../lib/bundle';

const STATES: readonly MailState[] = ['failed', 'pending', 'sending', 'sent'];
const COLORS: Record<MailState, string> = { failed: 'red', pending: 'yellow', sending: 'blue', sent: 'green' };

/** The outgoing mail, newest first; a failed one can be sent again. */
export function Outbox() {
  const t = useMailT();
  const { i18n } = useTranslation();
  const [state, setState] = useState<MailState | ''>('');
  const outbox = useOutbox(state || null);
  const retry = useRetryMail();
  const mails = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      <NativeSelect
        label={t('outbox.state')}
        value={state}
        data={[{ value: '', label: t('outbox.all') }, ...STATES.map((s) => ({ value: s, label: t(`outbox.states.${s}`) }))]}
        onChange={(e) => setState(e.currentTarget.value as MailState | '')}
        maw={260}
      />
      {retry.isError && (
        <Text role="alert" c="red.9">
          {t('outbox.retry_failed')}
        </Text>
      )}
      {retry.isSuccess && (
        <Text role="status" c="teal.9">
          {t('outbox.retried', { to: retry.data.to_address })}
        </Text>
      )}
      {outbox.isPending ? (
        <LoadingState label={t('outbox.loading')} />
      ) : outbox.isError ? (
        <ErrorState onRetry={() => void outbox.refetch()} />
      ) : mails.length === 0 ? (
        <EmptyState title={state ? t('outbox.empty_state', { state: t(`outbox.states.${state}`) }) : t('outbox.empty')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing="xs">
              <Table.Caption>{t('outbox.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('outbox.created')}</Table.Th>
                  <Table.Th scope="col">{t('outbox.to')}</Table.Th>
                  <Table.Th scope="col">{t('outbox.subject')}</Table.Th>
                  <Table.Th scope="col">{t('outbox.status')}</Table.Th>
                  <Table.Th scope="col">{t('outbox.attempts')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('outbox.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mails.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td>{formatDateTime(m.created_at, i18n.language)}</Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{m.to_address}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{m.subject}</Text>
                      {m.last_error && (
                        <Text size="xs" c="red.9">
                          {t('outbox.last_error', { error: m.last_error })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[m.state]} variant="light">
                        {t(`outbox.states.${m.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{t('outbox.attempts_of', { attempts: m.attempts, max: m.max_attempts })}</Table.Td>
                    <Table.Td>
                      {m.state === 'failed' && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={retry.isPending && retry.variables === m.id}
                          onClick={() => retry.mutate(m.id)}
                          aria-label={t('outbox.retry_to', { to: m.to_address, subject: m.subject })}
                        >
                          {t('outbox.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {outbox.hasNextPage && (
            <Group>
              <Button variant="default" loading={outbox.isFetchingNextPage} onClick={() => void outbox.fetchNextPage()}>
                {t('outbox.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
