import { Button, Group, NativeSelect, PasswordInput, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useCreatePerson, WriteError, type CreateUser, type Role, type User } from '../api/people';
import { outcomeOf, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';
import { FormAlert, useFieldMessage } from './form-alert';
import { OrgAreaFields } from './org-area-fields';

const ROLES: Role[] = ['requester', 'agent', 'supervisor', 'admin'];
const INPUTS = [
  'auth_source',
  'username',
  'display_name',
  'password',
  'role',
  'email',
  'phone',
  'organization_id',
  'area_id',
  'locale',
] as const;
const id = (name: string) => `new-person-${name}`;

/**
 * A new account (admins): local, with a password Mesa keeps, or a directory account registered
 * ahead of its first sign-in. Problems are shown at their inputs and listed above the form.
 */
export function CreatePersonForm({ onCreated }: { onCreated: (user: User) => void }) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const create = useCreatePerson();
  const [kind, setKind] = useState<'local' | 'directory'>('local');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('requester');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [org, setOrg] = useState({ organizationId: '', areaId: '' });
  const [locale, setLocale] = useState('es-CO');
  const [outcome, setOutcome] = useState<FormOutcome | null>(null);

  const errors: Record<string, string | undefined> = outcome?.fields ?? {};
  const clear = (name: string) => {
    if (outcome?.fields[name]) {
      const { [name]: _removed, ...rest } = outcome.fields;
      setOutcome({ ...outcome, fields: rest });
    }
  };

  const labels: Record<string, string> = {
    auth_source: t('create.kind'),
    username: t('person.username'),
    display_name: t('person.display_name'),
    password: t('create.password'),
    role: t('person.role'),
    email: t('person.email'),
    phone: t('person.phone'),
    organization_id: t('person.organization'),
    area_id: t('person.area'),
    locale: t('person.language'),
  };
  const inputs = Object.fromEntries(INPUTS.map((name) => [name, { label: labels[name]!, id: id(name) }]));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (create.isPending) return;
    const missing: Record<string, string> = {};
    if (!username.trim()) missing.username = 'required';
    if (!displayName.trim()) missing.display_name = 'required';
    if (kind === 'local' && !password) missing.password = 'required';
    if (Object.keys(missing).length > 0) {
      setOutcome({ fields: missing, general: null });
      return;
    }
    const body: CreateUser = {
      username: username.trim(),
      display_name: displayName.trim(),
      role,
      auth_source: kind,
      password: kind === 'local' ? password : null,
      email: email.trim() || null,
      phone: phone.trim() || null,
      organization_id: org.organizationId || null,
      area_id: org.areaId || null,
      locale,
    };
    setOutcome(null);
    try {
      const user = await create.mutateAsync(body);
      onCreated(user);
    } catch (error) {
      setOutcome(
        error instanceof WriteError
          ? outcomeOf(error.status, error.problem, INPUTS, { username_taken: 'username', already_exists: 'username' })
          : { fields: {}, general: 'network' },
      );
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('create.title')}>
      <Stack gap="md">
        <FormAlert outcome={outcome} inputs={inputs} />
        <Radio.Group
          id={id('auth_source')}
          label={t('create.kind')}
          value={kind}
          onChange={(value) => setKind(value as 'local' | 'directory')}
          error={message(errors.auth_source)}
        >
          <Stack gap="xs" mt="xs">
            <Radio value="local" label={t('create.local')} description={t('create.local_hint')} />
            <Radio value="directory" label={t('create.directory')} description={t('create.directory_hint')} />
          </Stack>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            id={id('username')}
            label={t('person.username')}
            description={t('create.username_hint')}
            required
            autoComplete="off"
            value={username}
            onChange={(e) => {
              setUsername(e.currentTarget.value);
              clear('username');
            }}
            error={message(errors.username)}
          />
          <TextInput
            id={id('display_name')}
            label={t('person.display_name')}
            required
            autoComplete="off"
            value={displayName}
            onChange={(e) => {
              setDisplayName(e.currentTarget.value);
              clear('display_name');
            }}
            error={message(errors.display_name)}
          />
          {kind === 'local' && (
            <PasswordInput
              id={id('password')}
              label={t('create.password')}
              description={t('create.password_hint')}
              required
              autoComplete="new-password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                clear('password');
              }}
              error={message(errors.password)}
            />
          )}
          <NativeSelect
            id={id('role')}
            label={t('person.role')}
            description={t(`role_hints.${role}`)}
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
            data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            error={message(errors.role)}
          />
          <TextInput
            id={id('email')}
            type="email"
            label={t('person.email')}
            autoComplete="off"
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              clear('email');
            }}
            error={message(errors.email)}
          />
          <TextInput
            id={id('phone')}
            type="tel"
            label={t('person.phone')}
            autoComplete="off"
            value={phone}
            onChange={(e) => {
              setPhone(e.currentTarget.value);
              clear('phone');
            }}
            error={message(errors.phone)}
          />
          <OrgAreaFields
            idPrefix="new-person"
            organizationId={org.organizationId}
            areaId={org.areaId}
            onChange={setOrg}
            errors={errors}
          />
          <NativeSelect
            id={id('locale')}
            label={t('person.language')}
            value={locale}
            onChange={(e) => setLocale(e.currentTarget.value)}
            data={[
              { value: 'es-CO', label: t('person.language_es') },
              { value: 'en', label: t('person.language_en') },
            ]}
            error={message(errors.locale)}
          />
        </SimpleGrid>
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('create.submit')}
          </Button>
          {create.isPending && (
            <Text size="sm" role="status">
              {t('create.submitting')}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
