import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useAgentOptions, useGroupOptions, useOrganizationOptions, useServiceOptions, type Option } from '../api/filter-options';
import { FILTER_KEYS, type FilterKey, type ReportFilters } from '../lib/filters';
import { PRESETS, isDay, presetOf, presetRange, type Day, type Preset } from '../lib/period';
import { useReportStrings } from '../lib/strings';

export type DeskOption = { id: string; name: string };

const TYPES = ['incident', 'request'] as const;
const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
const CHANNELS = ['portal', 'phone', 'api', 'email', 'letter'] as const;

/** Desk, period (quick choices or two dates) and the case filters; every change goes to the address. */
export function FiltersPanel({
  filters,
  desks,
  isAdmin,
  now,
  onChange,
}: {
  filters: ReportFilters;
  desks: DeskOption[];
  isAdmin: boolean;
  now: Day;
  /** Changes are functions of the latest filters: two quick changes must not undo each other. */
  onChange: (update: (filters: ReportFilters) => ReportFilters) => void;
}) {
  const { t, tApp } = useReportStrings();
  const scope = filters.desk ? desks.filter((d) => d.id === filters.desk) : desks;
  const services = useServiceOptions(scope);
  const groups = useGroupOptions(filters.desk, scope.map((d) => d.id));
  const agents = useAgentOptions();
  const organizations = useOrganizationOptions();
  const preset = presetOf(filters.from, filters.to, now);

  const set = (key: FilterKey, value: string) =>
    onChange((current) => {
      const next = { ...current };
      if (value) next[key] = value;
      else delete next[key];
      // Services and groups belong to a desk: a new desk drops them.
      if (key === 'desk') {
        delete next.service;
        delete next.group;
      }
      return next;
    });
  const setDay = (which: 'from' | 'to', value: string) => {
    if (!isDay(value)) return;
    onChange((current) => {
      const next = { ...current, [which]: value };
      // Keep the period the right way round: the other end follows.
      if (next.from > next.to) {
        if (which === 'from') next.to = value;
        else next.from = value;
      }
      return next;
    });
  };
  const select = (key: FilterKey, any: string, options: Option[], disabled = false) => (
    <NativeSelect
      label={t(`filters.${key}` as 'filters.service')}
      value={filters[key] ?? ''}
      onChange={(e) => set(key, e.currentTarget.value)}
      data={[{ value: '', label: any }, ...options]}
      disabled={disabled}
    />
  );
  const active = FILTER_KEYS.some((k) => k !== 'desk' && filters[k]);
  const optionsFailed = services.isError || groups.isError || agents.isError || organizations.isError;

  return (
    <Paper withBorder radius="md" p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby="report-filters-title">
      <Stack gap="sm">
        <Group justify="space-between" gap="xs">
          <Title order={2} size="h4" id="report-filters-title">
            {t('filters.title')}
          </Title>
          {active && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => onChange((current) => ({ from: current.from, to: current.to, ...(current.desk ? { desk: current.desk } : {}) }))}
            >
              {t('filters.clear')}
            </Button>
          )}
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
          {desks.length > 1 &&
            select(
              'desk',
              isAdmin ? t('filters.all_desks_admin') : t('filters.all_desks'),
              desks.map((d) => ({ value: d.id, label: d.name })),
            )}
          <NativeSelect
            label={t('filters.period')}
            value={preset}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (value !== 'custom') onChange((current) => ({ ...current, ...presetRange(value as Preset, now) }));
            }}
            data={[...PRESETS, 'custom' as const].map((p) => ({ value: p, label: t(`filters.presets.${p}`) }))}
          />
          <TextInput type="date" label={t('filters.from')} value={filters.from} max={now} onChange={(e) => setDay('from', e.currentTarget.value)} />
          <TextInput type="date" label={t('filters.to')} value={filters.to} onChange={(e) => setDay('to', e.currentTarget.value)} />
          {select('service', t('filters.any_service'), services.options)}
          {select('group', t('filters.any_group'), groups.data ?? [])}
          {select('agent', t('filters.any_agent'), agents.data ?? [])}
          {select('organization', t('filters.any_organization'), organizations.data ?? [])}
          {select('type', t('filters.any_type'), TYPES.map((v) => ({ value: v, label: tApp(`ticket.type.${v}`) })))}
          {select('priority', t('filters.any_priority'), PRIORITIES.map((v) => ({ value: v, label: tApp(`ticket.priority.${v}`) })))}
          {select('channel', t('filters.any_channel'), CHANNELS.map((v) => ({ value: v, label: tApp(`ticket.channel.${v}`) })))}
        </SimpleGrid>
        {optionsFailed && (
          <Text size="sm" c="red.9" role="alert">
            {t('filters.options_error')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
