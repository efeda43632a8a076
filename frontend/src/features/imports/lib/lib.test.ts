import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import en from '../locales/en.json';
import es from '../locales/es.json';
import { checkFile, COLUMNS, KINDS, MAX_BYTES } from './columns';
import { canApply, countOf, fileErrorCode, initialFilter, pageOf, PAGE_SIZE, rowErrorCode, valueWord } from './report';

type Row = components['schemas']['ImportRow'];
type Totals = components['schemas']['ImportTotals'];

const totals = (t: Partial<Totals>): Totals => ({ rows: 0, create: 0, update: 0, unchanged: 0, error: 0, ...t });
const rows = (actions: Row['action'][]): Row[] => actions.map((action, i) => ({ line: i + 2, key: `k${i}`, action, changes: [], errors: [] }));

/** A dotted key's string in a bundle, or undefined. */
function lookup(bundle: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), bundle);
}

describe('columns', () => {
  test('every kind lists its required key column first, with help in both languages', () => {
    expect(KINDS).toEqual(['organizations', 'areas', 'users']);
    expect(COLUMNS.organizations[0]).toMatchObject({ name: 'name', required: true });
    expect(COLUMNS.areas.filter((c) => c.required).map((c) => c.name)).toEqual(['organization', 'name']);
    expect(COLUMNS.users.filter((c) => c.required).map((c) => c.name)).toEqual(['username']);
    for (const kind of KINDS) {
      for (const column of COLUMNS[kind]) {
        expect(column.help).toBe(`columns.${kind}.${column.name}`);
        for (const bundle of [es, en]) expect(typeof lookup(bundle, column.help), `${column.help}`).toBe('string');
      }
    }
    // Passwords never travel in a file.
    expect(COLUMNS.users.some((c) => /pass|contrase/i.test(c.name))).toBe(false);
  });

  test('a file is refused before sending when empty, too large or a spreadsheet', () => {
    expect(checkFile({ name: 'orgs.csv', size: 120 })).toBeNull();
    expect(checkFile({ name: 'orgs.CSV', size: MAX_BYTES })).toBeNull();
    expect(checkFile({ name: 'orgs.csv', size: MAX_BYTES + 1 })).toBe('too_large');
    expect(checkFile({ name: 'orgs.csv', size: 0 })).toBe('empty');
    expect(checkFile({ name: 'Personas.XLSX', size: 9000 })).toBe('spreadsheet');
    expect(checkFile({ name: 'personas.ods', size: 9000 })).toBe('spreadsheet');
    expect(checkFile({ name: 'export.txt', size: 10 })).toBeNull();
  });
});

describe('report', () => {
  test('filters count from the totals; "changes" are what an apply writes', () => {
    const t = totals({ rows: 10, create: 2, update: 3, unchanged: 4, error: 1 });
    expect(countOf('all', t)).toBe(10);
    expect(countOf('changes', t)).toBe(5);
    expect(countOf('error', t)).toBe(1);
    expect(countOf('unchanged', t)).toBe(4);
  });

  test('the table opens on the errors, else on the changes, else on everything', () => {
    expect(initialFilter(totals({ rows: 3, error: 1, create: 2 }))).toBe('error');
    expect(initialFilter(totals({ rows: 3, update: 1, unchanged: 2 }))).toBe('changes');
    expect(initialFilter(totals({ rows: 3, unchanged: 3 }))).toBe('all');
  });

  test('pages of the filtered rows; a page out of range is clamped', () => {
    const many = rows(Array.from({ length: 2 * PAGE_SIZE + 7 }, (_, i) => (i % 2 === 0 ? 'unchanged' : 'create')));
    const first = pageOf(many, 'all', 1);
    expect(first).toMatchObject({ total: many.length, pages: 3, page: 1, first: 1 });
    expect(first.rows).toHaveLength(PAGE_SIZE);
    const last = pageOf(many, 'all', 9);
    expect(last).toMatchObject({ page: 3, first: 2 * PAGE_SIZE + 1 });
    expect(last.rows).toHaveLength(7);
    const created = pageOf(many, 'changes', 1);
    expect(created.total).toBe(53);
    expect(created.rows.every((r) => r.action === 'create')).toBe(true);
    expect(pageOf([], 'error', 1)).toMatchObject({ total: 0, pages: 1, page: 1, rows: [] });
  });

  test('applicable only without errors, with something to write, and not twice', () => {
    const base = { kind: 'organizations' as const, dry_run: true, applied: false, rows: [] };
    expect(canApply({ ...base, totals: totals({ rows: 2, create: 1, unchanged: 1 }) })).toBe(true);
    expect(canApply({ ...base, totals: totals({ rows: 2, update: 1, error: 1 }) })).toBe(false);
    expect(canApply({ ...base, totals: totals({ rows: 2, unchanged: 2 }) })).toBe(false);
    expect(canApply({ ...base, dry_run: false, applied: true, totals: totals({ rows: 1, create: 1 }) })).toBe(false);
  });

  test('error codes with words; a password column is recognised in any spelling', () => {
    expect(rowErrorCode('unknown_reference')).toBe('unknown_reference');
    expect(rowErrorCode('something_new')).toBe('invalid');
    const unknown = (field: string) => fileErrorCode({ field, code: 'unknown_column', message: '' });
    expect(unknown('password')).toBe('password_column');
    expect(unknown('Contraseña')).toBe('password_column');
    expect(unknown('CLAVE')).toBe('password_column');
    expect(unknown('cargo')).toBe('unknown_column');
    expect(fileErrorCode({ field: 'file', code: 'too_many_rows', message: '' })).toBe('too_many_rows');
    expect(fileErrorCode({ field: 'x', code: 'what', message: '' })).toBe('other');
  });

  test('values that are codes become words; the rest is shown as sent', () => {
    expect(valueWord({ field: 'active' }, 'true')).toEqual({ kind: 'key', key: 'values.yes' });
    expect(valueWord({ field: 'active' }, 'false')).toEqual({ kind: 'key', key: 'values.no' });
    expect(valueWord({ field: 'role' }, 'supervisor')).toEqual({ kind: 'key', key: 'values.roles.supervisor' });
    expect(valueWord({ field: 'locale' }, 'es-CO')).toEqual({ kind: 'key', key: 'values.es_co' });
    expect(valueWord({ field: 'auth_source' }, 'directory')).toEqual({ kind: 'key', key: 'values.directory' });
    expect(valueWord({ field: 'name' }, 'true')).toEqual({ kind: 'text', text: 'true' });
    expect(valueWord({ field: 'email' }, null)).toBeNull();
  });
});
