import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../api/get-me';
import { useLogout } from '../api/logout';
import { roleLabelKey } from './role-label';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter((part) => /^\p{L}/u.test(part))
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** The signed-in user's name and role, opening a menu with their API tokens and "Cerrar sesión". */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const logout = useLogout();
  const name = me.data?.display_name ?? me.data?.username ?? '';
  const roleKey = me.data ? roleLabelKey(me.data.role) : null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton
          aria-label={t('shell.user_menu', { name })}
          style={{ borderRadius: 'var(--mantine-radius-md)', padding: '4px 8px' }}
          className="mesa-focus"
        >
          <Group gap="xs" wrap="nowrap">
            <Avatar color="blue" radius="xl" size="sm" aria-hidden>
              {initials(name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" truncate maw={200}>
              {name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {name}
          </Text>
          {roleKey && (
            <Text size="xs" c="var(--mantine-color-gray-7)">
              {t(roleKey)}
            </Text>
          )}
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/api-tokens">
          {t('shell.api_tokens')}
        </Menu.Item>
        <Menu.Item onClick={() => logout.mutate()} disabled={logout.isPending}>
          {t('auth.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
