import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import {
  adminDesk,
  adminUser,
  ctoSupport,
  hacienda,
  page,
  printing,
  problem,
  siteSupport,
  ticCatalog,
  ticDesk,
  tokenResponse,
  treasury,
} from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import { managedDesks } from './catalog-editor';

const cto: components['schemas']['Group'] = {
  id: '6a000000-0000-4000-8000-000000000001',
  desk_id: ticDesk.id,
  name: 'CTO Hacienda',
  level: 1,
  external_provider: false,
  active: true,
  member_ids: [],
  description: null,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};

function setup(handlers: Record<string, Handler> = {}, user = adminUser) {
  sessionStore.set(tokenResponse(user));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, user),
    'GET /api/v1/desks': () => json(200, [ticDesk, adminDesk]),
    [`GET /api/v1/desks/${ticDesk.id}/catalog`]: () => json(200, ticCatalog),
    'GET /api/v1/groups': () => json(200, [cto]),
    'GET /api/v1/organizations': () => json(200, page([hacienda])),
    'GET /api/v1/areas': () => json(200, page([treasury])),
    'GET /api/v1/sla-policies': () => json(200, []),
    ...handlers,
  });
  return { ...renderApp('/admin/catalog'), stub };
}

async function openService(user: ReturnType<typeof setup>['user'], name: string) {
  // The first visit loads the admin chunks (slow on a busy machine).
  const tree = await screen.findByRole('tree', { name: 'Árbol de Mesa de servicios TIC' }, { timeout: 10_000 });
  await user.click(within(tree).getByText(name));
  return screen.findByRole('heading', { level: 2, name });
}

