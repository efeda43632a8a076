import type { components } from '@/api/schema';

type Role = components['schemas']['Role'];
type ApiToken = components['schemas']['ApiToken'];

/** Every scope a token may hold, in the API's order (`CreateApiToken.scopes`). */
export const SCOPES = [
  'tickets:read',
  'tickets:write',
  'catalog:read',
  'catalog:write',
  'kb:read',
  'kb:write',
  'reports:read',
  'users:read',
  'profile:read',
  'profile:write',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

/**
 * The scopes a user of this role may put on a token, as the API grants them
 * (`api_tokens::scopes::grantable`): `admin` for admins; reports and catalog changes for
 * supervisors and admins; looking people up for staff. Only to offer the right choices: the API
 * refuses the others (`not_grantable`).
 */
export function grantableScopes(role: Role): Scope[] {
  return SCOPES.filter((scope) => {
    switch (scope) {
      case 'admin':
        return role === 'admin';
      case 'reports:read':
      case 'catalog:write':
        return role === 'admin' || role === 'supervisor';
      case 'users:read':
        return role !== 'requester';
      default:
        return true;
    }
  });
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

type Keyed<S extends string> = S extends `${infer A}:${infer B}` ? `${A}_${B}` : S;

/** The i18n key of a scope's description (i18next reads `:` as a namespace separator). */
export function scopeKey(scope: Scope) {
  return `scopes.${scope.replace(':', '_')}` as `scopes.${Keyed<Scope>}`;
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** Revoked, expired (its `expires_at` has passed) or still usable. */
export function tokenState(token: Pick<ApiToken, 'revoked_at' | 'expires_at'>, now: number = Date.now()): TokenState {
  if (token.revoked_at) return 'revoked';
  if (token.expires_at && new Date(token.expires_at).getTime() <= now) return 'expired';
  return 'active';
}

/**
 * The form's "valid until" day (`YYYY-MM-DD`, the browser's time zone, inclusive) as the API's
 * `expires_at`: the start of the next day. Null for a text that is no calendar day.
 */
export function expiresAtFromLastDay(lastDay: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(lastDay);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(year, month - 1, day);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== day) return null;
  return new Date(year, month - 1, day + 1).toISOString();
}

/** Today as `YYYY-MM-DD` in the browser's time zone (the earliest day the form offers). */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A text area's lines (or comma-separated items), trimmed, the empty ones left out. */
export function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
