import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLogin, type LoginFailure } from '../api/login';

type Field = 'username' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

/** The message shown above the form for a failed login, in the current language. */
export function loginErrorMessage(failure: LoginFailure, t: TFunction): string {
  if (failure.kind === 'network') return t('auth.errors.network');
  switch (failure.code) {
    case 'invalid_credentials':
      return t('auth.errors.invalid_credentials');
    case 'too_many_attempts':
      return failure.retryAfterSeconds === null
        ? t('auth.errors.too_many_attempts_later')
        : t('auth.errors.too_many_attempts', { count: failure.retryAfterSeconds });
    case 'directory_unavailable':
      return t('auth.errors.directory_unavailable');
    case 'validation':
    case 'validation_failed':
      return t('auth.errors.validation');
  }
  if (failure.status === 401) return t('auth.errors.invalid_credentials');
  if (failure.status === 422 || failure.status === 400) return t('auth.errors.validation');
  if (failure.status === 429) return t('auth.errors.too_many_attempts_later');
  // A gateway (or Vite's dev proxy) that cannot reach the backend.
  if (failure.status === 502 || failure.status === 504) return t('auth.errors.network');
  return t('auth.errors.unexpected');
}

function isField(value: string): value is Field {
  return value === 'username' || value === 'password';
}

export function LoginForm() {
  const { t } = useTranslation();
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  // Field errors reported by the server (422) are shown on the inputs they name.
  const serverFieldErrors: FieldErrors = {};
  if (login.error?.failure.kind === 'response') {
    for (const error of login.error.failure.fieldErrors) {
      if (isField(error.field)) serverFieldErrors[error.field] = error.message;
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = username.trim();
    const errors: FieldErrors = {};
    if (!trimmed) errors.username = t('auth.login.username_required');
    if (!password) errors.password = t('auth.login.password_required');
    setFieldErrors(errors);
    if (errors.username) return usernameRef.current?.focus();
    if (errors.password) return passwordRef.current?.focus();
    login.mutate({ username: trimmed, password });
  }

  const usernameError = fieldErrors.username ?? serverFieldErrors.username;
  const passwordError = fieldErrors.password ?? serverFieldErrors.password;

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="login-heading">
      <Stack gap="md">
        {login.error && (
          <Alert color="red" variant="light" title={t('auth.errors.title')} role="alert">
            {loginErrorMessage(login.error.failure, t)}
          </Alert>
        )}
        <TextInput
          ref={usernameRef}
          name="username"
          label={t('auth.login.username')}
          description={t('auth.login.username_hint')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={username}
          onChange={(event) => setUsername(event.currentTarget.value)}
          error={usernameError}
        />
        <PasswordInput
          ref={passwordRef}
          name="password"
          label={t('auth.login.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={passwordError}
          // Mantine leaves the toggle out of the tab order; keyboard users need it too.
          visibilityToggleButtonProps={{ 'aria-label': t('auth.login.toggle_password'), tabIndex: 0 }}
        />
        <Button type="submit" loading={login.isPending} fullWidth>
          {t('auth.login.submit')}
        </Button>
      </Stack>
    </form>
  );
}
