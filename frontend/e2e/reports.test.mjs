// @ts-check
// The supervisor's reports in the browser (issue 19 item 6), against the real backend, as the
// TIC desk's demo supervisor: the indicators match the API's, the charts are drawn (SVG bars and
// the backlog line) beside data tables with figures, a figure drills down to the cases it counts
// (each a link to its case), the filters live in the address and survive a reload, the quarterly
// report downloads as a real PDF, and the page works at a phone's width. The demo seed files no
// cases, so this run files its own (through the API, with a suffix: other files share the
// database) and solves one; the default period (the last 30 days) then has data. axe and a
// screenshot on each state.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL,
  MANAGER,
  assertBackendUp,
  call,
  checkPage,
  findService,
  launchBrowser,
  login,
  navigate,
  newPage,
  tokenFor,
} from './support.mjs';

/** @type {import('playwright-core').Browser} */
let browser;

const RUN = Date.now().toString(36);
const REQUESTER = process.env.MESA_E2E_SCRATCH_REQUESTER ?? 'pedro.suarez';
const SERVICE = 'Configuración de ofimática y correo';
const DESK = 'Tecnologías de la Información';

/** @type {{ number: number, subject: string }[]} */
const cases = [];
let deskId = '';
let managerToken = '';

/** es-CO digits ("1.234") as a number. @param {string | null} text */
const figure = (text) => Number((text ?? '').replace(/\./g, '').trim());

/**
 * Opens the reports for the TIC desk (the demo supervisor manages more than one).
 * @param {import('playwright-core').Page} page
 */
async function openReports(page) {
  await login(page, MANAGER);
  await navigate(page, 'Informes');
  await page.getByRole('heading', { level: 1, name: 'Informes' }).waitFor();
  const deskSelect = page.getByLabel('Mesa', { exact: true });
  await deskSelect.waitFor();
  await deskSelect.selectOption({ label: DESK });
  await page.waitForURL((url) => url.searchParams.get('desk') === deskId);
  await page.getByTestId('stat-opened-value').waitFor();
}

/**
 * Waits until the charts' SVG is drawn: bars (and, for the volume, the backlog line).
 * @param {import('playwright-core').Page} page
 */
async function chartsDrawn(page) {
  const volume = page.getByTestId('volume-chart');
  await volume.locator('svg .recharts-bar-rectangle path').first().waitFor();
  await volume.locator('svg .recharts-line path').first().waitFor();
  await page.getByTestId('sla-chart').locator('svg .recharts-bar-rectangle path').first().waitFor();
  await page.getByTestId('top-chart').locator('svg .recharts-bar-rectangle path').first().waitFor();
  return volume.locator('svg .recharts-bar-rectangle path').count();
}

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
  // Three cases of the TIC desk filed today, one of them solved.
  const requester = await tokenFor(REQUESTER);
  const tic = (await call('/desks', { token: requester })).find((/** @type {any} */ d) => d.code === 'TIC');
  deskId = tic.id;
  const service = findService(await call(`/desks/${tic.id}/catalog`, { token: requester }), SERVICE);
  for (const what of ['PowerPoint no abre presentaciones', 'Teams no comparte pantalla', 'OneDrive no sincroniza']) {
    const subject = `${what} ${RUN}`;
    const ticket = await call('/tickets', {
      token: requester,
      method: 'POST',
      body: { service_id: service.id, subject, description: `${what} desde ayer.` },
    });
    cases.push({ number: ticket.number, subject });
  }
  const agent = await tokenFor('agente.n1');
  let ticket = await call(`/tickets/${cases[0].number}`, { token: agent });
  ticket = await call(`/tickets/${cases[0].number}/take`, { token: agent, method: 'POST', version: ticket.version });
  await call(`/tickets/${cases[0].number}/resolve`, { token: agent, method: 'POST', version: ticket.version, body: { solution: 'Se reparó la instalación de Office.' } });
  managerToken = await tokenFor(MANAGER);
});

after(async () => {
  await browser?.close();
});

