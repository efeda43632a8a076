import { Anchor, Button, Drawer, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { useReportCases } from '../api/cases';
import type { Drill } from '../lib/drill';
import { reportQuery, type ReportFilters } from '../lib/filters';
import { formatDay } from '../lib/format';
import { useReportStrings } from '../lib/strings';

/** The cases one figure counts: number, subject, status, priority and service, newest first. */
function CaseList({ drill, filters }: { drill: Drill; filters: ReportFilters }) {
  const { t, tApp, language } = useReportStrings();
  const scope = { ...filters, ...drill.overrides };
  const cases = useReportCases(reportQuery(scope), drill.measure);
  const measure = t(`measures.${drill.measure}`);
  if (cases.isPending) return <LoadingState />;
  if (cases.isError) return <ErrorState onRetry={() => void cases.refetch()} />;
  const items = cases.data.pages.flatMap((p) => p.items);
  return (
    <Stack gap="sm">
      <Text size="sm">
        {t('drill.scope', { from: formatDay(scope.from, language), to: formatDay(scope.to, language) })}
        {drill.context ? ` · ${drill.context}` : ''}
      </Text>
      {items.length === 0 ? (
        <Text>{t('drill.empty')}</Text>
      ) : (
        <>
          <Text size="sm" role="status">
            {t('drill.shown', { count: items.length })}
          </Text>
          <Table.ScrollContainer minWidth={560}>
            <Table striped verticalSpacing={4} fz="sm" aria-label={t('drill.table_label', { measure })} data-testid="drill-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('drill.number')}</Table.Th>
                  <Table.Th>{t('drill.subject')}</Table.Th>
                  <Table.Th>{t('drill.status')}</Table.Th>
                  <Table.Th>{t('drill.priority')}</Table.Th>
                  <Table.Th>{t('drill.service')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/tickets/${c.number}`} aria-label={t('drill.open_case', { number: c.number })} fw={600}>
                        #{c.number}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{c.subject}</Table.Td>
                    <Table.Td>{tApp(`ticket.status.${c.status}`)}</Table.Td>
                    <Table.Td>{tApp(`ticket.priority.${c.priority}`)}</Table.Td>
                    <Table.Td>{c.service.name}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {cases.hasNextPage && (
            <Button variant="default" onClick={() => void cases.fetchNextPage()} loading={cases.isFetchingNextPage} style={{ alignSelf: 'flex-start' }}>
              {t('drill.load_more')}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}

/** A side panel (full screen on phones) listing a figure's cases; each links to its case page. */
export function DrillDown({ drill, filters, onClose }: { drill: Drill | null; filters: ReportFilters; onClose: () => void }) {
  const { t } = useReportStrings();
  const narrow = useMediaQuery('(max-width: 48em)');
  return (
    <Drawer
      opened={drill !== null}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 'xl'}
      title={drill ? <Text component="span" fw={700} size="lg">{t('drill.title', { measure: t(`measures.${drill.measure}`) })}</Text> : null}
      closeButtonProps={{ 'aria-label': t('drill.close') }}
    >
      {drill && <CaseList drill={drill} filters={filters} />}
    </Drawer>
  );
}
