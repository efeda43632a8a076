import { Anchor, Badge, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useOrganizations, usePeople, type PeopleFilter, type Role } from '../api/people';
import { formatDay, isAbsent, lastDayAway } from '../lib/absence';
import { useStrings } from '../lib/strings';

const ROLES: Role[] = ['requester', 'agent', 'supervisor', 'admin'];

/**
 * The people registered in Mesa: a search by name, username or email, filters by role, status
 * and organization, one card per person (readable on a phone) and "show more" by pages.
 */
export function PeopleList({ hrefFor }: { hrefFor: (id: string) => string }) {
  const { t } = useStrings();
  const { i18n } = useTranslation();
  const [text, setText] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [state, setState] = useState<'' | 'active' | 'inactive'>('active');
  const [organizationId, setOrganizationId] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const filter: PeopleFilter = {
    q,
    role: role || null,
    active: state === '' ? null : state === 'active',
    organizationId: organizationId || null,
  };
  const people = usePeople(filter);
  const organizations = useOrganizations();
  const orgName = new Map((organizations.data ?? []).map((o) => [o.id, o.name]));
  const items = people.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md" component="section" aria-label={t('people.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <TextInput
            type="search"
            label={t('people.search')}
            description={t('people.search_hint')}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            autoComplete="off"
          />
          <NativeSelect
            label={t('people.role')}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role | '')}
            data={[{ value: '', label: t('people.any_role') }, ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))]}
          />
          <NativeSelect
            label={t('people.state')}
            value={state}
            onChange={(e) => setState(e.currentTarget.value as '' | 'active' | 'inactive')}
            data={[
              { value: '', label: t('people.any_state') },
              { value: 'active', label: t('people.active') },
              { value: 'inactive', label: t('people.inactive') },
            ]}
          />
          <NativeSelect
            label={t('people.organization')}
            value={organizationId}
            onChange={(e) => setOrganizationId(e.currentTarget.value)}
            data={[
              { value: '', label: t('people.any_organization') },
              ...(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name })),
            ]}
          />
        </SimpleGrid>
      </Paper>

      {people.isPending ? (
        <LoadingState label={t('people.loading')} />
      ) : people.isError ? (
        <ErrorState onRetry={() => void people.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('people.empty_title')}>{t('people.empty_text')}</EmptyState>
      ) : (
        <Stack gap="xs" component="ul" aria-label={t('people.results_label')} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((u) => (
            <Paper key={u.id} component="li" withBorder radius="md" p="sm">
              <Group justify="space-between" gap="xs" wrap="wrap">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to={hrefFor(u.id)} fw={600}>
                    {u.display_name}
                  </Anchor>
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {u.username}
                    {u.email ? ` · ${u.email}` : ''}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {u.organization_id ? (orgName.get(u.organization_id) ?? '') : t('people.no_organization')}
                  </Text>
                </Stack>
                <Group gap={6} wrap="wrap">
                  <Badge variant="light" color="blue">
                    {t(`roles.${u.role}`)}
                  </Badge>
                  <Badge variant="light" color="gray">
                    {u.auth_source === 'directory' ? t('people.directory') : t('people.local')}
                  </Badge>
                  {!u.active && (
                    <Badge variant="light" color="red">
                      {t('people.inactive')}
                    </Badge>
                  )}
                  {isAbsent(u.absent_until) && (
                    <Badge variant="light" color="orange">
                      {t('people.absent_until', { date: formatDay(lastDayAway(u.absent_until!), i18n.language) })}
                    </Badge>
                  )}
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      {people.hasNextPage && (
        <Group justify="center">
          <Button variant="default" loading={people.isFetchingNextPage} onClick={() => void people.fetchNextPage()}>
            {t('people.load_more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
