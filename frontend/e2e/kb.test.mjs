// @ts-check
// The knowledge base in the browser (issue 19): a requester typing a new request's subject is
// offered the demo's printer article, opens it over the form and leaves without filing (a
// deflection); an agent proposes a case's solution as an article and the desk's supervisor
// publishes it from the review queue. axe on every screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AGENT,
  BASE_URL,
  MANAGER,
  REQUESTER,
  assertBackendUp,
  call,
  findService,
  launchBrowser,
  login,
  navigate,
  newPage,
  screenshot,
  seriousViolations,
  tokenFor,
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

/** @param {string} token @param {string} name */
async function ticService(token, name) {
  const desks = await call('/desks', { token });
  const tic = desks.find((/** @type {any} */ d) => d.name === 'Tecnologías de la Información');
  const service = findService(await call(`/desks/${tic.id}/catalog`, { token }), name);
  assert.ok(service, `the demo catalog has ${name}`);
  return service;
}

describe('knowledge base', { timeout: 180_000 }, () => {
  test('self-help: the printer article is suggested while filing, and leaving the form counts a deflection', async () => {
    const service = await ticService(await tokenFor(REQUESTER), 'Configuración de impresora o escáner');
    const { context, page } = await newPage(browser);
    try {
      await login(page, REQUESTER);
      await page.goto(`${BASE_URL}/requests/new/${service.id}`);
      await page.getByLabel(/^Asunto/).pressSequentially('impresora no imprime', { delay: 30 });
      const region = page.getByRole('region', { name: 'Quizás esto le ayude antes de enviar la solicitud' });
      const suggestion = region.getByRole('button', { name: /La impresora no imprime: cola atascada/ });
      await suggestion.waitFor();
      assert.match((await region.getByRole('button').first().textContent()) ?? '', /La impresora no imprime: cola atascada/, 'the printer article comes first');
      assert.deepEqual(await seriousViolations(page), [], 'axe with the suggestions');
      await screenshot(page, '60-kb-suggestions');

      const viewed = page.waitForResponse((r) => /\/api\/v1\/kb\/articles\/[^/]+\/views$/.test(r.url()));
      await suggestion.click();
      assert.equal((await viewed).status(), 201);
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Cancelar todos los documentos').waitFor();
      await page.waitForTimeout(500); // the dialog's opening transition, which axe would see half-faded
      assert.deepEqual(await seriousViolations(page), [], 'axe on the article over the form');
      await dialog.getByRole('button', { name: 'Sí' }).click();
      await dialog.getByText('Gracias por su respuesta.').waitFor();
      await dialog.getByRole('button', { name: 'Cerrar' }).last().click();

      // The request is not filed: leaving the form reports the deflection.
      const deflected = page.waitForResponse((r) => /\/api\/v1\/kb\/views\/[^/]+\/deflection$/.test(r.url()));
      await navigate(page, 'Mis solicitudes');
      assert.equal((await deflected).status(), 204);
    } finally {
      await context.close();
    }
  });

  test('an agent proposes a solution as an article and the supervisor publishes it', async () => {
    const requester = await tokenFor(REQUESTER);
    const agent = await tokenFor(AGENT);
    const service = await ticService(requester, 'Configuración de impresora o escáner');
    const title = `El escáner guarda los PDF en blanco (${Date.now()})`;
    const ticket = await call('/tickets', {
      token: requester,
      method: 'POST',
      body: { service_id: service.id, subject: title, description: 'Al escanear, el PDF sale con páginas en blanco.', fields: { impresora: 'Multifuncional piso 3' } },
    });
    await call(`/tickets/${ticket.number}/take`, { token: agent, method: 'POST', body: {} });
    await call(`/tickets/${ticket.number}/resolve`, { token: agent, method: 'POST', body: { solution: '1. Se limpió el vidrio del escáner\n2. Se ajustó la resolución a 300 ppp' } });

    const staff = await newPage(browser);
    try {
      await login(staff.page, AGENT);
      await staff.page.goto(`${BASE_URL}/tickets/${ticket.number}`);
      await staff.page.getByRole('button', { name: 'Proponer la solución como artículo' }).click();
      const dialog = staff.page.getByRole('dialog');
      assert.equal(await dialog.getByLabel(/^Nombre de la solución/).inputValue(), title, 'prefilled from the case');
      assert.match(await dialog.getByLabel(/^Pasos de la solución/).inputValue(), /vidrio del escáner/);
      await staff.page.waitForTimeout(500);
      assert.deepEqual(await seriousViolations(staff.page), [], 'axe on the proposal');
      await dialog.getByRole('button', { name: 'Enviar a revisión' }).click();
      await staff.page.getByText('Artículo enviado a revisión.').waitFor();
      await screenshot(staff.page, '61-kb-proposed');
    } finally {
      await staff.context.close();
    }

    const manager = await newPage(browser);
    try {
      await login(manager.page, MANAGER);
      await navigate(manager.page, 'Base de conocimiento');
      await manager.page.getByRole('tab', { name: 'Por revisar' }).click();
      await manager.page.getByRole('link', { name: title }).click();
      await manager.page.getByRole('heading', { level: 1, name: title }).waitFor();
      await manager.page.getByText('En revisión').first().waitFor();
      assert.deepEqual(await seriousViolations(manager.page), [], 'axe on the article in review');
      await manager.page.getByRole('button', { name: 'Publicar' }).click();
      await manager.page.getByText('Publicado', { exact: true }).first().waitFor();
      await screenshot(manager.page, '62-kb-published');
    } finally {
      await manager.context.close();
    }

    // Published for everyone: the requester finds it in the knowledge base.
    const found = await call(`/kb/articles?q=${encodeURIComponent('escáner PDF blanco')}`, { token: requester });
    assert.ok(found.items.some((/** @type {any} */ a) => a.title === title), 'the requester reads the published article');
  });
});
