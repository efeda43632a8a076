// @ts-check
// The rest of the SPA in the browser: a phone call registered by a desk manager, the app on
// a phone-sized screen with its menu, and the request form in English.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  MANAGER,
  REQUESTER,
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

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Picks the TIC desk (when asked) and searches the catalog for a service, then asks for it.
 * @param {import('playwright-core').Page} page
 * @param {string} query
 * @param {RegExp} service
 * @param {RegExp} request the "Solicitar" / "Request" button
 */
async function pickService(page, query, service, request) {
  const desk = page.getByRole('radio', { name: /Tecnologías de la Información/ });
  const tree = page.getByRole('tree');
  await desk.or(tree).first().waitFor();
  if (await desk.count()) await desk.click();
  await tree.waitFor();
  await page.getByRole('searchbox').first().fill(query);
  await page.getByRole('button', { name: service }).first().click();
  await page.getByRole('link', { name: request }).click();
}

describe('staff workspace and responsive layout', { timeout: 180_000 }, () => {
  test('a desk manager registers a phone call in the name of the caller', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, MANAGER);
      await navigate(page, 'Registrar por teléfono');
      await page.getByRole('heading', { level: 1, name: 'Registrar por teléfono' }).waitFor();
      await pickService(page, 'no enciende', /Equipo no enciende/, /^Solicitar$/);
      await page.getByRole('heading', { level: 1, name: 'Registro telefónico: Equipo no enciende' }).waitFor();

      await page.getByLabel(/^Buscar al solicitante/).fill('lucia');
      await page.getByRole('radio', { name: /Lucía Martínez/ }).check();
      await page.getByText('El caso quedará a nombre de Lucía Martínez.').waitFor();
      await page.getByLabel(/^Asunto/).fill('Llamada: el equipo no enciende');
      await page.getByLabel(/^Descripción/).fill('La usuaria llama desde la extensión 1234: su equipo no enciende.');
      await page.getByLabel(/^Placa de inventario/).fill('AC-009911');
      await page.getByLabel(/^Tipo de equipo/).selectOption({ index: 1 });
      await screenshot(page, '30-register-phone-call');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the phone registration');

      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Registrar en nombre del solicitante' }).click();
      const response = await created;
      assert.equal(response.status(), 201, await response.text());
      const ticket = await response.json();
      assert.equal(ticket.channel, 'phone');
      assert.equal(ticket.requester.name, 'Lucía Martínez');
      await page.getByRole('heading', { level: 2, name: `Caso #${ticket.number} registrado` }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('on a phone the menu folds behind a button', async () => {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await login(page, REQUESTER);
      const burger = page.getByRole('button', { name: 'Mostrar u ocultar el menú' });
      assert.equal(await burger.getAttribute('aria-expanded'), 'false');
      await screenshot(page, '40-phone-home');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the phone layout');
      await burger.click();
      assert.equal(await burger.getAttribute('aria-expanded'), 'true');
      await page.waitForTimeout(400); // the drawer slides in
      await screenshot(page, '41-phone-menu-open');
      await navigate(page, 'Mis solicitudes');
      await page.getByRole('heading', { level: 1, name: 'Mis solicitudes' }).waitFor();
      assert.equal(await burger.getAttribute('aria-expanded'), 'false');
      await screenshot(page, '42-phone-my-requests');
      assert.deepEqual(await seriousViolations(page), [], 'axe on Mis solicitudes (phone)');
    } finally {
      await context.close();
    }
  });

  test('the catalog and the request form in English', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, REQUESTER);
      await page.getByRole('button', { name: 'English' }).click();
      await navigate(page, 'New request');
      await page.getByRole('heading', { level: 1, name: 'New request' }).waitFor();
      await pickService(page, 'soporte virtual', /Soporte virtual o en sitio/, /^Request$/);
      await page.getByLabel(/^Kind of support/).waitFor();
      await page.getByRole('button', { name: 'File request' }).click();
      await page.getByRole('alert').getByText(/Check the \d+ marked fields/).waitFor();
      await screenshot(page, '50-request-form-en');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the English form');
    } finally {
      await context.close();
    }
  });
});
