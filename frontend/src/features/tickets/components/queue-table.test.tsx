import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminDesk, agentUser, problem, summary, ticDesk, tokenResponse, type TicketSummary } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import { loadSavedFilters } from '../lib/saved-filters';
import type { Group } from '../lib/types';

type Schemas = components['schemas'];

const supervisor: Schemas['User'] = { ...agentUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', username: 'supervisor.tic', display_name: 'Sandra Villa', role: 'supervisor' };
const desk = { ...ticDesk, supervisor_ids: [supervisor.id] };

const groupN1: Group = {
  id: 'g0000000-0000-4000-8000-000000000001',
  desk_id: ticDesk.id,
  name: 'Mesa de servicios - Nivel 1',
  level: 1,
  external_provider: false,
  active: true,
  member_ids: [agentUser.id],
  description: null,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};

/** Three open cases; the server answers them by due date. */
const rows: TicketSummary[] = [
  summary({ id: 'e1', number: 12, subject: 'Outlook no sincroniza', priority: 'low', requester: { id: 'r1', name: 'Pedro Suárez' }, resolution_due_at: '2026-11-24T15:00:00Z', version: 3 }),
  summary({ id: 'e2', number: 7, subject: 'Excel se cierra solo', priority: 'critical', requester: { id: 'r2', name: 'Lucía Martínez' }, resolution_due_at: '2026-11-25T15:00:00Z', version: 5 }),
  summary({ id: 'e3', number: 30, subject: 'Word no abre', priority: 'high', requester: { id: 'r3', name: 'Ana Ruiz' }, resolution_due_at: null, version: 1 }),
];

function setup(path: string, handlers: Record<string, Handler> = {}, me = supervisor) {
  sessionStore.set(tokenResponse(me));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, me),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 3, unassigned: 1, requested: 0 }),
    'GET /api/v1/desks': () => json(200, [desk, adminDesk]),
    'GET /api/v1/tickets': () => json(200, { items: rows, next_cursor: null }),
    'GET /api/v1/groups': () => json(200, [groupN1]),
    [`GET /api/v1/groups/${groupN1.id}/members`]: () =>
      json(200, [{ user: { id: agentUser.id, name: 'Andrés Agudelo' }, available: true, open_cases: 4, absent_until: null }]),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

/** The case numbers of the table's rows, top to bottom. */
function numbers(table: HTMLElement) {
  return within(table)
    .getAllByRole('link')
    .map((a) => a.textContent);
}

const SLOW = { timeout: 30_000 };

afterEach(() => localStorage.clear());

