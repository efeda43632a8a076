import { Alert, Group, Paper, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '@/api/schema';
import { LoadingState } from '@/shared/components/states';
import { useUserSearch } from '../api/search-users';

type User = components['schemas']['User'];

/**
 * Whom a phone call is for: search the directory by name, username or email and pick one.
 * Staff may search it (`GET /users`); others are told so.
 */
export function RequesterPicker({
  canSearch,
  value,
  onChange,
  error,
}: {
  canSearch: boolean;
  value: User | null;
  onChange: (user: User | null) => void;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [q] = useDebouncedValue(text.trim(), 300);
  const search = useUserSearch(q, canSearch);
  const found = search.data?.items ?? [];

  if (!canSearch)
    return (
      <Alert color="yellow" variant="light" title={t('register.no_directory_title')} role="alert">
        {t('register.no_directory')}
      </Alert>
    );

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <TextInput
          id="request-requester"
          type="search"
          label={t('register.search')}
          description={t('register.search_hint')}
          required
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          error={error}
          autoComplete="off"
        />
        {q.length >= 2 &&
          (search.isPending ? (
            <LoadingState minHeight={60} />
          ) : found.length === 0 ? (
            <Text size="sm" role="status">
              {t('register.no_results', { q })}
            </Text>
          ) : (
            <Radio.Group
              label={t('register.results')}
              value={value?.id ?? null}
              onChange={(id) => onChange(found.find((u) => u.id === id) ?? null)}
            >
              <Stack gap={6} mt={6}>
                {found.map((u) => (
                  <Radio
                    key={u.id}
                    value={u.id}
                    label={
                      <Group gap={6}>
                        <Text size="sm" fw={600} span>
                          {u.display_name}
                        </Text>
                        <Text size="sm" span>
                          ({u.username}
                          {u.email ? ` · ${u.email}` : ''})
                        </Text>
                      </Group>
                    }
                  />
                ))}
              </Stack>
            </Radio.Group>
          ))}
        {value && (
          <Text size="sm" fw={600} role="status">
            {t('register.selected', { name: value.display_name })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
