// @ts-check
// The seeds' workflow in the browser: a requester files a request from the catalog (TIC >
// Soporte Técnico CTO > Soporte virtual o en sitio) with an attachment and sees its number at
// once and in "Mis solicitudes"; Hacienda's first-level agent takes it, writes a private note
// and escalates it to level 2; the specialist takes it (keyboard shortcut) and resolves it;
// the requester reads the solution and accepts it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AGENT,
  PNG_1X1,
  REQUESTER,
  SPECIALIST,
  assertBackendUp,
  launchBrowser,
  login,
  navigate,
  newPage,
  screenshot,
  seriousViolations,
} from './support.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
/** The case filed by the first test, worked by the next ones. */
let number = 0;

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Opens a category or selects a service by clicking its row in the catalog tree.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function treeItem(page, name) {
  const item = page.getByRole('treeitem', { name, exact: true });
  await item.locator(':scope > div').click();
  // A category opens (aria-expanded), a service is selected (aria-selected).
  await page
    .locator('[role="treeitem"][aria-expanded="true"], [role="treeitem"][aria-selected="true"]')
    .filter({ has: page.locator(`:scope > div :text-is(${JSON.stringify(name)})`) })
    .waitFor();
  return item;
}

describe('a request from the catalog to its solution', { timeout: 180_000 }, () => {
  test('catalog → service → form with attachment → number', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, REQUESTER);
      await screenshot(page, '10-requester-home');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the home page inside the shell');

      await navigate(page, 'Nueva solicitud');
      await page.getByRole('heading', { level: 1, name: 'Nueva solicitud' }).waitFor();
      // Several desks: pick the TIC desk first when asked.
      const ticDesk = page.getByRole('radio', { name: /Tecnologías de la Información/ });
      const tree = page.getByRole('tree', { name: 'Catálogo de servicios' });
      await ticDesk.or(tree).first().waitFor();
      if (await ticDesk.count()) {
        await screenshot(page, '10b-catalog-desks');
        assert.deepEqual(await seriousViolations(page), [], 'axe on the desk choice');
        await ticDesk.click();
      }
      await tree.waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'axe on the catalog');

      // The seeds' walk: "+" on TIC, "+" on Soporte Técnico CTO, then the service.
      const tic = await treeItem(page, 'TIC');
      assert.equal(await tic.getAttribute('aria-expanded'), 'true');
      assert.match((await tic.locator(':scope > div').textContent()) ?? '', /^−/);
      await treeItem(page, 'Soporte Técnico CTO');
      const service = await treeItem(page, 'Soporte virtual o en sitio');
      assert.equal(await service.getAttribute('aria-selected'), 'true');
      const details = page.getByRole('region', { name: 'Soporte virtual o en sitio' });
      await details.getByText('2 horas y media').waitFor();
      await details.getByText(/Lunes a viernes/).waitFor();
      await screenshot(page, '11-catalog-service-selected');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the catalog with a service selected');

      // Keyboard: Home, then arrows, reach the tree items.
      await tic.focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(
        await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby') !== null),
        true,
      );

      // Accent-insensitive search.
      await page.getByLabel(/^Buscar un servicio/).fill('escaner');
      const results = page.getByRole('list', { name: 'Servicios encontrados' });
      await results.getByRole('button', { name: /Configuración de impresora o escáner/ }).waitFor();
      await screenshot(page, '12-catalog-search');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the search results');
      await page.getByLabel(/^Buscar un servicio/).fill('');

      await details.getByRole('link', { name: 'Solicitar' }).click();
      await page.getByRole('heading', { level: 1, name: 'Solicitud: Soporte virtual o en sitio' }).waitFor();

      // Nothing filled: the summary lists the problems and takes the focus.
      await page.getByRole('button', { name: 'Registrar solicitud' }).click();
      const summary = page.getByRole('alert');
      await summary.getByText(/Revise los \d+ datos marcados/).waitFor();
      assert.match((await summary.textContent()) ?? '', /Asunto: Este dato es obligatorio\./);
      assert.match((await summary.textContent()) ?? '', /Modalidad de atención/);
      await screenshot(page, '13-request-form-errors');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the form with errors');

      await page.getByLabel(/^Asunto/).fill('El computador no enciende');
      await page
        .getByLabel(/^Descripción/)
        .fill('Desde esta mañana el equipo de la taquilla 3 no enciende. Piso 2, extensión 1234.');
      await page.getByLabel(/^Teléfono de contacto/).fill('602 555 0101');
      await page.getByLabel(/^Modalidad de atención/).selectOption('en_sitio');
      await page.getByLabel(/^Placa de inventario del equipo/).fill('AC-004512');
      const extra = page.getByRole('group', { name: /Otros archivos adjuntos/ });
      await extra.locator('input[type="file"]').setInputFiles({
        name: 'pantallazo.png',
        mimeType: 'image/png',
        buffer: PNG_1X1,
      });
      await extra.getByText('pantallazo.png').waitFor();
      await screenshot(page, '14-request-form-filled');

      const created = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Registrar solicitud' }).click();
      const response = await created;
      assert.equal(response.status(), 201, await response.text());
      const ticket = await response.json();
      number = ticket.number;
      await page.getByRole('heading', { level: 2, name: `Caso #${ticket.number} registrado` }).waitFor();
      const link = page.getByRole('link', { name: `Ver el caso #${ticket.number}` });
      assert.equal(await link.getAttribute('href'), `/tickets/${ticket.number}`);
      await screenshot(page, '15-request-created');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the confirmation');

      // "Mis solicitudes" lists it with its status.
      await navigate(page, 'Mis solicitudes');
      await page.getByRole('heading', { level: 1, name: 'Mis solicitudes' }).waitFor();
      const list = page.getByRole('list', { name: 'Mis solicitudes' });
      const row = list.getByRole('listitem').filter({ hasText: `#${number} · El computador no enciende` });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Asignada/);
      await screenshot(page, '16-my-requests');
      assert.deepEqual(await seriousViolations(page), [], 'axe on Mis solicitudes');

      // Its page: the attachment, the timeline; nobody works on it yet, so it can be cancelled.
      await row.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: `Caso #${number}: El computador no enciende` }).waitFor();
      await page.getByRole('button', { name: 'Descargar pantallazo.png' }).waitFor();
      await page.getByRole('button', { name: 'Cancelar el caso' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Actualización del usuario' }).waitFor();
      await screenshot(page, '17-ticket-requester');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the ticket page (requester)');
    } finally {
      await context.close();
    }
  });

  test('the first-level agent takes it, writes a private note and escalates it to level 2', async () => {
    assert.ok(number > 0, 'the first test filed a case');
    const { context, page } = await newPage(browser);
    try {
      await login(page, AGENT);
      await navigate(page, 'Bandejas');
      await page.getByRole('heading', { level: 1, name: 'Bandejas' }).waitFor();
      const mine = page.getByRole('tab', { name: /Asignadas a mí/ });
      assert.equal(await mine.getAttribute('aria-selected'), 'true');
      const row = page.getByRole('list', { name: 'Asignadas a mí' }).getByRole('listitem').filter({ hasText: `#${number} ·` });
      await row.waitFor();
      await screenshot(page, '20-agent-queues');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the queues');

      await row.getByRole('link').click();
      await page.getByRole('heading', { level: 1, name: new RegExp(`^Caso #${number}:`) }).waitFor();
      await page.getByRole('button', { name: /^Tomar/ }).click();
      await page.getByRole('status').filter({ hasText: 'Tomó el caso #' }).waitFor();
      await page.locator('.mantine-Badge-root', { hasText: 'En curso' }).first().waitFor();

      // A private follow-up, clearly marked as such.
      await page.getByRole('radio', { name: /^Privado/ }).check();
      await page.getByRole('textbox', { name: /^Texto del seguimiento/ }).fill('Revisé remotamente: la fuente de poder no responde. Se requiere especialista.');
      await page.getByRole('button', { name: 'Agregar seguimiento privado' }).click();
      await page.getByText('Seguimiento agregado.').waitFor();
      const note = page.getByRole('list', { name: 'Seguimiento' }).getByRole('listitem').filter({ hasText: 'fuente de poder' });
      await note.getByText('Privado · solo agentes').waitFor();

      await page.getByRole('button', { name: /^Escalar/ }).click();
      const dialog = page.getByRole('dialog', { name: `Escalar el caso #${number}` });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel(/^Nivel de destino/).inputValue(), '2');
      await dialog.getByLabel(/^Grupo de soporte/).selectOption({ label: 'Especialistas Infraestructura - Nivel 2' });
      await dialog.getByLabel(/^Motivo del escalamiento/).fill('Falla de hardware: requiere cambio de la fuente de poder.');
      await screenshot(page, '21-agent-escalate-dialog');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the escalation dialog');
      await dialog.getByRole('button', { name: 'Escalar' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('escaló el caso al nivel 2').waitFor();
      await page.getByRole('tab', { name: 'Historial (auditoría)' }).click();
      await page.getByRole('table').getByText(/Falla de hardware/).first().waitFor();
      await screenshot(page, '22-agent-audit-trail');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the audit trail');
    } finally {
      await context.close();
    }
  });

  test('the specialist takes it with the keyboard and resolves it', async () => {
    assert.ok(number > 0, 'the first test filed a case');
    const { context, page } = await newPage(browser);
    try {
      await login(page, SPECIALIST);
      await page.goto(`${page.url().replace(/\/$/, '')}/tickets/${number}`);
      await page.getByRole('heading', { level: 1, name: new RegExp(`^Caso #${number}:`) }).waitFor();
      await page.getByRole('button', { name: /^Tomar/ }).waitFor();
      await page.locator('body').press('t');
      await page.getByRole('status').filter({ hasText: 'Tomó el caso #' }).waitFor();

      await page.locator('body').press('r');
      const dialog = page.getByRole('dialog', { name: `Resolver el caso #${number}` });
      await dialog.waitFor();
      await dialog.getByLabel(/^Solución/).fill('Se reemplazó la fuente de poder del equipo AC-004512; enciende y funciona con normalidad.');
      await dialog.getByLabel(/^Tipo de solución/).selectOption('on_site');
      await dialog.getByRole('button', { name: 'Resolver' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.locator('.mantine-Badge-root', { hasText: 'Resuelta' }).first().waitFor();
      await screenshot(page, '23-specialist-resolved');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the resolved case (staff)');
    } finally {
      await context.close();
    }
  });

  test('the requester reads the solution and accepts it', async () => {
    assert.ok(number > 0, 'the first test filed a case');
    const { context, page } = await newPage(browser);
    try {
      await login(page, REQUESTER);
      await navigate(page, 'Mis solicitudes');
      const row = page.getByRole('list', { name: 'Mis solicitudes' }).getByRole('listitem').filter({ hasText: `#${number} ·` });
      await row.getByText('Resuelta').waitFor();
      await row.getByRole('link').click();
      const solution = page.getByRole('alert').filter({ hasText: 'Solución' });
      await solution.getByText(/Se reemplazó la fuente de poder/).waitFor();
      // The private note never reaches the requester.
      assert.equal(await page.getByText('fuente de poder no responde').count(), 0);
      await screenshot(page, '24-requester-solution');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the resolved case (requester)');

      await page.getByRole('button', { name: 'Aceptar la solución' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Aceptar y cerrar' }).click();
      await page.locator('.mantine-Badge-root', { hasText: 'Cerrada' }).first().waitFor();
    } finally {
      await context.close();
    }
  });
});
