import type { components } from '@/api/schema';

export type Role = components['schemas']['Role'];

/** Agents, desk managers and admins work cases; requesters only ask. */
export function isStaff(role: Role | null | undefined): boolean {
  return role === 'agent' || role === 'supervisor' || role === 'admin';
}

/** Only managers and admins may search the user directory (`GET /users`). */
export function canListUsers(role: Role | null | undefined): boolean {
  return role === 'supervisor' || role === 'admin';
}

/** Supervisors configure the desks they manage; admins every desk and Mesa itself. */
export function isManager(role: Role | null | undefined): boolean {
  return role === 'supervisor' || role === 'admin';
}
