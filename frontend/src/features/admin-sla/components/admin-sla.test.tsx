import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminUser, education, hacienda, page, problem, ticDesk, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];

const calendar: Schemas['BusinessCalendar'] = {
  id: 'ca000000-0000-4000-8000-000000000001',
  name: 'Lunes a viernes (Colombia)',
  timezone: 'America/Bogota',
  always_open: false,
  country: 'CO',
  intervals: [{ weekday: 'mon', start: '07:30:00', end: '17:00:00' }],
  extra_holidays: [],
  removed_holidays: [],
  version: 4,
};

const validation = (errors: Schemas['FieldError'][]) => json(422, { ...problem(422, 'validation_failed', 'Invalid'), errors });

function setup(path: string, handlers: Record<string, Handler>, me = adminUser) {
  sessionStore.set(tokenResponse(me));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, me),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0 }),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

// These tests type a lot; the default 5 s is too short on a loaded 2-core machine.
const SLOW = { timeout: 30_000 };

describe('service levels', SLOW, () => {
  test('a calendar shows the year’s holidays by name; a change is sent with If-Match and refused at its field', async () => {
    const year = new Date().getFullYear();
    const { user, stub } = setup('/admin/service-levels', {
      'GET /api/v1/calendars': () => json(200, [calendar]),
      [`GET /api/v1/calendars/${calendar.id}/holidays`]: () =>
        json(200, [
          { date: `${year}-01-01`, name: 'Año Nuevo' },
          { date: `${year}-01-12`, name: 'Día de los Reyes Magos' },
        ]),
      [`PATCH /api/v1/calendars/${calendar.id}`]: () => validation([{ field: 'intervals.0.end', code: 'invalid', message: 'must be later than the start' }]),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Niveles de servicio' }, { timeout: 10_000 })).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Lunes a viernes (Colombia)' }, { timeout: 10_000 }));
    const table = await screen.findByRole('table', { name: /2 días no hábiles en Lunes a viernes/ });
    expect(within(table).getByText('Día de los Reyes Magos')).toBeTruthy();
    expect(new URL(stub.calls(`GET /api/v1/calendars/${calendar.id}/holidays`)[0]!.url).searchParams.get('year')).toBe(String(year));

    const form = screen.getByRole('form', { name: 'Calendario: Lunes a viernes (Colombia)' });
    // Stored `07:30:00` is shown as the time input wants it.
    expect((within(form).getByLabelText('Desde') as HTMLInputElement).value).toBe('07:30');
    await user.click(within(form).getByRole('button', { name: 'Agregar día no hábil' }));
    await user.type(within(form).getByLabelText(/^Fecha/), `${year}-12-24`);
    await user.type(within(form).getAllByLabelText(/^Nombre/)[1]!, 'Nochebuena');
    await user.click(within(form).getByRole('button', { name: 'Guardar cambios' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('No se guardó: corrija el dato señalado.');
    const end = within(form).getByLabelText('Hasta');
    expect(end.getAttribute('aria-invalid')).toBe('true');
    expect(within(form).getByText('Revise este valor.')).toBeTruthy();
    const sent = stub.calls(`PATCH /api/v1/calendars/${calendar.id}`)[0]!;
    expect(sent.headers.get('If-Match')).toBe('"4"');
    expect(await sent.json()).toMatchObject({
      name: 'Lunes a viernes (Colombia)',
      country: 'CO',
      intervals: [{ weekday: 'mon', start: '07:30', end: '17:00' }],
      extra_holidays: [{ date: `${year}-12-24`, name: 'Nochebuena' }],
    });
  });

  test('a new SLA policy is created with its targets and rules; a refused target is marked', async () => {
    let posts = 0;
    const created: Schemas['SlaPolicy'][] = [];
    const { user, stub } = setup('/admin/service-levels?tab=policies', {
      'GET /api/v1/sla-policies': () => json(200, created),
      'GET /api/v1/calendars': () => json(200, [calendar]),
      'GET /api/v1/groups': () => json(200, []),
      'POST /api/v1/sla-policies': async (request) => {
        posts += 1;
        if (posts === 1) return validation([{ field: 'targets.high.tto_minutes', code: 'out_of_range', message: 'must be positive' }]);
        const body = (await request.json()) as Schemas['PolicyInput'];
        const policy = { ...body, id: 'p1', version: 1, at_risk_share: 0.75, active: true, rules: body.rules ?? [], calendar_id: null };
        created.push(policy);
        return json(201, policy);
      },
    });
    expect(await screen.findByText('Aún no hay políticas de ANS.', {}, { timeout: 10_000 })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Nueva política' }));
    const form = screen.getByRole('form', { name: 'Nueva política' });
    await user.type(within(form).getByLabelText(/^Nombre/), 'ANS TIC');
    await user.click(within(form).getByRole('button', { name: 'Crear política' }));
    const high = await within(form).findByLabelText('Tiempo de atención, prioridad Alta');
    await waitFor(() => expect(high.getAttribute('aria-invalid')).toBe('true'));
    expect(within(form).getByText('El valor está fuera del rango permitido.')).toBeTruthy();

    await user.click(within(form).getByRole('button', { name: 'Crear política' }));
    expect(await screen.findByRole('heading', { name: 'Política: ANS TIC' })).toBeTruthy();
    const body = (await stub.calls('POST /api/v1/sla-policies')[1]!.json()) as Schemas['PolicyInput'];
    expect(body.targets.critical).toEqual({ tto_minutes: 60, ttr_minutes: 240 });
    expect(body.rules).toEqual([{ clock: 'ttr', at_share: 1, action: 'notify_supervisor', group_id: null }]);
  });
});

describe('desk settings', SLOW, () => {
  const definition: Schemas['SurveyDefinition'] = {
    desk_id: ticDesk.id,
    ask_solved: true,
    satisfied_min_rating: 3,
    acceptance_delay: { unit: 'hours', amount: 48 },
    reminder_hours_before: [24],
    staff_may_close: false,
    version: 1,
  };
  const otherDesk = { ...ticDesk, id: 'd0000000-0000-4000-8000-000000000009', name: 'Otra mesa', code: 'OTR' };

  function deskHandlers(): Record<string, Handler> {
    return {
      'GET /api/v1/desks': () => json(200, [ticDesk, otherDesk]),
      'GET /api/v1/calendars': () => json(200, [calendar]),
      'GET /api/v1/sla-policies': () => json(200, []),
      [`GET /api/v1/desks/${ticDesk.id}/survey`]: () => json(200, definition),
      [`GET /api/v1/desks/${ticDesk.id}/mailbox`]: () => json(404, problem(404, 'not_found', 'Not found')),
      [`GET /api/v1/desks/${ticDesk.id}/catalog`]: () => json(200, { desk_id: ticDesk.id, nodes: [] }),
    };
  }

  test('a supervisor sees only their desks and changes the acceptance delay; an out-of-range one is refused at its field', async () => {
    const supervisor = { ...adminUser, role: 'supervisor' as const };
    let puts = 0;
    const { user, stub } = setup(
      '/admin/desks',
      {
        ...deskHandlers(),
        'GET /api/v1/desks': () => json(200, [{ ...ticDesk, supervisor_ids: [supervisor.id] }, otherDesk]),
        [`PUT /api/v1/desks/${ticDesk.id}/survey`]: async (request) => {
          puts += 1;
          if (puts === 1) return validation([{ field: 'acceptance_delay.amount', code: 'out_of_range', message: 'must be between 1 and 30' }]);
          return json(200, { ...definition, ...((await request.json()) as object), version: 2 });
        },
      },
      supervisor,
    );
    expect(await screen.findByRole('heading', { level: 1, name: 'Mesas' }, { timeout: 10_000 })).toBeTruthy();
    const desk = await screen.findByLabelText('Mesa');
    expect(within(desk).getAllByRole('option').map((o) => o.textContent)).toEqual(['Mesa de servicios TIC (TIC)']);
    expect(await screen.findByText('Sin configurar')).toBeTruthy();

    const form = await screen.findByRole('form', { name: 'Encuesta de satisfacción' });
    const amount = within(form).getByLabelText('Plazo');
    await user.clear(amount);
    await user.type(amount, '45');
    await user.selectOptions(within(form).getByLabelText('Unidad'), 'business_days');
    await user.click(within(form).getByRole('button', { name: 'Guardar encuesta' }));
    await waitFor(() => expect(within(form).getByLabelText('Plazo').getAttribute('aria-invalid')).toBe('true'));

    await user.clear(within(form).getByLabelText('Plazo'));
    await user.type(within(form).getByLabelText('Plazo'), '3');
    await user.click(within(form).getByRole('button', { name: 'Guardar encuesta' }));
    expect(await within(form).findByText('Cambios guardados.')).toBeTruthy();
    const sent = stub.calls(`PUT /api/v1/desks/${ticDesk.id}/survey`)[1]!;
    expect(sent.headers.get('If-Match')).toBe('"1"');
    expect(await sent.json()).toEqual({
      ask_solved: true,
      satisfied_min_rating: 3,
      acceptance_delay: { unit: 'business_days', amount: 3 },
      reminder_hours_before: [24],
      staff_may_close: false,
    });
  });

  test('an admin creates a desk limited to one organization with its manager; a taken code is said at the code', async () => {
    const newDesk = { ...ticDesk, id: 'd0000000-0000-4000-8000-00000000000a', code: 'BIEN', name: 'Bienestar', organization_ids: [education.id], supervisor_ids: [adminUser.id] };
    let posts = 0;
    const { user, stub } = setup('/admin/desks', {
      ...deskHandlers(),
      'GET /api/v1/organizations': () => json(200, page([hacienda, education])),
      'GET /api/v1/users': () => json(200, page([{ ...adminUser, role: 'supervisor', display_name: 'Sandra Villa', username: 'supervisor.tic' }])),
      // The list asked again after the creation has it.
      'GET /api/v1/desks': () => json(200, posts < 2 ? [ticDesk, otherDesk] : [ticDesk, otherDesk, newDesk]),
      'POST /api/v1/desks': () => (++posts === 1 ? json(409, problem(409, 'code_taken', 'another desk uses the code BIEN')) : json(201, newDesk)),
      [`GET /api/v1/desks/${newDesk.id}/survey`]: () => json(200, { ...definition, desk_id: newDesk.id }),
      [`GET /api/v1/desks/${newDesk.id}/mailbox`]: () => json(404, problem(404, 'not_found', 'Not found')),
      [`GET /api/v1/desks/${newDesk.id}/catalog`]: () => json(200, { desk_id: newDesk.id, nodes: [] }),
    });
    await user.click(await screen.findByRole('button', { name: 'Nueva mesa' }, { timeout: 10_000 }));
    const form = await screen.findByRole('form', { name: 'Nueva mesa' });
    const code = within(form).getByLabelText(/^Código/);
    expect(document.activeElement).toBe(code);
    await user.type(code, 'bien');
    expect((code as HTMLInputElement).value).toBe('BIEN');
    await user.type(within(form).getByLabelText(/^Nombre/), 'Bienestar');
    await user.click(await within(form).findByLabelText('Secretaría de Educación'));
    await user.click(await within(form).findByLabelText('Sandra Villa (supervisor.tic)'));
    await user.click(within(form).getByRole('button', { name: 'Crear la mesa' }));
    await waitFor(() => expect(within(form).getByLabelText(/^Código/).getAttribute('aria-invalid')).toBe('true'));
    expect(within(form).getByText('Ya existe una mesa con este código.')).toBeTruthy();

    await user.click(within(form).getByRole('button', { name: 'Crear la mesa' }));
    expect(await screen.findByText('Mesa «Bienestar» creada. Elija su calendario y su política de ANS.')).toBeTruthy();
    // Its settings show at once, under the new desk.
    await waitFor(() => expect((screen.getByLabelText('Mesa') as HTMLSelectElement).value).toBe(newDesk.id));
    expect(await screen.findByRole('form', { name: 'Niveles de servicio y correos' })).toBeTruthy();
    await waitFor(() => expect(stub.calls('GET /api/v1/desks').length).toBeGreaterThan(1));
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'Bienestar (BIEN)' })).toHaveLength(1));
    expect((screen.getByLabelText('Mesa') as HTMLSelectElement).value).toBe(newDesk.id);
    expect(await stub.calls('POST /api/v1/desks')[1]!.json()).toEqual({
      code: 'BIEN',
      name: 'Bienestar',
      description: null,
      organization_ids: [education.id],
      supervisor_ids: [adminUser.id],
    });
    const supervisors = new URL(stub.calls('GET /api/v1/users')[0]!.url).searchParams;
    expect([supervisors.get('role'), supervisors.get('active')]).toEqual(['supervisor', 'true']);
  });

  test('the mail kinds a desk sends are sent as the list left checked, with If-Match', async () => {
    const { user, stub } = setup('/admin/desks', {
      ...deskHandlers(),
      [`PATCH /api/v1/desks/${ticDesk.id}`]: () => json(200, { ...ticDesk, version: 2 }),
    });
    const form = await screen.findByRole('form', { name: 'Niveles de servicio y correos' }, { timeout: 10_000 });
    expect((within(form).getByLabelText('Caso registrado') as HTMLInputElement).checked).toBe(true);
    expect((within(form).getByLabelText('Caso clasificado') as HTMLInputElement).checked).toBe(false);
    await user.click(within(form).getByLabelText('Seguimiento público'));
    await user.selectOptions(within(form).getByLabelText('Calendario hábil'), calendar.id);
    await user.click(within(form).getByRole('button', { name: 'Guardar ajustes' }));
    expect(await within(form).findByText('Cambios guardados.')).toBeTruthy();
    const sent = stub.calls(`PATCH /api/v1/desks/${ticDesk.id}`)[0]!;
    expect(sent.headers.get('If-Match')).toBe('"1"');
    expect(await sent.json()).toEqual({ calendar_id: calendar.id, sla_policy_id: null, notification_kinds: ['registered', 'assigned', 'resolved'] });
  });
});

