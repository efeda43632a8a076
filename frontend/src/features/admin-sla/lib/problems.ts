import { SaveError, type FieldError } from '@/shared/api/problem';

export { formErrorKey, SaveError, sent } from '@/shared/api/problem';

/** The field errors of a refused write, by field path (`targets.high.tto_minutes`). */
export function fieldErrorsOf(error: unknown): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  if (error instanceof SaveError) {
    for (const e of error.problem?.errors ?? []) out[e.field] ??= e;
  }
  return out;
}

/** The i18n key of a field error's code (the server's message is English and for programs). */
export function fieldErrorKey(code: string, message = '') {
  if (code === 'out_of_range' && message.startsWith('attention cannot take longer')) return 'errors.attention_over_resolution' as const;
  switch (code) {
    case 'required':
      return 'errors.required' as const;
    case 'out_of_range':
      return 'errors.out_of_range' as const;
    case 'duplicate':
      return 'errors.duplicate' as const;
    case 'too_long':
      return 'errors.too_long' as const;
    case 'unknown_reference':
      return 'errors.unknown_reference' as const;
    case 'exceeds_promised_resolution':
      return 'errors.exceeds_promised_resolution' as const;
    default:
      return 'errors.invalid' as const;
  }
}

/** Business minutes ↔ the hours an admin types (1.5 h = 90 min). */
export function minutesToHours(minutes: number | null | undefined): number | '' {
  return minutes === null || minutes === undefined ? '' : Math.round((minutes / 60) * 100) / 100;
}

export function hoursToMinutes(hours: number | string): number | null {
  if (hours === '' || hours === null) return null;
  const n = typeof hours === 'number' ? hours : Number(hours);
  return Number.isFinite(n) ? Math.round(n * 60) : null;
}
