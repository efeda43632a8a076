import type { TFunction } from 'i18next';
import type { FieldProblem } from '../lib/form-fields';

/** Translated wording of each problem code (client's and server's), by i18n key. */
const KEYS = {
  required: 'request.errors.required',
  file_required: 'request.errors.file_required',
  too_long: 'request.errors.too_long',
  invalid_number: 'request.errors.invalid_number',
  invalid_date: 'request.errors.invalid_date',
  invalid_option: 'request.errors.invalid_option',
  invalid_choice: 'request.errors.invalid_option',
  must_check: 'request.errors.must_check',
  empty: 'request.errors.empty',
  too_large: 'request.errors.too_large',
  too_many: 'request.errors.too_many_files',
  too_many_files: 'request.errors.too_many_files',
  unsupported_type: 'request.errors.unsupported_type',
  disguised_type: 'request.errors.disguised_type',
  duplicate: 'request.errors.duplicate',
  unknown_field: 'request.errors.unknown_field',
  unknown_reference: 'request.errors.unknown_reference',
  not_a_service: 'request.errors.not_a_service',
  not_allowed: 'request.errors.not_allowed',
  invalid: 'request.errors.invalid',
} as const;

export function problemMessage(problem: FieldProblem, t: TFunction, formatMax?: (max: number) => string): string {
  const key = Object.hasOwn(KEYS, problem.code) ? KEYS[problem.code as keyof typeof KEYS] : KEYS.invalid;
  const max = problem.max === undefined ? undefined : formatMax ? formatMax(problem.max) : String(problem.max);
  return t(key, { max: max ?? '' });
}
