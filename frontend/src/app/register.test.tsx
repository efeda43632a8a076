import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { installFakeXhr } from '@/test/fake-xhr';
import { adminUser, agentUser, cam, hacienda, page, requesterUser, siteSupport, ticket, tokenResponse, treasury } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

const supervisor = { ...adminUser, role: 'supervisor' as const, display_name: 'Sandra Villa' };
const simpleService = { ...siteSupport, service: { ...siteSupport.service!, required_attachments: [], form_fields: [] } };

function setup(user: typeof adminUser) {
  sessionStore.set(tokenResponse(user));
  const xhr = installFakeXhr();
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, user),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0, requested: 0 }),
    [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, simpleService),
    'GET /api/v1/locations': () => json(200, page([cam])),
    'GET /api/v1/organizations': () => json(200, page([hacienda])),
    'GET /api/v1/areas': () => json(200, page([treasury])),
    'GET /api/v1/users': () => json(200, page([requesterUser])),
    'POST /api/v1/tickets': () => json(201, ticket({ number: 321, channel: 'phone' })),
  });
  return { ...renderApp(`/register/${siteSupport.id}`), stub, xhr };
}

describe('registering a phone call', () => {
  test("a desk manager finds the caller, whose profile fills the contact data, and files in their name", async () => {
    const { user, stub, xhr } = setup(supervisor);
    expect(await screen.findByRole('heading', { level: 1, name: 'Registro telefónico: Soporte virtual o en sitio' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Registrar en nombre del solicitante' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Solicitante: Este dato es obligatorio.');

    await user.type(screen.getByLabelText(/^Buscar al solicitante/), 'lucia');
    await user.click(await screen.findByRole('radio', { name: /Lucía Martínez/ }));
    expect(screen.getByText('El caso quedará a nombre de Lucía Martínez.')).toBeTruthy();
    expect(new URL(stub.calls('GET /api/v1/users').at(-1)!.url).searchParams.get('q')).toBe('lucia');
    await waitFor(() => expect((screen.getByLabelText(/^Organismo/) as HTMLSelectElement).value).toBe(hacienda.id));
    expect((screen.getByLabelText(/^Teléfono de contacto/) as HTMLInputElement).value).toBe('602 555 0101');

    await user.type(screen.getByLabelText(/^Asunto/), 'Llamada: no enciende');
    await user.type(screen.getByLabelText(/^Descripción/), 'La usuaria llama porque su equipo no enciende.');
    await user.click(screen.getByRole('button', { name: 'Registrar en nombre del solicitante' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Caso #321 registrado' })).toBeTruthy();
    const data = JSON.parse(await (xhr.sent[0]!.body!.get('data') as Blob).text());
    expect(data).toMatchObject({ requester_id: requesterUser.id, channel: 'phone', organization_id: hacienda.id });
    expect(within(screen.getByRole('main')).getByRole('link', { name: 'Registrar otra solicitud' }).getAttribute('href')).toBe('/register');
  });

  test('a first-level agent searches the directory too (GET /users is open to staff)', async () => {
    setup(agentUser);
    expect(await screen.findByRole('searchbox', { name: /Buscar al solicitante/ })).toBeTruthy();
    expect(screen.queryByText('No puede buscar en el directorio')).toBeNull();
  });
});
