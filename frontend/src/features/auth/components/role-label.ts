import type { components } from '@/api/schema';

type Role = components['schemas']['Role'];

/** i18n key of each role. */
const ROLE_LABEL_KEYS = {
  requester: 'roles.requester',
  agent: 'roles.agent',
  supervisor: 'roles.supervisor',
  admin: 'roles.admin',
} as const satisfies Record<Role, `roles.${string}`>;

type RoleLabelKey = (typeof ROLE_LABEL_KEYS)[Role];

/** The translation key for a role, or null for a role this build does not know yet. */
export function roleLabelKey(role: Role): RoleLabelKey | null {
  return Object.hasOwn(ROLE_LABEL_KEYS, role) ? ROLE_LABEL_KEYS[role] : null;
}
