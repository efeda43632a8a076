import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, TextInput, Textarea, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useCreateApiToken, useGrantableScopes, type CreatedApiToken } from '../api/api-tokens';
import { useIntegrationsT } from '../lib/bundle';
import { fieldErrorsOf } from '../lib/problems';
import { expiresAtFromLastDay, isScope, listOf, scopeKey, today } from '../lib/scopes';
import { messageOf, SaveAlert } from './save-alert';

const INPUTS = ['name', 'scopes', 'expires_at', 'allowed_networks'] as const;

/** A new token acting as the caller: a name, the scopes the API says the caller may grant, an optional last day and networks. */
export function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const t = useIntegrationsT();
  const create = useCreateApiToken();
  const grantable = useGrantableScopes();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [lastDay, setLastDay] = useState('');
  const [networks, setNetworks] = useState('');
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const errors = fieldErrorsOf(create.error, INPUTS);
  const msg = (field: (typeof INPUTS)[number]) =>
    missing[field] ? t('errors.required') : messageOf(t, errors, field, field === 'allowed_networks' ? listOf(networks) : []);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (create.isPending) return;
    const absent = { name: name.trim() === '', scopes: scopes.length === 0 };
    setMissing(absent);
    if (absent.name || absent.scopes) return;
    const allowed = listOf(networks);
    create.mutate(
      {
        name: name.trim(),
        scopes,
        expires_at: lastDay ? expiresAtFromLastDay(lastDay) : null,
        allowed_networks: allowed.length > 0 ? allowed : null,
      },
      {
        onSuccess: (created) => {
          setName('');
          setScopes([]);
          setLastDay('');
          setNetworks('');
          onCreated(created);
        },
      },
    );
  }

  return (
    <Paper withBorder p="md" radius="md">
      <form noValidate aria-labelledby="new-token-title" onSubmit={onSubmit}>
        <Stack gap="sm">
          <Title order={2} size="h3" id="new-token-title">
            {t('tokens.new')}
          </Title>
          <SaveAlert t={t} error={create.error} fields={errors} />
          <TextInput
            label={t('tokens.name')}
            description={t('tokens.name_hint')}
            required
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setMissing((m) => ({ ...m, name: false }));
            }}
            error={msg('name')}
          />
          <Checkbox.Group
            label={t('tokens.scopes')}
            description={t('tokens.scopes_hint')}
            required
            value={scopes}
            onChange={(value) => {
              setScopes(value);
              setMissing((m) => ({ ...m, scopes: false }));
            }}
            error={msg('scopes')}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
              {(grantable.data ?? []).map((scope) => (
                <Checkbox key={scope} value={scope} label={scope} description={isScope(scope) ? t(scopeKey(scope)) : undefined} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="date" label={t('tokens.expires')} description={t('tokens.expires_hint')} min={today()} value={lastDay} onChange={(e) => setLastDay(e.currentTarget.value)} error={msg('expires_at')} />
            <Textarea
              label={t('tokens.networks')}
              description={t('tokens.networks_hint')}
              autosize
              minRows={2}
              maxRows={6}
              value={networks}
              onChange={(e) => setNetworks(e.currentTarget.value)}
              error={msg('allowed_networks')}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('tokens.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
