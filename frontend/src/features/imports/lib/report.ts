import { foldForSearch } from '@/shared/lib/text';
import type { FieldChange, FieldError, ImportAction, ImportReport, ImportRow, ImportTotals } from '../api/imports';
import { isOneOf } from '@/shared/lib/one-of';

/** Which rows of a report the table shows. `changes`: the rows an apply writes (create and update). */
export const ROW_FILTERS = ['all', 'error', 'changes', 'create', 'update', 'unchanged'] as const;
export type RowFilter = (typeof ROW_FILTERS)[number];

export function isRowFilter(value: string): value is RowFilter {
  return isOneOf(ROW_FILTERS, value);
}

/** Rows per page of the table: a file may have 10,000 rows, the page shows this many at once. */
export const PAGE_SIZE = 50;

export function matches(filter: RowFilter, action: ImportAction): boolean {
  if (filter === 'all') return true;
  if (filter === 'changes') return action === 'create' || action === 'update';
  return filter === action;
}

/** How many rows each filter shows, from the report's totals. */
export function countOf(filter: RowFilter, totals: ImportTotals): number {
  switch (filter) {
    case 'all':
      return totals.rows;
    case 'changes':
      return totals.create + totals.update;
    default:
      return totals[filter];
  }
}

/** What the table opens on: the errors when there are any (they block the apply), else the changes. */
export function initialFilter(totals: ImportTotals): RowFilter {
  if (totals.error > 0) return 'error';
  if (totals.create + totals.update > 0) return 'changes';
  return 'all';
}

/** One page of the rows the filter keeps (`page` from 1), and how many pages there are. */
export function pageOf(rows: readonly ImportRow[], filter: RowFilter, page: number) {
  const kept = filter === 'all' ? rows : rows.filter((row) => matches(filter, row.action));
  const pages = Math.max(1, Math.ceil(kept.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const start = (current - 1) * PAGE_SIZE;
  return { rows: kept.slice(start, start + PAGE_SIZE), total: kept.length, pages, page: current, first: start + 1 };
}

/** A reviewed file can be applied when no row has an error and some row creates or updates. */
export function canApply(report: ImportReport): boolean {
  return !report.applied && report.totals.error === 0 && report.totals.create + report.totals.update > 0;
}

/** The row errors this feature words; any other code reads as `invalid`. */
const ROW_ERROR_CODES = [
  'required',
  'invalid',
  'too_long',
  'invalid_character',
  'extra_cells',
  'duplicate',
  'ambiguous',
  'unknown_reference',
  'taken',
  'invalid_choice',
  'needs_organization',
  'own_admin_account',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export function rowErrorCode(code: string): RowErrorCode {
  return isOneOf(ROW_ERROR_CODES, code) ? code : 'invalid';
}

/** The problems with a file as a whole (a 422 `validation_failed`: `field` is the header, or `file`). */
const FILE_ERROR_CODES = ['unknown_column', 'duplicate_column', 'missing_column', 'empty', 'invalid_csv', 'too_many_rows', 'invalid_encoding'] as const;
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number] | 'password_column' | 'other';

/** Headers that look like a password column: passwords never travel in a file, and the page says so. */
const PASSWORD_HEADERS = new Set(['password', 'contrasena', 'clave', 'pass', 'pwd']);

export function fileErrorCode(error: FieldError): FileErrorCode {
  if (error.code === 'unknown_column' && PASSWORD_HEADERS.has(foldForSearch(error.field).replace(/[\s-]+/g, '_'))) return 'password_column';
  return isOneOf(FILE_ERROR_CODES, error.code) ? error.code : 'other';
}

/** The fields a report's changes name, with words in both languages; others are shown as sent. */
export const CHANGE_FIELDS = [
  'name',
  'short_name',
  'active',
  'organization',
  'area',
  'username',
  'display_name',
  'email',
  'phone',
  'role',
  'identity_number',
  'locale',
  'auth_source',
] as const;
export type ChangeField = (typeof CHANGE_FIELDS)[number];

export function isChangeField(field: string): field is ChangeField {
  return isOneOf(CHANGE_FIELDS, field);
}

/**
 * A value of a change as words: `true`/`false`, roles, account kinds and languages come as codes;
 * names, emails and the like are shown as they are. `null` when the field had no value.
 */
export type ValueWord =
  | { kind: 'text'; text: string }
  | { kind: 'key'; key: `values.${'yes' | 'no' | 'directory' | 'es_co' | 'en'}` | `values.roles.${'requester' | 'agent' | 'supervisor' | 'admin'}` };

export function valueWord(change: Pick<FieldChange, 'field'>, value: string | null | undefined): ValueWord | null {
  if (value === null || value === undefined || value === '') return null;
  if (change.field === 'active' && (value === 'true' || value === 'false')) return { kind: 'key', key: value === 'true' ? 'values.yes' : 'values.no' };
  if (change.field === 'role' && (value === 'requester' || value === 'agent' || value === 'supervisor' || value === 'admin')) return { kind: 'key', key: `values.roles.${value}` };
  if (change.field === 'auth_source' && value === 'directory') return { kind: 'key', key: 'values.directory' };
  if (change.field === 'locale' && value === 'es-CO') return { kind: 'key', key: 'values.es_co' };
  if (change.field === 'locale' && value === 'en') return { kind: 'key', key: 'values.en' };
  return { kind: 'text', text: value };
}