describe('the supervisor’s reports', { timeout: 300_000 }, () => {
  test('indicators as the API counts them, charts drawn beside tables with figures; a figure lists its cases', async () => {
    const { context, page } = await newPage(browser);
    try {
      await openReports(page);
      const served = await call(`/reports/summary?desk=${deskId}`, { token: managerToken });
      assert.ok(served.opened >= cases.length, 'this run’s cases are in the default period');
      assert.ok(served.resolved >= 1, 'and the solved one');
      assert.equal(figure(await page.getByTestId('stat-opened-value').textContent()), served.opened);
      assert.equal(figure(await page.getByTestId('stat-resolved-value').textContent()), served.resolved);
      assert.equal(figure(await page.getByTestId('stat-backlog-end-value').textContent()), served.backlog_end);

      assert.ok((await chartsDrawn(page)) > 0, 'the volume chart has bars');
      // Today's row of the volume table counts this run's cases.
      const volume = page.getByRole('table', { name: 'Volumen de casos por periodo' });
      const today = new Intl.DateTimeFormat('es-CO', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'America/Bogota' }).format(new Date());
      const todayRow = volume.getByRole('row', { name: new RegExp(`^${today}`) });
      assert.ok(figure(await todayRow.getByRole('cell').first().textContent()) >= cases.length, `registered on ${today}`);
      const sla = page.getByRole('table', { name: 'Cumplimiento del ANS por prioridad' });
      assert.ok((await sla.getByRole('row').count()) >= 2, 'a priority row');
      const top = page.getByRole('table', { name: 'Servicios con más casos' });
      const serviceRow = top.getByRole('row', { name: new RegExp(`^${SERVICE}`) });
      assert.ok(figure(await serviceRow.getByRole('cell').first().textContent()) >= cases.length);
      await checkPage(page, '100-reports');

      // The registered cases: the card's figure equals the rows listed (or a first page of 50).
      await page.getByTestId('stat-opened').click();
      const drawer = page.getByRole('dialog', { name: 'Casos: Registrados' });
      const list = drawer.getByRole('table', { name: 'Casos: Registrados' });
      await list.getByRole('link', { name: `Abrir el caso #${cases[2].number}` }).waitFor();
      const rows = await list.locator('tbody tr').count();
      assert.equal(rows, Math.min(served.opened, 50));
      for (const c of cases) await list.getByRole('row').filter({ hasText: c.subject }).waitFor();
      await page.waitForTimeout(500); // the drawer's opening transition, which axe would see half-faded
      await checkPage(page, '101-reports-drill-down');
      await drawer.getByRole('button', { name: 'Cerrar la lista de casos' }).click();
      await drawer.waitFor({ state: 'hidden' });

      // A service of the top table: its registered cases, each a link to the case page.
      await top.getByRole('button', { name: `Ver los casos: Registrados — ${SERVICE}` }).click();
      const byService = page.getByRole('dialog', { name: 'Casos: Registrados' });
      await byService.getByText(`Servicio: ${SERVICE}`, { exact: false }).waitFor();
      const servedByService = await call(`/reports/cases?measure=opened&desk=${deskId}&service=${(await call(`/reports/top?desk=${deskId}`, { token: managerToken })).rows.find((/** @type {any} */ r) => r.name === SERVICE).id}`, { token: managerToken });
      const link = byService.getByRole('link', { name: `Abrir el caso #${cases[0].number}` });
      await link.waitFor();
      assert.equal(await byService.locator('tbody tr').count(), servedByService.items.length);
      await link.click();
      await page.waitForURL(`${BASE_URL}/tickets/${cases[0].number}`);
      await page.getByRole('heading', { level: 1, name: new RegExp(`#${cases[0].number}`) }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('the filters are in the address and survive a reload; an SLA row lists the solved case', async () => {
    const { context, page } = await newPage(browser);
    try {
      await openReports(page);
      const solved = await call(`/tickets/${cases[0].number}`, { token: managerToken });
      const filters = page.getByRole('region', { name: 'Filtros' });
      await filters.getByLabel('Prioridad', { exact: true }).selectOption(solved.priority);
      await page.waitForURL((url) => url.searchParams.get('priority') === solved.priority);
      await filters.getByLabel('Periodo', { exact: true }).selectOption({ label: 'Últimos 7 días' });
      await page.waitForURL((url) => url.searchParams.has('from'));
      await page.reload();
      await page.getByTestId('stat-resolved-value').waitFor();
      assert.equal(await filters.getByLabel('Prioridad', { exact: true }).inputValue(), solved.priority);
      assert.equal(await filters.getByLabel('Periodo', { exact: true }).inputValue(), 'last_7');
      // Quick changes build on each other: the desk chosen first is still there.
      assert.equal(await filters.getByLabel('Mesa', { exact: true }).inputValue(), deskId);
      const url = new URL(page.url());
      const served = await call(`/reports/summary?${url.searchParams}`, { token: managerToken });
      assert.equal(figure(await page.getByTestId('stat-resolved-value').textContent()), served.resolved);

      const sla = page.getByRole('table', { name: 'Cumplimiento del ANS por prioridad' });
      await sla.getByRole('row').nth(1).getByRole('button').first().click();
      const drawer = page.getByRole('dialog', { name: 'Casos: Resueltos' });
      await drawer.getByRole('link', { name: `Abrir el caso #${cases[0].number}` }).waitFor();
      assert.equal(await drawer.locator('tbody tr').count(), served.resolved);
    } finally {
      await context.close();
    }
  });

  test('the quarterly report downloads as a PDF; a table as CSV', async () => {
    const { context, page } = await newPage(browser);
    try {
      await openReports(page);
      const quarterly = page.getByRole('region', { name: 'Informe trimestral' });
      await quarterly.getByLabel('Mesa del informe').selectOption({ label: DESK });
      const pdf = page.waitForEvent('download');
      await quarterly.getByRole('button', { name: 'Descargar PDF' }).click();
      const download = await pdf;
      assert.match(download.suggestedFilename(), /\.pdf$/);
      const bytes = await readFile(/** @type {string} */ (await download.path()));
      assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');

      const csv = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Descargar en CSV: Servicios con más casos' }).click();
      const csvDownload = await csv;
      assert.match(csvDownload.suggestedFilename(), /\.csv$/);
      const text = await readFile(/** @type {string} */ (await csvDownload.path()), 'utf8');
      assert.ok(text.includes(SERVICE), 'the CSV lists the service');
    } finally {
      await context.close();
    }
  });

  test('at a phone’s width, and in English', async () => {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await login(page, MANAGER);
      await page.goto(`${BASE_URL}/reports?desk=${deskId}`);
      await page.getByTestId('stat-opened-value').waitFor();
      await chartsDrawn(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
      await checkPage(page, '102-reports-mobile');
      await page.getByTestId('stat-opened').click();
      const drawer = page.getByRole('dialog', { name: 'Casos: Registrados' });
      await drawer.getByRole('link', { name: `Abrir el caso #${cases[2].number}` }).waitFor();
      await page.waitForTimeout(500);
      await checkPage(page, '103-reports-mobile-drill-down');
      await drawer.getByRole('button', { name: 'Cerrar la lista de casos' }).click();
      await drawer.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
      await page.getByRole('table', { name: 'Case volume per period' }).waitFor();
      await checkPage(page, '104-reports-en');
    } finally {
      await context.close();
    }
  });
});
