import { Alert, Button, Center, Loader, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A spinner announced to screen readers ("Cargando…" or a more specific label). */
export function LoadingState({ label, minHeight = 160 }: { label?: string; minHeight?: number | string }) {
  const { t } = useTranslation();
  return (
    <Center mih={minHeight} role="status" aria-live="polite">
      <Stack align="center" gap="xs">
        <Loader aria-hidden />
        <Text size="sm">{label ?? t('app.loading')}</Text>
      </Stack>
    </Center>
  );
}

/** Nothing to show yet, said plainly, with an optional next step. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl" bg="gray.0">
      <Stack align="center" gap="xs" ta="center">
        <Text fw={600} size="lg">
          {title}
        </Text>
        {children && <Text>{children}</Text>}
        {action}
      </Stack>
    </Paper>
  );
}

/** A failed load, with a retry button. */
export function ErrorState({ title, onRetry, children }: { title?: string; onRetry?: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" variant="light" role="alert" title={title ?? t('common.load_error')}>
      {children}
      {onRetry && (
        <Button variant="outline" color="red" size="xs" mt="xs" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
