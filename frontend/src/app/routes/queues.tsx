import { Badge, Button, Tabs, Text, TextInput } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { isManager } from '@/features/auth/lib/roles';
import { useQueueCounts } from '@/features/tickets/api/tickets';
import { QueueTable } from '@/features/tickets/components/queue-table';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { DEFAULT_FILTERS, type TableFilters } from '@/features/tickets/lib/saved-filters';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';

const QUEUES = ['mine', 'my_groups', 'unassigned'] as const;
type Queue = (typeof QUEUES)[number];
type Tab = Queue | 'table';

function isTab(value: string | null): value is Tab {
  return value === 'table' || (QUEUES as readonly string[]).includes(value ?? '');
}

const FILTER_KEYS = Object.keys(DEFAULT_FILTERS) as (keyof TableFilters)[];

/** "Ir al caso número": opens a case by its number. */
function JumpToCase() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const digits = value.trim().replace(/^#\s*/, '');
    if (!/^\d{1,15}$/.test(digits) || Number(digits) < 1) return setError(t('tickets.queues.jump_invalid'));
    void navigate(`/tickets/${Number(digits)}`);
  }
  return (
    <form onSubmit={onSubmit} noValidate style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }} role="search" aria-label={t('tickets.queues.jump')}>
      <TextInput
        label={t('tickets.queues.jump')}
        inputMode="numeric"
        value={value}
        error={error}
        w={180}
        onChange={(e) => {
          setValue(e.currentTarget.value);
          setError(undefined);
        }}
      />
      <Button type="submit" variant="light" mt={25}>
        {t('tickets.queues.jump_go')}
      </Button>
    </form>
  );
}

/** "Bandejas": mine, my groups', unassigned — with open counts, refreshed on their own — and the table view. */
export function QueuesRoute() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const tab: Tab = isTab(params.get('view')) ? (params.get('view') as Tab) : 'mine';
  const counts = useQueueCounts();
  const wholeDesk = isManager(me.data?.role);
  const filters: TableFilters = { ...DEFAULT_FILTERS };
  for (const key of FILTER_KEYS) {
    const v = params.get(`f_${key}`);
    if (v !== null) (filters as Record<string, string>)[key] = v;
  }
  if (!wholeDesk && filters.view === 'all') filters.view = DEFAULT_FILTERS.view;
  // The router shows a new address a little after each change, passing through the ones before
  // it: a change made meanwhile builds on the last filters asked for, not on the address shown.
  const asked = useRef<{ filters: TableFilters; last: string; chain: Set<string> } | null>(null);
  const setFilters = (change: TableFilters | ((current: TableFilters) => TableFilters)) => {
    const shown = params.toString();
    const a = asked.current;
    const behind = a !== null && a.chain.has(shown) && a.last !== shown;
    const f = typeof change === 'function' ? change(behind ? a.filters : filters) : change;
    const next: Record<string, string> = { view: 'table' };
    for (const key of FILTER_KEYS) if (f[key] !== DEFAULT_FILTERS[key]) next[`f_${key}`] = f[key];
    const last = new URLSearchParams(next).toString();
    const chain = behind ? a.chain : new Set([shown]);
    chain.add(last);
    asked.current = { filters: f, last, chain };
    setParams(next, { replace: true });
  };
  return (
    <RequireStaff>
      <Page title={t('tickets.queues.title')} intro={t('tickets.queues.intro')} actions={<JumpToCase />}>
        <Tabs value={tab} onChange={(value) => value && setParams({ view: value }, { replace: true })} keepMounted={false}>
          <Tabs.List aria-label={t('tickets.queues.tabs')}>
            {QUEUES.map((q) => (
              <Tabs.Tab
                key={q}
                value={q}
                rightSection={
                  counts.data ? (
                    <Badge size="sm" variant={q === tab ? 'filled' : 'light'} aria-label={t('nav.open_count', { count: counts.data[q] })}>
                      {counts.data[q]}
                    </Badge>
                  ) : undefined
                }
              >
                {t(`tickets.queues.${q}`)}
              </Tabs.Tab>
            ))}
            <Tabs.Tab value="table">{t('tickets.queues.table')}</Tabs.Tab>
          </Tabs.List>
          {QUEUES.map((q) => (
            <Tabs.Panel key={q} value={q} pt="md">
              <Text size="sm" mb="sm">
                {t('tickets.queues.auto_refresh')}
              </Text>
              <TicketList view={q} staff refetchInterval={20_000} label={t(`tickets.queues.${q}`)} emptyTitle={t(`tickets.queues.empty_${q}`)} />
            </Tabs.Panel>
          ))}
          <Tabs.Panel value="table" pt="md">
            {me.data && <QueueTable userId={me.data.id} wholeDesk={wholeDesk} filters={filters} onFilters={setFilters} />}
          </Tabs.Panel>
        </Tabs>
      </Page>
    </RequireStaff>
  );
}
