import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { agentUser, ticDesk, tokenResponse } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];

const supervisor: Schemas['User'] = { ...agentUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', display_name: 'Sandra Villa', role: 'supervisor' };
const desk = { ...ticDesk, supervisor_ids: [supervisor.id] };

const row = (over: Partial<Schemas['SurveyResultRow']>): Schemas['SurveyResultRow'] => ({
  key: 's1',
  name: 'Correo electrónico institucional',
  sent: 10,
  pending: 2,
  responses: 6,
  satisfied: 5,
  reopened: 1,
  average_rating: 4.25,
  csat: 5 / 6,
  response_rate: 0.75,
  reopen_rate: 0.125,
  ...over,
});

function setup(path: string, results: (query: URLSearchParams) => Schemas['SurveyResults']) {
  sessionStore.set(tokenResponse(supervisor));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, supervisor),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0, requested: 0 }),
    'GET /api/v1/desks': () => json(200, [desk]),
    'GET /api/v1/surveys/results': (request) => json(200, results(new URL(request.url).searchParams)),
  });
  return { ...renderApp(path), stub };
}

const last = (stub: ReturnType<typeof setup>['stub']) => new URL(stub.calls('GET /api/v1/surveys/results').at(-1)!.url).searchParams;

describe('survey results', { timeout: 30_000 }, () => {
  test('by service for the desk, with its rates; by month, named by the period; between two dates', async () => {
    const { user, stub } = setup('/supervision?view=surveys', (q) =>
      q.get('group_by') === 'period'
        ? { group_by: 'period', period: 'month', rows: [row({ key: '2026-11-01', name: null })] }
        : { group_by: 'service', rows: [row({}), row({ key: 's2', name: 'Impresión', sent: 1, pending: 1, responses: 0, satisfied: 0, reopened: 0, average_rating: null, csat: null, response_rate: null, reopen_rate: null })] },
    );
    expect((await screen.findByRole('tab', { name: 'Encuestas de satisfacción' }, { timeout: 10_000 })).getAttribute('aria-selected')).toBe('true');
    const table = await screen.findByRole('table', { name: 'Resultados de las encuestas por servicio' });
    const cells = (name: RegExp) => within(within(table).getByRole('row', { name })).getAllByRole('cell').map((c) => c.textContent?.replace(/\s/g, ''));
    expect(cells(/^Correo electrónico/)).toEqual(['10', '6', '2', '75%', '83%', '4,3', '1(13%)']);
    // No answer yet: no rate.
    expect(cells(/^Impresión/)).toEqual(['1', '0', '1', '—', '—', '—', '0(—)']);
    expect([last(stub).get('desk_id'), last(stub).get('group_by'), last(stub).get('period')]).toEqual([desk.id, 'service', null]);

    await user.selectOptions(screen.getByLabelText('Agrupar por'), 'period');
    await waitFor(() => expect([last(stub).get('group_by'), last(stub).get('period')]).toEqual(['period', 'month']));
    const byPeriod = await screen.findByRole('table', { name: 'Resultados de las encuestas por periodo' });
    expect(within(byPeriod).getByRole('rowheader').textContent).toBe('noviembre de 2026');
    await user.selectOptions(screen.getByLabelText('Periodo', { selector: 'select' }), 'quarter');
    await waitFor(() => expect(last(stub).get('period')).toBe('quarter'));

    await user.type(screen.getByLabelText('Solucionados desde'), '2026-11-01');
    await waitFor(() => expect(last(stub).get('from')).toBe(new Date(2026, 10, 1).toISOString()));
    await user.type(screen.getByLabelText('Solucionados hasta'), '2026-11-30');
    await waitFor(() => expect(last(stub).get('to')).toBe(new Date(2026, 11, 1).toISOString()));
  });

  test('says when there are no surveys yet; the day’s tab is the default', async () => {
    const { user } = setup('/supervision', () => ({ group_by: 'service', rows: [] }));
    const day = await screen.findByRole('tab', { name: 'El día de la mesa' }, { timeout: 10_000 });
    expect(day.getAttribute('aria-selected')).toBe('true');
    await user.click(screen.getByRole('tab', { name: 'Encuestas de satisfacción' }));
    expect(await screen.findByText('Aún no hay encuestas')).toBeTruthy();
  });
});
