import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { json, stubApi } from '@/test/fetch-stub';
import { adminUser, agentUser, education, hacienda, problem, requesterUser, tokenResponse, treasury } from '@/test/fixtures';
import { renderApp } from '@/test/render-app';

type User = components['schemas']['User'];

const supervisor: User = { ...adminUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', username: 'supervisor.tic', display_name: 'Sandra Villa', role: 'supervisor' };
const page = (items: User[], next: string | null = null) => ({ items, next_cursor: next });
const validation = (errors: { field: string; code: string }[]) => ({
  ...problem(422, 'validation_failed', 'The request has invalid fields'),
  errors: errors.map((e) => ({ ...e, message: 'x' })),
});
const orgPage = { items: [hacienda, education], next_cursor: null };
const areaPage = { items: [treasury], next_cursor: null };

/** The first screen of a test loads lazy chunks: slow on a busy machine. */
const SLOW = { timeout: 10_000 };

/** The text of what describes an input (its hint and its error). */
function description(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

function signIn(me: User) {
  sessionStore.set(tokenResponse(me));
}

// Whole screens with typing: slow on a busy 2-core machine.
describe('people (admin)', { timeout: 60_000 }, () => {
  test('lists people with role and status, filters by role and search, and loads more', async () => {
    signIn(adminUser);
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'GET /api/v1/users': (request) => {
        const query = new URL(request.url).searchParams;
        if (query.get('cursor') === 'c2') return json(200, page([agentUser]));
        if (query.get('q') === 'lucia') return json(200, page([requesterUser]));
        return json(200, page([adminUser, { ...requesterUser, absent_until: null }], 'c2'));
      },
    });
    const { user } = renderApp('/admin/people');
    expect(await screen.findByRole('heading', { level: 1, name: 'Personas' }, SLOW)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Secciones de administración' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(expect.arrayContaining(['Personas', 'Grupos']));
    const list = await screen.findByRole('list', { name: 'Personas encontradas' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    const lucia = within(list).getByRole('link', { name: 'Lucía Martínez' });
    expect(lucia.getAttribute('href')).toBe(`/admin/people/${requesterUser.id}`);
    expect(within(list).getAllByRole('listitem')[1]!.textContent).toContain('Secretaría de Hacienda');
    expect(within(list).getAllByRole('listitem')[1]!.textContent).toContain('Solicitante');
    // Active people by default.
    expect(new URL(stub.calls('GET /api/v1/users')[0]!.url).searchParams.get('active')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Ver más' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Personas encontradas' })).getAllByRole('listitem')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: 'Ver más' })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Rol'), 'agent');
    await waitFor(() =>
      expect(stub.calls('GET /api/v1/users').some((r) => new URL(r.url).searchParams.get('role') === 'agent')).toBe(true),
    );
    await user.selectOptions(screen.getByLabelText('Rol'), '');
    await user.type(screen.getByRole('searchbox', { name: /Buscar/ }), 'lucia');
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Personas encontradas' })).getAllByRole('listitem')).toHaveLength(1));
  });

  test('says so when nobody matches', async () => {
    signIn(adminUser);
    stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'GET /api/v1/users': () => json(200, page([])),
    });
    renderApp('/admin/people');
    expect(await screen.findByText('Ninguna persona coincide', {}, SLOW)).toBeTruthy();
  });

  test('creates a local account, showing the server problems at their inputs', async () => {
    signIn(adminUser);
    let attempt = 0;
    const created: User = { ...requesterUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a77', username: 'nueva.persona', display_name: 'Nueva Persona', auth_source: 'local' };
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'GET /api/v1/areas': () => json(200, areaPage),
      'POST /api/v1/users': () => {
        attempt += 1;
        if (attempt === 1) return json(422, validation([{ field: 'password', code: 'weak' }, { field: 'email', code: 'invalid' }]));
        if (attempt === 2) return json(409, problem(409, 'username_taken', 'Another user has this username'));
        return json(201, created);
      },
      [`GET /api/v1/users/${created.id}`]: () => json(200, created),
    });
    const { user, router } = renderApp('/admin/people/new');
    expect(await screen.findByRole('heading', { level: 1, name: 'Nueva cuenta' }, SLOW)).toBeTruthy();

    // Required inputs are checked before sending.
    await user.click(screen.getByRole('button', { name: 'Crear la cuenta' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('Revise 3 datos');
    expect(stub.calls('POST /api/v1/users')).toHaveLength(0);
    await user.click(within(summary).getByRole('link', { name: 'Usuario: Es obligatorio.' }));
    expect(document.activeElement?.id).toBe('new-person-username');

    await user.type(screen.getByLabelText(/^Usuario/), 'nueva.persona');
    await user.type(screen.getByLabelText(/^Nombre completo/), 'Nueva Persona');
    await user.type(screen.getByLabelText(/^Contraseña/), 'corta');
    await user.type(screen.getByLabelText(/^Correo electrónico/), 'no-es-correo');
    await user.selectOptions(screen.getByLabelText(/^Organización/), hacienda.id);
    await user.selectOptions(await screen.findByLabelText(/^Área/), treasury.id);
    await user.click(screen.getByRole('button', { name: 'Crear la cuenta' }));
    await waitFor(() => expect(description(screen.getByLabelText(/^Contraseña/))).toContain('Es muy débil'));
    expect(screen.getByLabelText(/^Correo electrónico/).getAttribute('aria-invalid')).toBe('true');
    expect(description(screen.getByLabelText(/^Correo electrónico/))).toContain('No es válido.');
    expect(screen.getByRole('alert').textContent).toContain('Revise 2 datos');
    const body = (await stub.calls('POST /api/v1/users')[0]!.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      username: 'nueva.persona',
      display_name: 'Nueva Persona',
      auth_source: 'local',
      role: 'requester',
      organization_id: hacienda.id,
      area_id: treasury.id,
      locale: 'es-CO',
    });

    // A taken username is the username's problem.
    await user.click(screen.getByRole('button', { name: 'Crear la cuenta' }));
    expect(await screen.findByText('Otra cuenta ya usa este usuario.')).toBeTruthy();
    expect(screen.getByLabelText(/^Usuario/).getAttribute('aria-invalid')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Crear la cuenta' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Nueva Persona' }, SLOW)).toBeTruthy();
    expect(router.state.location.pathname).toBe(`/admin/people/${created.id}`);
    expect(screen.getByText('Cuenta de Nueva Persona creada.')).toBeTruthy();
  });

  test('a directory account is sent without a password', async () => {
    signIn(adminUser);
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'POST /api/v1/users': () => json(403, problem(403, 'forbidden', 'You may not do this')),
    });
    const { user } = renderApp('/admin/people/new');
    await user.click(await screen.findByRole('radio', { name: /Cuenta del directorio/ }, SLOW));
    expect(screen.queryByLabelText(/^Contraseña/)).toBeNull();
    await user.type(screen.getByLabelText(/^Usuario/), 'maria.gomez');
    await user.type(screen.getByLabelText(/^Nombre completo/), 'María Gómez');
    await user.click(screen.getByRole('button', { name: 'Crear la cuenta' }));
    expect((await screen.findByRole('alert')).textContent).toContain('No tiene permiso para hacer este cambio.');
    expect(await stub.calls('POST /api/v1/users')[0]!.json()).toMatchObject({ auth_source: 'directory', password: null });
  });

  test('edits only what changed, with If-Match, and reloads after a concurrent edit', async () => {
    signIn(adminUser);
    const person: User = { ...agentUser, version: 4, identity_number: null, organization_id: hacienda.id, area_id: treasury.id };
    let current = person;
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'GET /api/v1/areas': () => json(200, areaPage),
      [`GET /api/v1/users/${person.id}`]: () => json(200, current),
      [`PATCH /api/v1/users/${person.id}`]: async (request) => {
        if (request.headers.get('If-Match') !== `"${current.version}"`)
          return json(412, problem(412, 'version_mismatch', 'The resource changed since you read it'));
        const body = (await request.json()) as Partial<User>;
        current = { ...current, ...body, identity_number: body.identity_number?.replace(/\./g, '') ?? current.identity_number, version: current.version + 1 };
        return json(200, current);
      },
    });
    const { user } = renderApp(`/admin/people/${person.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Andrés Agudelo' }, SLOW)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));
    expect(await screen.findByText('No hay cambios que guardar.')).toBeTruthy();
    expect(stub.calls(`PATCH /api/v1/users/${person.id}`)).toHaveLength(0);

    await user.selectOptions(screen.getByLabelText(/^Rol/), 'supervisor');
    await user.selectOptions(screen.getByLabelText(/^Organización/), education.id);
    await user.type(screen.getByLabelText(/^Número de identificación/), '1.144.555');
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));
    expect(await screen.findByText('Cambios guardados.')).toBeTruthy();
    const patch = stub.calls(`PATCH /api/v1/users/${person.id}`)[0]!;
    expect(patch.headers.get('If-Match')).toBe('"4"');
    // Changing the organization clears the area (it belonged to the other one).
    expect(await patch.json()).toEqual({ role: 'supervisor', organization_id: education.id, area_id: null, identity_number: '1.144.555' });
    expect((screen.getByLabelText(/^Número de identificación/) as HTMLInputElement).value).toBe('1144555');

    // Someone else saves first: the form says so and shows their version.
    current = { ...current, display_name: 'Andrés Agudelo R.', version: current.version + 1 };
    await user.clear(screen.getByLabelText(/^Teléfono/));
    await user.type(screen.getByLabelText(/^Teléfono/), '602 555 0199');
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Alguien más cambió estos datos/);
    expect(await screen.findByRole('heading', { level: 1, name: 'Andrés Agudelo R.' }, SLOW)).toBeTruthy();
  });

  test('records an absence by its last day and makes the person available again', async () => {
    signIn(adminUser);
    let current: User = { ...agentUser, absent_until: null, absence_note: null };
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/organizations': () => json(200, orgPage),
      [`GET /api/v1/users/${agentUser.id}`]: () => json(200, current),
      [`PUT /api/v1/users/${agentUser.id}/availability`]: async (request) => {
        const body = (await request.json()) as { absent_until: string | null; note: string | null };
        current = { ...current, absent_until: body.absent_until, absence_note: body.note };
        return json(200, current);
      },
    });
    const { user } = renderApp(`/admin/people/${agentUser.id}`);
    expect(await screen.findByRole('heading', { level: 2, name: /Disponibilidad/ }, SLOW)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Registrar la ausencia' }));
    expect(await screen.findByText('Es obligatorio.')).toBeTruthy();
    await user.type(screen.getByLabelText(/^Último día de ausencia/), '2020-01-10');
    await user.click(screen.getByRole('button', { name: 'Registrar la ausencia' }));
    expect(await screen.findByText('Debe ser hoy o una fecha posterior.')).toBeTruthy();
    expect(stub.calls(`PUT /api/v1/users/${agentUser.id}/availability`)).toHaveLength(0);

    await user.clear(screen.getByLabelText(/^Último día de ausencia/));
    await user.type(screen.getByLabelText(/^Último día de ausencia/), '2099-12-10');
    await user.type(screen.getByLabelText(/^Motivo/), 'Vacaciones');
    await user.click(screen.getByRole('button', { name: 'Registrar la ausencia' }));
    expect(await screen.findByText('Ausencia registrada.')).toBeTruthy();
    const put = (await stub.calls(`PUT /api/v1/users/${agentUser.id}/availability`)[0]!.json()) as { absent_until: string; note: string };
    expect(put.note).toBe('Vacaciones');
    expect(new Date(put.absent_until).getTime()).toBe(new Date(2099, 11, 11).getTime());
    expect(screen.getByText(/^Ausente hasta el 10 de diciembre de 2099, inclusive; vuelve a recibir casos desde el 11 de diciembre de 2099/)).toBeTruthy();
    expect(screen.getByText('Motivo: Vacaciones')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Marcar disponible ahora' }));
    expect(await screen.findByText('La persona está disponible.')).toBeTruthy();
    expect(await stub.calls(`PUT /api/v1/users/${agentUser.id}/availability`)[1]!.json()).toEqual({ absent_until: null, note: null });
  });
});

describe('people (desk manager)', { timeout: 60_000 }, () => {
  test('reads an account without editing it, in English too', async () => {
    signIn(supervisor);
    stubApi({
      'GET /api/v1/me': () => json(200, supervisor),
      'GET /api/v1/organizations': () => json(200, orgPage),
      'GET /api/v1/areas': () => json(200, areaPage),
      'GET /api/v1/users': () => json(200, page([requesterUser])),
      [`GET /api/v1/users/${requesterUser.id}`]: () => json(200, requesterUser),
    });
    const { user } = renderApp('/admin/people');
    expect(await screen.findByRole('heading', { level: 1, name: 'Personas' }, SLOW)).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Nueva cuenta' })).toBeNull();
    await user.click(await screen.findByRole('link', { name: 'Lucía Martínez' }, SLOW));
    expect(await screen.findByText('Solo la administración de Mesa puede cambiar estos datos.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Guardar cambios' })).toBeNull();
    expect(await screen.findByText('Subdirección de Tesorería')).toBeTruthy();
    // Requesters have no availability.
    expect(screen.getByText(/Las personas solicitantes no tienen disponibilidad/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByText('Only Mesa’s administration can change these details.'.replace('’', "'"))).toBeTruthy();
  });

  test('cannot open the account creation page', async () => {
    signIn(supervisor);
    stubApi({ 'GET /api/v1/me': () => json(200, supervisor) });
    renderApp('/admin/people/new');
    expect(await screen.findByText('No tiene permiso para hacer este cambio.', {}, SLOW)).toBeTruthy();
  });
});
