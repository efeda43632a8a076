import { Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { Suspense, type ReactNode } from 'react';
import { useReportStrings } from '../lib/strings';

/** One report: its heading, an intro, controls and downloads, then the content. */
export function Section({ id, title, intro, actions, children }: { id: string; title: string; intro?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper component="section" withBorder radius="md" p={{ base: 'sm', sm: 'md' }} aria-labelledby={`${id}-title`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" gap="sm">
          <Stack gap={2} style={{ flex: '1 1 260px' }}>
            <Title order={2} size="h3" id={`${id}-title`}>
              {title}
            </Title>
            {intro && <Text size="sm">{intro}</Text>}
          </Stack>
          {actions && (
            <Group gap="xs" align="flex-end">
              {actions}
            </Group>
          )}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

/**
 * A chart is a picture of the table that follows it: one image with a text alternative for
 * screen readers, who read the table instead (charts alone are not accessible).
 */
export function ChartFigure({ label, children, testId, h }: { label: string; children: ReactNode; testId: string; h: number }) {
  const { t } = useReportStrings();
  return (
    <Box component="figure" m={0} data-testid={testId}>
      <Box role="img" aria-label={label} mih={h}>
        {/* The chart library arrives after the figures: its space is kept meanwhile. */}
        <Suspense fallback={null}>{children}</Suspense>
      </Box>
      <Text component="figcaption" size="xs" c="gray.7" mt={4}>
        {t('chart_note')}
      </Text>
    </Box>
  );
}
