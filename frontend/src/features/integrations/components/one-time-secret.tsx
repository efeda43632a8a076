import { Alert, Button, CopyButton, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { useIntegrationsT } from '../lib/bundle';

/**
 * A secret the API answers once (a new API token, a webhook's signing secret): a warning that it
 * will not be shown again, the value in a read-only field to select or copy, and "I have saved
 * it" to put it away. Focused when it appears, so a screen reader hears the warning first.
 */
export function OneTimeSecret({ title, warning, label, value, children, onDone }: { title: string; warning: string; label: string; value: string; children?: ReactNode; onDone: () => void }) {
  const t = useIntegrationsT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [value]);
  return (
    <Alert ref={ref} tabIndex={-1} color="yellow" variant="light" title={title} role="region" aria-label={title}>
      <Stack gap="sm">
        <Text size="sm">{warning}</Text>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label={label}
            value={value}
            readOnly
            onFocus={(e) => e.currentTarget.select()}
            style={{ flex: 1 }}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'blue'} onClick={copy} aria-live="polite">
                {copied ? t('secret.copied') : t('secret.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        {children}
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('secret.done')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
