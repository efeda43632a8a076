import { Button, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { roleLabelKey } from '@/features/auth/components/role-label';
import { isStaff } from '@/features/auth/lib/roles';
import { WaitingForYou } from '@/features/tickets/components/waiting-for-you';
import { ErrorState, LoadingState } from '@/shared/components/states';

function Shortcut({ title, text, to, action }: { title: string; text: string; to: string; action: string }) {
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="xs" h="100%" justify="space-between">
        <Stack gap={4}>
          <Title order={2} size="h4">
            {title}
          </Title>
          <Text size="sm">{text}</Text>
        </Stack>
        <Button component={Link} to={to} variant="light" aria-label={`${action}: ${title}`}>
          {action}
        </Button>
      </Stack>
    </Card>
  );
}

export function HomeRoute() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.isError)
    return <ErrorState title={t('home.load_error')} onRetry={() => void me.refetch()} />;
  const roleKey = roleLabelKey(me.data.role);
  const staff = isStaff(me.data.role);
  return (
    <Stack gap="lg" py="xs">
      <Stack gap="xs">
        <Title order={1}>{t('home.welcome', { name: me.data.display_name })}</Title>
        <Text size="lg">{t('home.role', { role: roleKey ? t(roleKey) : me.data.role })}</Text>
        <Text>{t('home.intro')}</Text>
      </Stack>
      <WaitingForYou />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: staff ? 4 : 2 }}>
        <Shortcut title={t('nav.new_request')} text={t('home.new_request_text')} to="/requests/new" action={t('home.open')} />
        <Shortcut title={t('nav.my_requests')} text={t('home.my_requests_text')} to="/requests" action={t('home.open')} />
        {staff && (
          <>
            <Shortcut title={t('nav.queues')} text={t('home.queues_text')} to="/queues" action={t('home.open')} />
            <Shortcut title={t('nav.register_phone')} text={t('home.register_text')} to="/register" action={t('home.open')} />
          </>
        )}
      </SimpleGrid>
    </Stack>
  );
}