describe('queue table', SLOW, () => {
  test('sorts by a column: the loaded rows by subject here, the whole list by the server for the number', async () => {
    const { user, stub } = setup('/queues?view=table');
    const table = await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    // By due date first (the server's order), the case with none last.
    expect(numbers(table)).toEqual(['#12', '#7', '#30']);
    expect(within(table).getByRole('columnheader', { name: /^Vence \(ANS\)/ }).getAttribute('aria-sort')).toBe('ascending');

    await user.click(within(table).getByRole('button', { name: /^Asunto/ }));
    expect(numbers(table)).toEqual(['#7', '#12', '#30']);
    expect(within(table).getByRole('columnheader', { name: /^Asunto/ }).getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(table).getByRole('button', { name: /^Asunto/ }));
    expect(numbers(table)).toEqual(['#30', '#12', '#7']);
    expect(within(table).getByRole('columnheader', { name: /^Asunto/ }).getAttribute('aria-sort')).toBe('descending');

    // Priority sorts by rank, not by name.
    await user.click(within(table).getByRole('button', { name: /^Prioridad/ }));
    expect(numbers(table)).toEqual(['#7', '#30', '#12']);

    // The number is sorted by the server, over every page.
    await user.click(within(table).getByRole('button', { name: /^Número/ }));
    await waitFor(() => expect(new URL(stub.calls('GET /api/v1/tickets').at(-1)!.url).searchParams.get('sort')).toBe('number'));
    const sorted = await screen.findByRole('table', { name: 'Casos de la bandeja' });
    await waitFor(() => expect(numbers(sorted)).toEqual(['#7', '#12', '#30']));
  });

  test('selects cases one by one or all at once; the actions wait for a selection', async () => {
    const { user } = setup('/queues?view=table');
    const table = await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    const actions = screen.getByRole('group', { name: 'Acciones sobre los casos marcados' });
    expect(within(actions).getByText('0 marcados')).toBeTruthy();
    expect((within(actions).getByRole('button', { name: 'Asignar' }) as HTMLButtonElement).disabled).toBe(true);

    await user.click(within(table).getByRole('checkbox', { name: 'Marcar el caso #7' }));
    expect(within(actions).getByText('1 marcado')).toBeTruthy();
    expect((within(actions).getByRole('button', { name: 'Asignar' }) as HTMLButtonElement).disabled).toBe(false);
    const all = within(table).getByRole('checkbox', { name: 'Marcar todos los casos mostrados' }) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);

    await user.click(all);
    expect(within(actions).getByText('3 marcados')).toBeTruthy();
    expect(all.checked).toBe(true);
    // Sorting keeps the selection.
    await user.click(within(table).getByRole('button', { name: /^Asunto/ }));
    expect(within(actions).getByText('3 marcados')).toBeTruthy();
    await user.click(all);
    expect(within(actions).getByText('0 marcados')).toBeTruthy();
  });

  test('filters by desk through the API; a saved filter is kept in this browser and applied again after a reload', async () => {
    const first = setup('/queues?view=table');
    const { user, stub } = first;
    await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    const filters = screen.getByRole('region', { name: 'Filtros de la tabla' });
    await user.selectOptions(within(filters).getByLabelText('Bandeja'), 'all');
    await user.selectOptions(within(filters).getByLabelText('Mesa'), ticDesk.id);
    await waitFor(() => {
      const query = new URL(stub.calls('GET /api/v1/tickets').at(-1)!.url).searchParams;
      expect([query.get('view'), query.get('desk_id')]).toEqual(['all', ticDesk.id]);
    });

    // Saving asks for a name first.
    await user.click(within(filters).getByRole('button', { name: 'Guardar' }));
    expect(within(filters).getByText('Este dato es obligatorio.')).toBeTruthy();
    await user.type(within(filters).getByLabelText('Guardar estos filtros como'), 'TIC');
    await user.click(within(filters).getByRole('button', { name: 'Guardar' }));
    expect(await within(filters).findByRole('button', { name: 'TIC' })).toBeTruthy();
    expect(loadSavedFilters(supervisor.id)).toEqual([{ name: 'TIC', filters: expect.objectContaining({ view: 'all', desk_id: ticDesk.id }) }]);
    // Kept per person: another account in this browser does not get it.
    expect(loadSavedFilters(agentUser.id)).toEqual([]);
    first.unmount();

    // A new visit with no filters in the address: the saved one is offered and applies.
    const again = setup('/queues?view=table');
    await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    const filtersAgain = screen.getByRole('region', { name: 'Filtros de la tabla' });
    expect((within(filtersAgain).getByLabelText('Mesa') as HTMLSelectElement).value).toBe('');
    await again.user.click(within(filtersAgain).getByRole('button', { name: 'TIC' }));
    await waitFor(() => expect((within(filtersAgain).getByLabelText('Mesa') as HTMLSelectElement).value).toBe(ticDesk.id));
    expect((within(filtersAgain).getByLabelText('Bandeja') as HTMLSelectElement).value).toBe('all');
    await waitFor(() => {
      const query = new URL(again.stub.calls('GET /api/v1/tickets').at(-1)!.url).searchParams;
      expect([query.get('view'), query.get('desk_id')]).toEqual(['all', ticDesk.id]);
    });

    // And it can be deleted.
    await again.user.click(within(filtersAgain).getByRole('button', { name: 'Borrar el filtro «TIC»' }));
    expect(loadSavedFilters(supervisor.id)).toEqual([]);
    expect(within(filtersAgain).queryByRole('button', { name: 'TIC' })).toBeNull();
  });

  test('a saved filter that does not parse is ignored', () => {
    localStorage.setItem(`mesa.saved-filters.${supervisor.id}`, '{not json');
    expect(loadSavedFilters(supervisor.id)).toEqual([]);
    localStorage.setItem(`mesa.saved-filters.${supervisor.id}`, JSON.stringify([{ name: 'viejo', filters: { view: 'all' } }, { nope: true }]));
    expect(loadSavedFilters(supervisor.id)).toEqual([{ name: 'viejo', filters: expect.objectContaining({ view: 'all', status: 'open', desk_id: '' }) }]);
  });

  test('bulk assign to a person: each case is sent with its own version, and a refused one is reported by number and stays marked', async () => {
    const { user, stub } = setup('/queues?view=table', {
      'POST /api/v1/tickets/12/assign': () => json(200, { ...rows[0], version: 4 }),
      'POST /api/v1/tickets/7/assign': () => json(409, { ...problem(409, 'version_conflict', 'Stale'), allowed_actions: [] }),
    });
    const table = await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    await user.click(within(table).getByRole('checkbox', { name: 'Marcar el caso #12' }));
    await user.click(within(table).getByRole('checkbox', { name: 'Marcar el caso #7' }));
    await user.click(screen.getByRole('button', { name: 'Asignar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Asignar 2 casos' });
    expect(within(dialog).getByText(/Casos: #12, #7\./)).toBeTruthy();
    // A group is required.
    await user.click(within(dialog).getByRole('button', { name: 'Asignar' }));
    expect(within(dialog).getByText('Este dato es obligatorio.')).toBeTruthy();
    await user.selectOptions(within(dialog).getByLabelText(/^Grupo de soporte/), groupN1.id);
    const person = within(dialog).getByLabelText(/^Persona/) as HTMLSelectElement;
    await waitFor(() => expect(person.disabled).toBe(false));
    expect(within(person).getByRole('option', { name: /^Andrés Agudelo · disponible · 4 casos abiertos/ })).toBeTruthy();
    await user.selectOptions(person, agentUser.id);
    await user.click(within(dialog).getByRole('button', { name: 'Asignar' }));

    const report = await screen.findByText('Hecho en 1 de 2 casos.');
    const alert = report.closest('[role="status"]') as HTMLElement;
    expect(within(alert).getByText(/^Caso #7: /)).toBeTruthy();
    expect(within(alert).queryByText(/^Caso #12: /)).toBeNull();
    const sent12 = stub.calls('POST /api/v1/tickets/12/assign')[0]!;
    expect(sent12.headers.get('If-Match')).toBe('"3"');
    expect(await sent12.json()).toEqual({ group_id: groupN1.id, agent_id: agentUser.id });
    expect(stub.calls('POST /api/v1/tickets/7/assign')[0]!.headers.get('If-Match')).toBe('"5"');
    // The failed case stays marked, to try again; the done one is unmarked.
    await waitFor(() => expect(screen.getByRole('group', { name: 'Acciones sobre los casos marcados' }).textContent).toContain('1 marcado'));
    expect((screen.getByRole('checkbox', { name: 'Marcar el caso #7' }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole('checkbox', { name: 'Marcar el caso #12' }) as HTMLInputElement).checked).toBe(false);
  });

  test('a bulk resolution asks for the solution; cases of two desks cannot be assigned together', async () => {
    const mixed = [rows[0]!, { ...rows[1]!, desk_id: adminDesk.id }];
    const { user, stub } = setup('/queues?view=table', {
      'GET /api/v1/tickets': () => json(200, { items: mixed, next_cursor: null }),
      'POST /api/v1/tickets/12/resolve': () => json(200, rows[0]),
      'POST /api/v1/tickets/7/resolve': () => json(200, rows[1]),
    });
    const table = await screen.findByRole('table', { name: 'Casos de la bandeja' }, { timeout: 10_000 });
    await user.click(within(table).getByRole('checkbox', { name: 'Marcar todos los casos mostrados' }));
    await user.click(screen.getByRole('button', { name: 'Asignar' }));
    let dialog = await screen.findByRole('dialog', { name: 'Asignar 2 casos' });
    expect(within(dialog).getByText('Los casos marcados son de mesas distintas: asígnelos mesa por mesa.')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Asignar' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(dialog).getByRole('button', { name: 'Cancelar' }));

    await user.click(screen.getByRole('button', { name: 'Resolver' }));
    dialog = await screen.findByRole('dialog', { name: 'Resolver 2 casos' });
    await user.click(within(dialog).getByRole('button', { name: 'Resolver' }));
    expect(within(dialog).getByText('Este dato es obligatorio.')).toBeTruthy();
    await user.type(within(dialog).getByLabelText(/^Solución/), 'Se reinstaló Office.');
    await user.click(within(dialog).getByRole('button', { name: 'Resolver' }));
    expect(await screen.findByText('Hecho en 2 de 2 casos.')).toBeTruthy();
    expect(await stub.calls('POST /api/v1/tickets/7/resolve')[0]!.json()).toEqual({ solution: 'Se reinstaló Office.' });
  });
});

describe('supervision overview', SLOW, () => {
  const overview: Schemas['DeskOverview'] = {
    desk: { id: desk.id, name: desk.name },
    generated_at: '2026-11-24T15:00:00Z',
    totals: { open: 9, unassigned: 2, at_risk: 3, breached: 1, on_hold: 1 },
    ungrouped: { open: 1, unassigned: 1, at_risk: 0, breached: 0, on_hold: 0 },
    groups: [
      { group: { id: groupN1.id, name: groupN1.name }, level: 1, active: true, member_ids: [agentUser.id, 'u2'], available_members: 1, counts: { open: 6, unassigned: 1, at_risk: 2, breached: 1, on_hold: 0 } },
      { group: { id: 'g9', name: 'Proveedor de redes - Nivel 3' }, level: 3, active: false, member_ids: ['u3'], available_members: 0, counts: { open: 2, unassigned: 0, at_risk: 1, breached: 0, on_hold: 1 } },
    ],
    agents: [
      { agent: { id: agentUser.id, name: 'Andrés Agudelo' }, available: true, absent_until: null, counts: { open: 5, unassigned: 0, at_risk: 2, breached: 1, on_hold: 0 } },
      { agent: { id: 'u2', name: 'Óscar Valencia' }, available: false, absent_until: '2026-11-28T05:00:00Z', counts: { open: 1, unassigned: 0, at_risk: 0, breached: 0, on_hold: 0 } },
    ],
  };

  test('a supervisor sees her desk’s totals, by group and by agent, and the open cases to reassign', async () => {
    const { stub } = setup('/supervision', { [`GET /api/v1/desks/${desk.id}/overview`]: () => json(200, overview) });
    expect(await screen.findByRole('heading', { level: 1, name: 'Supervisión' }, { timeout: 10_000 })).toBeTruthy();
    expect((await screen.findByTestId('total-open')).textContent).toBe('9');
    expect(screen.getByTestId('total-unassigned').textContent).toBe('2');
    expect(screen.getByTestId('total-at_risk').textContent).toBe('3');
    expect(screen.getByTestId('total-breached').textContent).toBe('1');
    expect(screen.getByTestId('total-on_hold').textContent).toBe('1');

    const byGroup = screen.getByRole('table', { name: 'Por grupo' });
    const n1 = within(byGroup).getByRole('row', { name: /^Mesa de servicios - Nivel 1/ });
    expect(within(n1).getAllByRole('cell').map((c) => c.textContent)).toEqual(['N1', '6', '1', '2', '1', '0', '1 de 2']);
    expect(within(within(byGroup).getByRole('row', { name: /^Proveedor de redes/ })).getByText('inactivo')).toBeTruthy();
    expect(within(byGroup).getByRole('row', { name: /^Sin grupo/ })).toBeTruthy();

    const byAgent = screen.getByRole('table', { name: 'Por agente' });
    expect(within(within(byAgent).getByRole('row', { name: /^Andrés Agudelo/ })).getAllByRole('cell').map((c) => c.textContent)).toEqual(['Disponible', '5', '2', '1', '0']);
    expect(within(within(byAgent).getByRole('row', { name: /^Óscar Valencia/ })).getByText(/^Ausente hasta/)).toBeTruthy();

    // Only the desks she supervises; the whole desk's open cases.
    expect(screen.queryByLabelText('Mesa')).toBeNull();
    expect(await screen.findByRole('table', { name: `Casos abiertos de ${desk.name}` })).toBeTruthy();
    const query = new URL(stub.calls('GET /api/v1/tickets')[0]!.url).searchParams;
    expect([query.get('view'), query.get('desk_id')]).toEqual(['all', desk.id]);
    expect(stub.calls(`GET /api/v1/desks/${adminDesk.id}/overview`)).toHaveLength(0);
  });

  test('agents cannot open it; a supervisor of no desk is told so', async () => {
    const agent = setup('/supervision', {}, agentUser);
    expect(await screen.findByText(/solo para/, {}, { timeout: 10_000 })).toBeTruthy();
    agent.unmount();
    setup('/supervision', { 'GET /api/v1/desks': () => json(200, [ticDesk, adminDesk]) });
    expect(await screen.findByText('No supervisa ninguna mesa', {}, { timeout: 10_000 })).toBeTruthy();
  });
});
