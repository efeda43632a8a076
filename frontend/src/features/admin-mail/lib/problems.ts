import { SaveError, type FieldError } from '@/shared/api/problem';

export { SaveError, sent } from '@/shared/api/problem';

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
