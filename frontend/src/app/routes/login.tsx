import { Container, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { LoginForm } from '@/features/auth/components/login-form';
import { useIsAuthenticated } from '@/features/auth/hooks/use-is-authenticated';
import { PageHeader } from '../components/page-header';

function redirectTarget(state: unknown): string {
  const from =
    typeof state === 'object' && state !== null && 'from' in state ? state.from : undefined;
  // Only same-app paths: never "//host" or a full URL.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function LoginRoute() {
  const { t } = useTranslation();
  const location = useLocation();
  if (useIsAuthenticated()) return <Navigate to={redirectTarget(location.state)} replace />;
  return (
    <>
      <PageHeader />
      <main>
        <Container size={440} py={48}>
          <Paper withBorder shadow="sm" p="xl" radius="md">
            <Title order={1} size="h2" id="login-heading" mb="xs">
              {t('auth.login.heading')}
            </Title>
            <Text mb="lg">{t('auth.login.intro')}</Text>
            <LoginForm />
          </Paper>
        </Container>
      </main>
    </>
  );
}
