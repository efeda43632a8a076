import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { asProblem, SaveError } from '@/shared/api/problem';

type Schemas = components['schemas'];
export type ImportKind = Schemas['ImportKind'];
export type ImportReport = Schemas['ImportReport'];
export type ImportRow = Schemas['ImportRow'];
export type ImportAction = Schemas['ImportAction'];
export type ImportTotals = Schemas['ImportTotals'];
export type FieldChange = Schemas['FieldChange'];
export type FieldError = Schemas['FieldError'];

/** One upload: what the file holds, the file, and whether it is only reviewed (`dry_run`). */
export type ImportRequest = { kind: ImportKind; file: File; dryRun: boolean };

/**
 * What the API answered with a report: a review or an apply (200), or an apply refused because
 * rows have errors (422 `import_rejected`: nothing was written; the report says why).
 */
export type ImportOutcome = { report: ImportReport; rejected: boolean };

/**
 * The request options of the three imports (they differ only by path). The contract types a
 * `text/csv` body as its text, but the file goes as the bytes it is: the server reads UTF-8,
 * UTF-16 and Excel's Windows-1252 "CSV", which decoding it here as text would garble.
 */
function options(file: File, dryRun: boolean) {
  return {
    params: { query: { dry_run: dryRun } },
    headers: { 'Content-Type': 'text/csv' },
    // openapi-fetch calls the serializer only when a body is given: this stands for the text,
    // and the serializer sends the file in its place.
    body: '',
    bodySerializer: () => file,
  };
}

async function post({ kind, file, dryRun }: ImportRequest) {
  switch (kind) {
    case 'organizations':
      return api.POST('/api/v1/imports/organizations', options(file, dryRun));
    case 'areas':
      return api.POST('/api/v1/imports/areas', options(file, dryRun));
    case 'users':
      return api.POST('/api/v1/imports/users', options(file, dryRun));
  }
}

/**
 * POST /api/v1/imports/{kind}: the report of a review (`dry_run=true`) or of an apply. A refused
 * apply carries its report too; any other problem (file unreadable, too large, not allowed…) is
 * thrown as a SaveError. An apply that wrote something refreshes every cached list: it may have
 * changed organizations, areas and people that many screens show.
 */
export function useImportFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: ImportRequest): Promise<ImportOutcome> => {
      const result = await post(request);
      if (result.data) return { report: result.data, rejected: false };
      const error = result.error;
      if (result.response.status === 422 && error && 'report' in error && error.report && error.code === 'import_rejected') {
        return { report: error.report, rejected: true };
      }
      throw new SaveError(result.response.status, asProblem(error));
    },
    onSuccess: (outcome) => {
      if (outcome.report.applied) void queryClient.invalidateQueries();
    },
  });
}
