import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useBundle } from '@/shared/i18n/bundle';
import { formatDateTime } from '@/shared/lib/format';
import { useDeskOverview, type Counts } from '../api/overview';
import en from '../locales/en.json';
import es from '../locales/es.json';

const COUNT_KEYS = ['open', 'unassigned', 'at_risk', 'breached', 'on_hold'] as const;
const COLOR: Record<(typeof COUNT_KEYS)[number], string> = { open: 'blue', unassigned: 'grape', at_risk: 'orange', breached: 'red', on_hold: 'yellow' };

export function useSupervisionStrings() {
  return useBundle('supervision', { es, en });
}

function CountCells({ counts }: { counts: Counts }) {
  return (
    <>
      {COUNT_KEYS.map((k) => (
        <Table.Td key={k} ta="right" fw={k !== 'open' && counts[k] > 0 ? 700 : undefined}>
          {counts[k]}
        </Table.Td>
      ))}
    </>
  );
}

/** The desk's counts (totals, by group, by agent), polled while the page is open. */
export function DeskOverviewPanel({ deskId, language }: { deskId: string; language: string }) {
  const { t } = useSupervisionStrings();
  const overview = useDeskOverview(deskId);
  if (overview.isPending) return <LoadingState />;
  if (overview.isError) return <ErrorState title={t('load_error')} onRetry={() => void overview.refetch()} />;
  const o = overview.data;
  const countHeads = COUNT_KEYS.map((k) => (
    <Table.Th key={k} ta="right">
      {t(`counts.${k}`)}
    </Table.Th>
  ));
  return (
    <Stack gap="lg">
      <Text size="sm" role="status">
        {t('refreshing', { time: formatDateTime(o.generated_at, language) })}
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }} spacing="sm" component="dl" aria-label={t('totals_label')} m={0}>
        {COUNT_KEYS.map((k) => (
          // The colour marks the box, not its text: orange and yellow text on white fail contrast.
          <Paper key={k} withBorder radius="md" p="sm" style={{ borderInlineStart: `4px solid var(--mantine-color-${COLOR[k]}-6)` }}>
            <Text component="dt" size="sm" fw={600}>
              {t(`counts.${k}`)}
            </Text>
            <Text component="dd" m={0} fz={28} fw={700} data-testid={`total-${k}`}>
              {o.totals[k]}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      <Text size="xs">{t('risk_note')}</Text>

      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('by_group')}
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing={4} fz="sm" aria-label={t('by_group')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('group')}</Table.Th>
                <Table.Th>{t('level')}</Table.Th>
                {countHeads}
                <Table.Th ta="right">{t('available_members')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {o.groups.map((g) => (
                <Table.Tr key={g.group.id}>
                  <Table.Th scope="row" fw={500}>
                    {g.group.name} {!g.active && <Badge size="xs" variant="outline" color="gray" c="var(--mantine-color-gray-8)">{t('inactive')}</Badge>}
                  </Table.Th>
                  <Table.Td>{t('level_value', { level: g.level })}</Table.Td>
                  <CountCells counts={g.counts} />
                  <Table.Td ta="right" c={g.available_members === 0 ? 'var(--mantine-color-red-9)' : undefined} fw={g.available_members === 0 ? 700 : undefined}>
                    {t('available_of', { available: g.available_members, total: g.member_ids.length })}
                  </Table.Td>
                </Table.Tr>
              ))}
              {o.ungrouped.open > 0 && (
                <Table.Tr>
                  <Table.Th scope="row" fw={500}>
                    {t('ungrouped')}
                  </Table.Th>
                  <Table.Td>—</Table.Td>
                  <CountCells counts={o.ungrouped} />
                  <Table.Td />
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      <Stack gap="xs">
        <Title order={2} size="h3">
          {t('by_agent')}
        </Title>
        {o.agents.length === 0 ? (
          <EmptyState title={t('no_agents')} />
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped verticalSpacing={4} fz="sm" aria-label={t('by_agent')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('agent')}</Table.Th>
                  <Table.Th>{t('availability')}</Table.Th>
                  {countHeads.filter((_, i) => COUNT_KEYS[i] !== 'unassigned')}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {o.agents.map((a) => (
                  <Table.Tr key={a.agent.id}>
                    <Table.Th scope="row" fw={500}>
                      {a.agent.name}
                    </Table.Th>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge size="sm" variant="light" color={a.available ? 'green' : 'gray'} c="var(--mantine-color-black)">
                          {a.available ? t('available') : a.absent_until ? t('absent_until', { date: formatDateTime(a.absent_until, language) }) : t('unavailable')}
                        </Badge>
                      </Group>
                    </Table.Td>
                    {COUNT_KEYS.filter((k) => k !== 'unassigned').map((k) => (
                      <Table.Td key={k} ta="right" fw={k !== 'open' && a.counts[k] > 0 ? 700 : undefined}>
                        {a.counts[k]}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Stack>
  );
}
