// @ts-check
// The supervisor's day in the browser (issue 18 items 6 and 7), against the real backend, as
// the TIC desk's demo supervisor: the desk's overview (totals, at risk, breached, unassigned, by
// group and by agent) and a reassignment to a named person from it; the queue table (a sorted
// column, the desk filter, a saved filter applied again after a reload, two cases assigned at
// once) and a case opened by its number. axe and a screenshot on each page. The cases are filed
// here, through the API, with this run's suffix: other e2e files share the database.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
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
/** A demo requester no other browser test files cases for (their routing is Education's). */
const REQUESTER = process.env.MESA_E2E_SCRATCH_REQUESTER ?? 'pedro.suarez';
const SERVICE = 'Configuración de ofimática y correo';
const DESK = 'Tecnologías de la Información';
const TARGET_GROUP = 'Mesa de servicios - Nivel 1';
const TARGET_AGENT = 'Andrés Agudelo (agente nivel 1)';

/** @type {{ number: number, subject: string }[]} */
const cases = [];
let deskId = '';
/** @type {string} */
let managerToken = '';

/**
 * The case numbers of a table's rows, top to bottom.
 * @param {import('playwright-core').Locator} table
 */
async function numbersOf(table) {
  const links = await table.locator('tbody tr td:nth-child(2) a').allTextContents();
  return links.map((text) => Number(text.replace('#', '')));
}

/**
 * Waits until a form control shows a value (React draws it just after the address changes).
 * @param {import('playwright-core').Locator} control
 * @param {string} value
 */
async function hasValue(control, value) {
  const deadline = Date.now() + 10_000;
  let last = await control.inputValue();
  while (last !== value && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await control.inputValue();
  }
  assert.equal(last, value, `value of ${control}`);
}

/**
 * Waits until a table shows rows in the given order of their numbers (it reloads after a sort
 * changes), then returns the numbers; fails with the last order seen.
 * @param {import('playwright-core').Locator} table
 * @param {(a: number, b: number) => number} order
 */
async function sortedRows(table, order) {
  const deadline = Date.now() + 15_000;
  let numbers = await numbersOf(table);
  while (Date.now() < deadline) {
    if (numbers.length > 1 && numbers.join() === [...numbers].sort(order).join()) return numbers;
    await new Promise((resolve) => setTimeout(resolve, 200));
    numbers = await numbersOf(table);
  }
  assert.fail(`rows not in order: ${numbers.join(', ')}`);
}

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
  // Three open cases of the TIC desk: one to reassign from the overview, two to assign at once.
  const requester = await tokenFor(REQUESTER);
  const tic = (await call('/desks', { token: requester })).find((/** @type {any} */ d) => d.code === 'TIC');
  deskId = tic.id;
  const service = findService(await call(`/desks/${tic.id}/catalog`, { token: requester }), SERVICE);
  for (const what of ['Outlook no sincroniza', 'Excel se cierra solo', 'Word no abre las plantillas']) {
    const subject = `${what} ${RUN}`;
    const ticket = await call('/tickets', {
      token: requester,
      method: 'POST',
      body: { service_id: service.id, subject, description: `${what} desde esta mañana.` },
    });
    cases.push({ number: ticket.number, subject });
  }
  managerToken = await tokenFor(MANAGER);
});

after(async () => {
  await browser?.close();
});

