import { Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesks } from '../api/tickets';
import { DEFAULT_FILTERS, dayToInstant, deleteFilter, loadSavedFilters, saveFilter, type SavedFilter, type TableFilters } from '../lib/saved-filters';
import { OPEN_STATUSES, PRIORITIES, STATUSES } from '../lib/status';
import type { ListQuery } from '../lib/types';
import { CaseTable, type SortState } from './case-table';

/**
 * "Vista de tabla": the queues as a dense table with every filter the API offers, saved
 * filters (in this browser) and bulk actions. `wholeDesk`: supervisors and admins may list
 * every case of a desk (`view=all`).
 */
export function QueueTable({
  userId,
  wholeDesk,
  filters,
  onFilters,
}: {
  userId: string;
  wholeDesk: boolean;
  filters: TableFilters;
  /** New filters, or a change of the latest ones (two quick changes must not undo each other). */
  onFilters: (f: TableFilters | ((current: TableFilters) => TableFilters)) => void;
}) {
  const { t } = useTranslation();
  const desks = useDesks();
  const [sort, setSort] = useState<SortState>({ column: 'due', direction: 'asc' });
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(userId));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const set = <K extends keyof TableFilters>(key: K) => (value: TableFilters[K]) => onFilters((current) => ({ ...current, [key]: value }));

  const query: Omit<ListQuery, 'cursor' | 'sort'> = {
    view: filters.view,
    ...(filters.desk_id ? { desk_id: filters.desk_id } : {}),
    ...(filters.status === 'all' ? {} : { status: filters.status === 'open' ? OPEN_STATUSES.join(',') : filters.status }),
    ...(filters.priority ? { priority: filters.priority } : {}),
    ...(filters.level ? { level: Number(filters.level) } : {}),
    ...(filters.type ? { type: filters.type as 'incident' | 'request' } : {}),
    ...(dayToInstant(filters.created_from, false) ? { created_from: dayToInstant(filters.created_from, false) } : {}),
    ...(dayToInstant(filters.created_to, true) ? { created_to: dayToInstant(filters.created_to, true) } : {}),
  };
  const views = (['mine', 'my_groups', 'unassigned', ...(wholeDesk ? (['all'] as const) : [])] as const).map((v) => ({ value: v, label: t(`tickets.table.views.${v}`) }));

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm" component="section" aria-label={t('tickets.table.filters')}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
          <NativeSelect label={t('tickets.table.view')} value={filters.view} onChange={(e) => set('view')(e.currentTarget.value as TableFilters['view'])} data={views} />
          <NativeSelect
            label={t('tickets.table.desk')}
            value={filters.desk_id}
            onChange={(e) => set('desk_id')(e.currentTarget.value)}
            data={[{ value: '', label: t('tickets.table.any_desk') }, ...(desks.data ?? []).map((d) => ({ value: d.id, label: d.name }))]}
          />
          <NativeSelect
            label={t('tickets.filters.status')}
            value={filters.status}
            onChange={(e) => set('status')(e.currentTarget.value)}
            data={[
              { value: 'open', label: t('tickets.filters.open') },
              { value: 'all', label: t('tickets.filters.all') },
              ...STATUSES.map((s) => ({ value: s, label: t(`ticket.status.${s}`) })),
            ]}
          />
          <NativeSelect
            label={t('tickets.filters.priority')}
            value={filters.priority}
            onChange={(e) => set('priority')(e.currentTarget.value)}
            data={[{ value: '', label: t('tickets.filters.any_priority') }, ...PRIORITIES.map((p) => ({ value: p, label: t(`ticket.priority.${p}`) }))]}
          />
          <NativeSelect
            label={t('tickets.table.level')}
            value={filters.level}
            onChange={(e) => set('level')(e.currentTarget.value)}
            data={[{ value: '', label: t('tickets.table.any_level') }, ...[1, 2, 3].map((l) => ({ value: String(l), label: t('ticket.facts.level_value', { level: l }) }))]}
          />
          <NativeSelect
            label={t('ticket.facts.type')}
            value={filters.type}
            onChange={(e) => set('type')(e.currentTarget.value)}
            data={[{ value: '', label: t('tickets.table.any_type') }, ...(['incident', 'request'] as const).map((x) => ({ value: x, label: t(`ticket.type.${x}`) }))]}
          />
          <TextInput type="date" label={t('tickets.table.created_from')} value={filters.created_from} onChange={(e) => set('created_from')(e.currentTarget.value)} />
          <TextInput type="date" label={t('tickets.table.created_to')} value={filters.created_to} onChange={(e) => set('created_to')(e.currentTarget.value)} />
        </SimpleGrid>
        <Group gap="sm" mt="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('tickets.table.saved')}
            value=""
            onChange={(e) => {
              const found = saved.find((s) => s.name === e.currentTarget.value);
              if (found) onFilters(found.filters);
            }}
            data={[{ value: '', label: saved.length ? t('tickets.table.choose_saved') : t('tickets.table.no_saved') }, ...saved.map((s) => ({ value: s.name, label: s.name }))]}
          />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const trimmed = name.trim();
              if (!trimmed) return setNameError(t('ticket.errors.required'));
              setSaved(saveFilter(userId, saved, { name: trimmed.slice(0, 60), filters }));
              setName('');
            }}
            style={{ display: 'flex', gap: 8, alignItems: 'flex-end' }}
          >
            <TextInput
              label={t('tickets.table.save_as')}
              value={name}
              error={nameError}
              maxLength={60}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setNameError(undefined);
              }}
            />
            <Button type="submit" variant="light">
              {t('tickets.table.save')}
            </Button>
          </form>
          <Button variant="subtle" onClick={() => onFilters(DEFAULT_FILTERS)}>
            {t('tickets.table.reset')}
          </Button>
        </Group>
        {saved.length > 0 && (
          <Group gap={6} mt="xs">
            <Text size="sm">{t('tickets.table.saved_list')}</Text>
            {saved.map((s) => (
              <Group key={s.name} gap={2}>
                <Button size="compact-xs" variant="light" onClick={() => onFilters(s.filters)}>
                  {s.name}
                </Button>
                <Button size="compact-xs" variant="subtle" color="red" aria-label={t('tickets.table.delete_saved', { name: s.name })} onClick={() => setSaved(deleteFilter(userId, saved, s.name))}>
                  ×
                </Button>
              </Group>
            ))}
          </Group>
        )}
      </Paper>
      <CaseTable query={query} label={t('tickets.table.label')} emptyTitle={t('tickets.table.empty')} refetchInterval={20_000} sort={sort} onSort={setSort} />
    </Stack>
  );
}
