import type { Problem } from '@/shared/api/problem';
import { isOneOf } from '@/shared/lib/one-of';

/** The problem of each input, by the API's field name (`username`, `user_ids.1`…), as its code. */
export type FieldCodes = Record<string, string>;

/** What a failed write means for a form: problems at its inputs, and one for the whole form. */
export type FormOutcome = { fields: FieldCodes; general: string | null };

/**
 * Splits the API's problem into the inputs it names (those the form has) and a general code:
 * a 422 names fields; a 409 (`username_taken`, `name_taken`) belongs to one input too; anything
 * else is the form's (`forbidden`, `version_mismatch`, `network`…).
 */
export function outcomeOf(
  status: number,
  problem: Problem | null,
  inputs: readonly string[],
  conflictField?: Record<string, string>,
): FormOutcome {
  const fields: FieldCodes = {};
  let general: string | null = null;
  for (const error of problem?.errors ?? []) {
    const input = inputs.find((name) => error.field === name || error.field.startsWith(`${name}.`));
    if (input) fields[input] ??= error.code;
    else general ??= error.code;
  }
  const code = problem?.code;
  if (code && conflictField && Object.hasOwn(conflictField, code)) {
    fields[conflictField[code]!] ??= code;
  } else if (Object.keys(fields).length === 0 && general === null) {
    general = status === 412 ? 'version_mismatch' : status === 403 ? 'forbidden' : (code ?? 'unexpected');
  }
  return { fields, general };
}

/** The codes this feature has words for; any other reads as `invalid` (fields) or `unexpected`. */
export const FIELD_CODES = [
  'required',
  'too_long',
  'invalid',
  'weak',
  'not_allowed',
  'invalid_choice',
  'unknown_reference',
  'out_of_range',
  'username_taken',
  'name_taken',
  'past_date',
] as const;

export const GENERAL_CODES = [
  'forbidden',
  'version_mismatch',
  'own_admin_account',
  'not_staff',
  'not_found',
  'unexpected',
  'network',
  'validation_failed',
] as const;

export type FieldCode = (typeof FIELD_CODES)[number];
export type GeneralCode = (typeof GENERAL_CODES)[number];

export function fieldCode(code: string): FieldCode {
  return isOneOf(FIELD_CODES, code) ? code : 'invalid';
}

export function generalCode(code: string): GeneralCode {
  return isOneOf(GENERAL_CODES, code) ? code : 'unexpected';
}
