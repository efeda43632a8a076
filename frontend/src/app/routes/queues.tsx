import { Badge, Tabs, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQueueCounts } from '@/features/tickets/api/tickets';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';

const QUEUES = ['mine', 'my_groups', 'unassigned'] as const;
type Queue = (typeof QUEUES)[number];

function isQueue(value: string | null): value is Queue {
  return (QUEUES as readonly string[]).includes(value ?? '');
}

/** "Bandejas": mine, my groups', unassigned — with open counts, refreshed on their own. */
export function QueuesRoute() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const queue: Queue = isQueue(params.get('view')) ? (params.get('view') as Queue) : 'mine';
  const counts = useQueueCounts();
  return (
    <RequireStaff>
      <Page title={t('tickets.queues.title')} intro={t('tickets.queues.intro')}>
        <Tabs value={queue} onChange={(value) => value && setParams({ view: value }, { replace: true })} keepMounted={false}>
          <Tabs.List aria-label={t('tickets.queues.tabs')}>
            {QUEUES.map((q) => (
              <Tabs.Tab
                key={q}
                value={q}
                rightSection={
                  counts.data ? (
                    <Badge size="sm" variant={q === queue ? 'filled' : 'light'} aria-label={t('nav.open_count', { count: counts.data[q] })}>
                      {counts.data[q]}
                    </Badge>
                  ) : undefined
                }
              >
                {t(`tickets.queues.${q}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {QUEUES.map((q) => (
            <Tabs.Panel key={q} value={q} pt="md">
              <Text size="sm" mb="sm">
                {t('tickets.queues.auto_refresh')}
              </Text>
              <TicketList
                view={q}
                staff
                refetchInterval={20_000}
                label={t(`tickets.queues.${q}`)}
                emptyTitle={t(`tickets.queues.empty_${q}`)}
              />
            </Tabs.Panel>
          ))}
        </Tabs>
      </Page>
    </RequireStaff>
  );
}