// Generous timeouts: these render the whole app and its lazy admin chunks (slow on a busy machine).
describe('catalog editor', { timeout: 30_000 }, () => {
  test('supervisors edit only the desks they manage', () => {
    const supervisor = { ...adminUser, role: 'supervisor' as const };
    const managed = { ...adminDesk, supervisor_ids: [supervisor.id] };
    expect(managedDesks([ticDesk, managed], 'supervisor', supervisor.id)).toEqual([managed]);
    expect(managedDesks([ticDesk, managed], 'admin', supervisor.id)).toEqual([ticDesk, managed]);
  });

  test('a supervisor sees the catalog section only, with the desks they manage', async () => {
    const supervisor = { ...adminUser, role: 'supervisor' as const };
    const managed = { ...ticDesk, supervisor_ids: [supervisor.id] };
    setup({ 'GET /api/v1/desks': () => json(200, [managed, adminDesk]) }, supervisor);
    await screen.findByRole('tree', { name: 'Árbol de Mesa de servicios TIC' }, { timeout: 10_000 });
    const sections = screen.getByRole('navigation', { name: 'Secciones de administración' });
    const links = within(sections).getAllByRole('link').map((l) => l.textContent);
    expect(links).toContain('Catálogo');
    expect(links).not.toContain('Organizaciones, áreas y sedes');
    // One desk: no desk picker.
    expect(screen.queryByLabelText('Mesa')).toBeNull();
  });

  test('a stale version is refused and said so', async () => {
    const { user } = setup({
      [`PATCH /api/v1/catalog/nodes/${printing.id}`]: () => json(412, problem(412, 'precondition_failed', 'Stale')),
    });
    await openService(user, 'Impresión y escáner');
    await user.click(screen.getByRole('button', { name: 'Desactivar' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Alguien más cambió este elemento');
  });

  test('edits a service sheet and its form fields, and saves with If-Match', async () => {
    const saved = { ...siteSupport, version: 2 };
    const { user, stub } = setup({ [`PATCH /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, saved) });
    expect(await screen.findByRole('heading', { level: 1, name: 'Catálogo de servicios' }, { timeout: 10_000 })).toBeTruthy();
    const sections = screen.getByRole('navigation', { name: 'Secciones de administración' });
    // Other sections land from other branches: check only ours.
    expect(within(sections).getAllByRole('link').map((l) => l.textContent)).toEqual(expect.arrayContaining(['Catálogo', 'Organizaciones, áreas y sedes']));
    await openService(user, 'Soporte virtual o en sitio');

    const scope = screen.getByLabelText('Alcance');
    await user.clear(scope);
    await user.paste('Solo equipos de la entidad');
    await user.selectOptions(screen.getByLabelText('Grupo responsable'), cto.id);
    await user.click(screen.getByRole('button', { name: 'Agregar ruta' }));
    await user.selectOptions(screen.getByLabelText('Organización de la ruta 1'), hacienda.id);
    await user.selectOptions(screen.getByLabelText('Grupo de la ruta 1'), cto.id);
    await user.click(screen.getByRole('button', { name: 'Agregar campo' }));
    const added = screen.getByRole('region', { name: /^Campo 7/ });
    await user.click(within(added).getByLabelText('Etiqueta en español'));
    await user.paste('Número de línea');
    await user.click(within(added).getByLabelText('Etiqueta en inglés'));
    await user.paste('Line number');
    expect((within(added).getByLabelText('Clave') as HTMLInputElement).value).toBe('numero_de_linea');
    await user.click(within(added).getByLabelText('Obligatorio'));
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));

    expect(await screen.findByText('Cambios guardados.')).toBeTruthy();
    const [request] = stub.calls(`PATCH /api/v1/catalog/nodes/${siteSupport.id}`);
    expect(request!.headers.get('If-Match')).toBe('"1"');
    const body = await request!.json();
    expect(body.service.scope).toBe('Solo equipos de la entidad');
    expect(body.service.responsible_group_id).toBe(cto.id);
    expect(body.service.routes).toEqual([{ organization_id: hacienda.id, group_id: cto.id }]);
    expect(body.service.form_fields).toHaveLength(7);
    expect(body.service.form_fields[6]).toMatchObject({ key: 'numero_de_linea', type: 'text', required: true, label: { es: 'Número de línea', en: 'Line number' } });
  }, 45_000);

  test("shows the server's problems at their fields, with a summary that links to them", async () => {
    const invalid = {
      ...problem(422, 'validation_failed', 'Invalid'),
      errors: [
        { field: 'service.form_fields.0.key', code: 'duplicate', message: 'dup' },
        { field: 'service.resolution_minutes', code: 'below_attention_target', message: 'short' },
      ],
    };
    const { user } = setup({ [`PATCH /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(422, invalid) });
    await openService(user, 'Soporte virtual o en sitio');
    await user.click(screen.getByRole('button', { name: 'Guardar cambios' }));
    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('Hay 2 problemas por corregir');
    expect(within(summary).getByRole('link', { name: 'Campo 1 · Clave: Está repetido.' })).toBeTruthy();
    const key = screen.getByRole('region', { name: /^Campo 1/ }).querySelector('input[id="nf-service-form_fields-0-key"]')!;
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(key.getAttribute('aria-describedby')!.split(' ').find((id) => id.includes('error'))!)?.textContent).toBe(
      'Está repetido.',
    );
    expect(screen.getByLabelText('Tiempo de solución en minutos hábiles').getAttribute('aria-invalid')).toBe('true');
  });

  test('moves with the keyboard (Alt + arrows) and with the place buttons', async () => {
    const { user, stub } = setup({
      [`POST /api/v1/catalog/nodes/${printing.id}/move`]: () => json(200, printing),
      [`POST /api/v1/catalog/nodes/${siteSupport.id}/move`]: () => json(200, siteSupport),
    });
    await openService(user, 'Impresión y escáner');
    const item = screen.getByRole('treeitem', { name: 'Impresión y escáner' });
    item.focus();
    fireEvent.keyDown(item, { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(stub.calls(`POST /api/v1/catalog/nodes/${printing.id}/move`)).toHaveLength(1));
    expect(await stub.calls(`POST /api/v1/catalog/nodes/${printing.id}/move`)[0]!.json()).toEqual({ parent_id: ctoSupport.id, position: 0 });
    expect(await screen.findByText('«Impresión y escáner» quedó en «Soporte Técnico CTO», posición 1.')).toBeTruthy();

    await openService(user, 'Soporte virtual o en sitio');
    expect((screen.getByRole('button', { name: 'Subir' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Sacar de su categoría' }));
    await waitFor(() => expect(stub.calls(`POST /api/v1/catalog/nodes/${siteSupport.id}/move`)).toHaveLength(1));
    await user.selectOptions(screen.getByLabelText('Mover a'), 'Infraestructura física');
    await user.click(screen.getByRole('button', { name: 'Mover' }));
    await waitFor(() => expect(stub.calls(`POST /api/v1/catalog/nodes/${siteSupport.id}/move`)).toHaveLength(2));
    const bodies = await Promise.all(stub.calls(`POST /api/v1/catalog/nodes/${siteSupport.id}/move`).map((r) => r.json()));
    expect(bodies[0]).toEqual({ parent_id: ticCatalog.nodes[0]!.id, position: 1 });
    expect(bodies[1]).toEqual({ parent_id: ticCatalog.nodes[1]!.id, position: null });
  });

  test('creates a category inside the selected one', async () => {
    const created = { ...ctoSupport, id: 'c0000000-0000-4000-8000-0000000000aa', name: 'Redes', children: [], parent_id: ctoSupport.id };
    const { user, stub } = setup({ [`POST /api/v1/desks/${ticDesk.id}/catalog/nodes`]: () => json(201, created) });
    await openService(user, 'Soporte Técnico CTO');
    await user.click(screen.getByRole('button', { name: 'Nueva categoría' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nueva categoría' });
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    expect(within(dialog).getByText('Es obligatorio.')).toBeTruthy();
    await user.click(within(dialog).getByLabelText(/^Nombre/));
    await user.paste('Redes');
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    await waitFor(() => expect(stub.calls(`POST /api/v1/desks/${ticDesk.id}/catalog/nodes`)).toHaveLength(1));
    expect(await stub.calls(`POST /api/v1/desks/${ticDesk.id}/catalog/nodes`)[0]!.json()).toEqual({
      kind: 'category',
      name: 'Redes',
      parent_id: ctoSupport.id,
    });
  });

  test('deleting a node in use reports it was deactivated instead', async () => {
    const { user } = setup({
      [`DELETE /api/v1/catalog/nodes/${printing.id}`]: () => json(200, { outcome: 'deactivated', node_ids: [printing.id] }),
    });
    await openService(user, 'Impresión y escáner');
    await user.click(screen.getByRole('button', { name: 'Eliminar' }));
    await user.click(await screen.findByRole('button', { name: 'Sí, eliminar' }));
    expect(await screen.findByText('Hay casos que usan «Impresión y escáner»: se desactivó en lugar de eliminarse.')).toBeTruthy();
  });

  test('imports a catalog document and reports its problems by path', async () => {
    const invalid = {
      ...problem(422, 'validation_failed', 'Invalid'),
      errors: [{ field: 'nodes.0.service.routes.0.group', code: 'unknown_reference', message: 'no such group' }],
    };
    const { user, stub } = setup({ [`POST /api/v1/desks/${ticDesk.id}/catalog/import`]: () => json(422, invalid) });
    await screen.findByRole('tree', {}, { timeout: 10_000 });
    const doc = { format: 'mesa.catalog/v1', desk: { code: 'TIC', name: 'TIC' }, nodes: [] };
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    await user.upload(input, new File([JSON.stringify(doc)], 'catalogo.json', { type: 'application/json' }));
    const dialog = await screen.findByRole('dialog', { name: 'Importar un catálogo en Mesa de servicios TIC' });
    await user.click(within(dialog).getByRole('button', { name: 'Importar' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('nodes.0.service.routes.0.group');
    expect(await stub.calls(`POST /api/v1/desks/${ticDesk.id}/catalog/import`)[0]!.json()).toEqual(doc);

    await user.click(within(dialog).getByRole('button', { name: 'Cancelar' }));
    await user.upload(input, new File(['{"nope": 1}'], 'otra.json', { type: 'application/json' }));
    expect(await screen.findByText('«otra.json» no es un catálogo de Mesa (formato mesa.catalog/v1).')).toBeTruthy();
  });
});
