import { Badge, NavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterNavLink, matchPath, useLocation } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { isManager, isStaff } from '@/features/auth/lib/roles';
import { useQueueCounts } from '@/features/tickets/api/tickets';

type Item = { to: string; label: string; end?: boolean; badge?: number | undefined };

/** Requesters: new request and their requests. Staff also: queues and phone registration. */
export function MainNav() {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  const staff = isStaff(me.data?.role);
  const counts = useQueueCounts({ enabled: me.isSuccess });

  const items: Item[] = [
    { to: '/', label: t('nav.home'), end: true },
    { to: '/requests/new', label: t('nav.new_request') },
    { to: '/requests', label: t('nav.my_requests'), end: true, badge: counts.data?.requested },
    { to: '/kb', label: t('nav.kb') },
  ];
  if (staff) {
    items.push(
      { to: '/queues', label: t('nav.queues'), badge: counts.data ? counts.data.mine : undefined },
      { to: '/register', label: t('nav.register_phone') },
    );
  }
  if (isManager(me.data?.role)) {
    items.push(
      { to: '/supervision', label: t('nav.supervision') },
      { to: '/reports', label: t('nav.reports') },
      { to: '/admin', label: t('nav.admin') },
    );
  }

  return (
    <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {items.map((item) => {
        const active =
          matchPath({ path: item.to, end: item.end ?? false }, location.pathname) !== null &&
          // "Nueva solicitud" lives under /requests, but is not "Mis solicitudes".
          !(item.to === '/requests' && location.pathname.startsWith('/requests/new'));
        return (
          <li key={item.to}>
            <NavLink
              component={RouterNavLink}
              to={item.to}
              end={item.end}
              label={item.label}
              active={active}
              aria-current={active ? 'page' : undefined}
              rightSection={
                item.badge ? (
                  <Badge size="sm" variant="filled" circle={item.badge < 10} aria-label={t('nav.open_count', { count: item.badge })}>
                    {item.badge}
                  </Badge>
                ) : undefined
              }
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          </li>
        );
      })}
    </Stack>
  );
}
