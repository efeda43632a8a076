import type { Priority, Status } from './types';
import { isOneOf } from '@/shared/lib/one-of';

export const STATUSES = ['new', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'rejected', 'cancelled', 'desisted'] as const satisfies readonly Status[];
export const OPEN_STATUSES = ['new', 'assigned', 'in_progress', 'on_hold'] as const satisfies readonly Status[];
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Priority[];

export function isOpen(status: Status): boolean {
  return isOneOf(OPEN_STATUSES, status);
}

/** Badge colours (text is always the dark shade 9: readable on the light background). */
export const STATUS_COLOR: Record<Status, string> = {
  new: 'blue',
  assigned: 'indigo',
  in_progress: 'cyan',
  on_hold: 'yellow',
  resolved: 'green',
  closed: 'gray',
  rejected: 'red',
  cancelled: 'gray',
  desisted: 'gray',
};

export const PRIORITY_COLOR: Record<Priority, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'blue',
  low: 'gray',
};
