import { Button, FileInput, Group, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '@/shared/lib/format';
import { useImportFile, type ImportKind, type ImportOutcome, type ImportRequest } from '../api/imports';
import { useImportsT, type ImportsT } from '../lib/bundle';
import { checkFile, KINDS } from '../lib/columns';
import { canApply } from '../lib/report';
import { ColumnsHelp } from './columns-help';
import { ImportError } from './import-error';
import { ReportView, type ReportMode } from './report-view';

const FILE_INPUT_ID = 'import-file';
const APPLY_HINT_ID = 'import-apply-hint';

/**
 * The CSV imports (admins): choose what the file holds, pick it, review it (a dry run: the
 * report of every row, nothing written), then apply the same file (one transaction, all or
 * nothing). Choosing another kind or file forgets the review: only a reviewed file is applied.
 */
export function ImportsAdmin() {
  const t = useImportsT();
  const { i18n } = useTranslation();
  const [kind, setKind] = useState<ImportKind>('organizations');
  const [file, setFile] = useState<File | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  const review = useImportFile();
  const apply = useImportFile();
  const busy = review.isPending || apply.isPending;

  // Only answers about what is chosen now count (an answer may arrive after a change).
  const isCurrent = (request: ImportRequest | undefined) => request !== undefined && request.kind === kind && request.file === file;
  const reviewed = review.data && isCurrent(review.variables) ? review.data : null;
  const applied = apply.data && isCurrent(apply.variables) ? apply.data : null;
  const outcome: ImportOutcome | null = applied ?? reviewed;
  const mode: ReportMode = applied ? (applied.rejected ? 'rejected' : 'applied') : 'review';
  const applicable = reviewed !== null && applied === null && canApply(reviewed.report);

  const fileProblem = file ? checkFile(file) : null;
  const fileError = missingFile
    ? t('file.required')
    : fileProblem === 'spreadsheet'
      ? t('file.spreadsheet', { name: file?.name ?? '' })
      : fileProblem === 'too_large'
        ? t('file.too_large', { size: formatBytes(file?.size ?? 0, i18n.language) })
        : fileProblem === 'empty'
          ? t('file.empty')
          : null;

  function forget() {
    review.reset();
    apply.reset();
  }

  function onReview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setMissingFile(true);
      document.getElementById(FILE_INPUT_ID)?.focus();
      return;
    }
    if (fileProblem) {
      document.getElementById(FILE_INPUT_ID)?.focus();
      return;
    }
    apply.reset();
    review.mutate({ kind, file, dryRun: true });
  }

  function onApply() {
    if (!applicable || !file || busy) return;
    apply.mutate({ kind, file, dryRun: false });
  }

  const status = review.isPending ? t('run.reviewing') : apply.isPending ? t('run.applying') : outcome ? summaryOf(t, outcome, mode) : '';
  const error = apply.isError && isCurrent(apply.variables) ? apply.error : review.isError && isCurrent(review.variables) ? review.error : null;

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md">
        <Radio.Group
          label={
            <Title order={2} size="h4" component="span">
              {t('kinds.legend')}
            </Title>
          }
          description={t('kinds.order')}
          value={kind}
          onChange={(value) => {
            const next = KINDS.find((k) => k === value);
            if (!next) return;
            setKind(next);
            forget();
          }}
        >
          <Stack gap="sm" mt="sm">
            {KINDS.map((k) => (
              <Radio key={k} value={k} label={t(`kinds.${k}`)} description={t(`kinds.${k}_hint`)} disabled={busy} />
            ))}
          </Stack>
        </Radio.Group>
      </Paper>

      <ColumnsHelp kind={kind} />

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-run-title">
        <form noValidate onSubmit={onReview} aria-labelledby="import-run-title">
          <Stack gap="sm">
            <Title order={2} size="h4" id="import-run-title">
              {t('run.title')}
            </Title>
            <FileInput
              id={FILE_INPUT_ID}
              label={t('file.label')}
              description={t('file.hint')}
              placeholder={t('file.placeholder')}
              accept=".csv,.txt,text/csv,text/plain"
              value={file}
              onChange={(next) => {
                setFile(next);
                setMissingFile(false);
                forget();
              }}
              error={fileError}
              disabled={busy}
              withAsterisk
              clearable
              clearButtonProps={{ 'aria-label': t('file.clear') }}
              // Mantine's placeholder grey is too light to read (WCAG contrast).
              styles={{ placeholder: { color: 'var(--mantine-color-gray-7)' } }}
              style={{ maxWidth: 480 }}
            />
            <Text size="sm">{t('run.review_hint')}</Text>
            <Group gap="sm">
              <Button type="submit" loading={review.isPending} disabled={apply.isPending}>
                {t('run.review')}
              </Button>
              <Button type="button" onClick={onApply} disabled={!applicable || review.isPending} loading={apply.isPending} aria-describedby={APPLY_HINT_ID}>
                {t('run.apply')}
              </Button>
            </Group>
            <Text size="sm" id={APPLY_HINT_ID}>
              {applyHint(t, reviewed, applied)}
            </Text>
          </Stack>
        </form>
      </Paper>

      <Text id="import-status" role="status" aria-live="polite" fw={500}>
        {status}
      </Text>
      {error !== null && <ImportError t={t} error={error} title={apply.isError ? t('errors.apply_title') : t('errors.review_title')} />}
      {outcome && file && (
        <ReportView
          key={mode}
          report={outcome.report}
          mode={mode}
          titleId="import-report-title"
          title={t(mode === 'applied' ? 'report.title_applied' : mode === 'rejected' ? 'report.title_rejected' : 'report.title_review', { file: file.name })}
        />
      )}
    </Stack>
  );
}

/** What the live region says when an answer arrives. */
function summaryOf(t: ImportsT, outcome: ImportOutcome, mode: ReportMode): string {
  const totals = outcome.report.totals;
  if (mode === 'rejected') return t('report.summary_rejected', { count: totals.error });
  if (mode === 'applied') return t('report.summary_applied', { create: totals.create, update: totals.update, unchanged: totals.unchanged });
  return t('report.summary_review', { count: totals.rows, create: totals.create, update: totals.update, unchanged: totals.unchanged, error: totals.error });
}

/** Why "Aplicar" is (not) available, next to it. */
function applyHint(t: ImportsT, reviewed: ImportOutcome | null, applied: ImportOutcome | null): string {
  if (applied) return applied.rejected ? t('run.apply_has_errors') : t('run.apply_done');
  if (!reviewed) return t('run.apply_needs_review');
  const totals = reviewed.report.totals;
  if (totals.error > 0) return t('run.apply_has_errors');
  if (totals.create + totals.update === 0) return t('run.apply_nothing');
  return t('run.apply_ready', { create: totals.create, update: totals.update });
}
