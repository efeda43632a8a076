import type { components } from '@/api/schema';
import { FILE_LIMITS, checkFile } from '@/shared/lib/files';

export { ACCEPT_ATTRIBUTE, ACCEPTED_EXTENSIONS, FILE_LIMITS, checkFile } from '@/shared/lib/files';

export type FormField = components['schemas']['FormField'];
export type AttachmentRequirement = components['schemas']['AttachmentRequirement'];
export type ServerFieldError = components['schemas']['FieldError'];

/** What a dynamic input holds: text for every type but checkboxes. */
export type FieldValue = string | boolean;
export type FieldValues = Record<string, FieldValue>;

/**
 * A problem with one input. `code` picks the translated message (`request.errors.<code>`);
 * `max` feeds it. Server codes are kept as they come when they have a translation.
 */
export type FieldProblem = { code: string; max?: number };
/** Problems by form path: `subject`, `fields.<key>`, `attachment.<key>`, `files.<n>`, `_form`… */
export type FormProblems = Record<string, FieldProblem>;

/** The server's limits (backend `tickets/create.rs` and `catalog/form.rs`), mirrored. */
export const LIMITS = {
  subject: 200,
  description: 20_000,
  contact_phone: 40,
  text: 500,
  long_text: 10_000,
} as const;

export function emptyValue(field: FormField): FieldValue {
  return field.type === 'checkbox' ? false : '';
}

export function initialValues(fields: FormField[]): FieldValues {
  return Object.fromEntries(fields.filter((f) => f.type !== 'file').map((f) => [f.key, emptyValue(f)]));
}

/** A real calendar date written YYYY-MM-DD (what `<input type="date">` gives). */
export function isValidDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "12", "-3", "2.5" or the Colombian "2,5"; null when it is not a plain number. */
export function parseNumber(value: string): number | null {
  const trimmed = value.trim();
  if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(trimmed)) return null;
  const number = Number(trimmed.replace(',', '.'));
  return Number.isFinite(number) ? number : null;
}

function isBlank(value: FieldValue | undefined): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** The same checks as the server's `validate_values`, for one field (not `file` fields). */
export function validateValue(field: FormField, value: FieldValue | undefined): FieldProblem | null {
  if (field.type === 'checkbox') {
    return field.required && value !== true ? { code: 'must_check' } : null;
  }
  if (isBlank(value)) return field.required ? { code: 'required' } : null;
  const text = String(value);
  switch (field.type) {
    case 'text':
      return text.length > LIMITS.text ? { code: 'too_long', max: LIMITS.text } : null;
    case 'long_text':
      return text.length > LIMITS.long_text ? { code: 'too_long', max: LIMITS.long_text } : null;
    case 'number':
      return parseNumber(text) === null ? { code: 'invalid_number' } : null;
    case 'date':
      return isValidDate(text.trim()) ? null : { code: 'invalid_date' };
    case 'select':
      return (field.options ?? []).some((o) => o.value === text) ? null : { code: 'invalid_option' };
    default:
      return null;
  }
}

/** The `fields` object of the request: typed values, blanks left out, no `file` fields. */
export function toApiFields(fields: FormField[], values: FieldValues): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const value = values[field.key];
    if (field.type === 'file' || value === undefined) continue;
    if (field.type === 'checkbox') {
      out[field.key] = value === true;
      continue;
    }
    if (isBlank(value)) continue;
    const text = String(value).trim();
    out[field.key] = field.type === 'number' ? (parseNumber(text) ?? text) : text;
  }
  return out;
}

function checkText(problems: FormProblems, path: string, value: string, max: number, required: boolean) {
  const trimmed = value.trim();
  if (!trimmed) {
    if (required) problems[path] = { code: 'required' };
  } else if (trimmed.length > max) {
    problems[path] = { code: 'too_long', max };
  }
}

export type RequestDraft = {
  subject: string;
  description: string;
  contactPhone: string;
  fields: FormField[];
  values: FieldValues;
  /** Files chosen for `file` fields, by key. */
  fieldFiles: Record<string, File | undefined>;
  requiredAttachments: AttachmentRequirement[];
  attachments: Record<string, File | undefined>;
  extraFiles: File[];
};

