import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminUser, problem, ticDesk, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];

const template: Schemas['MailTemplate'] = {
  kind: 'registered',
  lang: 'es',
  custom: false,
  subject: 'Caso registrado: {{ subject }}',
  text: 'Hola {{ recipient }}',
  html: '<p>Hola {{ recipient }}</p><script>alert(1)</script>',
  updated_at: null,
  variables: ['number', 'subject', 'recipient'],
};

const mail = (overrides: Partial<Schemas['OutboxMail']> = {}): Schemas['OutboxMail'] => ({
  id: 'm1',
  kind: 'registered',
  state: 'failed',
  to_address: 'lucia.martinez@cali.gov.co',
  from_address: 'mesa@cali.gov.co',
  locale: 'es',
  subject: '[Mesa #12] Caso registrado: Impresora',
  message_id: '<m1@mesa>',
  attempts: 10,
  max_attempts: 10,
  next_attempt_at: '2026-12-01T15:00:00Z',
  created_at: '2026-12-01T14:00:00Z',
  last_error: '550 mailbox unavailable',
  ticket_number: 12,
  ...overrides,
});

const SLOW = { timeout: 30_000 };
const TEMPLATE = `/api/v1/desks/${ticDesk.id}/mail-templates/registered/es`;

function setup(path: string, handlers: Record<string, Handler>, me = adminUser) {
  sessionStore.set(tokenResponse(me));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, me),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0 }),
    'GET /api/v1/desks': () => json(200, [{ ...ticDesk, supervisor_ids: [adminUser.id] }]),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

