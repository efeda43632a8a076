import { Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { components } from '@/api/schema';
import type { CreatedApiToken } from '../api/api-tokens';
import { useIntegrationsT } from '../lib/bundle';
import { CreateTokenForm } from './create-token-form';
import { OneTimeSecret } from './one-time-secret';
import { TokenTable } from './token-table';

type User = components['schemas']['User'];

/** The signed-in person's own tokens: create one (its secret shown once), list and revoke. */
export function MyApiTokens({ me }: { me: User }) {
  const t = useIntegrationsT();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  return (
    <Stack gap="lg">
      {created && (
        <OneTimeSecret
          title={t('secret.token_title')}
          warning={t('secret.token_warning')}
          label={t('secret.token_label', { name: created.api_token.name })}
          value={created.token}
          onDone={() => setCreated(null)}
        >
          <Text size="sm">{t('secret.token_usage')}</Text>
        </OneTimeSecret>
      )}
      <CreateTokenForm onCreated={setCreated} />
      <Stack gap="xs" component="section" aria-labelledby="my-tokens-title">
        <Title order={2} size="h3" id="my-tokens-title">
          {t('tokens.list')}
        </Title>
        <TokenTable userId={me.id} />
      </Stack>
    </Stack>
  );
}

/** Every token of every person (admins, as the API lists them): revoke any. */
export function AllApiTokens() {
  return <TokenTable userId={null} />;
}