describe('the supervisor’s day', { timeout: 300_000 }, () => {
  test('the overview counts the desk’s cases by group and agent; one is reassigned to a person from it', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, MANAGER);
      await navigate(page, 'Supervisión');
      await page.getByRole('heading', { level: 1, name: 'Supervisión' }).waitFor();
      // The demo supervisor manages more than one desk (the first one shows): the TIC one.
      await page.getByTestId('total-open').waitFor();
      const deskSelect = page.getByLabel('Mesa', { exact: true });
      if (await deskSelect.count()) {
        await deskSelect.selectOption({ label: DESK });
        await page.waitForURL((url) => url.searchParams.get('desk') === deskId);
      }

      // The totals are the server's: read both until they agree (the page polls on its own).
      const keys = ['open', 'unassigned', 'at_risk', 'breached', 'on_hold'];
      let shown = {};
      let served = {};
      for (let attempt = 0; attempt < 20; attempt++) {
        served = (await call(`/desks/${deskId}/overview`, { token: managerToken })).totals;
        shown = Object.fromEntries(
          await Promise.all(keys.map(async (k) => [k, Number(await page.getByTestId(`total-${k}`).textContent())])),
        );
        if (keys.every((k) => /** @type {any} */ (shown)[k] === /** @type {any} */ (served)[k])) break;
        await page.reload();
        await page.getByTestId('total-open').waitFor();
      }
      assert.deepEqual(shown, Object.fromEntries(keys.map((k) => [k, /** @type {any} */ (served)[k]])));
      assert.ok(/** @type {any} */ (shown).open >= cases.length, 'this run’s cases are counted');

      // By group and by agent: the group that received this run's cases counts them.
      const first = await call(`/tickets/${cases[0].number}`, { token: managerToken });
      const byGroup = page.getByRole('table', { name: 'Por grupo' });
      const groupRow = byGroup.getByRole('row', { name: new RegExp(`^${first.assigned_group.name}`) });
      await groupRow.waitFor();
      assert.ok(Number(await groupRow.getByRole('cell').nth(1).textContent()) >= cases.length);
      const byAgent = page.getByRole('table', { name: 'Por agente' });
      if (first.assigned_agent) await byAgent.getByRole('row', { name: new RegExp(`^${first.assigned_agent.name.replace(/[()]/g, '\\$&')}`) }).waitFor();
      await byAgent.getByRole('row', { name: new RegExp(`^${TARGET_AGENT.replace(/[()]/g, '\\$&')}`) }).waitFor();
      await checkPage(page, '92-supervision-overview');

      // Reassign the first case to a named person of another group, from the overview's table.
      const table = page.getByRole('table', { name: `Casos abiertos de ${DESK}` });
      const row = table.getByRole('row').filter({ hasText: cases[0].subject });
      await row.getByRole('checkbox', { name: `Marcar el caso #${cases[0].number}` }).check();
      await page.getByRole('group', { name: 'Acciones sobre los casos marcados' }).getByRole('button', { name: 'Asignar' }).click();
      const dialog = page.getByRole('dialog', { name: 'Asignar 1 caso' });
      await dialog.getByLabel(/^Grupo de soporte/).selectOption({ label: TARGET_GROUP });
      const person = dialog.getByLabel(/^Persona/);
      const option = person.locator('option', { hasText: `${TARGET_AGENT} · disponible` });
      await option.waitFor({ state: 'attached' });
      await person.selectOption((await option.getAttribute('value')) ?? '');
      await checkPage(page, '93-supervision-reassign');
      const assign = page.waitForResponse((r) => r.url().endsWith(`/api/v1/tickets/${cases[0].number}/assign`));
      await dialog.getByRole('button', { name: 'Asignar' }).click();
      assert.equal((await assign).status(), 200);
      await page.getByText('Hecho en 1 de 1 caso.').waitFor();
      await row.getByText(TARGET_AGENT).waitFor();
      const after = await call(`/tickets/${cases[0].number}`, { token: managerToken });
      assert.equal(after.assigned_agent?.name, TARGET_AGENT);
      assert.equal(after.assigned_group?.name, TARGET_GROUP);
    } finally {
      await context.close();
    }
  });

  test('the queue table: sorted by a column, filtered by desk, a saved filter after a reload, two cases assigned at once, a case by number', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, MANAGER);
      await navigate(page, 'Bandejas');
      await page.getByRole('heading', { level: 1, name: 'Bandejas' }).waitFor();
      await page.getByRole('tab', { name: 'Vista de tabla' }).click();
      const filters = page.getByRole('region', { name: 'Filtros de la tabla' });
      await filters.getByLabel('Bandeja').selectOption({ label: 'Toda la mesa' });
      await filters.getByLabel('Mesa', { exact: true }).selectOption({ label: DESK });
      await page.waitForURL((url) => url.searchParams.get('f_desk_id') === deskId && url.searchParams.get('f_view') === 'all');
      const table = page.getByRole('table', { name: 'Casos de la bandeja' });
      await table.getByRole('row').filter({ hasText: cases[2].subject }).waitFor();

      // Sorted by number (by the server, over the whole list): up, then down. The table is drawn
      // again when the cases arrive in their new order.
      const numberHeader = table.getByRole('columnheader', { name: /^Número/ });
      await numberHeader.getByRole('button').click();
      await table.locator('th[aria-sort="ascending"]', { hasText: 'Número' }).waitFor();
      let numbers = await sortedRows(table, (a, b) => a - b);
      await numberHeader.getByRole('button').click();
      await table.locator('th[aria-sort="descending"]', { hasText: 'Número' }).waitFor();
      await table.getByRole('row').filter({ hasText: cases[2].subject }).waitFor();
      numbers = await sortedRows(table, (a, b) => b - a);
      assert.ok(numbers.indexOf(cases[2].number) < numbers.indexOf(cases[1].number));
      await checkPage(page, '94-queue-table');

      // A saved filter, kept in this browser: after a reload and "Quitar filtros", it applies again.
      const name = `TIC toda la mesa ${RUN}`;
      await filters.getByLabel('Guardar estos filtros como').fill(name);
      await filters.getByRole('button', { name: 'Guardar', exact: true }).click();
      await filters.getByRole('button', { name, exact: true }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Quitar filtros' }).click();
      await page.waitForURL((url) => !url.searchParams.get('f_desk_id'));
      await hasValue(filters.getByLabel('Mesa', { exact: true }), '');
      await filters.getByRole('button', { name, exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('f_desk_id') === deskId && url.searchParams.get('f_view') === 'all');
      await hasValue(filters.getByLabel('Mesa', { exact: true }), deskId);
      await hasValue(filters.getByLabel('Bandeja'), 'all');
      await table.getByRole('row').filter({ hasText: cases[1].subject }).waitFor();
      await checkPage(page, '95-queue-table-saved-filter');

      // Two cases assigned at once, each answered on its own.
      for (const c of cases.slice(1)) {
        await table.getByRole('checkbox', { name: `Marcar el caso #${c.number}` }).check();
      }
      const bulk = page.getByRole('group', { name: 'Acciones sobre los casos marcados' });
      await bulk.getByText('2 marcados').waitFor();
      await bulk.getByRole('button', { name: 'Asignar' }).click();
      const dialog = page.getByRole('dialog', { name: 'Asignar 2 casos' });
      await dialog.getByText(`Casos: #${cases[1].number}, #${cases[2].number}`, { exact: false }).or(dialog.getByText(`Casos: #${cases[2].number}, #${cases[1].number}`, { exact: false })).waitFor();
      await dialog.getByLabel(/^Grupo de soporte/).selectOption({ label: TARGET_GROUP });
      const person = dialog.getByLabel(/^Persona/);
      const option = person.locator('option', { hasText: `${TARGET_AGENT} · disponible` });
      await option.waitFor({ state: 'attached' });
      await person.selectOption((await option.getAttribute('value')) ?? '');
      await dialog.getByRole('button', { name: 'Asignar' }).click();
      await page.getByText('Hecho en 2 de 2 casos.').waitFor();
      for (const c of cases.slice(1)) {
        await table.getByRole('row').filter({ hasText: c.subject }).getByText(TARGET_AGENT).waitFor();
        const stored = await call(`/tickets/${c.number}`, { token: managerToken });
        assert.equal(stored.assigned_agent?.name, TARGET_AGENT);
        assert.equal(stored.assigned_group?.name, TARGET_GROUP);
      }
      await checkPage(page, '96-queue-table-bulk-assigned');

      // A case by its number.
      await page.getByRole('textbox', { name: 'Ir al caso número' }).fill(`#${cases[1].number}`);
      await page.getByRole('button', { name: 'Ir', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: `Caso #${cases[1].number}: ${cases[1].subject}` }).waitFor();
      await checkPage(page, '97-case-by-number');
    } finally {
      await context.close();
    }
  });

  test('the desk’s satisfaction survey results, by service and by period', async () => {
    // One of this run's cases solved by its agent (through the API): its survey is sent.
    const agent = await tokenFor('agente.n1');
    const number = cases[2].number;
    let ticket = await call(`/tickets/${number}`, { token: agent });
    ticket = await call(`/tickets/${number}/take`, { token: agent, method: 'POST', version: ticket.version });
    await call(`/tickets/${number}/resolve`, { token: agent, method: 'POST', version: ticket.version, body: { solution: 'Se reinstaló la plantilla normal de Word.' } });
    const served = await call(`/surveys/results?group_by=service&desk_id=${deskId}`, { token: managerToken });
    const mine = served.rows.find((/** @type {any} */ r) => r.name === SERVICE);
    assert.ok(mine && mine.sent >= 1, 'the solved case sent a survey');

    const { context, page } = await newPage(browser);
    try {
      await login(page, MANAGER);
      await navigate(page, 'Supervisión');
      await page.getByTestId('total-open').waitFor();
      const deskSelect = page.getByLabel('Mesa', { exact: true });
      if (await deskSelect.count()) {
        await deskSelect.selectOption({ label: DESK });
        await page.waitForURL((url) => url.searchParams.get('desk') === deskId);
      }
      await page.getByRole('tab', { name: 'Encuestas de satisfacción' }).click();
      await page.waitForURL((url) => url.searchParams.get('view') === 'surveys' && url.searchParams.get('desk') === deskId);
      const table = page.getByRole('table', { name: 'Resultados de las encuestas por servicio' });
      const row = table.getByRole('row', { name: new RegExp(`^${SERVICE}`) });
      // Sent, as the API counts them for the desk.
      await row.getByRole('cell').first().filter({ hasText: new RegExp(`^${mine.sent}$`) }).waitFor();
      await checkPage(page, '98-supervision-survey-results');

      await page.getByLabel('Agrupar por').selectOption('period');
      await page.getByRole('table', { name: 'Resultados de las encuestas por periodo' }).getByRole('rowheader').first().waitFor();
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('table', { name: 'Survey results by period' }).waitFor();
      await checkPage(page, '99-supervision-survey-results-en');
    } finally {
      await context.close();
    }
  });
});
