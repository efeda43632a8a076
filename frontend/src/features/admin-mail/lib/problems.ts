import { asProblem, type FieldError, type Problem } from '@/shared/api/problem';

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

/** The field errors of a refused write, by field path (`targets.high.tto_minutes`). */
export function fieldErrorsOf(error: unknown): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  if (error instanceof SaveError) {
    for (const e of error.problem?.errors ?? []) out[e.field] ??= e;
  }
  return out;
}

/** The i18n key of a field error's code (the server's message is English and for programs). */
export function fieldErrorKey(code: string) {
  switch (code) {
    case 'required':
      return 'errors.required' as const;
    case 'too_long':
      return 'errors.too_long' as const;
    case 'invalid_template':
      return 'errors.invalid_template' as const;
    default:
      return 'errors.invalid' as const;
  }
}