/** Every problem the browser can find before sending, by form path. */
export function validateDraft(draft: RequestDraft): FormProblems {
  const problems: FormProblems = {};
  checkText(problems, 'subject', draft.subject, LIMITS.subject, true);
  checkText(problems, 'description', draft.description, LIMITS.description, true);
  checkText(problems, 'contact_phone', draft.contactPhone, LIMITS.contact_phone, false);
  for (const field of draft.fields) {
    const path = `fields.${field.key}`;
    if (field.type === 'file') {
      const file = draft.fieldFiles[field.key];
      const problem = file ? checkFile(file) : field.required ? { code: 'file_required' } : null;
      if (problem) problems[path] = problem;
      continue;
    }
    const problem = validateValue(field, draft.values[field.key]);
    if (problem) problems[path] = problem;
  }
  for (const requirement of draft.requiredAttachments) {
    const file = draft.attachments[requirement.key];
    const problem = file ? checkFile(file) : { code: 'file_required' };
    if (problem) problems[`attachment.${requirement.key}`] = problem;
  }
  draft.extraFiles.forEach((file, index) => {
    const problem = checkFile(file);
    if (problem) problems[`files.${index}`] = problem;
  });
  const total = countFiles(draft);
  if (total > FILE_LIMITS.maxFiles) problems.files = { code: 'too_many_files', max: FILE_LIMITS.maxFiles };
  return problems;
}

function countFiles(draft: RequestDraft): number {
  return (
    Object.values(draft.fieldFiles).filter(Boolean).length +
    Object.values(draft.attachments).filter(Boolean).length +
    draft.extraFiles.length
  );
}

/** How the server's `type` of field turns its generic `invalid` into a precise message. */
function invalidCode(field: FormField | undefined, code: string): string {
  if (code !== 'invalid' || !field) return code;
  switch (field.type) {
    case 'number':
      return 'invalid_number';
    case 'date':
      return 'invalid_date';
    case 'select':
      return 'invalid_option';
    case 'checkbox':
      return 'must_check';
    default:
      return 'invalid';
  }
}

/** Paths the form shows next to an input; anything else goes to the form's summary (`_form`). */
const TOP_LEVEL_PATHS = new Set([
  'subject',
  'description',
  'contact_phone',
  'location_id',
  'area_id',
  'organization_id',
  'requester_id',
  'files',
]);

/**
 * Turns a 422's `errors[]` into problems keyed by the path of the input they concern:
 * `subject` → subject, `fields.placa_equipo` → that field, `attachment.acta` → its slot,
 * `files.2` → the third extra file. Unknown paths (e.g. `data`, `service_id`) go to `_form`.
 * File fields travel as extra `file` parts; `fileFieldOrder` maps their `files.N` back.
 */
export function problemsFromServer(
  errors: ServerFieldError[],
  fields: FormField[],
  fileFieldOrder: string[] = [],
): FormProblems {
  const problems: FormProblems = {};
  for (const error of errors) {
    let path = error.field;
    const fieldMatch = /^fields\.([a-z][a-z0-9_]*)/.exec(path);
    const fileMatch = /^files\.(\d+)$/.exec(path);
    if (fieldMatch) {
      path = `fields.${fieldMatch[1]}`;
    } else if (fileMatch) {
      const index = Number(fileMatch[1]);
      const fieldKey = fileFieldOrder[index];
      path = fieldKey ? `fields.${fieldKey}` : `files.${index - fileFieldOrder.length}`;
    } else if (!/^attachment\.[a-z][a-z0-9_]*$/.test(path) && !TOP_LEVEL_PATHS.has(path)) {
      path = '_form';
    }
    if (problems[path]) continue; // the first problem of an input is enough
    const field = fieldMatch ? fields.find((f) => f.key === fieldMatch[1]) : undefined;
    problems[path] = { code: invalidCode(field, error.code) };
  }
  return problems;
}

/**
 * Per-file share uploaded (0–1) from one multipart request's cumulative progress.
 * `partSizes` are the byte sizes of the parts in order (the JSON part first, then each file);
 * the bytes the browser adds (boundaries, part headers) are spread evenly before each part.
 */
export function fileProgress(loaded: number, total: number, partSizes: number[]): number[] {
  if (partSizes.length === 0) return [];
  const content = partSizes.reduce((sum, size) => sum + size, 0);
  const overhead = Math.max(0, total - content) / partSizes.length;
  const progress: number[] = [];
  let start = 0;
  partSizes.forEach((size, index) => {
    start += overhead;
    const done = size === 0 ? (loaded >= start ? 1 : 0) : (loaded - start) / size;
    if (index > 0) progress.push(Math.min(1, Math.max(0, done)));
    start += size;
  });
  return progress;
}

/** An Idempotency-Key; `crypto.randomUUID` only exists on https, an intranet may serve http. */
export function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
