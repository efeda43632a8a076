import { Container, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '@/shared/components/language-switch';

/** The banner every page shares: the desk's name, the language switch and any extra actions. */
export function PageHeader({ actions }: { actions?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <header style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
      <Container size="lg" py="sm">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={700} size="lg">
            {t('app.name')}
          </Text>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            {actions}
          </Group>
        </Group>
      </Container>
    </header>
  );
}
