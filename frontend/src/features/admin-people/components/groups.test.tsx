import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { json, stubApi } from '@/test/fetch-stub';
import { adminDesk, adminUser, agentUser, problem, ticDesk, tokenResponse } from '@/test/fixtures';
import { renderApp } from '@/test/render-app';

type User = components['schemas']['User'];
type Group = components['schemas']['Group'];

const SLOW = { timeout: 10_000 };
const supervisor: User = { ...adminUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', username: 'supervisor.tic', display_name: 'Sandra Villa', role: 'supervisor' };
const specialist: User = { ...agentUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a05', username: 'especialista.n2', display_name: 'Diana Castro', absent_until: '2099-01-01T05:00:00Z' };
const level1: Group = {
  id: '9a000000-0000-4000-8000-000000000001',
  desk_id: ticDesk.id,
  name: 'Mesa de servicios - Nivel 1',
  level: 1,
  external_provider: false,
  description: null,
  active: true,
  member_ids: [agentUser.id],
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};
const vendor: Group = { ...level1, id: '9a000000-0000-4000-8000-000000000003', name: 'Redes del Pacífico', level: 3, external_provider: true, member_ids: [] };

/** Staff by role, as `GET /users?role=` answers. */
function staffHandler(request: Request) {
  const role = new URL(request.url).searchParams.get('role');
  const all = [adminUser, supervisor, agentUser, specialist];
  return json(200, { items: all.filter((u) => u.role === role), next_cursor: null });
}

describe('support groups', { timeout: 60_000 }, () => {
  test('lists a desk’s groups by level and creates one, with the name problem at its input', async () => {
    sessionStore.set(tokenResponse(adminUser));
    const created: Group = { ...level1, id: '9a000000-0000-4000-8000-000000000009', name: 'Soporte en sitio', member_ids: [] };
    let attempt = 0;
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, adminUser),
      'GET /api/v1/desks': () => json(200, [ticDesk, adminDesk]),
      'GET /api/v1/users': staffHandler,
      'GET /api/v1/groups': (request) =>
        json(200, new URL(request.url).searchParams.get('desk_id') === ticDesk.id ? [level1, vendor] : []),
      'POST /api/v1/groups': () => {
        attempt += 1;
        return attempt === 1 ? json(409, problem(409, 'name_taken', 'another group of this desk has this name')) : json(201, created);
      },
      [`GET /api/v1/groups/${created.id}`]: () => json(200, created),
    });
    const { user, router } = renderApp('/admin/groups');
    expect(await screen.findByRole('heading', { level: 1, name: 'Grupos de soporte' }, SLOW)).toBeTruthy();
    const first = await screen.findByRole('region', { name: 'Primer nivel' }, SLOW);
    expect(within(first).getByRole('link', { name: 'Editar Mesa de servicios - Nivel 1' }).getAttribute('href')).toBe(`/admin/groups/${level1.id}`);
    await waitFor(() => expect(within(first).getByText('1 integrante: Andrés Agudelo')).toBeTruthy());
    expect(within(screen.getByRole('region', { name: 'Segundo nivel (especialistas)' })).getByText('Ningún grupo en este nivel.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Tercer nivel (proveedores)' })).getByText('Proveedor externo')).toBeTruthy();

    // The other desk has none yet.
    await user.selectOptions(screen.getByLabelText('Mesa de servicios'), adminDesk.id);
    expect(await screen.findByText('Esta mesa no tiene grupos')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Mesa de servicios'), ticDesk.id);

    await user.click(screen.getByRole('button', { name: 'Nuevo grupo' }));
    expect(document.activeElement?.id).toBe('new-group-name');
    await user.click(screen.getByRole('button', { name: 'Crear el grupo' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Nombre: Es obligatorio.');
    expect(stub.calls('POST /api/v1/groups')).toHaveLength(0);
    await user.type(screen.getByLabelText(/^Nombre/), 'Soporte en sitio');
    await user.click(screen.getByRole('button', { name: 'Crear el grupo' }));
    expect(await screen.findByText('Otro grupo de esta mesa ya tiene este nombre.')).toBeTruthy();
    expect(screen.getByLabelText(/^Nombre/).getAttribute('aria-invalid')).toBe('true');
    expect(await stub.calls('POST /api/v1/groups')[0]!.json()).toEqual({
      desk_id: ticDesk.id,
      name: 'Soporte en sitio',
      level: 1,
      description: null,
      external_provider: false,
    });

    await user.click(screen.getByRole('button', { name: 'Crear el grupo' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Soporte en sitio' }, SLOW)).toBeTruthy();
    expect(router.state.location.pathname).toBe(`/admin/groups/${created.id}`);
    expect(screen.getByText('Grupo creado. Marque a sus integrantes y guárdelos.')).toBeTruthy();
  });

  test('a group’s members are chosen among active staff and saved as a whole list', async () => {
    sessionStore.set(tokenResponse(supervisor));
    let current = level1;
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, supervisor),
      'GET /api/v1/desks': () => json(200, [{ ...ticDesk, supervisor_ids: [supervisor.id] }, adminDesk]),
      'GET /api/v1/users': staffHandler,
      [`GET /api/v1/groups/${level1.id}`]: () => json(200, current),
      [`PUT /api/v1/groups/${level1.id}/members`]: async (request) => {
        const { user_ids } = (await request.json()) as { user_ids: string[] };
        if (user_ids.includes(adminUser.id)) {
          return json(422, {
            ...problem(422, 'validation_failed', 'The request has invalid fields'),
            errors: [{ field: 'user_ids.2', code: 'invalid', message: 'must be an active agent, supervisor or admin' }],
          });
        }
        current = { ...current, member_ids: user_ids, version: current.version };
        return json(200, current);
      },
      [`PATCH /api/v1/groups/${level1.id}`]: async (request) => {
        expect(request.headers.get('If-Match')).toBe('"1"');
        current = { ...current, ...((await request.json()) as Partial<Group>), version: 2 };
        return json(200, current);
      },
    });
    const { user } = renderApp(`/admin/groups/${level1.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: level1.name }, SLOW)).toBeTruthy();
    const andres = await screen.findByRole('checkbox', { name: /^Andrés Agudelo/ });
    expect((andres as HTMLInputElement).checked).toBe(true);
    // An absent agent says so.
    expect(screen.getByRole('checkbox', { name: /^Diana Castro/ }).closest('label, .mantine-Checkbox-root')?.textContent).toContain('Ausente');

    await user.type(screen.getByRole('searchbox', { name: 'Filtrar personas' }), 'diana');
    expect(screen.queryByRole('checkbox', { name: /^Andrés Agudelo/ })).toBeNull();
    await user.click(screen.getByRole('checkbox', { name: /^Diana Castro/ }));
    await user.clear(screen.getByRole('searchbox', { name: 'Filtrar personas' }));
    await user.click(screen.getByRole('checkbox', { name: /^Ana Pérez/ }));
    expect(screen.getByText('En el grupo: 3')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Guardar integrantes' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Integrantes: No es válido.');

    await user.click(screen.getByRole('checkbox', { name: /^Ana Pérez/ }));
    await user.click(screen.getByRole('button', { name: 'Guardar integrantes' }));
    expect(await screen.findByText('Integrantes guardados.')).toBeTruthy();
    expect(await stub.calls(`PUT /api/v1/groups/${level1.id}/members`)[1]!.json()).toEqual({ user_ids: [agentUser.id, specialist.id] });

    // Details: only what changed travels, with If-Match.
    await user.selectOptions(screen.getByLabelText(/^Nivel/), '2');
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));
    expect(await screen.findByText('Cambios guardados.')).toBeTruthy();
    expect(await stub.calls(`PATCH /api/v1/groups/${level1.id}`)[0]!.json()).toEqual({ level: 2 });
  });

  test('a supervisor without desks is told so', async () => {
    sessionStore.set(tokenResponse(supervisor));
    stubApi({
      'GET /api/v1/me': () => json(200, supervisor),
      'GET /api/v1/desks': () => json(200, [ticDesk]),
      'GET /api/v1/users': staffHandler,
    });
    renderApp('/admin/groups');
    expect(await screen.findByText('No tiene mesas a cargo', {}, SLOW)).toBeTruthy();
  });
});
