import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { adminUser, cam, education, hacienda, page, problem, tokenResponse, treasury } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import { filterRows } from '../lib/filter';

const closed = { ...education, id: '5a000000-0000-4000-8000-000000000009', name: 'Secretaría de Cultura', short_name: null, active: false };

function setup(handlers: Record<string, Handler> = {}, user = adminUser) {
  sessionStore.set(tokenResponse(user));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, user),
    'GET /api/v1/organizations': () => json(200, page([education, hacienda, closed])),
    'GET /api/v1/areas': () => json(200, page([treasury])),
    'GET /api/v1/locations': () => json(200, page([cam])),
    ...handlers,
  });
  return { ...renderApp('/admin/organizations'), stub };
}

const rowNames = () =>
  within(screen.getByRole('table'))
    .getAllByRole('rowheader')
    .map((c) => c.textContent);

// Generous timeouts: these render the whole app and its lazy admin chunks (slow on a busy machine).
describe('organizations, areas and locations', { timeout: 30_000 }, () => {
  test('filters by text (accents ignored), activity and organization', () => {
    const rows = [education, hacienda, closed];
    expect(filterRows(rows, { query: 'educacion', showInactive: false })).toEqual([education]);
    expect(filterRows(rows, { query: '', showInactive: false })).toEqual([education, hacienda]);
    expect(filterRows(rows, { query: 'shac', showInactive: true })).toEqual([hacienda]);
    expect(filterRows([treasury], { query: '', showInactive: false, organizationId: education.id })).toEqual([]);
  });

  test('lists organizations, hides inactive ones until asked, and creates one', async () => {
    const created = { ...education, id: '5a000000-0000-4000-8000-0000000000aa', name: 'Secretaría de Movilidad', short_name: 'SMOV' };
    const { user, stub } = setup({ 'POST /api/v1/organizations': () => json(201, created) });
    expect(await screen.findByRole('heading', { level: 1, name: 'Organizaciones, áreas y sedes' }, { timeout: 10_000 })).toBeTruthy();
    await screen.findByRole('table', {}, { timeout: 10_000 });
    expect(rowNames()).toEqual(['Secretaría de Educación', 'Secretaría de Hacienda']);
    await user.click(screen.getByLabelText('Mostrar inactivas'));
    expect(rowNames()).toContain('Secretaría de Cultura');

    await user.click(screen.getByRole('button', { name: 'Nueva organización' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nueva organización' });
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    expect(within(dialog).getByText('Es obligatorio.')).toBeTruthy();
    await user.click(within(dialog).getByLabelText(/^Nombre/));
    await user.paste('Secretaría de Movilidad');
    await user.click(within(dialog).getByLabelText(/^Sigla/));
    await user.paste('SMOV');
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    expect(await screen.findByText('Se guardó «Secretaría de Movilidad».')).toBeTruthy();
    expect(await stub.calls('POST /api/v1/organizations')[0]!.json()).toEqual({ name: 'Secretaría de Movilidad', short_name: 'SMOV' });
  });

  test('a name already used is shown at the name; edits send If-Match', async () => {
    const { user, stub } = setup({
      [`PATCH /api/v1/organizations/${hacienda.id}`]: () => json(409, problem(409, 'already_exists', 'Conflict')),
    });
    await screen.findByRole('table', {}, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Editar Secretaría de Hacienda' }));
    const dialog = await screen.findByRole('dialog', { name: 'Editar «Secretaría de Hacienda»' });
    await user.click(within(dialog).getByRole('button', { name: 'Guardar' }));
    const name = within(dialog).getByLabelText(/^Nombre/);
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(within(dialog).getByText('Ya existe un registro con este nombre.')).toBeTruthy();
    expect(stub.calls(`PATCH /api/v1/organizations/${hacienda.id}`)[0]!.headers.get('If-Match')).toBe('"1"');
  });

  test('an area needs its organization; a location in use cannot be deleted and says so', async () => {
    const { user, stub } = setup({
      'POST /api/v1/areas': () => json(201, treasury),
      [`DELETE /api/v1/locations/${cam.id}`]: () => json(409, problem(409, 'in_use', 'In use')),
    });
    await screen.findByRole('table', {}, { timeout: 10_000 });
    await user.click(screen.getByRole('tab', { name: 'Áreas' }));
    await user.click(await screen.findByRole('button', { name: 'Nueva área' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nueva área' });
    await user.click(within(dialog).getByLabelText(/^Nombre/));
    await user.paste('Subdirección de Tesorería');
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    expect(within(dialog).getByLabelText(/^Organización/).getAttribute('aria-invalid')).toBe('true');
    await user.selectOptions(within(dialog).getByLabelText(/^Organización/), hacienda.id);
    await user.click(within(dialog).getByRole('button', { name: 'Crear' }));
    await waitFor(() => expect(stub.calls('POST /api/v1/areas')).toHaveLength(1));
    expect(await stub.calls('POST /api/v1/areas')[0]!.json()).toEqual({ name: 'Subdirección de Tesorería', organization_id: hacienda.id });

    await user.click(screen.getByRole('tab', { name: 'Sedes' }));
    await user.click(await screen.findByRole('button', { name: `Eliminar ${cam.name}` }));
    await user.click(await screen.findByRole('button', { name: 'Sí, eliminar' }));
    expect(await screen.findByText(`«${cam.name}» está en uso y no se puede eliminar. Desactívelo en su lugar.`)).toBeTruthy();
  });

  test('supervisors are told the section is for administrators', async () => {
    setup({}, { ...adminUser, role: 'supervisor' });
    expect(await screen.findByText('Esta sección es solo para administradores.', {}, { timeout: 10_000 })).toBeTruthy();
  });
});
