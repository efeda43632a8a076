import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { agentUser, hacienda, page, summary as ticketSummary, ticCatalog, ticDesk, tokenResponse } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];

const supervisor: Schemas['User'] = { ...agentUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', display_name: 'Sandra Villa', role: 'supervisor' };
const desk = { ...ticDesk, supervisor_ids: [supervisor.id] };
const otherDesk = { ...ticDesk, id: 'd0000000-0000-4000-8000-000000000009', code: 'ADM', name: 'Servicios administrativos', supervisor_ids: [] };

const compliance = (met: number, measured: number): Schemas['Compliance'] => ({ met, measured, met_pct: measured ? Math.round((met * 1000) / measured) / 10 : null });
const times = (mean: number | null, p90: number | null, measured = 10): Schemas['TimeStats'] => ({ measured, mean_minutes: mean, p90_minutes: p90 });

const period: Schemas['ReportPeriod'] = { from: '2026-11-01', to: '2026-11-30', time_zone: 'America/Bogota' };

function summaryOf(over: Partial<Schemas['Summary']> = {}): Schemas['Summary'] {
  return {
    period,
    opened: 1234,
    resolved: 20,
    closed: 15,
    backlog_start: 7,
    backlog_end: 9,
    attention: compliance(17, 20),
    resolution: compliance(18, 20),
    time_to_attend: times(135, 300),
    time_to_resolve: times(45, 1510),
    first_contact: 12,
    first_contact_pct: 60,
    reopened: 1,
    reopen_pct: 5,
    escalations: [
      { level: 2, escalations: 3 },
      { level: 3, escalations: 1 },
    ],
    transfers: 2,
    rejections: 1,
    reassignments: 4,
    satisfaction: { sent: 10, concluded: 8, answered: 6, satisfied: 5, csat_pct: 83.3, response_rate_pct: 75, mean_rating: 4.25 },
    ...over,
  };
}

const zeroSummary = summaryOf({
  opened: 0, resolved: 0, closed: 0, backlog_start: 0, backlog_end: 0, attention: compliance(0, 0), resolution: compliance(0, 0),
  time_to_attend: times(null, null, 0), time_to_resolve: times(null, null, 0), first_contact: 0, first_contact_pct: null, reopened: 0, reopen_pct: null,
  escalations: [], transfers: 0, rejections: 0, reassignments: 0,
  satisfaction: { sent: 0, concluded: 0, answered: 0, satisfied: 0, csat_pct: null, response_rate_pct: null, mean_rating: null },
});

const slaRow = (key: string, name: string, resolved: number): Schemas['SlaRow'] => ({
  key,
  name,
  resolved,
  attention: compliance(resolved - 1, resolved),
  resolution: compliance(resolved, resolved),
  time_to_attend: times(30, 60),
  time_to_resolve: times(125, 240),
});

const emailService = ticCatalog.nodes[0]!.children![1]!;

function setup(path: string, { summary = summaryOf(), desks = [desk] }: { summary?: Schemas['Summary']; desks?: Schemas['Desk'][] } = {}) {
  sessionStore.set(tokenResponse(supervisor));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, supervisor),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0, requested: 0 }),
    'GET /api/v1/desks': () => json(200, desks),
    [`GET /api/v1/desks/${desk.id}/catalog`]: () => json(200, ticCatalog),
    'GET /api/v1/groups': () => json(200, []),
    'GET /api/v1/users': () => json(200, page([agentUser])),
    'GET /api/v1/organizations': () => json(200, page([hacienda])),
    'GET /api/v1/reports/summary': () => json(200, summary),
    'GET /api/v1/reports/quarterly': () =>
      new Response('%PDF-1.7', { status: 200, headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="informe-TIC-2026-T3.pdf"' } }),
    'GET /api/v1/reports/volume': (request) => {
      const q = new URL(request.url).searchParams;
      if (q.get('format') === 'csv') {
        return new Response('a;b\n1;2\n', { status: 200, headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="volumen-2026-11-01-2026-11-30.csv"' } });
      }
      return json(200, {
        period,
        granularity: q.get('granularity') ?? 'day',
        rows: [
          { start: '2026-11-02', opened: 5, resolved: 3, closed: 2, backlog: 9 },
          { start: '2026-11-03', opened: 0, resolved: 1, closed: 0, backlog: 8 },
        ],
      });
    },
    'GET /api/v1/reports/sla': () => json(200, { period, by: 'priority', rows: [slaRow('low', 'Baja', 4), slaRow('high', 'Alta', 6)] }),
    'GET /api/v1/reports/top': () =>
      json(200, { period, by: 'service', total: 1234, rows: [{ id: emailService.id, name: emailService.name, cases: 800, share_pct: 64.8 }] }),
    'GET /api/v1/reports/cases': (request) => {
      const q = new URL(request.url).searchParams;
      if (q.get('cursor') === 'next') return json(200, page([ticketSummary({ id: 'e0000000-0000-4000-8000-000000000100', number: 100, subject: 'La impresora no imprime' })]));
      return json(200, page([ticketSummary({ number: 123, status: 'resolved', priority: 'high' })], 'next'));
    },
  });
  return { ...renderApp(path), stub };
}

type Stub = ReturnType<typeof setup>['stub'];
const lastQuery = (stub: Stub, report: string) => new URL(stub.calls(`GET /api/v1/reports/${report}`).at(-1)!.url).searchParams;
const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('reports page', { timeout: 30_000 }, () => {
  test('shows the indicators in es-CO, the volume, SLA, top and satisfaction tables, and the navigation link', async () => {
    setup('/reports?from=2026-11-01&to=2026-11-30');
    expect(await screen.findByRole('heading', { level: 1, name: 'Informes' }, { timeout: 10_000 })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Menú principal' });
    expect(within(nav).getByRole('link', { name: 'Informes' }).getAttribute('href')).toBe('/reports');

    expect(text(await screen.findByTestId('stat-opened-value'))).toBe('1.234');
    expect(text(screen.getByTestId('stat-attention-value'))).toBe('85 %');
    expect(text(screen.getByTestId('stat-tta-mean'))).toBe('2 h 15 min');
    expect(text(screen.getByTestId('stat-ttr-p90'))).toBe('25 h 10 min');
    expect(text(screen.getByTestId('stat-ttr-mean'))).toBe('45 min');
    expect(text(screen.getByTestId('stat-csat-value'))).toBe('83,3 %');
    expect(text(screen.getByTestId('stat-escalations'))).toContain('Nivel 2: 3 · Nivel 3: 1');
    expect(text(screen.getByTestId('report-period'))).toBe('Del 1 de nov de 2026 al 30 de nov de 2026 (hora de Colombia)');

    const volume = await screen.findByRole('table', { name: 'Volumen de casos por periodo' });
    const cells = (table: HTMLElement, name: RegExp) => within(within(table).getByRole('row', { name })).getAllByRole('cell').map((c) => text(c));
    expect(cells(volume, /^2 de nov de 2026/)).toEqual(['5', '3', '2', '9']);

    const sla = await screen.findByRole('table', { name: 'Cumplimiento del ANS por prioridad' });
    // Priorities in their order, named in Spanish.
    expect(within(sla).getAllByRole('rowheader').map((c) => text(c))).toEqual(['Alta', 'Baja']);
    expect(cells(sla, /^Alta/)).toEqual(['6', '83,3 %', '1', '100 %', '0', '30 min', '2 h 05 min']);

    const top = await screen.findByRole('table', { name: 'Servicios con más casos' });
    expect(cells(top, new RegExp(`^${emailService.name}`))).toEqual(['800', '64,8 %']);
    const satisfaction = screen.getByRole('table', { name: 'Encuestas de satisfacción' });
    expect(cells(satisfaction, /^Respondidas/)).toEqual(['6']);

    // Charts are drawn as one image each, described for screen readers.
    expect(screen.getByRole('img', { name: /casos registrados, resueltos y cerrados por periodo/ })).toBeTruthy();
  });

  test('filters go to the API and to the address; a quick period sets both dates', async () => {
    const { stub, user, router } = setup('/reports?from=2026-11-01&to=2026-11-30');
    await screen.findByTestId('stat-opened-value', {}, { timeout: 10_000 });
    expect([lastQuery(stub, 'summary').get('from'), lastQuery(stub, 'summary').get('to'), lastQuery(stub, 'summary').get('priority')]).toEqual(['2026-11-01', '2026-11-30', null]);

    await user.selectOptions(screen.getByLabelText('Prioridad', { selector: 'select' }), 'high');
    await waitFor(() => expect(lastQuery(stub, 'summary').get('priority')).toBe('high'));
    expect(lastQuery(stub, 'volume').get('priority')).toBe('high');
    expect(router.state.location.search).toContain('priority=high');

    await user.selectOptions(screen.getByLabelText('Servicio', { selector: 'select' }), emailService.id);
    await waitFor(() => expect(lastQuery(stub, 'top').get('service')).toBe(emailService.id));
    await user.selectOptions(screen.getByLabelText('Organismo'), hacienda.id);
    await waitFor(() => expect(lastQuery(stub, 'sla').get('organization')).toBe(hacienda.id));

    await user.selectOptions(screen.getByLabelText('Periodo'), 'last_7');
    await waitFor(() => expect(lastQuery(stub, 'summary').get('from')).not.toBe('2026-11-01'));
    const q = lastQuery(stub, 'summary');
    const days = (Date.parse(q.get('to')!) - Date.parse(q.get('from')!)) / 86_400_000;
    expect(days).toBe(6);
    expect(q.get('priority')).toBe('high');

    await user.click(screen.getByRole('radio', { name: 'Semana' }));
    await waitFor(() => expect(lastQuery(stub, 'volume').get('granularity')).toBe('week'));
    expect(router.state.location.search).toContain('granularity=week');

    await user.click(screen.getByRole('button', { name: 'Quitar filtros' }));
    await waitFor(() => expect(lastQuery(stub, 'summary').get('priority')).toBeNull());
    expect(lastQuery(stub, 'summary').get('service')).toBeNull();
  });

  test('a figure opens the list of its cases: stat card, volume bucket, SLA row, top service; load more', async () => {
    const { stub, user } = setup('/reports?from=2026-11-01&to=2026-11-30');
    await user.click(await screen.findByTestId('stat-opened', {}, { timeout: 10_000 }));
    const drawer = await screen.findByRole('dialog', { name: 'Casos: Registrados' });
    let q = lastQuery(stub, 'cases');
    expect([q.get('measure'), q.get('from'), q.get('to'), q.get('cursor')]).toEqual(['opened', '2026-11-01', '2026-11-30', null]);
    const table = await within(drawer).findByRole('table', { name: 'Casos: Registrados' });
    const link = within(table).getByRole('link', { name: 'Abrir el caso #123' });
    expect(link.getAttribute('href')).toBe('/tickets/123');
    expect(within(table).getByRole('row', { name: /#123/ }).textContent).toContain('Resuelta');
    await user.click(within(drawer).getByRole('button', { name: 'Cargar más casos' }));
    await within(table).findByRole('link', { name: 'Abrir el caso #100' });
    expect(lastQuery(stub, 'cases').get('cursor')).toBe('next');
    expect(within(drawer).queryByRole('button', { name: 'Cargar más casos' })).toBeNull();
    await user.click(within(drawer).getByRole('button', { name: 'Cerrar la lista de casos' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // A bucket of the volume table: registered that day.
    await user.click(screen.getByRole('button', { name: 'Ver los casos: Registrados — 2 de nov de 2026' }));
    await screen.findByRole('dialog', { name: 'Casos: Registrados' });
    q = lastQuery(stub, 'cases');
    expect([q.get('measure'), q.get('from'), q.get('to')]).toEqual(['opened', '2026-11-02', '2026-11-02']);
    await user.click(screen.getByRole('button', { name: 'Cerrar la lista de casos' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // An SLA row: the cases resolved with that priority.
    await user.click(screen.getByRole('button', { name: 'Ver los casos: Resueltos — Alta' }));
    await screen.findByRole('dialog', { name: 'Casos: Resueltos' });
    q = lastQuery(stub, 'cases');
    expect([q.get('measure'), q.get('priority')]).toEqual(['resolved', 'high']);
    await user.click(screen.getByRole('button', { name: 'Cerrar la lista de casos' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // A top service: the cases registered for it.
    await user.click(screen.getByRole('button', { name: `Ver los casos: Registrados — ${emailService.name}` }));
    await screen.findByRole('dialog', { name: 'Casos: Registrados' });
    q = lastQuery(stub, 'cases');
    expect([q.get('measure'), q.get('service')]).toEqual(['opened', emailService.id]);
    await user.click(screen.getByRole('button', { name: 'Cerrar la lista de casos' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    // SLA missed: from the compliance card.
    await user.click(within(screen.getByTestId('stat-resolution')).getByRole('button', { name: 'Ver los casos: Solución fuera del ANS' }));
    await screen.findByRole('dialog', { name: 'Casos: Solución fuera del ANS' });
    expect(lastQuery(stub, 'cases').get('measure')).toBe('resolution_missed');
  });

  test('says when the period has no cases; a supervisor of one desk gets no desk choice', async () => {
    setup('/reports', { summary: zeroSummary, desks: [desk, otherDesk] });
    expect(await screen.findByText('No hay casos en este periodo', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByLabelText('Mesa')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    // The quarterly report stays available.
    expect(screen.getByRole('button', { name: 'Descargar PDF' })).toBeTruthy();
  });

  test('the quarterly report and a CSV are fetched with the session and saved', async () => {
    const { stub, user } = setup('/reports?from=2026-11-01&to=2026-11-30');
    const saved: string[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved.push(this.download);
    };
    try {
      const quarter = await screen.findByLabelText('Trimestre', {}, { timeout: 10_000 });
      await screen.findByTestId('stat-opened-value');
      await user.selectOptions(quarter, '3');
      await user.selectOptions(screen.getByLabelText('Año'), '2026');
      await user.click(screen.getByRole('button', { name: 'Descargar PDF' }));
      await waitFor(() => expect(saved).toEqual(['informe-TIC-2026-T3.pdf']));
      const request = stub.calls('GET /api/v1/reports/quarterly').at(-1)!;
      const q = new URL(request.url).searchParams;
      expect([new URL(request.url).pathname, q.get('desk'), q.get('year'), q.get('quarter'), q.get('format')]).toEqual(['/api/v1/reports/quarterly', desk.id, '2026', '3', 'pdf']);
      expect(request.headers.get('Authorization')).toBe('Bearer access-1');

      await user.click(screen.getByRole('button', { name: 'Descargar en CSV: Volumen de casos' }));
      await waitFor(() => expect(saved).toEqual(['informe-TIC-2026-T3.pdf', 'volumen-2026-11-01-2026-11-30.csv']));
      const csv = new URL(stub.requests.filter((r) => new URL(r.url).searchParams.get('format') === 'csv').at(-1)!.url);
      expect([csv.pathname, csv.searchParams.get('format'), csv.searchParams.get('from')]).toEqual(['/api/v1/reports/volume', 'csv', '2026-11-01']);
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
  });
});
