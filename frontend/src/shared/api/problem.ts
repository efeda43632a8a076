import type { components } from '@/api/schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

/** The error body openapi-fetch hands back is typed as Problem, but a proxy may send HTML or nothing. */
export function asProblem(error: unknown): Problem | null {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error as Problem;
  }
  return null;
}

/** A refused write: its status and the problem document (with field errors for a 422). */
export class SaveError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`HTTP ${status}`);
    this.name = 'SaveError';
    this.status = status;
    this.problem = problem;
  }
}

/** openapi-fetch result of a write → its data, or a thrown SaveError. */
export function sent<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw new SaveError(result.response.status, asProblem(result.error));
}

/** The i18n key of a refused write as a whole (shown above the form); each feature's bundle words these keys. */
export function formErrorKey(error: unknown) {
  if (!(error instanceof SaveError)) return 'errors.network' as const;
  if (error.status === 422 || error.status === 400) return 'errors.summary' as const;
  if (error.status === 409) return 'errors.conflict' as const;
  if (error.status === 412) return 'errors.stale' as const;
  if (error.status === 403) return 'errors.forbidden' as const;
  return 'errors.failed' as const;
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
