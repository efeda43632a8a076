import { Tabs } from '@mantine/core';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { useMailDesks } from '../api/mail';
import { useMailT } from '../lib/bundle';
import { Jobs } from './jobs';
import { Outbox } from './outbox';
import { MailTemplates } from './templates';

export type MailTab = 'templates' | 'outbox' | 'jobs';

/**
 * Templates (a desk's managers), the outbox and the failed jobs (admins only, as the API
 * allows): a tab each, the tab in the address.
 */
export function MailAdmin({ tab, onTab, userId, isAdmin }: { tab: MailTab; onTab: (tab: MailTab) => void; userId: string; isAdmin: boolean }) {
  const t = useMailT();
  const desks = useMailDesks();
  const current: MailTab = isAdmin ? tab : 'templates';
  return (
    <Tabs value={current} onChange={(v) => v && onTab(v as MailTab)} keepMounted={false}>
      <Tabs.List aria-label={t('tabs')} mb="md">
        <Tabs.Tab value="templates">{t('templates.tab')}</Tabs.Tab>
        {isAdmin && <Tabs.Tab value="outbox">{t('outbox.tab')}</Tabs.Tab>}
        {isAdmin && <Tabs.Tab value="jobs">{t('jobs.tab')}</Tabs.Tab>}
      </Tabs.List>
      <Tabs.Panel value="templates">
        {desks.isPending ? (
          <LoadingState />
        ) : desks.isError ? (
          <ErrorState onRetry={() => void desks.refetch()} />
        ) : (
          <MailTemplates desks={desks.data.filter((d) => isAdmin || d.supervisor_ids.includes(userId))} />
        )}
      </Tabs.Panel>
      {isAdmin && (
        <Tabs.Panel value="outbox">
          <Outbox />
        </Tabs.Panel>
      )}
      {isAdmin && (
        <Tabs.Panel value="jobs">
          <Jobs />
        </Tabs.Panel>
      )}
    </Tabs>
  );
}
