import { describe, expect, test } from 'vitest';
import { installFakeXhr } from '@/test/fake-xhr';
import { json, stubApi } from '@/test/fetch-stub';
import { adminUser, problem, tokenResponse } from '@/test/fixtures';
import { createApiClient, createTokenRefresher } from './client';
import { sessionStore } from './session';
import { sendForm } from './upload';

describe('sendForm', () => {
  test('sends the bearer token, reports progress and parses the JSON answer', async () => {
    sessionStore.set(tokenResponse());
    const xhr = installFakeXhr();
    stubApi({ 'POST /api/v1/tickets': () => json(201, { number: 7 }) });
    const progress: number[] = [];
    const form = new FormData();
    form.append('data', '{}');
    const answer = await sendForm('http://localhost:3000/api/v1/tickets', form, {
      headers: { 'Idempotency-Key': 'k1' },
      onProgress: (p) => progress.push(p.loaded / p.total),
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ number: 7 });
    expect(progress).toHaveLength(2);
    expect(progress.at(-1)).toBe(1);
    expect(xhr.sent[0]!.headers.get('Authorization')).toBe('Bearer access-1');
    expect(xhr.sent[0]!.headers.get('Idempotency-Key')).toBe('k1');
  });

  test('on a 401 refreshes the session once and sends the form again', async () => {
    sessionStore.set(tokenResponse());
    const xhr = installFakeXhr();
    stubApi({
      'POST /api/v1/tickets': (request) =>
        request.headers.get('Authorization') === 'Bearer access-2'
          ? json(201, { number: 8 })
          : json(401, problem(401, 'unauthorized', 'Unauthorized')),
      'POST /api/v1/auth/refresh': () => json(200, tokenResponse(adminUser, '2')),
    });
    const refresher = createTokenRefresher(createApiClient('http://localhost:3000'));
    const answer = await sendForm('http://localhost:3000/api/v1/tickets', new FormData(), { refresher });
    expect(answer.status).toBe(201);
    expect(xhr.sent.map((s) => s.headers.get('Authorization'))).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(sessionStore.get()?.access_token).toBe('access-2');
  });
});
