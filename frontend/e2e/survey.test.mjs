// @ts-check
// Closure by the requester's verdict (issue 17) in the browser: the requester follows the
// survey's link without logging in, on a phone, rates the solution badly, and the agent finds
// the case back in their queue as "Abierto por encuesta". Until the solution mail is wired, the
// link is the one the requester's case offers through the API (the same the mail will carry).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AGENT,
  BASE_URL,
  REQUESTER,
  assertBackendUp,
  call,
  findService,
  launchBrowser,
  login,
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

describe('satisfaction survey', { timeout: 180_000 }, () => {
  test('a bad rating through the link puts the case back in the agent’s queue as reopened by survey', async () => {
    // The requester asks, the agent of her secretariat solves it.
    const requester = await tokenFor(REQUESTER);
    const agent = await tokenFor(AGENT);
    const desks = await call('/desks', { token: requester });
    const tic = desks.find((/** @type {any} */ d) => d.name === 'Tecnologías de la Información');
    const tree = await call(`/desks/${tic.id}/catalog`, { token: requester });
    const service = findService(tree, 'Configuración de ofimática y correo');
    assert.ok(service, 'the demo catalog has the service');
    const ticket = await call('/tickets', {
      token: requester,
      method: 'POST',
      body: { service_id: service.id, subject: 'Outlook no sincroniza (encuesta)', description: 'El correo no llega desde ayer.' },
    });
    await call(`/tickets/${ticket.number}/take`, { token: agent, method: 'POST', body: {} });
    await call(`/tickets/${ticket.number}/resolve`, { token: agent, method: 'POST', body: { solution: 'Se recreó el perfil de Outlook.' } });
    const survey = await call(`/tickets/${ticket.number}/survey`, { token: requester });
    assert.equal(survey.state, 'pending');
    const link = new URL(survey.link);

    // The link opens without a session, on a phone.
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await page.goto(`${BASE_URL}${link.pathname}`);
      await page.getByRole('heading', { level: 1, name: 'Encuesta de satisfacción' }).waitFor();
      await page.getByText('Se recreó el perfil de Outlook.').waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'axe on the survey page');
      await screenshot(page, '50-survey-phone');
      const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(scrolls, false, 'no sideways scrolling on a phone');

      await page.getByRole('radio', { name: '1 · Muy insatisfecho' }).check();
      await page.getByRole('radio', { name: 'No', exact: true }).check();
      await page.getByLabel(/^Comentarios/).fill('Sigue sin llegar el correo.');
      const answered = page.waitForResponse((r) => r.url().includes('/api/v1/surveys/') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Enviar calificación' }).click();
      assert.equal((await answered).status(), 200);
      await page.getByText(/Su caso fue reabierto/).waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'axe after answering');
    } finally {
      await context.close();
    }

    // The agent finds it back in their queue, marked "Abierto por encuesta".
    const staff = await newPage(browser);
    try {
      await login(staff.page, AGENT);
      await staff.page.goto(`${BASE_URL}/queues?view=mine`);
      const row = staff.page.getByRole('listitem').filter({ hasText: `#${ticket.number} · Outlook no sincroniza (encuesta)` });
      await row.waitFor();
      await row.getByText('Abierto por encuesta').waitFor();
      await screenshot(staff.page, '51-queue-reopened-by-survey');
      await row.getByRole('link').click();
      await staff.page.getByText('Sigue sin llegar el correo.').first().waitFor();
    } finally {
      await staff.context.close();
    }
  });
});
