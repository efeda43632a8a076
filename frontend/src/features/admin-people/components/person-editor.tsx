import { Button, Checkbox, Group, NativeSelect, Paper, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/shared/lib/format';
import { peopleKeys, useAreas, useOrganizations, useUpdatePerson, WriteError, type Role, type UpdateUser, type User } from '../api/people';
import { outcomeOf, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';
import { FormAlert, useFieldMessage } from './form-alert';
import { success, warning, type Notice } from './notice';
import { OrgAreaFields } from './org-area-fields';

const ROLES: Role[] = ['requester', 'agent', 'supervisor', 'admin'];
const INPUTS = [
  'display_name',
  'email',
  'phone',
  'identity_number',
  'role',
  'organization_id',
  'area_id',
  'locale',
  'active',
] as const;
const id = (name: string) => `person-${name}`;

/** The form's values; text inputs hold '' for "none". */
function valuesOf(user: User) {
  return {
    display_name: user.display_name,
    email: user.email ?? '',
    phone: user.phone ?? '',
    identity_number: user.identity_number ?? '',
    role: user.role,
    organization_id: user.organization_id ?? '',
    area_id: user.area_id ?? '',
    locale: user.locale,
    active: user.active,
  };
}
type Values = ReturnType<typeof valuesOf>;

/** Only what changed, with '' sent as null (cleared). */
export function changesOf(before: Values, after: Values): UpdateUser {
  const body: UpdateUser = {};
  if (after.display_name.trim() !== before.display_name) body.display_name = after.display_name.trim();
  const optional = ['email', 'phone', 'identity_number', 'organization_id', 'area_id'] as const;
  for (const key of optional) {
    const value = after[key].trim();
    if (value !== before[key]) body[key] = value || null;
  }
  if (after.role !== before.role) body.role = after.role;
  if (after.locale !== before.locale) body.locale = after.locale;
  if (after.active !== before.active) body.active = after.active;
  return body;
}

function failure(error: unknown): FormOutcome {
  return error instanceof WriteError ? outcomeOf(error.status, error.problem, INPUTS) : { fields: {}, general: 'network' };
}

/**
 * A person's account: admins change it (only the changed fields travel, with If-Match); others
 * read it. `onSaved` lets the page say so after the form is rebuilt from the new version.
 */
export function PersonEditor({ user, canEdit, onSaved }: { user: User; canEdit: boolean; onSaved: (notice: Notice) => void }) {
  const { t } = useStrings();
  if (!canEdit) return <PersonDetails user={user} />;
  return (
    <Stack gap="lg">
      <AccountForm user={user} onSaved={onSaved} />
      {user.auth_source === 'local' && <PasswordForm user={user} onSaved={() => onSaved(success(t('person.password_saved')))} />}
    </Stack>
  );
}

function AccountForm({ user, onSaved }: { user: User; onSaved: (notice: Notice) => void }) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const queryClient = useQueryClient();
  const update = useUpdatePerson(user);
  const [values, setValues] = useState<Values>(() => valuesOf(user));
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const errors: Record<string, string | undefined> = outcome?.fields ?? {};

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setStatus(null);
    if (outcome?.fields[key]) {
      const { [key]: _removed, ...rest } = outcome.fields;
      setOutcome({ ...outcome, fields: rest });
    }
  };

  const labels: Record<(typeof INPUTS)[number], string> = {
    display_name: t('person.display_name'),
    email: t('person.email'),
    phone: t('person.phone'),
    identity_number: t('person.identity_number'),
    role: t('person.role'),
    organization_id: t('person.organization'),
    area_id: t('person.area'),
    locale: t('person.language'),
    active: t('person.active'),
  };
  const inputs = Object.fromEntries(INPUTS.map((name) => [name, { label: labels[name], id: id(name) }]));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    if (!values.display_name.trim()) {
      setOutcome({ fields: { display_name: 'required' }, general: null });
      return;
    }
    const body = changesOf(valuesOf(user), values);
    if (Object.keys(body).length === 0) {
      setOutcome(null);
      setStatus(t('person.no_changes'));
      return;
    }
    setOutcome(null);
    try {
      await update.mutateAsync(body);
      onSaved(success(t('person.saved')));
    } catch (error) {
      // Someone else saved first: load their version (the page rebuilds the form from it and says why).
      if (error instanceof WriteError && error.status === 412) {
        onSaved(warning(t('errors.general.version_mismatch')));
        void queryClient.invalidateQueries({ queryKey: peopleKeys.one(user.id) });
      } else {
        setOutcome(failure(error));
      }
    }
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="person-details-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="person-details-heading">
            {t('person.details')}
          </Title>
          <FormAlert outcome={outcome} inputs={inputs} />
          <Text size="sm">
            {t('person.username')}: <strong>{user.username}</strong> ·{' '}
            {user.auth_source === 'directory' ? t('person.auth_directory') : t('person.auth_local')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              id={id('display_name')}
              label={t('person.display_name')}
              required
              value={values.display_name}
              onChange={(e) => set('display_name', e.currentTarget.value)}
              error={message(errors.display_name)}
            />
            <TextInput
              id={id('identity_number')}
              label={t('person.identity_number')}
              description={t('person.identity_number_hint')}
              value={values.identity_number}
              onChange={(e) => set('identity_number', e.currentTarget.value)}
              error={message(errors.identity_number)}
            />
            <TextInput
              id={id('email')}
              type="email"
              label={t('person.email')}
              value={values.email}
              onChange={(e) => set('email', e.currentTarget.value)}
              error={message(errors.email)}
            />
            <TextInput
              id={id('phone')}
              type="tel"
              label={t('person.phone')}
              value={values.phone}
              onChange={(e) => set('phone', e.currentTarget.value)}
              error={message(errors.phone)}
            />
            <NativeSelect
              id={id('role')}
              label={t('person.role')}
              description={t(`role_hints.${values.role}`)}
              value={values.role}
              onChange={(e) => set('role', e.currentTarget.value as Role)}
              data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              error={message(errors.role)}
            />
            <NativeSelect
              id={id('locale')}
              label={t('person.language')}
              value={values.locale}
              onChange={(e) => set('locale', e.currentTarget.value)}
              data={[
                { value: 'es-CO', label: t('person.language_es') },
                { value: 'en', label: t('person.language_en') },
              ]}
              error={message(errors.locale)}
            />
            <OrgAreaFields
              idPrefix="person"
              organizationId={values.organization_id}
              areaId={values.area_id}
              onChange={({ organizationId, areaId }) => {
                set('organization_id', organizationId);
                set('area_id', areaId);
              }}
              errors={errors}
            />
          </SimpleGrid>
          <Checkbox
            id={id('active')}
            label={t('person.active')}
            description={t('person.active_hint')}
            checked={values.active}
            onChange={(e) => set('active', e.currentTarget.checked)}
            error={message(errors.active)}
          />
          <Group>
            <Button type="submit" loading={update.isPending}>
              {t('person.save')}
            </Button>
            <Text size="sm" role="status">
              {update.isPending ? t('person.saving') : status}
            </Text>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function PasswordForm({ user, onSaved }: { user: User; onSaved: () => void }) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const update = useUpdatePerson(user);
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);
  const inputs = { password: { label: t('person.password'), id: 'person-password' } };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    if (!password) {
      setOutcome({ fields: { password: 'required' }, general: null });
      return;
    }
    setOutcome(null);
    try {
      await update.mutateAsync({ password });
      setPassword('');
      onSaved();
    } catch (error) {
      setOutcome(error instanceof WriteError ? outcomeOf(error.status, error.problem, ['password']) : { fields: {}, general: 'network' });
    }
  }

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="person-password-heading">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h3" id="person-password-heading">
            {t('person.password_title')}
          </Title>
          <FormAlert outcome={outcome} inputs={inputs} />
          <PasswordInput
            id="person-password"
            label={t('person.password')}
            description={t('person.password_hint')}
            autoComplete="new-password"
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              setOutcome(null);
            }}
            error={message(outcome?.fields.password)}
            maw={420}
          />
          <Group>
            <Button type="submit" variant="default" loading={update.isPending}>
              {t('person.password_save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** What a supervisor sees: the account, read-only. */
function PersonDetails({ user }: { user: User }) {
  const { t } = useStrings();
  const { i18n } = useTranslation();
  const organizations = useOrganizations();
  const areas = useAreas(user.organization_id ?? null);
  const none = t('person.empty');
  const rows: [string, string][] = [
    [t('person.username'), user.username],
    [t('person.display_name'), user.display_name],
    [t('person.role'), t(`roles.${user.role}`)],
    [t('person.identity_number'), user.identity_number ?? none],
    [t('person.email'), user.email ?? none],
    [t('person.phone'), user.phone ?? none],
    [t('person.organization'), organizations.data?.find((o) => o.id === user.organization_id)?.name ?? none],
    [t('person.area'), areas.data?.find((a) => a.id === user.area_id)?.name ?? none],
    [t('person.active'), user.active ? t('people.active') : t('people.inactive')],
    [t('person.auth_source'), user.auth_source === 'directory' ? t('person.auth_directory') : t('person.auth_local')],
    [t('person.last_login'), user.last_login_at ? formatDateTime(user.last_login_at, i18n.language) : t('person.never')],
  ];
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="person-details-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="person-details-heading">
          {t('person.details')}
        </Title>
        <Text size="sm">{t('person.read_only')}</Text>
        <SimpleGrid component="dl" cols={{ base: 1, sm: 2 }} spacing="xs" m={0}>
          {rows.map(([label, value]) => (
            <div key={label}>
              <Text component="dt" size="sm" fw={600}>
                {label}
              </Text>
              <Text component="dd" m={0} style={{ overflowWrap: 'anywhere' }}>
                {value}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
