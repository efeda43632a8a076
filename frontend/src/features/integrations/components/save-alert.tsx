import { Alert } from '@mantine/core';
import type { FieldError } from '@/shared/api/problem';
import type { IntegrationsT } from '../lib/bundle';
import { fieldErrorKey, formErrorKey, indexOf } from '../lib/problems';

/**
 * The translated message of one input's error, or null. A list input (`allowed_networks`,
 * `hosts`) names the entry at fault, from `values` by the index the API gives.
 */
export function messageOf(t: IntegrationsT, errors: Record<string, FieldError>, field: string, values: string[] = []): string | null {
  const e = errors[field];
  if (!e) return null;
  const at = indexOf(e);
  if (at !== null && e.code === 'invalid' && field === 'allowed_networks') return t('errors.invalid_network', { value: values[at] ?? '' });
  if (at !== null && e.code === 'invalid' && field === 'hosts') return t('errors.invalid_host', { value: values[at] ?? '' });
  if (field === 'url' && e.code === 'invalid') return t('errors.invalid_url');
  return t(fieldErrorKey(e.code));
}

/** Above a form: why the save failed (field errors are shown at their fields too). */
export function SaveAlert({ t, error, fields }: { t: IntegrationsT; error: unknown; fields: Record<string, FieldError> }) {
  if (!error) return null;
  const count = Object.keys(fields).length;
  return (
    <Alert color="red" variant="light" role="alert" title={t(formErrorKey(error), { count })}>
      {count > 0 ? t('errors.see_fields', { count }) : null}
    </Alert>
  );
}
