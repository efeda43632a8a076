import type { components } from '@/api/schema';
import { isOneOf } from '@/shared/lib/one-of';

type ApiToken = components['schemas']['ApiToken'];

/** The scopes this SPA has descriptions for (`GET /api-tokens/scopes` says which the caller may grant). */
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

export function isScope(value: string): value is Scope {
  return isOneOf(SCOPES, value);
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

/** The form's "valid until" day (inclusive) as the API's `expires_at`: the start of the next day. */
export { endOfLastDay as expiresAtFromLastDay, today } from '@/shared/lib/days';

/** A text area's lines (or comma-separated items), trimmed, the empty ones left out. */
export function listOf(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
