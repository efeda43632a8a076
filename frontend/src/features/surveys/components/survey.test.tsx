import { screen, waitFor } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { installFakeXhr } from '@/test/fake-xhr';
import { problem, requesterUser, siteSupport, ticket, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import type { Survey } from '../api/surveys';

const TOKEN = 'AZ8x-token_0123456789abcdefghijklmnopqrstuv';

function survey(overrides: Partial<Survey> = {}): Survey {
  return {
    state: 'pending',
    ticket_number: 123,
    subject: 'El computador no enciende',
    service: 'Soporte virtual o en sitio',
    ticket_status: 'resolved',
    solution: 'Se cambió la fuente de poder',
    sent_at: '2026-11-23T15:00:00Z',
    expires_at: '2026-11-25T15:00:00Z',
    ask_solved: true,
    answer: null,
    link: null,
    ...overrides,
  };
}

function answered(satisfied: boolean): Survey {
  return survey({
    state: 'answered',
    ticket_status: satisfied ? 'closed' : 'in_progress',
    solution: null,
    answer: { rating: satisfied ? 5 : 2, solved: satisfied, comment: null, satisfied, answered_at: '2026-11-24T10:00:00Z' },
  });
}

describe('public survey page', () => {
  function setup(handlers: Record<string, Handler>) {
    sessionStore.clear();
    const stub = stubApi(handlers);
    return { ...renderApp(`/survey/${TOKEN}`), stub };
  }

  test('opens without login, in Spanish, and a bad rating with a comment reopens the case', async () => {
    const { user, stub } = setup({
      [`GET /api/v1/surveys/${TOKEN}`]: () => json(200, survey()),
      [`POST /api/v1/surveys/${TOKEN}`]: () => json(200, answered(false)),
    });
    expect(await screen.findByRole('heading', { name: 'Encuesta de satisfacción' })).toBeTruthy();
    expect(screen.getByText('Se cambió la fuente de poder')).toBeTruthy();
    // Nothing chosen: the form says what is missing and sends nothing.
    await user.click(screen.getByRole('button', { name: 'Enviar calificación' }));
    expect(await screen.findByText('Elija una calificación.')).toBeTruthy();
    expect(screen.getByText('Indique si se solucionó.')).toBeTruthy();
    expect(stub.calls(`POST /api/v1/surveys/${TOKEN}`)).toHaveLength(0);

    await user.click(screen.getByRole('radio', { name: '2' }));
    await user.click(screen.getByRole('radio', { name: 'No' }));
    await user.click(screen.getByLabelText(/^Comentarios/));
    await user.paste('  Sigue sin encender  ');
    await user.click(screen.getByRole('button', { name: 'Enviar calificación' }));
    expect(await screen.findByText(/Su caso fue reabierto/)).toBeTruthy();
    const sent = stub.calls(`POST /api/v1/surveys/${TOKEN}`).at(0);
    expect(await sent?.json()).toEqual({ rating: 2, solved: false, comment: 'Sigue sin encender' });
    // No bearer token: the link is the credential.
    expect(sent?.headers.get('Authorization')).toBeNull();
  });

  test('says why a link no longer works', async () => {
    setup({
      [`GET /api/v1/surveys/${TOKEN}`]: () => json(410, problem(410, 'survey_expired', 'Gone')),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('El plazo para responder terminó');
  });

  test('a second answer is refused with a clear message', async () => {
    const { user } = setup({
      [`GET /api/v1/surveys/${TOKEN}`]: () => json(200, survey({ ask_solved: false })),
      [`POST /api/v1/surveys/${TOKEN}`]: () => json(409, problem(409, 'survey_already_answered', 'Conflict')),
    });
    await user.click(await screen.findByRole('radio', { name: '5 · Muy satisfecho' }));
    expect(screen.queryByRole('radio', { name: 'No' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Enviar calificación' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Esta encuesta ya fue respondida.');
  });

  test('in English when the language is switched', async () => {
    const { i18n } = setup({ [`GET /api/v1/surveys/${TOKEN}`]: () => json(200, answered(true)) });
    await i18n.changeLanguage('en');
    expect(await screen.findByRole('heading', { name: 'Satisfaction survey' })).toBeTruthy();
    expect((screen.getByRole('status')).textContent).toContain('Thank you! Your case is closed.');
  });
});

describe('survey on the requester’s case page', () => {
  test('the requester rates a resolved case from its page', async () => {
    sessionStore.set(tokenResponse(requesterUser));
    installFakeXhr();
    let current = survey();
    const resolved = ticket({ status: 'resolved', solution: { text: 'Se cambió la fuente de poder', solution_type: null }, allowed_actions: ['reopen', 'close'] });
    const stub = stubApi({
      'GET /api/v1/me': () => json(200, requesterUser),
      'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0, unstaffed: 0 }),
      [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, siteSupport),
      'GET /api/v1/tickets/123': () => json(200, current.state === 'pending' ? resolved : ticket({ status: 'closed' })),
      'GET /api/v1/tickets/123/followups': () => json(200, []),
      'GET /api/v1/tickets/123/events': () => json(200, []),
      'GET /api/v1/tickets/123/attachments': () => json(200, []),
      'GET /api/v1/tickets/123/survey': () => json(200, current),
      'POST /api/v1/tickets/123/survey': () => {
        current = answered(true);
        return json(200, current);
      },
    });
    const { user } = renderApp('/tickets/123');
    const section = await screen.findByRole('region', { name: 'Encuesta de satisfacción' });
    expect(section).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: '4' }));
    await user.click(screen.getByRole('radio', { name: 'Sí' }));
    await user.click(screen.getByRole('button', { name: 'Enviar calificación' }));
    expect(await screen.findByText('¡Gracias! Su caso quedó cerrado.')).toBeTruthy();
    const sent = stub.calls('POST /api/v1/tickets/123/survey').at(0);
    expect(await sent?.json()).toEqual({ rating: 4, solved: true });
    await waitFor(() => expect(stub.calls('GET /api/v1/tickets/123').length).toBeGreaterThan(1));
  });
});
