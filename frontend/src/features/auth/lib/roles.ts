import type { components } from '@/api/schema';

export type Role = components['schemas']['Role'];

/** Agents, desk managers and admins work cases; requesters only ask. */
export function isStaff(role: Role | null | undefined): boolean {
  return role === 'agent' || role === 'supervisor' || role === 'admin';
}

/** Staff search the user directory (`GET /users`): an agent looks up who is calling. */
export function canListUsers(role: Role | null | undefined): boolean {
  return isStaff(role);
}

/** Supervisors configure the desks they manage; admins every desk and Mesa itself. */
export function isManager(role: Role | null | undefined): boolean {
  return role === 'supervisor' || role === 'admin';
}
