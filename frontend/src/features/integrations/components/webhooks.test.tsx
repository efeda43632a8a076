import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminUser, problem, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];

const SLOW = { timeout: 30_000 };
const ID = '0193a5ac-d7e8-79fa-a50c-708192a3b4cd';

const hook = (overrides: Partial<Schemas['Webhook']> = {}): Schemas['Webhook'] => ({
  id: ID,
  url: 'https://orfeo.cali.gov.co/integraciones/mesa',
  description: 'Gestión documental',
  events: ['case.registered', 'case.state_changed'],
  active: true,
  consecutive_failures: 0,
  disabled_at: null,
  disabled_reason: null,
  created_by_id: adminUser.id,
  created_at: '2026-11-02T15:00:00Z',
  updated_at: '2026-11-02T15:00:00Z',
  version: 3,
  ...overrides,
});

const delivery = (overrides: Partial<Schemas['Delivery']> = {}): Schemas['Delivery'] => ({
  id: 'd1',
  webhook_id: ID,
  event_id: 'e1',
  event_type: 'ping',
  state: 'pending',
  attempts: 0,
  max_attempts: 10,
  next_attempt_at: '2026-12-04T10:00:00Z',
  last_status_code: null,
  last_error: null,
  last_attempt_at: null,
  delivered_at: null,
  created_at: '2026-12-04T10:00:00Z',
  payload: { id: 'e1', type: 'ping', data: {} },
  ...overrides,
});

function setup(path: string, handlers: Record<string, Handler>) {
  sessionStore.set(tokenResponse(adminUser));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, adminUser),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0 }),
    'GET /api/v1/webhooks/allowed-hosts': () => json(200, { hosts: [] }),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

