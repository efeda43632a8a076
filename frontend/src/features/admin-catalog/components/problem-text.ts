import type { CatalogT } from './strings';
import { isOneOf } from '@/shared/lib/one-of';

const CODES = [
  'required',
  'too_long',
  'invalid',
  'duplicate',
  'unknown_reference',
  'not_a_category',
  'not_allowed',
  'out_of_range',
  'below_attention_target',
  'empty',
  'too_many',
  'code_taken',
] as const;

/** The translated wording of a server problem code (a generic one for codes it does not know). */
export function problemText(code: string, t: CatalogT): string {
  return isOneOf(CODES, code) ? t(`errors.${code}`) : t('errors.invalid');
}
