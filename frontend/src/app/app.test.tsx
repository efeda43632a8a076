import { screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { LANGUAGE_STORAGE_KEY } from '@/shared/i18n';
import { sessionStore } from '@/shared/api/session';
import { adminUser, problem, tokenResponse } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

async function fillAndSubmit(user: ReturnType<typeof renderApp>['user'], username: string, password: string) {
  await user.type(await screen.findByLabelText(/^Usuario|^Username/), username);
  await user.type(screen.getByLabelText(/^Contraseña|^Password/), password);
  await user.click(screen.getByRole('button', { name: /^Ingresar$|^Sign in$/ }));
}

describe('login page', () => {
  test('renders in Colombian Spanish by default, with the directory account hint', async () => {
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeTruthy();
    const username = screen.getByLabelText(/^Usuario/);
    expect(username.getAttribute('autocomplete')).toBe('username');
    const hintId = username.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(hintId.split(' ')[0] ?? '')?.textContent).toMatch(/nombre\.apellido/);
    expect(screen.getByLabelText(/^Contraseña/).getAttribute('type')).toBe('password');
    expect(screen.getByRole('button', { name: 'Ingresar' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('es-CO');
    expect(document.title).toBe('Mesa de servicios');
  });

  test('switches to English and remembers it', async () => {
    const first = renderApp('/login');
    await first.user.click(await screen.findByRole('button', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    expect(screen.getByLabelText(/^Username/)).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');

    first.unmount();
    const second = renderApp('/login');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    await second.user.click(screen.getByRole('button', { name: 'Español' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeTruthy();
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('es');
  });

  test('asks for both fields before calling the API', async () => {
    const stub = stubApi({});
    const { user } = renderApp('/login');
    await user.click(await screen.findByRole('button', { name: 'Ingresar' }));
    expect(screen.getByText('Ingrese su usuario.')).toBeTruthy();
    expect(screen.getByText('Ingrese su contraseña.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText(/^Usuario/));
    expect(stub.fetch).not.toHaveBeenCalled();
  });

  test('shows the invalid-credentials message for a 401', async () => {
    const stub = stubApi({
      'POST /api/v1/auth/login': () => json(401, problem(401, 'invalid_credentials', 'Invalid credentials')),
    });
    const { user } = renderApp('/login');
    await fillAndSubmit(user, 'ana.perez', 'wrong');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('El usuario o la contraseña no son correctos.');
    expect(await stub.calls('POST /api/v1/auth/login')[0]?.json()).toEqual({
      username: 'ana.perez',
      password: 'wrong',
    });
    expect(sessionStore.get()).toBeNull();
  });

  test('shows the Retry-After delay for a 429, in the chosen language', async () => {
    stubApi({
      'POST /api/v1/auth/login': () =>
        json(429, problem(429, 'too_many_attempts', 'Too many attempts'), { 'Retry-After': '42' }),
    });
    const { user } = renderApp('/login');
    await fillAndSubmit(user, 'ana.perez', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toContain('Intente de nuevo en 42 segundos.');
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Try again in 42 seconds.');
  });

  test('explains an unavailable directory (503) and a network failure', async () => {
    let down = true;
    stubApi({
      'POST /api/v1/auth/login': () => {
        if (down) return json(503, problem(503, 'directory_unavailable', 'Directory unavailable'));
        throw new TypeError('Failed to fetch');
      },
    });
    const { user } = renderApp('/login');
    await fillAndSubmit(user, 'ana.perez', 'secret');
    expect((await screen.findByRole('alert')).textContent).toContain('El directorio institucional no responde');
    down = false;
    await user.click(screen.getByRole('button', { name: 'Ingresar' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('No fue posible comunicarse con el servidor'),
    );
  });

  test('shows validation problems on the fields they name', async () => {
    stubApi({
      'POST /api/v1/auth/login': () =>
        json(422, {
          ...problem(422, 'validation_failed', 'Validation failed'),
          errors: [{ field: 'username', code: 'too_long', message: 'Máximo 128 caracteres.' }],
        }),
    });
    const { user } = renderApp('/login');
    await fillAndSubmit(user, 'a'.repeat(200), 'secret');
    expect((await screen.findByRole('alert')).textContent).toContain('Revise los datos ingresados.');
    expect(screen.getByText('Máximo 128 caracteres.')).toBeTruthy();
  });
});

describe('after login', () => {
  test('a successful login goes home and greets the user by display name', async () => {
    const stub = stubApi({
      'POST /api/v1/auth/login': () => json(200, tokenResponse()),
      'GET /api/v1/me': () => json(200, adminUser),
    });
    const { user, router } = renderApp('/');
    await fillAndSubmit(user, ' ana.perez ', 'MesaDemo2026!');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hola, Ana Pérez' })).toBeTruthy();
    expect(screen.getByText('Rol: Administración')).toBeTruthy();
    expect(router.state.location.pathname).toBe('/');
    expect(sessionStore.get()).toEqual({ access_token: 'access-1', refresh_token: 'refresh-1' });
    expect(await stub.calls('POST /api/v1/auth/login')[0]?.json()).toEqual({
      username: 'ana.perez',
      password: 'MesaDemo2026!',
    });
  });

  test('the home page loads the user with the stored token and logs out', async () => {
    sessionStore.set(tokenResponse());
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, { ...adminUser, display_name: 'Carlos Gómez', role: 'agent' }),
      'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
    });
    const { user, router } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hola, Carlos Gómez' })).toBeTruthy();
    expect(screen.getByText('Rol: Agente')).toBeTruthy();
    expect(stub.calls('GET /api/v1/me')[0]?.headers.get('Authorization')).toBe('Bearer access-1');

    await user.click(screen.getByRole('button', { name: 'Menú de usuario de Carlos Gómez' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Cerrar sesión' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeTruthy();
    expect(router.state.location.pathname).toBe('/login');
    expect(await stub.calls('POST /api/v1/auth/logout')[0]?.json()).toEqual({ refresh_token: 'refresh-1' });
    expect(sessionStore.get()).toBeNull();
  });

  test('an expired session that cannot be refreshed returns to the login page', async () => {
    sessionStore.set(tokenResponse());
    stubApi({
      'GET /api/v1/me': () => json(401, problem(401, 'unauthorized', 'Unauthorized')),
      'POST /api/v1/auth/refresh': () => json(401, problem(401, 'invalid_token', 'Invalid token')),
    });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Iniciar sesión' })).toBeTruthy();
    expect(sessionStore.get()).toBeNull();
  });
});
