import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { installFakeXhr } from '@/test/fake-xhr';
import { agentUser, problem, requesterUser, siteSupport, summary, ticket, ticDesk, tokenResponse, type Ticket } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import type { Followup, Group, TicketEvent } from '../lib/types';

const counts = { mine: 2, my_groups: 3, unassigned: 1, requested: 1 };

const level2: Group = {
  id: 'g0000000-0000-4000-8000-000000000002',
  desk_id: ticDesk.id,
  name: 'Especialistas Infraestructura - Nivel 2',
  level: 2,
  external_provider: false,
  active: true,
  member_ids: [],
  description: null,
  created_at: '2026-01-15T13:00:00Z',
  updated_at: '2026-01-15T13:00:00Z',
  version: 1,
};
const level1: Group = { ...level2, id: 'g0000000-0000-4000-8000-000000000001', name: 'CTO Secretaría de Hacienda - Nivel 1', level: 1 };

const publicNote: Followup = {
  id: 'f1',
  author: { id: agentUser.id, name: 'Andrés Agudelo' },
  visibility: 'public',
  body: 'Vamos a revisar el equipo en sitio.',
  from_requester: false,
  attachments: [],
  created_at: '2026-11-23T15:10:00Z',
};
const privateNote: Followup = { ...publicNote, id: 'f2', visibility: 'private', body: 'Parece la fuente de poder.', created_at: '2026-11-23T15:12:00Z' };
const events: TicketEvent[] = [
  { id: 'e1', kind: 'created', actor: { id: requesterUser.id, name: 'Lucía Martínez' }, new_value: { channel: 'portal' }, old_value: null, visibility: 'public', created_at: '2026-11-23T15:00:00Z' },
  { id: 'e2', kind: 'status', actor: { id: agentUser.id, name: 'Andrés Agudelo' }, new_value: { status: 'in_progress' }, old_value: { status: 'assigned' }, visibility: 'public', created_at: '2026-11-23T15:05:00Z' },
];

function setup(user: typeof requesterUser, path: string, handlers: Record<string, Handler> = {}) {
  sessionStore.set(tokenResponse(user));
  const xhr = installFakeXhr();
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, user),
    'GET /api/v1/tickets/queues': () => json(200, counts),
    [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, siteSupport),
    'GET /api/v1/tickets/123': () => json(200, ticket()),
    'GET /api/v1/tickets/123/followups': () => json(200, user.role === 'requester' ? [publicNote] : [publicNote, privateNote]),
    'GET /api/v1/tickets/123/events': () => json(200, events),
    'GET /api/v1/tickets/123/attachments': () => json(200, []),
    'GET /api/v1/tickets/123/survey': () => json(404, problem(404, 'not_found', 'Not found')),
    'GET /api/v1/groups': () => json(200, [level1, level2]),
    ...handlers,
  });
  return { ...renderApp(path), stub, xhr };
}

