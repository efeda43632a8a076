import { Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useCreateGroup, useDeskGroups, type Group as SupportGroup } from '../api/groups';
import { useStaff, WriteError, type Desk } from '../api/people';
import { outcomeOf, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';
import { FormAlert } from './form-alert';
import { GROUP_INPUTS, GroupFields, type GroupValues } from './group-fields';

const LEVELS = [1, 2, 3] as const;

/**
 * The support groups of one desk (the desks the caller manages), by level, with their members,
 * and a form to create one. A new group opens at once so its members can be added.
 */
export function GroupsAdmin({
  desks,
  hrefFor,
  onCreated,
}: {
  desks: Desk[];
  hrefFor: (id: string) => string;
  onCreated: (group: SupportGroup) => void;
}) {
  const { t } = useStrings();
  const [deskId, setDeskId] = useState(desks[0]?.id ?? '');
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const groups = useDeskGroups(deskId || null);
  const staff = useStaff();
  const names = new Map((staff.data ?? []).map((u) => [u.id, u.display_name]));

  if (desks.length === 0) return <EmptyState title={t('groups.no_desks_title')}>{t('groups.no_desks_text')}</EmptyState>;

  return (
    <Stack gap="md">
      <Group align="flex-end" justify="space-between" gap="sm">
        <NativeSelect
          label={t('groups.desk')}
          value={deskId}
          onChange={(e) => {
            setDeskId(e.currentTarget.value);
            setCreating(false);
          }}
          data={desks.map((d) => ({ value: d.id, label: d.name }))}
          style={{ flex: '1 1 260px', maxWidth: 480 }}
        />
        {!creating && (
          <Button ref={newButton} onClick={() => setCreating(true)}>
            {t('groups.new')}
          </Button>
        )}
      </Group>

      {creating && (
        <CreateGroupForm
          deskId={deskId}
          onCancel={() => {
            setCreating(false);
            // Back to the button that opened the form.
            window.setTimeout(() => newButton.current?.focus(), 0);
          }}
          onCreated={onCreated}
        />
      )}

      {groups.isPending ? (
        <LoadingState label={t('groups.loading')} />
      ) : groups.isError ? (
        <ErrorState onRetry={() => void groups.refetch()} />
      ) : groups.data.length === 0 ? (
        <EmptyState title={t('groups.empty_title')}>{t('groups.empty_text')}</EmptyState>
      ) : (
        LEVELS.map((level) => {
          const ofLevel = groups.data.filter((g) => g.level === level);
          return (
            <Stack key={level} gap="xs" component="section" aria-labelledby={`groups-level-${level}`}>
              <Title order={2} size="h4" id={`groups-level-${level}`}>
                {t(`groups.level_${level}`)}
              </Title>
              {ofLevel.length === 0 ? (
                <Text size="sm">{t('groups.empty_level')}</Text>
              ) : (
                <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {ofLevel.map((g) => (
                    <Paper key={g.id} component="li" withBorder radius="md" p="sm">
                      <Stack gap={4}>
                        <Group gap="xs" wrap="wrap">
                          <Anchor component={Link} to={hrefFor(g.id)} fw={600} aria-label={t('groups.edit', { name: g.name })}>
                            {g.name}
                          </Anchor>
                          {g.external_provider && (
                            <Badge variant="light" color="grape">
                              {t('groups.provider')}
                            </Badge>
                          )}
                          {!g.active && (
                            <Badge variant="light" color="red">
                              {t('groups.inactive')}
                            </Badge>
                          )}
                        </Group>
                        {g.description && <Text size="sm">{g.description}</Text>}
                        <Text size="sm" c="dimmed">
                          {g.member_ids.length === 0
                            ? t('groups.no_members')
                            : `${t('groups.members_count', { count: g.member_ids.length })}: ${g.member_ids
                                .map((id) => names.get(id))
                                .filter(Boolean)
                                .join(', ')}`}
                        </Text>
                      </Stack>
                    </Paper>
                  ))}
                </Stack>
              )}
            </Stack>
          );
        })
      )}
    </Stack>
  );
}

function CreateGroupForm({
  deskId,
  onCancel,
  onCreated,
}: {
  deskId: string;
  onCancel: () => void;
  onCreated: (group: SupportGroup) => void;
}) {
  const { t } = useStrings();
  const create = useCreateGroup();
  const [values, setValues] = useState<GroupValues>({ name: '', level: 1, description: '', external_provider: false });
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);
  const labels: Record<string, string> = {
    name: t('groups.name'),
    level: t('groups.level'),
    description: t('groups.description'),
    external_provider: t('groups.external_provider'),
  };
  const inputs = Object.fromEntries(Object.entries(labels).map(([name, label]) => [name, { label, id: `new-group-${name}` }]));
  // The form opens on a click: take the keyboard to its first input.
  useEffect(() => document.getElementById('new-group-name')?.focus(), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    if (!values.name.trim()) {
      setOutcome({ fields: { name: 'required' }, general: null });
      return;
    }
    setOutcome(null);
    try {
      const group = await create.mutateAsync({
        desk_id: deskId,
        name: values.name.trim(),
        level: values.level,
        description: values.description.trim() || null,
        external_provider: values.external_provider,
      });
      onCreated(group);
    } catch (error) {
      setOutcome(
        error instanceof WriteError
          ? outcomeOf(error.status, error.problem, [...GROUP_INPUTS, 'desk_id'], { name_taken: 'name' })
          : { fields: {}, general: 'network' },
      );
    }
  }

  return (
    <Paper withBorder radius="md" p="md" id="new-group-form" component="section" aria-labelledby="new-group-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="new-group-heading">
            {t('groups.create_title')}
          </Title>
          <FormAlert outcome={outcome} inputs={inputs} />
          <GroupFields
            idPrefix="new-group"
            values={values}
            onChange={(next) => {
              setValues(next);
              if (outcome && next.name !== values.name && outcome.fields.name) setOutcome(null);
            }}
            errors={outcome?.fields ?? {}}
          />
          <Group gap="sm">
            <Button type="submit" loading={create.isPending}>
              {t('groups.create')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('groups.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
