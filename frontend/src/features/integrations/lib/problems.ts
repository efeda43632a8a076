import { SaveError, type FieldError } from '@/shared/api/problem';

export { formErrorKey, SaveError, sent } from '@/shared/api/problem';

/**
 * The field errors of a refused write by the form's input: `allowed_networks.2` and `events.0`
 * belong to the list input they index (`allowed_networks`, `events`); the first error of an
 * input wins.
 */
export function fieldErrorsOf(error: unknown, inputs: readonly string[]): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  if (error instanceof SaveError) {
    for (const e of error.problem?.errors ?? []) {
      const input = inputs.find((name) => e.field === name || e.field.startsWith(`${name}.`));
      if (input) out[input] ??= e;
    }
  }
  return out;
}

/** The position a field error names in a list input (`allowed_networks.2` → 2), if any. */
export function indexOf(error: FieldError): number | null {
  const match = /\.(\d+)$/.exec(error.field);
  return match ? Number(match[1]) : null;
}

/** The i18n key of a field error's code (the server's message is English and for programs). */
export function fieldErrorKey(code: string) {
  switch (code) {
    case 'required':
    case 'too_long':
    case 'in_the_past':
    case 'not_grantable':
    case 'invalid_choice':
    case 'forbidden_address':
    case 'too_many':
      return `errors.${code}` as const;
    default:
      return 'errors.invalid' as const;
  }
}