describe('webhooks', SLOW, () => {
  test('a loopback URL is refused at its field; a new webhook shows its secret once and how to verify it', async () => {
    let stored: Schemas['Webhook'][] = [];
    const { user, stub } = setup('/admin/webhooks', {
      'GET /api/v1/webhooks': () => json(200, stored),
      'POST /api/v1/webhooks': async (request) => {
        const body = (await request.json()) as Schemas['CreateWebhook'];
        if (body.url.includes('127.0.0.1')) {
          return json(422, { ...problem(422, 'validation_failed', 'Invalid'), errors: [{ field: 'url', code: 'forbidden_address', message: '127.0.0.1 is loopback; an admin may allow the host' }] });
        }
        stored = [hook({ url: body.url, events: body.events, description: body.description ?? null })];
        return json(201, { ...stored[0], secret: 'whsec_00112233445566778899aabbccddeeff' });
      },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Webhooks' }, { timeout: 10_000 })).toBeTruthy();
    expect(await screen.findByText('Todavía no hay webhooks.')).toBeTruthy();
    const help = screen.getByRole('region', { name: 'Cómo verifica el receptor la firma' });
    expect(help.textContent).toContain('Mesa-Signature: t=<segundos Unix>,v1=<hex>');
    expect(help.textContent).toContain('300 segundos');

    await user.click(screen.getByRole('button', { name: 'Crear el webhook' }));
    expect(screen.getAllByText('Este dato es obligatorio.')).toHaveLength(2);
    expect(stub.calls('POST /api/v1/webhooks')).toHaveLength(0);

    await user.type(screen.getByLabelText(/^URL/), 'http://127.0.0.1:9000/hook');
    await user.click(screen.getByRole('checkbox', { name: /^Caso registrado/ }));
    await user.click(screen.getByRole('button', { name: 'Crear el webhook' }));
    expect(await screen.findByText(/Mesa no envía a esta dirección/)).toBeTruthy();
    expect(screen.getByLabelText(/^URL/).getAttribute('aria-invalid')).toBe('true');

    const url = screen.getByLabelText(/^URL/);
    await user.clear(url);
    await user.type(url, 'https://orfeo.cali.gov.co/hooks');
    await user.click(screen.getByRole('button', { name: 'Crear el webhook' }));
    const secret = await screen.findByRole('region', { name: 'Copie el secreto de firma ahora' });
    expect((within(secret).getByLabelText('Secreto de firma') as HTMLInputElement).value).toBe('whsec_00112233445566778899aabbccddeeff');
    expect(await stub.calls('POST /api/v1/webhooks')[1]!.json()).toEqual({ url: 'https://orfeo.cali.gov.co/hooks', description: null, events: ['case.registered'], active: true });
    const table = await screen.findByRole('table', { name: 'Webhooks, los más antiguos primero' });
    expect(within(table).getByRole('link', { name: 'https://orfeo.cali.gov.co/hooks' }).getAttribute('href')).toBe(`/admin/webhooks/${ID}`);
    expect(within(table).getByText('1 evento')).toBeTruthy();
    // The form is empty again for the next one.
    expect((screen.getByLabelText(/^URL/) as HTMLInputElement).value).toBe('');
  });

  test('its page sends a test event and follows the delivery log; edits with If-Match; deletes', async () => {
    let deliveries: Schemas['Delivery'][] = [];
    let current = hook();
    const { user, stub } = setup(`/admin/webhooks/${ID}`, {
      [`GET /api/v1/webhooks/${ID}`]: () => json(200, current),
      'GET /api/v1/webhooks': () => json(200, []),
      [`GET /api/v1/webhooks/${ID}/deliveries`]: () => json(200, { items: deliveries, next_cursor: null }),
      [`POST /api/v1/webhooks/${ID}/test`]: () => {
        deliveries = [delivery()];
        return json(201, deliveries[0]);
      },
      [`PATCH /api/v1/webhooks/${ID}`]: async (request) => {
        if (request.headers.get('If-Match') !== '"3"') return json(412, problem(412, 'version_mismatch', 'Stale'));
        current = { ...current, ...((await request.json()) as object), version: 4 };
        return json(200, current);
      },
      [`DELETE /api/v1/webhooks/${ID}`]: () => new Response(null, { status: 204 }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: current.url }, { timeout: 10_000 })).toBeTruthy();
    expect(await screen.findByText('Todavía no hay entregas. Envíe un evento de prueba para comprobar el receptor.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Enviar un evento de prueba' }));
    expect(await screen.findByText('Evento de prueba (ping) en cola: aparecerá en el registro de entregas.')).toBeTruthy();
    const log = await screen.findByRole('table', { name: 'Entregas de este webhook, las más recientes primero' });
    expect(within(log).getByText('Evento de prueba')).toBeTruthy();
    expect(within(log).getByText('Pendiente')).toBeTruthy();

    // The log follows an unfinished delivery until it ends.
    deliveries = [delivery({ state: 'failed', attempts: 10, last_status_code: 500, last_error: 'HTTP 500 Internal Server Error: boom', last_attempt_at: '2026-12-04T14:30:00Z' })];
    expect(await within(log).findByText('Fallida', {}, { timeout: 8_000 })).toBeTruthy();
    expect(within(log).getByText('HTTP 500')).toBeTruthy();
    expect(within(log).getByText('HTTP 500 Internal Server Error: boom')).toBeTruthy();
    expect(within(log).getByText('10 de 10')).toBeTruthy();
    expect(within(log).getByRole('button', { name: /^Reintentar la entrega de ping/ })).toBeTruthy();

    const form = screen.getByRole('form', { name: 'Configuración' });
    await user.click(within(form).getByRole('checkbox', { name: /^Cambio de estado/ }));
    await user.click(within(form).getByRole('switch', { name: /^Activo/ }));
    await user.click(within(form).getByRole('button', { name: 'Guardar cambios' }));
    expect(await screen.findByText('Cambios guardados.')).toBeTruthy();
    const patch = stub.calls(`PATCH /api/v1/webhooks/${ID}`)[0]!;
    expect(patch.headers.get('If-Match')).toBe('"3"');
    expect(await patch.json()).toEqual({ url: current.url, description: 'Gestión documental', events: ['case.registered'], active: false });
    expect(await screen.findByText('Pausado')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Eliminar' }));
    const dialog = await screen.findByRole('dialog', { name: `¿Eliminar el webhook ${current.url}?` });
    await user.click(within(dialog).getByRole('button', { name: 'Eliminar' }));
    expect(await screen.findByText(`Webhook ${current.url} eliminado.`)).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeTruthy();
    expect(stub.calls(`DELETE /api/v1/webhooks/${ID}`)).toHaveLength(1);
  });

  test('someone else’s change in between: the form says so instead of overwriting it', async () => {
    const { user } = setup(`/admin/webhooks/${ID}`, {
      [`GET /api/v1/webhooks/${ID}`]: () => json(200, hook()),
      [`GET /api/v1/webhooks/${ID}/deliveries`]: () => json(200, { items: [], next_cursor: null }),
      [`PATCH /api/v1/webhooks/${ID}`]: () => json(412, problem(412, 'version_mismatch', 'Stale')),
    });
    const form = await screen.findByRole('form', { name: 'Configuración' }, { timeout: 10_000 });
    await user.click(within(form).getByRole('button', { name: 'Guardar cambios' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toContain('Alguien cambió este webhook'));
  });

  test('one Mesa disabled says why and is enabled again; a new secret is shown once', async () => {
    let current = hook({ active: false, consecutive_failures: 10, disabled_at: '2026-12-04T09:00:00Z', disabled_reason: '10 failed attempts in a row since 2026-12-04 07:55 UTC' });
    const { user, stub } = setup(`/admin/webhooks/${ID}`, {
      [`GET /api/v1/webhooks/${ID}`]: () => json(200, current),
      [`GET /api/v1/webhooks/${ID}/deliveries`]: () => json(200, { items: [], next_cursor: null }),
      [`POST /api/v1/webhooks/${ID}/enable`]: () => {
        current = hook({ version: 4 });
        return json(200, current);
      },
      [`POST /api/v1/webhooks/${ID}/rotate-secret`]: () => {
        current = hook({ version: 5 });
        return json(200, { ...current, secret: 'whsec_ffeeddccbbaa99887766554433221100' });
      },
    });
    expect(await screen.findByText('Mesa desactivó este webhook por fallar durante mucho tiempo: 10 failed attempts in a row since 2026-12-04 07:55 UTC', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('Desactivado por fallas')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Activar de nuevo' }));
    expect(await screen.findByText('El webhook está activo otra vez; sus entregas pendientes se enviarán.')).toBeTruthy();
    expect(stub.calls(`POST /api/v1/webhooks/${ID}/enable`)).toHaveLength(1);
    expect(screen.queryByText(/Mesa desactivó este webhook/)).toBeNull();
    expect(within(screen.getByRole('form', { name: 'Configuración' })).getByRole('switch', { name: /^Activo/ })).toHaveProperty('checked', true);

    await user.click(screen.getByRole('button', { name: 'Generar un secreto nuevo' }));
    const dialog = await screen.findByRole('dialog', { name: '¿Generar un secreto de firma nuevo?' });
    expect(dialog.textContent).toContain('El secreto actual deja de firmar de inmediato');
    await user.click(within(dialog).getByRole('button', { name: 'Generar un secreto nuevo' }));
    const secret = await screen.findByRole('region', { name: 'Copie el secreto de firma ahora' });
    expect((within(secret).getByLabelText('Secreto de firma') as HTMLInputElement).value).toBe('whsec_ffeeddccbbaa99887766554433221100');
    await user.click(within(secret).getByRole('button', { name: 'Ya lo guardé' }));
    expect(document.body.textContent).not.toContain('whsec_ffeedd');
  });
});
