import { Alert, List, Text } from '@mantine/core';
import { SaveError } from '@/shared/api/problem';
import type { ImportsT } from '../lib/bundle';
import { fileErrorCode } from '../lib/report';

/** The message of a failed upload that carries no report, by status (and code). */
export function errorKey(error: unknown) {
  if (!(error instanceof SaveError)) return 'errors.network' as const;
  switch (error.status) {
    case 400:
    case 415:
      return 'errors.not_csv' as const;
    case 403:
      return 'errors.forbidden' as const;
    case 409:
      return 'errors.conflict' as const;
    case 413:
      return 'errors.too_large' as const;
    case 429:
      return 'errors.rate_limited' as const;
    case 503:
      return 'errors.unavailable' as const;
    default:
      return 'errors.failed' as const;
  }
}

/**
 * Why a review or an apply did not give a report. A file the server cannot read (422
 * `validation_failed`) lists its problems, each naming the column as written in the file.
 */
export function ImportError({ t, error, title }: { t: ImportsT; error: unknown; title: string }) {
  const problem = error instanceof SaveError ? error.problem : null;
  const fileErrors = error instanceof SaveError && error.status === 422 ? (problem?.errors ?? []) : [];
  if (fileErrors.length > 0) {
    return (
      <Alert color="red" variant="light" role="alert" title={t('file_errors.title')}>
        <List size="sm" spacing={4}>
          {fileErrors.map((e, i) => (
            <List.Item key={`${e.field}-${e.code}-${i}`}>{t(`file_errors.${fileErrorCode(e)}`, { column: e.field })}</List.Item>
          ))}
        </List>
      </Alert>
    );
  }
  return (
    <Alert color="red" variant="light" role="alert" title={title}>
      <Text size="sm">{t(errorKey(error))}</Text>
    </Alert>
  );
}
