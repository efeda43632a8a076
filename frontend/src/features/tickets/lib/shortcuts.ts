import type { Action } from './types';

/** One-key shortcuts of the ticket page (staff), like Gmail's: no modifier, not while typing. */
export const SHORTCUTS = {
  t: 'take',
  a: 'assign',
  c: 'classify',
  e: 'escalate',
  h: 'hold',
  u: 'resume',
  r: 'resolve',
  x: 'reject',
} as const satisfies Record<string, Action>;

export type ShortcutTarget = 'followup' | 'help' | Action;

type KeyLike = {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('[role="dialog"]') !== null;
}

/** What a key press asks for, if it is a shortcut allowed now. */
export function shortcutFor(event: KeyLike, allowed: readonly Action[]): ShortcutTarget | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return null;
  if (event.key === 'n') return 'followup';
  if (event.key === '?') return 'help';
  const action = (SHORTCUTS as Record<string, Action>)[event.key];
  return action && allowed.includes(action) ? action : null;
}

/** The key of an action, for hints and aria-keyshortcuts. */
export function keyOf(action: Action): string | null {
  const found = Object.entries(SHORTCUTS).find(([, a]) => a === action);
  return found ? found[0] : null;
}
