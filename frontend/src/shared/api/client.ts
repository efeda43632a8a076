import createClient, { type Client, type Middleware } from 'openapi-fetch';
import createQueryHooks from 'openapi-react-query';
import type { paths } from '@/api/schema';
import { sessionStore } from './session';

export type ApiClient = Client<paths>;

/** Endpoints that authenticate by their body, never by the bearer token. */
const AUTH_PATH_PREFIX = '/api/v1/auth/';

/**
 * Refreshes the tokens once for every request that got a 401 with the same (now stale) token.
 * Shared by the fetch middleware and the XHR uploads (which need progress events fetch lacks).
 */
export function createTokenRefresher(client: ApiClient) {
  let refreshing: Promise<boolean> | null = null;

  async function refresh(): Promise<boolean> {
    const tokens = sessionStore.get();
    if (!tokens) return false;
    let result;
    try {
      result = await client.POST('/api/v1/auth/refresh', {
        body: { refresh_token: tokens.refresh_token },
      });
    } catch {
      return false; // network failure: keep the session, the caller sees the 401
    }
    if (result.data) {
      sessionStore.set(result.data);
      return true;
    }
    sessionStore.clear();
    return false;
  }

  /** After a 401 with `usedToken`: a fresh access token to retry with, or null. */
  return async function afterUnauthorized(usedToken: string | undefined): Promise<string | null> {
    const current = sessionStore.get();
    // Another request may have refreshed already; only refresh when our token is the newest.
    if (!(current && current.access_token !== usedToken)) {
      refreshing ??= refresh().finally(() => {
        refreshing = null;
      });
      if (!(await refreshing)) return null;
    }
    return sessionStore.get()?.access_token ?? null;
  };
}

export type TokenRefresher = ReturnType<typeof createTokenRefresher>;

/**
 * Adds `Authorization: Bearer …` and `Accept-Language`; on a 401 from a non-auth
 * endpoint it refreshes the tokens once (shared by concurrent requests) and
 * retries the request. When the refresh is refused the session is cleared,
 * which sends the user back to the login page.
 */
export function createAuthMiddleware(
  client: ApiClient,
  afterUnauthorized: TokenRefresher = createTokenRefresher(client),
): Middleware {
  const retries = new Map<string, Request>();

  return {
    onRequest({ request, schemaPath, id }) {
      const lang = globalThis.document?.documentElement.lang;
      if (lang) request.headers.set('Accept-Language', lang);
      if (schemaPath.startsWith(AUTH_PATH_PREFIX)) return request;
      const tokens = sessionStore.get();
      if (tokens) {
        request.headers.set('Authorization', `Bearer ${tokens.access_token}`);
        retries.set(id, request.clone());
      }
      return request;
    },
    async onResponse({ response, id, options }) {
      const retry = retries.get(id);
      retries.delete(id);
      if (response.status !== 401 || !retry) return undefined;
      const usedToken = retry.headers.get('Authorization')?.replace(/^Bearer /, '');
      const token = await afterUnauthorized(usedToken);
      if (!token) return undefined;
      retry.headers.set('Authorization', `Bearer ${token}`);
      return options.fetch(retry);
    },
    onError({ id }) {
      retries.delete(id);
    },
  };
}

export function createApiClient(baseUrl: string = globalThis.location.origin): ApiClient {
  return createApiClientWithRefresher(baseUrl).client;
}

function createApiClientWithRefresher(baseUrl: string) {
  // openapi-fetch keeps the fetch it is given: look it up per call so tests can stub it.
  const client = createClient<paths>({ baseUrl, fetch: (request) => globalThis.fetch(request) });
  const refresher = createTokenRefresher(client);
  client.use(createAuthMiddleware(client, refresher));
  return { client, refresher };
}

const shared = createApiClientWithRefresher(globalThis.location.origin);

/** The API is served from the same origin as the SPA (Vite proxies /api in development). */
export const api = shared.client;

/** Refreshes the session after a 401 (for requests that do not go through `api`). */
export const refreshAfterUnauthorized: TokenRefresher = shared.refresher;

/** TanStack Query hooks typed from the OpenAPI document. */
export const $api = createQueryHooks(api);