describe('mail templates', SLOW, () => {
  test('the preview follows the typing (debounced), in a sandboxed frame; a broken part is marked at its field; saving sends the three parts', async () => {
    const { user, stub } = setup('/admin/mail', {
      [`GET ${TEMPLATE}`]: () => json(200, template),
      [`POST ${TEMPLATE}/preview`]: async (request) => {
        const body = (await request.json()) as Schemas['PreviewBody'];
        const subject = body.template?.subject ?? '';
        if (subject.includes('{{ number ') && !subject.includes('}}')) {
          return json(422, { ...problem(422, 'validation_failed', 'Invalid'), errors: [{ field: 'subject', code: 'invalid_template', message: 'line 1: syntax error' }] });
        }
        return json(200, { subject: `[Mesa #1234] ${subject.replace('{{ number }}', '1234')}`, text: 'Hola Lucía', html: '<p>Hola Lucía</p>' });
      },
      [`PUT ${TEMPLATE}`]: async (request) => json(200, { ...template, ...((await request.json()) as object), custom: true, updated_at: '2026-12-03T10:00:00Z' }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Correo' }, { timeout: 10_000 })).toBeTruthy();
    expect(await screen.findByText(/Asunto: \[Mesa #1234\] Caso registrado/, {}, { timeout: 10_000 })).toBeTruthy();
    const frame = screen.getByTitle('Vista previa del correo en HTML');
    // No scripts and no same origin: the mail's HTML cannot reach the app.
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toBe('<p>Hola Lucía</p>');
    expect(screen.getByTestId('preview-text').textContent).toBe('Hola Lucía');

    const subject = screen.getByLabelText('Asunto');
    await user.clear(subject);
    await user.type(subject, 'Recibimos su caso {{{{ number }}');
    expect(await screen.findByText('Asunto: [Mesa #1234] Recibimos su caso 1234', {}, { timeout: 5000 })).toBeTruthy();
    // Debounced: far fewer previews than keystrokes.
    expect(stub.calls(`POST ${TEMPLATE}/preview`).length).toBeLessThan(6);

    await user.clear(subject);
    await user.type(subject, 'Caso {{{{ number ');
    expect(await screen.findByText('La plantilla no es válida: line 1: syntax error', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByLabelText('Asunto').getAttribute('aria-invalid')).toBe('true');

    await user.type(subject, '}}');
    await waitFor(() => expect(screen.getByLabelText('Asunto').getAttribute('aria-invalid')).toBeNull(), { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: 'Guardar plantilla' }));
    expect(await screen.findByText('Plantilla guardada: los próximos correos la usan.', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('Propia de la mesa')).toBeTruthy();
    expect(await stub.calls(`PUT ${TEMPLATE}`)[0]!.json()).toEqual({ subject: 'Caso {{ number }}', text: template.text, html: template.html });
  });

  test('a supervisor has the templates only: no outbox, no jobs', async () => {
    setup(
      '/admin/mail?tab=outbox',
      {
        [`GET ${TEMPLATE}`]: () => json(200, template),
        [`POST ${TEMPLATE}/preview`]: () => json(200, { subject: 's', text: 't', html: '<p>h</p>' }),
      },
      { ...adminUser, role: 'supervisor' },
    );
    const tabs = await screen.findByRole('tablist', { name: 'Secciones de correo' }, { timeout: 10_000 });
    expect(within(tabs).getAllByRole('tab').map((t) => t.textContent)).toEqual(['Plantillas']);
    expect(await screen.findByRole('heading', { name: 'Plantilla' })).toBeTruthy();
  });
});

describe('outbox and jobs', SLOW, () => {
  test('lists mail newest first and retries a failed one; says when no job has failed', async () => {
    let retried = false;
    const { user, stub } = setup('/admin/mail?tab=outbox', {
      'GET /api/v1/outbox': () => json(200, { items: [retried ? mail({ state: 'pending', attempts: 0, last_error: null }) : mail(), mail({ id: 'm2', state: 'sent', last_error: null, subject: 'Otro' })], next_cursor: null }),
      'POST /api/v1/outbox/m1/retry': () => {
        retried = true;
        return json(200, mail({ state: 'pending', attempts: 0 }));
      },
      'GET /api/v1/jobs': () => json(200, { items: [], next_cursor: null }),
    });
    const table = await screen.findByRole('table', { name: 'Correos salientes, los más recientes primero' }, { timeout: 10_000 });
    expect(within(table).getByText('Último error: 550 mailbox unavailable')).toBeTruthy();
    expect(within(table).getAllByRole('button')).toHaveLength(1);
    await user.click(within(table).getByRole('button', { name: 'Reintentar el correo a lucia.martinez@cali.gov.co: [Mesa #12] Caso registrado: Impresora' }));
    expect(await screen.findByText('El correo a lucia.martinez@cali.gov.co se enviará de nuevo.')).toBeTruthy();
    expect(stub.calls('POST /api/v1/outbox/m1/retry')).toHaveLength(1);
    await waitFor(() => expect(within(screen.getByRole('table', { name: /Correos salientes/ })).queryAllByRole('button')).toHaveLength(0));

    await user.selectOptions(screen.getByLabelText('Estado'), 'failed');
    await waitFor(() => expect(stub.calls('GET /api/v1/outbox').some((r) => new URL(r.url).searchParams.get('state') === 'failed')).toBe(true));

    await user.click(screen.getByRole('tab', { name: 'Tareas fallidas' }));
    expect(await screen.findByText('Ninguna tarea en segundo plano ha fallado.')).toBeTruthy();
    expect(new URL(stub.calls('GET /api/v1/jobs')[0]!.url).searchParams.get('state')).toBe('failed');
  });

  test('a failed job is put back in the queue', async () => {
    const job: Schemas['Job'] = {
      id: 'j1',
      kind: 'sla_recompute',
      state: 'failed',
      recurring: false,
      payload: {},
      attempts: 5,
      max_attempts: 5,
      run_at: '2026-12-01T14:00:00Z',
      created_at: '2026-12-01T13:00:00Z',
      last_error: 'deadlock detected',
    };
    const { user, stub } = setup('/admin/mail?tab=jobs', {
      'GET /api/v1/jobs': () => json(200, { items: [job], next_cursor: null }),
      'POST /api/v1/jobs/j1/retry': () => json(409, problem(409, 'job_not_failed', 'Conflict')),
    });
    const table = await screen.findByRole('table', { name: 'Tareas en segundo plano, las más recientes primero' }, { timeout: 10_000 });
    expect(within(table).getByText('Último error: deadlock detected')).toBeTruthy();
    await user.click(within(table).getByRole('button', { name: 'Reintentar la tarea sla_recompute' }));
    expect((await screen.findByRole('alert')).textContent).toContain('No se pudo reintentar');
    expect(stub.calls('POST /api/v1/jobs/j1/retry')).toHaveLength(1);
  });
});
