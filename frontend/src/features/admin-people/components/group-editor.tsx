import { Badge, Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { matchesSearch } from '@/shared/lib/text';
import { groupKeys, useSetMembers, useUpdateGroup, type Group as SupportGroup, type UpdateGroup } from '../api/groups';
import { useStaff, WriteError } from '../api/people';
import { isAbsent } from '../lib/absence';
import { outcomeOf, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';
import { FormAlert, useFieldMessage } from './form-alert';
import { GROUP_INPUTS, GroupFields, type GroupValues } from './group-fields';
import { success, warning, type Notice } from './notice';

/** A group's details and its members, for the desk's managers (others cannot reach it). */
export function GroupEditor({ group, onSaved }: { group: SupportGroup; onSaved: (notice: Notice) => void }) {
  return (
    <Stack gap="lg">
      <GroupDetailsForm key={group.version} group={group} onSaved={onSaved} />
      <MembersForm key={group.member_ids.join(',')} group={group} onSaved={onSaved} />
    </Stack>
  );
}

function GroupDetailsForm({ group, onSaved }: { group: SupportGroup; onSaved: (notice: Notice) => void }) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const queryClient = useQueryClient();
  const update = useUpdateGroup(group);
  const [values, setValues] = useState<GroupValues>({
    name: group.name,
    level: group.level,
    description: group.description ?? '',
    external_provider: group.external_provider,
  });
  const [active, setActive] = useState(group.active);
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);
  const labels: Record<string, string> = {
    name: t('groups.name'),
    level: t('groups.level'),
    description: t('groups.description'),
    external_provider: t('groups.external_provider'),
    active: t('groups.active'),
  };
  const inputs = Object.fromEntries(Object.entries(labels).map(([name, label]) => [name, { label, id: `group-${name}` }]));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    if (!values.name.trim()) {
      setOutcome({ fields: { name: 'required' }, general: null });
      return;
    }
    const body: UpdateGroup = {};
    if (values.name.trim() !== group.name) body.name = values.name.trim();
    if (values.level !== group.level) body.level = values.level;
    if ((values.description.trim() || null) !== (group.description ?? null)) body.description = values.description.trim() || null;
    if (values.external_provider !== group.external_provider) body.external_provider = values.external_provider;
    if (active !== group.active) body.active = active;
    setOutcome(null);
    if (Object.keys(body).length === 0) {
      onSaved(success(t('person.no_changes')));
      return;
    }
    try {
      await update.mutateAsync(body);
      onSaved(success(t('group.saved')));
    } catch (error) {
      if (error instanceof WriteError && error.status === 412) {
        onSaved(warning(t('errors.general.version_mismatch')));
        void queryClient.invalidateQueries({ queryKey: groupKeys.all });
        return;
      }
      setOutcome(
        error instanceof WriteError
          ? outcomeOf(error.status, error.problem, GROUP_INPUTS, { name_taken: 'name' })
          : { fields: {}, general: 'network' },
      );
    }
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="group-details-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="group-details-heading">
            {t('group.details')}
          </Title>
          <FormAlert outcome={outcome} inputs={inputs} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <GroupFields idPrefix="group" values={values} onChange={setValues} errors={outcome?.fields ?? {}} />
            <Checkbox
              id="group-active"
              label={t('groups.active')}
              description={t('groups.active_hint')}
              checked={active}
              onChange={(e) => setActive(e.currentTarget.checked)}
              error={message(outcome?.fields.active)}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t('group.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function MembersForm({ group, onSaved }: { group: SupportGroup; onSaved: (notice: Notice) => void }) {
  const { t } = useStrings();
  const staff = useStaff();
  const save = useSetMembers(group.id);
  const [chosen, setChosen] = useState<string[]>(group.member_ids);
  const [filter, setFilter] = useState('');
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    setOutcome(null);
    try {
      await save.mutateAsync(chosen);
      onSaved(success(t('group.members_saved')));
    } catch (error) {
      // `user_ids.<n>` names a person who is no longer active staff: the whole list is the input.
      setOutcome(
        error instanceof WriteError
          ? outcomeOf(error.status, error.problem, ['user_ids'])
          : { fields: {}, general: 'network' },
      );
    }
  }

  const people = staff.data ?? [];
  // Members who are no longer active staff stay listed (by id) so they can be removed.
  const known = new Set(people.map((u) => u.id));
  const visible = people.filter((u) => matchesSearch(filter, [u.display_name, u.username]));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="group-members-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="group-members-heading">
            {t('group.members')}
          </Title>
          <Text size="sm">{t('group.members_intro')}</Text>
          <FormAlert outcome={outcome} inputs={{ user_ids: { label: t('group.members'), id: 'group-members-filter' } }} />
          <TextInput
            id="group-members-filter"
            type="search"
            label={t('group.members_filter')}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            autoComplete="off"
            maw={420}
          />
          {staff.isPending ? (
            <LoadingState label={t('group.members_loading')} minHeight={80} />
          ) : staff.isError ? (
            <ErrorState onRetry={() => void staff.refetch()} />
          ) : people.length === 0 ? (
            <Text size="sm">{t('group.no_staff')}</Text>
          ) : (
            <Checkbox.Group
              label={t('group.members')}
              description={t('group.selected_count', { count: chosen.length })}
              value={chosen}
              onChange={setChosen}
              error={outcome?.fields.user_ids ? t('errors.field.invalid') : undefined}
            >
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
                {chosen
                  .filter((id) => !known.has(id))
                  .map((id) => (
                    <Checkbox key={id} value={id} label={id} />
                  ))}
                {visible.map((u) => (
                  <Checkbox
                    key={u.id}
                    value={u.id}
                    label={
                      <Group gap={6} wrap="wrap" component="span">
                        <span>{u.display_name}</span>
                        <Text span size="xs" c="dimmed">
                          {t(`roles.${u.role}`)}
                        </Text>
                        {isAbsent(u.absent_until) && (
                          <Badge component="span" size="xs" variant="light" color="orange">
                            {t('group.absent_badge')}
                          </Badge>
                        )}
                      </Group>
                    }
                  />
                ))}
              </SimpleGrid>
              {visible.length === 0 && (
                <Text size="sm" mt="xs">
                  {t('group.no_match', { q: filter })}
                </Text>
              )}
            </Checkbox.Group>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('group.members_save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
