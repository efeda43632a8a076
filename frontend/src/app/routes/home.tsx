import { Alert, Button, Container, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMe } from '@/features/auth/api/get-me';
import { LogoutButton } from '@/features/auth/components/logout-button';
import { roleLabelKey } from '@/features/auth/components/role-label';
import { PageHeader } from '../components/page-header';
import { PageLoader } from '../components/page-loader';

export function HomeRoute() {
  const { t } = useTranslation();
  const me = useMe();
  const roleKey = me.data ? roleLabelKey(me.data.role) : null;
  return (
    <>
      <PageHeader actions={<LogoutButton />} />
      <main>
        <Container size="lg" py="xl">
          {me.isPending ? (
            <PageLoader />
          ) : me.isError ? (
            <Alert color="red" variant="light" role="alert" title={t('home.load_error')}>
              <Button variant="outline" size="xs" mt="xs" onClick={() => void me.refetch()}>
                {t('home.retry')}
              </Button>
            </Alert>
          ) : (
            <Stack gap="sm">
              <Title order={1}>{t('home.welcome', { name: me.data.display_name })}</Title>
              <Text size="lg">{t('home.role', { role: roleKey ? t(roleKey) : me.data.role })}</Text>
              <Text>{t('home.intro')}</Text>
            </Stack>
          )}
        </Container>
      </main>
    </>
  );
}
