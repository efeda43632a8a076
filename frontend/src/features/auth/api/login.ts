import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { api } from '@/shared/api/client';
import { asProblem, parseRetryAfter, type FieldError } from '@/shared/api/problem';
import { sessionStore } from '@/shared/api/session';
import { meQueryOptions } from './get-me';

export type LoginRequest = components['schemas']['LoginRequest'];
export type TokenResponse = components['schemas']['TokenResponse'];

/** Why a login failed, with what the form needs to explain it. */
export type LoginFailure =
  | { kind: 'network' }
  | {
      kind: 'response';
      status: number;
      code: string | null;
      retryAfterSeconds: number | null;
      fieldErrors: FieldError[];
    };

export class LoginError extends Error {
  readonly failure: LoginFailure;
  constructor(failure: LoginFailure) {
    super(failure.kind === 'network' ? 'network error' : `login failed with ${failure.status}`);
    this.name = 'LoginError';
    this.failure = failure;
  }
}

/** POST /api/v1/auth/login */
export async function login(body: LoginRequest): Promise<TokenResponse> {
  let result;
  try {
    result = await api.POST('/api/v1/auth/login', { body });
  } catch {
    throw new LoginError({ kind: 'network' });
  }
  const { data, error, response } = result;
  if (error === undefined && data) return data;
  const problem = asProblem(error);
  throw new LoginError({
    kind: 'response',
    status: response.status,
    code: problem?.code ?? null,
    retryAfterSeconds: parseRetryAfter(response.headers.get('Retry-After')),
    fieldErrors: problem?.errors ?? [],
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation<TokenResponse, LoginError, LoginRequest>({
    mutationFn: login,
    onSuccess: (tokens) => {
      // Seed the user first so the home page renders without another round trip.
      queryClient.setQueryData(meQueryOptions().queryKey, tokens.user);
      sessionStore.set(tokens);
    },
  });
}
