import type { BundleKey } from '@/shared/i18n/bundle';
import type { ImportKind } from '../api/imports';
import type es from '../locales/es.json';

/**
 * A column an import reads: its name in the API, some of the other headers the server accepts
 * for it (written as in a spreadsheet; case, accents, spaces and hyphens do not matter), and
 * whether every row needs it. Mirrors `backend/src/imports/domain.rs` (the README's table).
 */
export type ImportColumn = { name: string; aliases: readonly string[]; required: boolean; help: ColumnHelpKey };

/** The key of a column's description in this feature's bundle (checked against the Spanish file). */
type ColumnHelpKey = Extract<BundleKey<typeof es>, `columns.${ImportKind}.${string}`>;

/** The kinds in the order they must be imported: areas name organizations, people name both. */
export const KINDS = ['organizations', 'areas', 'users'] as const satisfies readonly ImportKind[];

export const COLUMNS: Record<ImportKind, readonly ImportColumn[]> = {
  organizations: [
    { name: 'name', aliases: ['nombre', 'organización', 'entidad', 'organismo'], required: true, help: 'columns.organizations.name' },
    { name: 'short_name', aliases: ['código', 'sigla'], required: false, help: 'columns.organizations.short_name' },
    { name: 'active', aliases: ['activo'], required: false, help: 'columns.organizations.active' },
  ],
  areas: [
    { name: 'organization', aliases: ['organización', 'entidad', 'organismo'], required: true, help: 'columns.areas.organization' },
    { name: 'name', aliases: ['nombre', 'área', 'dependencia'], required: true, help: 'columns.areas.name' },
    { name: 'active', aliases: ['activo'], required: false, help: 'columns.areas.active' },
  ],
  users: [
    { name: 'username', aliases: ['usuario', 'login'], required: true, help: 'columns.users.username' },
    { name: 'display_name', aliases: ['nombre', 'nombre completo'], required: false, help: 'columns.users.display_name' },
    { name: 'email', aliases: ['correo'], required: false, help: 'columns.users.email' },
    { name: 'phone', aliases: ['teléfono', 'celular'], required: false, help: 'columns.users.phone' },
    { name: 'role', aliases: ['rol'], required: false, help: 'columns.users.role' },
    { name: 'identity_number', aliases: ['cédula', 'documento'], required: false, help: 'columns.users.identity_number' },
    { name: 'organization', aliases: ['organización', 'entidad'], required: false, help: 'columns.users.organization' },
    { name: 'area', aliases: ['área', 'dependencia'], required: false, help: 'columns.users.area' },
    { name: 'locale', aliases: ['idioma'], required: false, help: 'columns.users.locale' },
    { name: 'active', aliases: ['activo'], required: false, help: 'columns.users.active' },
  ],
};

/** The server's limits for one file (`imports::csv_file::MAX_BYTES`, `MAX_ROWS`). */
export const MAX_BYTES = 4 * 1024 * 1024;
export const MAX_ROWS = 10_000;

/** Why a chosen file is not sent: empty, over the size limit, or a spreadsheet not saved as CSV. */
export type FileProblem = 'empty' | 'too_large' | 'spreadsheet';

const SPREADSHEET = /\.(xlsx|xlsm|xls|ods|numbers)$/i;

export function checkFile(file: { name: string; size: number }): FileProblem | null {
  if (SPREADSHEET.test(file.name.trim())) return 'spreadsheet';
  if (file.size === 0) return 'empty';
  if (file.size > MAX_BYTES) return 'too_large';
  return null;
}
