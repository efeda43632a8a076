import { vi } from 'vitest';

export type Handler = (request: Request) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': contentType, ...headers },
  });
}

/**
 * Replaces globalThis.fetch with a router keyed by "METHOD /path".
 * Every request is recorded (cloned, so bodies can be read afterwards).
 */
export function stubApi(handlers: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    requests.push(request.clone());
    const key = `${request.method} ${new URL(request.url).pathname}`;
    const handler = handlers[key];
    if (!handler) throw new Error(`unexpected request ${key}`);
    return handler(request);
  });
  vi.stubGlobal('fetch', fetch);
  return {
    fetch,
    requests,
    calls: (key: string) =>
      requests.filter((r) => `${r.method} ${new URL(r.url).pathname}` === key),
  };
}
