import { isOneOf } from './one-of';

/** A problem with one file: `code` picks the translated message. */
export type FileProblem = { code: string; max?: number };

/** The server's upload limits (backend `attachments/upload.rs`, defaults), mirrored. */
export const FILE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxFiles: 10 } as const;

/** What the server accepts (it checks the content too). */
export const ACCEPTED_EXTENSIONS = [
  'pdf', 'png', 'jpg', 'jpeg', 'jpe', 'jfif', 'gif', 'webp', 'tif', 'tiff', 'bmp',
  'docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'doc', 'xls', 'ppt', 'txt', 'csv', 'log',
] as const;

export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',');

function extensionOf(name: string): string | null {
  const match = /\.([a-z0-9]{1,10})[\s.]*$/i.exec(name);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** Empty, too large, or a kind of file the desk does not take. */
export function checkFile(file: { name: string; size: number }): FileProblem | null {
  if (file.size === 0) return { code: 'empty' };
  if (file.size > FILE_LIMITS.maxBytes) return { code: 'too_large', max: FILE_LIMITS.maxBytes };
  const extension = extensionOf(file.name);
  if (extension && !isOneOf(ACCEPTED_EXTENSIONS, extension)) return { code: 'unsupported_type' };
  return null;
}
