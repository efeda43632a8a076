import { Badge, Button, Group, NativeSelect, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useJobs, useRetryJob, type JobState } from '../api/mail';
import { useMailT } from '../lib/bundle';

const STATES: readonly JobState[] = ['failed', 'pending', 'running', 'done'];
const COLORS: Record<JobState, string> = { failed: 'red', pending: 'yellow', running: 'blue', done: 'green' };

/** Background jobs, the failed ones first by default; a failed one can be put back in the queue. */
export function Jobs() {
  const t = useMailT();
  const { i18n } = useTranslation();
  const [state, setState] = useState<JobState | ''>('failed');
  const jobs = useJobs(state || null);
  const retry = useRetryJob();
  const items = jobs.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      <NativeSelect
        label={t('jobs.state')}
        value={state}
        data={[{ value: '', label: t('jobs.all') }, ...STATES.map((s) => ({ value: s, label: t(`jobs.states.${s}`) }))]}
        onChange={(e) => setState(e.currentTarget.value as JobState | '')}
        maw={260}
      />
      {retry.isError && (
        <Text role="alert" c="red.9">
          {t('jobs.retry_failed')}
        </Text>
      )}
      {retry.isSuccess && (
        <Text role="status" c="teal.9">
          {t('jobs.retried', { kind: retry.data.kind })}
        </Text>
      )}
      {jobs.isPending ? (
        <LoadingState label={t('jobs.loading')} />
      ) : jobs.isError ? (
        <ErrorState onRetry={() => void jobs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={state === 'failed' ? t('jobs.none_failed') : t('jobs.empty')} />
      ) : (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped verticalSpacing="xs">
              <Table.Caption>{t('jobs.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('jobs.kind')}</Table.Th>
                  <Table.Th scope="col">{t('jobs.status')}</Table.Th>
                  <Table.Th scope="col">{t('jobs.run_at')}</Table.Th>
                  <Table.Th scope="col">{t('jobs.attempts')}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('jobs.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((j) => (
                  <Table.Tr key={j.id}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {j.kind}
                      </Text>
                      {j.last_error && (
                        <Text size="xs" c="red.9">
                          {t('jobs.last_error', { error: j.last_error })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[j.state]} variant="light">
                        {t(`jobs.states.${j.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatDateTime(j.run_at, i18n.language)}</Table.Td>
                    <Table.Td>{t('jobs.attempts_of', { attempts: j.attempts, max: j.max_attempts })}</Table.Td>
                    <Table.Td>
                      {j.state === 'failed' && (
                        <Button size="xs" variant="light" loading={retry.isPending && retry.variables === j.id} onClick={() => retry.mutate(j.id)} aria-label={t('jobs.retry_kind', { kind: j.kind })}>
                          {t('jobs.retry')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {jobs.hasNextPage && (
            <Group>
              <Button variant="default" loading={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
                {t('jobs.more')}
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