describe('Mis solicitudes', () => {
  test('lists the requests with status and priority, and loads more with the cursor', async () => {
    const first = Array.from({ length: 2 }, (_, i) => summary({ id: `t${i}`, number: 200 - i, subject: `Caso ${i}` }));
    const { user, stub } = setup(requesterUser, '/requests', {
      'GET /api/v1/tickets': (request) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return cursor
          ? json(200, { items: [summary({ id: 't9', number: 150, subject: 'Caso viejo', status: 'closed' })], next_cursor: null })
          : json(200, { items: first, next_cursor: 'c1' });
      },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Mis solicitudes' })).toBeTruthy();
    const list = await screen.findByRole('list', { name: 'Mis solicitudes' });
    expect(within(list).getByRole('link', { name: '#200 · Caso 0' }).getAttribute('href')).toBe('/tickets/200');
    expect(within(list).getAllByText('Asignada')).toHaveLength(2);
    expect(within(list).getAllByText('Prioridad Media')).toHaveLength(2);
    expect(screen.getByRole('status').textContent).toBe('Se muestran 2 casos; hay más.');
    const query = new URL(stub.calls('GET /api/v1/tickets')[0]!.url).searchParams;
    expect(query.get('view')).toBe('requested');
    expect(query.get('status')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Cargar más' }));
    expect(await screen.findByRole('link', { name: '#150 · Caso viejo' })).toBeTruthy();
    expect(new URL(stub.calls('GET /api/v1/tickets')[1]!.url).searchParams.get('cursor')).toBe('c1');
    expect(screen.queryByRole('button', { name: 'Cargar más' })).toBeNull();
  });

  test('filters by status and priority through the API, and says when nothing matches', async () => {
    const { user, stub } = setup(requesterUser, '/requests', {
      'GET /api/v1/tickets': (request) =>
        json(200, { items: new URL(request.url).searchParams.get('priority') ? [] : [summary()], next_cursor: null }),
    });
    await screen.findByRole('list', { name: 'Mis solicitudes' });
    await user.selectOptions(screen.getByLabelText('Estado'), 'open');
    await user.selectOptions(screen.getByLabelText('Prioridad'), 'critical');
    expect(await screen.findByText('Ningún caso coincide con los filtros')).toBeTruthy();
    const last = new URL(stub.calls('GET /api/v1/tickets').at(-1)!.url).searchParams;
    expect(last.get('status')).toBe('new,assigned,in_progress,on_hold');
    expect(last.get('priority')).toBe('critical');
  });

  test('an empty list invites to file the first request', async () => {
    setup(requesterUser, '/requests', { 'GET /api/v1/tickets': () => json(200, { items: [], next_cursor: null }) });
    expect(await screen.findByText('Aún no tiene casos')).toBeTruthy();
  });
});

describe('ticket page, requester', () => {
  test('shows the case, public follow-ups and status changes, and the field labels', async () => {
    setup(requesterUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, ticket({ fields: { placa_equipo: 'AB-123', tipo_equipo: 'portatil', acepta_remoto: true } })),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Caso #123: El computador no enciende' })).toBeTruthy();
    expect(screen.getByText('Desde esta mañana el equipo no enciende.')).toBeTruthy();
    const timeline = await screen.findByRole('list', { name: 'Seguimiento' });
    expect(within(timeline).getByText('Vamos a revisar el equipo en sitio.')).toBeTruthy();
    expect(within(timeline).getByText(/cambió el estado a «En curso»/)).toBeTruthy();
    expect(within(timeline).queryByText('Privado · solo agentes')).toBeNull();
    expect(await screen.findByRole('rowheader', { name: 'Placa del equipo' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Portátil' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Sí' })).toBeTruthy();
    // Requesters have no staff actions and no shortcuts.
    expect(screen.queryByRole('button', { name: /^Tomar/ })).toBeNull();
    expect(screen.queryByRole('tab', { name: 'Historial (auditoría)' })).toBeNull();
  });

  test('cancels while nobody works on it, sending the version read', async () => {
    const { user, stub } = setup(requesterUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, ticket({ version: 4 })),
      'POST /api/v1/tickets/123/cancel': () => json(200, ticket({ status: 'cancelled', allowed_actions: [], version: 5 })),
    });
    await user.click(await screen.findByRole('button', { name: 'Cancelar el caso' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cancelar el caso #123' });
    await user.click(within(dialog).getByRole('button', { name: 'Sí, cancelar el caso' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(stub.calls('POST /api/v1/tickets/123/cancel')[0]!.headers.get('If-Match')).toBe('"4"');
    expect(await screen.findByText('Canceló el caso #123.')).toBeTruthy();
  });

  test('sends an "Actualización del usuario" with a file', async () => {
    const { user, xhr } = setup(requesterUser, '/tickets/123', {
      'POST /api/v1/tickets/123/followups': () => json(201, { ...publicNote, id: 'f9', from_requester: true }),
    });
    expect(await screen.findByRole('heading', { level: 2, name: 'Actualización del usuario' })).toBeTruthy();
    expect(screen.queryByRole('radio', { name: /^Privado/ })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Enviar actualización' }));
    expect(screen.getByText('Este dato es obligatorio.')).toBeTruthy();
    await user.type(screen.getByLabelText(/^Mensaje para la mesa/), 'Adjunto la foto');
    const input = screen.getByRole('group', { name: /Archivos/ }).querySelector<HTMLInputElement>('input[type="file"]')!;
    await user.upload(input, new File(['x'], 'foto.png', { type: 'image/png' }));
    await user.click(screen.getByRole('button', { name: 'Enviar actualización' }));
    expect(await screen.findByText('Seguimiento agregado.')).toBeTruthy();
    const sent = xhr.sent[0]!;
    expect(sent.url).toBe('http://localhost:3000/api/v1/tickets/123/followups');
    expect(JSON.parse(await (sent.body!.get('data') as Blob).text())).toEqual({ body: 'Adjunto la foto', visibility: 'public' });
    expect((sent.body!.getAll('file') as File[]).map((f) => f.name)).toEqual(['foto.png']);
  });

  test('a case that does not exist (or is not theirs)', async () => {
    setup(requesterUser, '/tickets/999', { 'GET /api/v1/tickets/999': () => json(404, problem(404, 'not_found', 'Not found')) });
    expect(await screen.findByText('No encontramos este caso o no tiene acceso a él.')).toBeTruthy();
  });
});

const working = (over: Partial<Ticket> = {}) =>
  ticket({
    status: 'in_progress',
    assigned_agent: { id: agentUser.id, name: 'Andrés Agudelo' },
    allowed_actions: ['assign', 'classify', 'escalate', 'hold', 'resolve', 'reject'],
    version: 7,
    ...over,
  });

describe('ticket page, agent', () => {
  test('offers exactly the allowed actions, takes with If-Match, and shows private notes apart', async () => {
    let current = ticket({ allowed_actions: ['take', 'assign', 'classify', 'escalate', 'hold', 'resolve', 'reject'], version: 3 });
    const { user, stub } = setup(agentUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, current),
      'POST /api/v1/tickets/123/take': () => {
        current = working();
        return json(200, current);
      },
    });
    const actions = await screen.findByRole('region', { name: 'Acciones' });
    expect(within(actions).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Atajos de teclado (?)',
      'Tomart',
      'Resolverr',
      'Escalare',
      'Asignara',
      'Clasificarc',
      'Poner en esperah',
      'Rechazarx',
    ]);
    const timeline = await screen.findByRole('list', { name: 'Seguimiento' });
    const privateItem = within(timeline).getByText('Parece la fuente de poder.').closest('li')!;
    expect(within(privateItem).getByText('Privado · solo agentes')).toBeTruthy();

    await user.click(within(actions).getByRole('button', { name: /^Tomar/ }));
    expect(await screen.findByText('Tomó el caso #123: ahora está a su cargo.')).toBeTruthy();
    expect(stub.calls('POST /api/v1/tickets/123/take')[0]!.headers.get('If-Match')).toBe('"3"');
    await waitFor(() => expect(within(actions).queryByRole('button', { name: /^Tomar/ })).toBeNull());
  });

  test('escalates with the keyboard: "e" opens the dialog, which checks level, group and reason', async () => {
    const { user, stub } = setup(agentUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, working()),
      'POST /api/v1/tickets/123/escalate': () => json(200, working({ level: 2, status: 'assigned' })),
    });
    await screen.findByRole('region', { name: 'Acciones' });
    await user.keyboard('e');
    const dialog = await screen.findByRole('dialog', { name: 'Escalar el caso #123' });
    expect((within(dialog).getByLabelText(/^Nivel de destino/) as HTMLSelectElement).value).toBe('2');
    expect(within(within(dialog).getByLabelText(/^Grupo de soporte/)).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Seleccione…',
      'Especialistas Infraestructura - Nivel 2',
    ]);
    await user.click(within(dialog).getByRole('button', { name: 'Escalar' }));
    expect(within(dialog).getAllByText('Este dato es obligatorio.')).toHaveLength(2);
    expect(stub.calls('POST /api/v1/tickets/123/escalate')).toHaveLength(0);

    await user.selectOptions(within(dialog).getByLabelText(/^Grupo de soporte/), level2.id);
    await user.type(within(dialog).getByLabelText(/^Motivo del escalamiento/), 'Requiere especialista');
    await user.click(within(dialog).getByRole('button', { name: 'Escalar' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const call = stub.calls('POST /api/v1/tickets/123/escalate')[0]!;
    expect(await call.json()).toEqual({ level: 2, group_id: level2.id, reason: 'Requiere especialista' });
    expect(call.headers.get('If-Match')).toBe('"7"');
  });

  test('explains a conflict with the actions now allowed, and ignores shortcuts while typing', async () => {
    const { user, stub } = setup(agentUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, working()),
      'POST /api/v1/tickets/123/resolve': () =>
        json(409, { ...problem(409, 'invalid_transition', 'Conflict'), allowed_actions: ['reopen', 'close'] }),
    });
    await screen.findByRole('region', { name: 'Acciones' });
    await user.type(screen.getByLabelText(/^Texto del seguimiento/), 'resolver');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.click(document.body);
    await user.keyboard('r');
    const dialog = await screen.findByRole('dialog', { name: 'Resolver el caso #123' });
    await user.type(within(dialog).getByLabelText(/^Solución/), 'Se cambió la fuente');
    await user.click(within(dialog).getByRole('button', { name: 'Resolver' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'El caso cambió de estado y esta acción ya no aplica. Ahora puede: Reabrir, Aceptar la solución.',
    );
    expect(await stub.calls('POST /api/v1/tickets/123/resolve')[0]!.json()).toEqual({ solution: 'Se cambió la fuente', solution_type: null });
  });

  test('writes a private follow-up only when asked, and shows the audit trail', async () => {
    const { user, xhr } = setup(agentUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, working()),
      'POST /api/v1/tickets/123/followups': () => json(201, privateNote),
    });
    await screen.findByRole('region', { name: 'Acciones' });
    expect((screen.getByRole('radio', { name: /^Público/ }) as HTMLInputElement).checked).toBe(true);
    await user.click(screen.getByRole('radio', { name: /^Privado/ }));
    expect(screen.getByText('Este seguimiento es privado: el solicitante no lo verá.')).toBeTruthy();
    await user.type(screen.getByLabelText(/^Texto del seguimiento/), 'Nota interna');
    await user.click(screen.getByRole('button', { name: 'Agregar seguimiento privado' }));
    expect(await screen.findByText('Seguimiento agregado.')).toBeTruthy();
    expect(JSON.parse(await (xhr.sent[0]!.body!.get('data') as Blob).text())).toEqual({ body: 'Nota interna', visibility: 'private' });

    await user.click(screen.getByRole('tab', { name: 'Historial (auditoría)' }));
    const table = await screen.findByRole('table', { name: /Cada cambio del caso/ });
    expect(within(table).getByText('registró el caso (Portal)')).toBeTruthy();
  });

  test('"?" lists the shortcuts', async () => {
    const { user } = setup(agentUser, '/tickets/123', { 'GET /api/v1/tickets/123': () => json(200, working()) });
    await screen.findByRole('region', { name: 'Acciones' });
    await user.keyboard('?');
    const help = await screen.findByRole('dialog', { name: 'Atajos de teclado' });
    expect(within(help).getByText('Escalar')).toBeTruthy();
    expect(within(help).getByRole('button', { name: 'Cerrar' })).toBeTruthy();
  });
});

describe('queues', () => {
  test('three queues with their open counts; each asks the API for its view', async () => {
    const { user, stub } = setup(agentUser, '/queues', {
      'GET /api/v1/tickets': (request) =>
        json(200, {
          items: new URL(request.url).searchParams.get('view') === 'unassigned' ? [] : [summary(working())],
          next_cursor: null,
        }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Bandejas' })).toBeTruthy();
    const mine = await screen.findByRole('tab', { name: /Asignadas a mí/ });
    expect(mine.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(mine.textContent).toContain('2'));
    expect(await screen.findByRole('link', { name: '#123 · El computador no enciende' })).toBeTruthy();
    expect(screen.getByText('Solicitante: Lucía Martínez · Grupo: CTO Secretaría de Hacienda - Nivel 1 · Agente: Andrés Agudelo · Nivel 1', { exact: false })).toBeTruthy();

    await user.click(screen.getByRole('tab', { name: /Sin agente/ }));
    expect(await screen.findByText('No hay casos sin agente')).toBeTruthy();
    const views = stub.calls('GET /api/v1/tickets').map((r) => new URL(r.url).searchParams.get('view'));
    expect(views).toContain('mine');
    expect(views).toContain('unassigned');
  });

  test('the cases reopened by survey are a filter, and their rows say so', async () => {
    const { user, stub } = setup(agentUser, '/queues', {
      'GET /api/v1/tickets': () => json(200, { items: [summary({ ...working(), reopen_reason: 'survey' })], next_cursor: null }),
    });
    expect(await screen.findByText('Abierto por encuesta', { selector: '.mantine-Badge-label' })).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Estado'), 'reopened_survey');
    await waitFor(() => {
      const last = stub.calls('GET /api/v1/tickets').at(-1);
      expect(last && new URL(last.url).searchParams.get('reopen_reason')).toBe('survey');
      expect(last && new URL(last.url).searchParams.get('status')).toBeNull();
    });
  });

  test('requesters cannot open the queues', async () => {
    setup(requesterUser, '/queues');
    expect(await screen.findByText('Esta página es solo para agentes y gestores de la mesa.')).toBeTruthy();
  });
});
