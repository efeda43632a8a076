import { describe, expect, test } from 'vitest';
import { adminUser, problem, tokenResponse } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { createApiClient } from './client';
import { sessionStore } from './session';

const unauthorized = () => json(401, problem(401, 'unauthorized', 'Unauthorized'));

describe('API client auth middleware', () => {
  test('sends the bearer token to the API but not to the auth endpoints', async () => {
    sessionStore.set(tokenResponse());
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const client = createApiClient('http://localhost:3000');
    const { data } = await client.GET('/api/v1/me');
    expect(data?.display_name).toBe('Ana Pérez');
    await client.POST('/api/v1/auth/logout', { body: { refresh_token: 'refresh-1' } });
    expect(stub.calls('GET /api/v1/me')[0]?.headers.get('Authorization')).toBe('Bearer access-1');
    expect(stub.calls('POST /api/v1/auth/logout')[0]?.headers.get('Authorization')).toBeNull();
  });

  test('on a 401 refreshes once, stores the new tokens and retries', async () => {
    sessionStore.set(tokenResponse());
    const stub = stubApi({
      'GET /api/v1/me': (request) =>
        request.headers.get('Authorization') === 'Bearer access-2' ? json(200, adminUser) : unauthorized(),
      'POST /api/v1/auth/refresh': async (request) => {
        expect(await request.json()).toEqual({ refresh_token: 'refresh-1' });
        return json(200, tokenResponse(adminUser, '2'));
      },
    });
    const client = createApiClient('http://localhost:3000');
    const [first, second] = await Promise.all([client.GET('/api/v1/me'), client.GET('/api/v1/me')]);
    expect(first.data?.username).toBe('ana.perez');
    expect(second.data?.username).toBe('ana.perez');
    expect(stub.calls('POST /api/v1/auth/refresh')).toHaveLength(1);
    expect(stub.calls('GET /api/v1/me')).toHaveLength(4);
    expect(sessionStore.get()).toEqual({ access_token: 'access-2', refresh_token: 'refresh-2' });
  });

  test('clears the session when the refresh is refused', async () => {
    sessionStore.set(tokenResponse());
    const stub = stubApi({
      'GET /api/v1/me': unauthorized,
      'POST /api/v1/auth/refresh': () => json(401, problem(401, 'invalid_token', 'Invalid token')),
    });
    const client = createApiClient('http://localhost:3000');
    const { error, response } = await client.GET('/api/v1/me');
    expect(response.status).toBe(401);
    expect(error?.code).toBe('unauthorized');
    expect(stub.calls('GET /api/v1/me')).toHaveLength(1);
    expect(sessionStore.get()).toBeNull();
  });

  test('does not try to refresh after a failed login', async () => {
    const stub = stubApi({
      'POST /api/v1/auth/login': () => json(401, problem(401, 'invalid_credentials', 'Invalid credentials')),
    });
    const client = createApiClient('http://localhost:3000');
    const { error } = await client.POST('/api/v1/auth/login', { body: { username: 'a', password: 'b' } });
    expect(error?.code).toBe('invalid_credentials');
    expect(stub.requests).toHaveLength(1);
  });
});