describe('admin navigation', SLOW, () => {
  test('an admin gets every section, in the order a desk is built', async () => {
    setup('/admin/desks', { 'GET /api/v1/desks': () => json(200, []), 'GET /api/v1/calendars': () => json(200, []), 'GET /api/v1/sla-policies': () => json(200, []) });
    const nav = await screen.findByRole('navigation', { name: 'Secciones de administración' }, { timeout: 10_000 });
    await waitFor(() => expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Organizaciones, áreas y sedes', 'Personas', 'Importar (CSV)', 'Grupos', 'Niveles de servicio', 'Mesas', 'Catálogo', 'Correo', 'Tokens de API', 'Webhooks']));
    expect(await screen.findByText('No gestiona ninguna mesa.')).toBeTruthy();
  });

  test('a supervisor sees no admins-only section and, opening the service levels, is told they are for admins', async () => {
    setup('/admin/service-levels', {}, { ...adminUser, role: 'supervisor' });
    expect((await screen.findByRole('alert', {}, { timeout: 10_000 })).textContent).toContain('Solo los administradores configuran los calendarios');
    const nav = screen.getByRole('navigation', { name: 'Secciones de administración' });
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['Personas', 'Grupos', 'Mesas', 'Catálogo', 'Correo']);
  });
});
