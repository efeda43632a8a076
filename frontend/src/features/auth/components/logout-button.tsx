import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLogout } from '../api/logout';

export function LogoutButton() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <Button variant="outline" size="sm" loading={logout.isPending} onClick={() => logout.mutate()}>
      {t('auth.logout')}
    </Button>
  );
}
