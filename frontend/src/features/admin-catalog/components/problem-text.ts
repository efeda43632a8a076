import type { CatalogT } from './strings';

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
  return (CODES as readonly string[]).includes(code) ? t(`errors.${code as (typeof CODES)[number]}`) : t('errors.invalid');
}
