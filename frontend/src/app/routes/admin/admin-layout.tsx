import { Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import type { Role } from '@/features/auth/lib/roles';
import { RequireManager } from '../../components/require-manager';

type SectionKey = 'catalog' | 'organizations' | 'people' | 'imports' | 'groups' | 'service_levels' | 'desks' | 'mail' | 'api_tokens' | 'webhooks';
type Section = { path: string; label: string; roles: readonly Role[] };

/** Sections both supervisors (for their desks) and admins manage. */
export const MANAGERS = ['supervisor', 'admin'] as const;
/** Sections only admins manage. */
export const ADMINS = ['admin'] as const;

/**
 * The sections of the administration, in the order a new desk is built; `key` names its label
 * (`admin.sections.<key>`). A section lists the roles the API lets manage it; others do not see it.
 */
export const SECTIONS: readonly { path: string; key: SectionKey; roles: readonly Role[] }[] = [
  { path: 'organizations', key: 'organizations', roles: ADMINS },
  // Supervisors look people up and set their availability; only admins change accounts.
  { path: 'people', key: 'people', roles: MANAGERS },
  // Organizations, areas and people in bulk, from a spreadsheet export (the API's `require_admin`).
  { path: 'imports', key: 'imports', roles: ADMINS },
  { path: 'groups', key: 'groups', roles: MANAGERS },
  // Calendars and SLA policies are written by admins only (the API's `require_admin`).
  { path: 'service-levels', key: 'service_levels', roles: ADMINS },
  { path: 'desks', key: 'desks', roles: MANAGERS },
  { path: 'catalog', key: 'catalog', roles: MANAGERS },
  // Templates: the desk's managers; the outbox and jobs tabs inside show to admins only.
  { path: 'mail', key: 'mail', roles: MANAGERS },
  // Integrations: the API lists every person's tokens and manages webhooks for admins only.
  { path: 'api-tokens', key: 'api_tokens', roles: ADMINS },
  { path: 'webhooks', key: 'webhooks', roles: ADMINS },
];

/** The frame of `/admin/*`: the sections' navigation above the section's page. */
export function AdminLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const role = me.data?.role;
  const sections: Section[] = SECTIONS.filter((s) => role !== undefined && s.roles.includes(role)).map((s) => ({
    path: `/admin/${s.path}`,
    label: t(`admin.sections.${s.key}`),
    roles: s.roles,
  }));
  if (role && location.pathname.replace(/\/$/, '') === '/admin' && sections[0]) {
    return <Navigate to={sections[0].path} replace />;
  }
  return (
    <RequireManager>
      <nav aria-label={t('admin.sections_label')}>
        <Group gap={4} mb="md" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0, flexWrap: 'wrap' }}>
          {sections.map((s) => (
            <li key={s.path}>
              <NavLink to={s.path} style={{ textDecoration: 'none' }}>
                {({ isActive }) => (
                  <Button component="span" size="compact-sm" variant={isActive ? 'light' : 'subtle'}>
                    {s.label}
                  </Button>
                )}
              </NavLink>
            </li>
          ))}
        </Group>
      </nav>
      <Outlet />
    </RequireManager>
  );
}
