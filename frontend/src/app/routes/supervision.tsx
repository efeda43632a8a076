import { NativeSelect, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { DeskOverviewPanel, useSupervisionStrings } from '@/features/supervision/components/desk-overview';
import { OVERVIEW_REFRESH_MS } from '@/features/supervision/api/overview';
import { SurveyResultsPanel } from '@/features/supervision/components/survey-results';
import { useDesks } from '@/features/tickets/api/tickets';
import { CaseTable, type SortState } from '@/features/tickets/components/case-table';
import { OPEN_STATUSES } from '@/features/tickets/lib/status';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';
import { RequireManager } from '../components/require-manager';

/** "Supervisión": one desk's day, polled, and its open cases to reassign. */
export function SupervisionRoute() {
  return (
    <RequireManager>
      <Supervision />
    </RequireManager>
  );
}

function Supervision() {
  const { t } = useSupervisionStrings();
  const { i18n } = useTranslation();
  const me = useMe();
  const desks = useDesks();
  const [params, setParams] = useSearchParams();
  const [sort, setSort] = useState<SortState>({ column: 'due', direction: 'asc' });
  const mine = (desks.data ?? []).filter((d) => me.data?.role === 'admin' || (me.data && d.supervisor_ids.includes(me.data.id)));
  const deskId = mine.find((d) => d.id === params.get('desk'))?.id ?? mine[0]?.id ?? null;
  const desk = mine.find((d) => d.id === deskId);

  return (
    <Page title={t('title')} intro={t('intro')}>
      {desks.isPending ? (
        <LoadingState />
      ) : desks.isError ? (
        <ErrorState onRetry={() => void desks.refetch()} />
      ) : !desk ? (
        <EmptyState title={t('no_desks_title')}>{t('no_desks_text')}</EmptyState>
      ) : (
        <Stack gap="xl">
          {mine.length > 1 && (
            <NativeSelect
              label={t('desk')}
              maw={420}
              value={desk.id}
              onChange={(e) => setParams({ desk: e.currentTarget.value, ...(params.get('view') === 'surveys' ? { view: 'surveys' } : {}) }, { replace: true })}
              data={mine.map((d) => ({ value: d.id, label: d.name }))}
            />
          )}
          <Tabs
            value={params.get('view') === 'surveys' ? 'surveys' : 'day'}
            onChange={(view) => setParams({ desk: desk.id, ...(view === 'surveys' ? { view } : {}) }, { replace: true })}
            keepMounted={false}
          >
            <Tabs.List aria-label={t('tabs')}>
              <Tabs.Tab value="day">{t('tab_day')}</Tabs.Tab>
              <Tabs.Tab value="surveys">{t('tab_surveys')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="day" pt="md">
              <Stack gap="xl">
                <DeskOverviewPanel deskId={desk.id} language={i18n.language} />
                <Stack gap="xs">
                  <Title order={2} size="h3">
                    {t('cases_title')}
                  </Title>
                  <Text size="sm">{t('cases_intro')}</Text>
                  <CaseTable
                    query={{ view: 'all', desk_id: desk.id, status: OPEN_STATUSES.join(',') }}
                    label={t('cases_label', { desk: desk.name })}
                    emptyTitle={t('cases_empty')}
                    refetchInterval={OVERVIEW_REFRESH_MS}
                    sort={sort}
                    onSort={setSort}
                  />
                </Stack>
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="surveys" pt="md">
              <SurveyResultsPanel key={desk.id} deskId={desk.id} language={i18n.language} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Page>
  );
}
