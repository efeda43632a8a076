import { Badge, Button, Tabs, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { isManager } from '@/features/auth/lib/roles';
import { useQueueCounts } from '@/features/tickets/api/tickets';
import { QueueTable } from '@/features/tickets/components/queue-table';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { DEFAULT_FILTERS, type TableFilters } from '@/features/tickets/lib/saved-filters';
import { useAskedSearchParams } from '@/shared/hooks/use-asked-search-params';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';
import { isOneOf } from '@/shared/lib/one-of';

const QUEUES = ['mine', 'my_groups', 'unassigned'] as const;
type Queue = (typeof QUEUES)[number];
type Tab = Queue | 'table';

function isTab(value: string | null): value is Tab {
  return value === 'table' || isOneOf(QUEUES, value);
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
  const [params, setParams] = useAskedSearchParams();
  const tab: Tab = isTab(params.get('view')) ? (params.get('view') as Tab) : 'mine';
  const counts = useQueueCounts();
  const wholeDesk = isManager(me.data?.role);
  const filtersOf = (p: URLSearchParams): TableFilters => {
    const f: TableFilters = { ...DEFAULT_FILTERS };
    for (const key of FILTER_KEYS) {
      const v = p.get(`f_${key}`);
      if (v !== null) (f as Record<string, string>)[key] = v;
    }
    if (!wholeDesk && f.view === 'all') f.view = DEFAULT_FILTERS.view;
    return f;
  };
  const filters = filtersOf(params);
  const setFilters = (change: TableFilters | ((current: TableFilters) => TableFilters)) =>
    setParams((current) => {
      const f = typeof change === 'function' ? change(filtersOf(current)) : change;
      const next = new URLSearchParams({ view: 'table' });
      for (const key of FILTER_KEYS) if (f[key] !== DEFAULT_FILTERS[key]) next.set(`f_${key}`, f[key]);
      return next;
    });
  return (
    <RequireStaff>
      <Page title={t('tickets.queues.title')} intro={t('tickets.queues.intro')} actions={<JumpToCase />}>
        <Tabs value={tab} onChange={(value) => value && setParams(() => new URLSearchParams({ view: value }))} keepMounted={false}>
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
