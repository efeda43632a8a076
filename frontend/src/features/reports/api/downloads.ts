import { api } from '@/shared/api/client';
import { fileNameFrom, saveBlob } from '@/shared/lib/save-file';
import type { ReportQuery, SlaBy } from '../lib/filters';
import type { Granularity } from '../lib/period';
import { TOP_LIMIT } from './top';

export type CsvTable =
  | { report: 'summary' }
  | { report: 'volume'; granularity: Granularity }
  | { report: 'sla'; by: SlaBy }
  | { report: 'top' };

type FileResult = { data?: unknown; response: Response };

function save(result: FileResult, fallback: string): boolean {
  if (!result.response.ok || !(result.data instanceof Blob)) return false;
  saveBlob(result.data, fileNameFrom(result.response.headers.get('Content-Disposition'), fallback));
  return true;
}

/** One report table as CSV (`;`-separated, es-CO numbers), fetched with the session's token. */
export async function downloadCsv(table: CsvTable, query: ReportQuery): Promise<boolean> {
  const fallback = `${table.report}-${query.from ?? ''}-${query.to ?? ''}.csv`;
  const common = { ...query, format: 'csv' };
  switch (table.report) {
    case 'summary':
      return save(await api.GET('/api/v1/reports/summary', { params: { query: common }, parseAs: 'blob' }), fallback);
    case 'volume':
      return save(await api.GET('/api/v1/reports/volume', { params: { query: { ...common, granularity: table.granularity } }, parseAs: 'blob' }), fallback);
    case 'sla':
      return save(await api.GET('/api/v1/reports/sla', { params: { query: { ...common, by: table.by } }, parseAs: 'blob' }), fallback);
    case 'top':
      return save(
        await api.GET('/api/v1/reports/top', { params: { query: { ...common, by: 'service', limit: TOP_LIMIT } }, parseAs: 'blob' }),
        fallback,
      );
  }
}

/** GET /api/v1/reports/quarterly — a desk's quarter as PDF or XLSX. */
export async function downloadQuarterly(desk: string, year: number, quarter: number, format: 'pdf' | 'xlsx'): Promise<boolean> {
  const result = await api.GET('/api/v1/reports/quarterly', {
    params: { query: { desk, year: String(year), quarter: String(quarter), format } },
    parseAs: 'blob',
  });
  return save(result, `informe-trimestral-${year}-T${quarter}.${format}`);
}
