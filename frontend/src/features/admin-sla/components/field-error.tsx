import { Alert } from '@mantine/core';
import type { FieldError } from '@/shared/api/problem';
import { fieldErrorKey, formErrorKey } from '../lib/problems';
import type { SlaT } from '../lib/bundle';

/** The translated message of one field's error, or null. */
export function messageOf(t: SlaT, errors: Record<string, FieldError>, field: string): string | null {
  const e = errors[field];
  return e ? t(fieldErrorKey(e.code, e.message)) : null;
}

/** Above a form: why the save failed (field errors are shown at their fields too). */
export function SaveAlert({ t, error, fields }: { t: SlaT; error: unknown; fields: Record<string, FieldError> }) {
  if (!error) return null;
  const count = Object.keys(fields).length;
  return (
    <Alert color="red" variant="light" role="alert" title={t(formErrorKey(error), { count })}>
      {count > 0 ? t('errors.see_fields', { count }) : null}
    </Alert>
  );
}
