import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminUser, problem, requesterUser, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import { SCOPES } from '../lib/scopes';

type Schemas = components['schemas'];

const SLOW = { timeout: 30_000 };

const token = (overrides: Partial<Schemas['ApiToken']> = {}): Schemas['ApiToken'] => ({
  id: '0193a5ad-e8f9-7a0b-b61d-8192a3b4c5de',
  user_id: requesterUser.id,
  user_name: requesterUser.display_name,
  created_by_id: requesterUser.id,
  name: 'Gestión documental',
  prefix: 'mesa_Ab3xYz9',
  scopes: ['tickets:read', 'profile:read'],
  allowed_networks: [],
  expires_at: null,
  created_at: '2026-11-02T15:00:00Z',
  last_used_at: null,
  last_used_address: null,
  revoked_at: null,
  ...overrides,
});

function setup(path: string, handlers: Record<string, Handler>, me = requesterUser) {
  sessionStore.set(tokenResponse(me));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, me),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0 }),
    // What the API answers a requester: every scope, some not theirs to grant.
    'GET /api/v1/api-tokens/scopes': () =>
      json(200, { items: SCOPES.map((scope) => ({ scope, grantable: !['admin', 'reports:read', 'catalog:write', 'users:read'].includes(scope) })) }),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

describe('my API tokens', SLOW, () => {
  test('reached from the user menu; offers the scopes the API says the caller may grant; problems at their fields; the secret once', async () => {
    let stored: Schemas['ApiToken'][] = [];
    const { user, stub } = setup('/', {
      'GET /api/v1/api-tokens': () => json(200, { items: stored, next_cursor: null }),
      'POST /api/v1/api-tokens': async (request) => {
        const body = (await request.json()) as Schemas['CreateApiToken'];
        if (body.allowed_networks?.includes('intranet')) {
          return json(422, { ...problem(422, 'validation_failed', 'Invalid'), errors: [{ field: 'allowed_networks.1', code: 'invalid', message: 'is not a network' }] });
        }
        const created = token({ id: 'new-token', name: body.name, scopes: body.scopes, expires_at: body.expires_at ?? null, allowed_networks: body.allowed_networks ?? [] });
        stored = [created];
        return json(201, { token: 'mesa_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG', api_token: created });
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Menú de usuario de Lucía Martínez' }, { timeout: 10_000 }));
    await user.click(await screen.findByRole('menuitem', { name: 'Mis tokens de API' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Mis tokens de API' }, { timeout: 10_000 })).toBeTruthy();
    expect(await screen.findByText('Todavía no hay tokens de API.')).toBeTruthy();
    // Only the caller's own tokens, even for an admin (the API would list everyone's).
    expect(new URL(stub.calls('GET /api/v1/api-tokens')[0]!.url).searchParams.get('user_id')).toBe(requesterUser.id);

    // Only what the API says the caller may grant, in its order.
    const scopes = screen.getByRole('group', { name: /^Permisos/ });
    expect(within(scopes).getAllByRole('checkbox').map((c) => c.getAttribute('value'))).toEqual([
      'tickets:read',
      'tickets:write',
      'catalog:read',
      'kb:read',
      'kb:write',
      'profile:read',
      'profile:write',
    ]);

    await user.click(screen.getByRole('button', { name: 'Crear el token' }));
    expect(screen.getByLabelText(/^Nombre/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('Este dato es obligatorio.')).toHaveLength(2);
    expect(stub.calls('POST /api/v1/api-tokens')).toHaveLength(0);

    await user.type(screen.getByLabelText(/^Nombre/), 'Script de inventario');
    await user.click(within(scopes).getByRole('checkbox', { name: /profile:read/ }));
    await user.type(screen.getByLabelText(/^Redes permitidas/), '10.20.0.0/16\nintranet');
    await user.click(screen.getByRole('button', { name: 'Crear el token' }));
    expect(await screen.findByText('«intranet» no es una red (como 10.20.0.0/16) ni una dirección IP.')).toBeTruthy();
    expect(screen.getByLabelText(/^Redes permitidas/).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('No se guardó');

    const networks = screen.getByLabelText(/^Redes permitidas/);
    await user.clear(networks);
    await user.type(networks, '10.20.0.0/16');
    await user.type(screen.getByLabelText(/^Válido hasta/), '2030-12-31');
    await user.click(screen.getByRole('button', { name: 'Crear el token' }));

    const secret = await screen.findByRole('region', { name: 'Copie el token ahora' });
    expect(within(secret).getByText(/única vez que Mesa muestra el token completo/)).toBeTruthy();
    expect((within(secret).getByLabelText('Token nuevo: Script de inventario') as HTMLInputElement).value).toBe('mesa_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG');
    expect(within(secret).getByRole('button', { name: 'Copiar' })).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(secret));
    const sentBody = (await stub.calls('POST /api/v1/api-tokens')[1]!.json()) as Schemas['CreateApiToken'];
    expect(sentBody).toEqual({
      name: 'Script de inventario',
      scopes: ['profile:read'],
      // The last valid day is inclusive: it stops at the start of the next day, local time.
      expires_at: new Date(2031, 0, 1).toISOString(),
      allowed_networks: ['10.20.0.0/16'],
    });
    // The form is empty again, the list shows the new token by its first characters.
    expect((screen.getByLabelText(/^Nombre/) as HTMLInputElement).value).toBe('');
    const table = await screen.findByRole('table', { name: 'Sus tokens de API, los más recientes primero' });
    expect(within(table).getByText('Script de inventario')).toBeTruthy();
    expect(within(table).getByText('mesa_Ab3xYz9…')).toBeTruthy();
    expect(within(table).getByText('Activo')).toBeTruthy();

    await user.click(within(secret).getByRole('button', { name: 'Ya lo guardé' }));
    expect(screen.queryByRole('region', { name: 'Copie el token ahora' })).toBeNull();
    expect(document.body.textContent).not.toContain('mesa_0123456789abcdef');
  });

  test('revoking asks first, then the list shows it revoked', async () => {
    let revoked = false;
    const { user, stub } = setup('/api-tokens', {
      'GET /api/v1/api-tokens': () => json(200, { items: [token(revoked ? { revoked_at: '2026-12-04T10:00:00Z' } : { last_used_at: '2026-12-03T15:40:00Z', last_used_address: '10.20.4.17' })], next_cursor: null }),
      [`DELETE /api/v1/api-tokens/${token().id}`]: () => {
        revoked = true;
        return new Response(null, { status: 204 });
      },
    });
    const table = await screen.findByRole('table', { name: 'Sus tokens de API, los más recientes primero' }, { timeout: 10_000 });
    expect(within(table).getByText(/desde 10\.20\.4\.17$/)).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Revocar el token Gestión documental' }));
    const dialog = await screen.findByRole('dialog', { name: '¿Revocar el token «Gestión documental»?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revocar' }));
    expect(await screen.findByText('El token «Gestión documental» fue revocado.')).toBeTruthy();
    expect(stub.calls(`DELETE /api/v1/api-tokens/${token().id}`)).toHaveLength(1);
    await waitFor(() => expect(within(screen.getByRole('table', { name: /Sus tokens/ })).getByText('Revocado')).toBeTruthy());
    expect(within(screen.getByRole('table', { name: /Sus tokens/ })).queryByRole('button')).toBeNull();
  });
});

describe('every API token (admins)', SLOW, () => {
  test('lists everyone’s tokens with whom they act as, expired ones marked; admins grant the admin scope', async () => {
    const { stub } = setup(
      '/admin/api-tokens',
      {
        'GET /api/v1/api-tokens': () =>
          json(200, { items: [token(), token({ id: 't2', user_id: adminUser.id, user_name: adminUser.display_name, name: 'Respaldo', scopes: ['admin'], expires_at: '2026-01-01T05:00:00Z' })], next_cursor: null }),
      },
      adminUser,
    );
    const nav = await screen.findByRole('navigation', { name: 'Secciones de administración' }, { timeout: 10_000 });
    expect(within(nav).getByRole('link', { name: 'Tokens de API' })).toBeTruthy();
    expect(within(nav).getByRole('link', { name: 'Webhooks' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Tokens de API de todas las personas, los más recientes primero' });
    expect(await within(table).findByText('Lucía Martínez')).toBeTruthy();
    expect(await within(table).findByText('Ana Pérez')).toBeTruthy();
    expect(within(table).getByText('Vencido')).toBeTruthy();
    expect(new URL(stub.calls('GET /api/v1/api-tokens')[0]!.url).searchParams.get('user_id')).toBeNull();
  });

  test('a supervisor has no such section', async () => {
    setup('/admin/api-tokens', {}, { ...adminUser, role: 'supervisor' });
    expect(await screen.findByText('No tiene permiso para hacer esto.', {}, { timeout: 10_000 })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Secciones de administración' });
    expect(within(nav).queryByRole('link', { name: 'Tokens de API' })).toBeNull();
  });
});
