import { refreshAfterUnauthorized, type TokenRefresher } from './client';
import { sessionStore } from './session';

export type UploadProgress = { loaded: number; total: number };

export type UploadResponse = {
  status: number;
  /** The parsed JSON body (problem+json included), or null. */
  body: unknown;
  header: (name: string) => string | null;
};

/** The request never got an answer (offline, DNS, connection reset). */
export class UploadNetworkError extends Error {
  constructor() {
    super('network error');
    this.name = 'UploadNetworkError';
  }
}

export type SendFormOptions = {
  method?: 'POST' | 'PUT' | 'PATCH';
  headers?: Record<string, string>;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** For tests; the app uses the shared refresher of `api`. */
  refresher?: TokenRefresher;
};

function parseBody(xhr: XMLHttpRequest): unknown {
  const type = xhr.getResponseHeader('Content-Type') ?? '';
  if (!/json/i.test(type) || !xhr.responseText) return null;
  try {
    return JSON.parse(xhr.responseText) as unknown;
  } catch {
    return null;
  }
}

function sendOnce(url: string, body: FormData, token: string | undefined, options: SendFormOptions) {
  return new Promise<UploadResponse>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(options.method ?? 'POST', url);
    const lang = globalThis.document?.documentElement.lang;
    if (lang) xhr.setRequestHeader('Accept-Language', lang);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    if (options.onProgress) {
      const report = options.onProgress;
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) report({ loaded: event.loaded, total: event.total });
      });
    }
    xhr.addEventListener('load', () =>
      resolve({ status: xhr.status, body: parseBody(xhr), header: (name) => xhr.getResponseHeader(name) }),
    );
    xhr.addEventListener('error', () => reject(new UploadNetworkError()));
    xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled', 'AbortError')));
    if (options.signal) {
      if (options.signal.aborted) return xhr.abort();
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(body);
  });
}

/**
 * Sends a multipart form with the session's bearer token, reporting upload progress
 * (fetch cannot). A 401 refreshes the session once and sends the form again.
 */
export async function sendForm(url: string, body: FormData, options: SendFormOptions = {}): Promise<UploadResponse> {
  const used = sessionStore.get()?.access_token;
  const first = await sendOnce(url, body, used, options);
  if (first.status !== 401 || !used) return first;
  const token = await (options.refresher ?? refreshAfterUnauthorized)(used);
  if (!token) return first;
  return sendOnce(url, body, token, options);
}
