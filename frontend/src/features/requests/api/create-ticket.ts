import type { components, paths } from '@/api/schema';
import { asProblem, type Problem } from '@/shared/api/problem';
import { sendForm, type UploadProgress } from '@/shared/api/upload';

export type CreateTicket = components['schemas']['CreateTicket'];
export type Ticket = components['schemas']['Ticket'];

const PATH = '/api/v1/tickets' satisfies keyof paths;

/** One file of the request and the multipart part it travels in. */
export type TicketFile = { part: 'file' | `attachment.${string}`; file: File };

export type CreateTicketResult =
  | { ok: true; ticket: Ticket; replayed: boolean }
  | { ok: false; status: number; problem: Problem | null };

/** The multipart body: the JSON in `data` first, then the files in the given order. */
export function ticketFormData(data: CreateTicket, files: TicketFile[]): FormData {
  const form = new FormData();
  form.append('data', new Blob([JSON.stringify(data)], { type: 'application/json' }));
  for (const { part, file } of files) form.append(part, file, file.name);
  return form;
}

/** Byte size of each part's content, in the order of `ticketFormData` (for per-file progress). */
export function partSizes(data: CreateTicket, files: TicketFile[]): number[] {
  return [new TextEncoder().encode(JSON.stringify(data)).length, ...files.map((f) => f.file.size)];
}

/**
 * POST /api/v1/tickets as multipart/form-data with upload progress. `idempotencyKey` makes
 * a retry after a lost answer return the same case instead of a duplicate.
 * Throws `UploadNetworkError` when no answer came (the case may or may not exist).
 */
export async function createTicket(
  data: CreateTicket,
  files: TicketFile[],
  options: { idempotencyKey: string; onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal },
): Promise<CreateTicketResult> {
  const response = await sendForm(`${globalThis.location.origin}${PATH}`, ticketFormData(data, files), {
    headers: { 'Idempotency-Key': options.idempotencyKey },
    onProgress: options.onProgress,
    signal: options.signal,
  });
  if ((response.status === 201 || response.status === 200) && isTicket(response.body)) {
    return { ok: true, ticket: response.body, replayed: response.status === 200 };
  }
  return { ok: false, status: response.status, problem: asProblem(response.body) };
}

function isTicket(body: unknown): body is Ticket {
  return typeof body === 'object' && body !== null && 'number' in body && typeof body.number === 'number';
}
