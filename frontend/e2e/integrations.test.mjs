// @ts-check
// Integrations in the browser: an administrator creates an API token with one scope, sees its
// secret once, uses it against the API, revokes it in the page and the same call is refused;
// then subscribes a webhook (a loopback URL is refused at its field by the SSRF guard first),
// sends a test event and sees its delivery in the log. axe and a screenshot on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, PASSWORD, USERNAME, assertBackendUp, checkPage, launchBrowser, login } from './support.mjs';

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const RUN = Date.now().toString(36);
const TOKEN_NAME = `Script de prueba ${RUN}`;
// A host name is accepted when saved (names are checked after DNS resolution, at delivery);
// `.invalid` never resolves (RFC 6761), so the delivery fails without reaching anyone.
const HOOK_URL = `https://hooks-${RUN}.example.invalid/mesa`;

/**
 * GET /api/v1/me with a bearer token: the status.
 * @param {string} token
 */
async function meStatus(token) {
  const response = await fetch(`${BASE_URL}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('integrations: API tokens and webhooks', { timeout: 240_000 }, () => {
  test('an administrator creates an API token, uses it, revokes it in the page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await login(page, USERNAME, PASSWORD);
      await page.getByRole('button', { name: /^Menú de usuario de/ }).click();
      await page.getByRole('menuitem', { name: 'Mis tokens de API' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mis tokens de API' }).waitFor();
      // An administrator may grant every scope, `admin` included.
      await page.getByRole('checkbox', { name: 'admin', exact: true }).waitFor();

      await page.getByLabel(/^Nombre/).fill(TOKEN_NAME);
      await page.getByRole('checkbox', { name: 'profile:read', exact: true }).check();
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/api-tokens') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear el token' }).click();
      const createdResponse = await created;
      assert.equal(createdResponse.status(), 201, await createdResponse.text());

      // The secret, once, with the warning and a copy button.
      const secretBox = page.getByRole('region', { name: 'Copie el token ahora' });
      await secretBox.getByText(/única vez que Mesa muestra el token completo/).waitFor();
      await secretBox.getByRole('button', { name: 'Copiar' }).waitFor();
      const secret = await secretBox.getByLabel(`Token nuevo: ${TOKEN_NAME}`).inputValue();
      assert.match(secret, /^mesa_[A-Za-z0-9_-]{43}$/);
      const row = page.getByRole('table', { name: 'Sus tokens de API, los más recientes primero' }).getByRole('row').filter({ hasText: TOKEN_NAME });
      await row.getByText('Activo').waitFor();
      await row.getByText(secret.slice(0, 12)).waitFor();
      await checkPage(page, '90-api-tokens');

      // The token works within its scope.
      assert.equal(await meStatus(secret), 200);
      // Put away, it is nowhere on the page any more.
      await secretBox.getByRole('button', { name: 'Ya lo guardé' }).click();
      await secretBox.waitFor({ state: 'detached' });
      assert.equal((await page.content()).includes(secret), false);

      await row.getByRole('button', { name: `Revocar el token ${TOKEN_NAME}` }).click();
      const dialog = page.getByRole('dialog', { name: `¿Revocar el token «${TOKEN_NAME}»?` });
      const revoked = page.waitForResponse((r) => /\/api\/v1\/api-tokens\/[^/]+$/.test(r.url()) && r.request().method() === 'DELETE');
      await dialog.getByRole('button', { name: 'Revocar' }).click();
      assert.equal((await revoked).status(), 204);
      await page.getByText(`El token «${TOKEN_NAME}» fue revocado.`).waitFor();
      await row.getByText('Revocado').waitFor();
      assert.equal(await meStatus(secret), 401);

      // The administrators' list of every token shows it too, with whom it acts as.
      await page.goto(`${BASE_URL}/admin/api-tokens`);
      await page.getByRole('heading', { level: 1, name: 'Tokens de API' }).waitFor();
      const all = page.getByRole('table', { name: 'Tokens de API de todas las personas, los más recientes primero' });
      await all.getByRole('row').filter({ hasText: TOKEN_NAME }).getByText('Revocado').waitFor();
      await checkPage(page, '91-admin-api-tokens');
    } finally {
      await context.close();
    }
  });

  test('an administrator subscribes a webhook, sends a test event and reads its delivery log', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/webhooks`);
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Webhooks' }).waitFor();
      await page.getByRole('region', { name: 'Cómo verifica el receptor la firma' }).getByText(/300 segundos/).waitFor();

      // The SSRF guard refuses a loopback address when saving; the page says why, at the URL.
      const url = page.getByLabel(/^URL/);
      await url.fill('http://127.0.0.1:9/hook');
      await page.getByRole('checkbox', { name: /^Caso registrado/ }).check();
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/webhooks') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear el webhook' }).click();
      const refusedResponse = await refused;
      assert.equal(refusedResponse.status(), 422);
      const problem = await refusedResponse.json();
      assert.deepEqual(problem.errors.map((/** @type {{ field: string, code: string }} */ e) => [e.field, e.code]), [['url', 'forbidden_address']]);
      await page.getByText(/^Mesa no envía a esta dirección/).waitFor();
      assert.equal(await url.getAttribute('aria-invalid'), 'true');
      await checkPage(page, '92-admin-webhooks-refused');

      await url.fill(HOOK_URL);
      await page.getByLabel(/^Descripción/).fill('Prueba de extremo a extremo');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/webhooks') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear el webhook' }).click();
      const createdResponse = await created;
      assert.equal(createdResponse.status(), 201, await createdResponse.text());
      const hook = await createdResponse.json();
      const secretBox = page.getByRole('region', { name: 'Copie el secreto de firma ahora' });
      assert.equal(await secretBox.getByLabel('Secreto de firma').inputValue(), hook.secret);
      assert.match(hook.secret, /^whsec_[0-9a-f]{64}$/);
      const listed = page.getByRole('table', { name: 'Webhooks, los más antiguos primero' }).getByRole('link', { name: HOOK_URL });
      await listed.waitFor();

      await listed.click();
      await page.getByRole('heading', { level: 1, name: HOOK_URL }).waitFor();
      // The secret is not shown again.
      assert.equal((await page.content()).includes(hook.secret), false);
      const queued = page.waitForResponse((r) => r.url().endsWith(`/api/v1/webhooks/${hook.id}/test`));
      await page.getByRole('button', { name: 'Enviar un evento de prueba' }).click();
      assert.equal((await queued).status(), 201);
      await page.getByText('Evento de prueba (ping) en cola: aparecerá en el registro de entregas.').waitFor();
      const log = page.getByRole('table', { name: 'Entregas de este webhook, las más recientes primero' });
      const ping = log.getByRole('row').filter({ hasText: 'Evento de prueba' });
      await ping.waitFor();
      // The delivery job (every 5 s) tries it: the host never resolves, so the attempt is
      // recorded with its error, whatever state that leaves it in.
      await ping.getByText(/^Último intento:/).waitFor({ timeout: 60_000 });
      const text = (await ping.textContent()) ?? '';
      assert.match(text, /Pendiente|Enviando|Fallida|Entregada/);
      assert.match(text, /1 de 10|[2-9] de 10|10 de 10/);
      await checkPage(page, '93-admin-webhook');
    } finally {
      await context.close();
    }
  });
});
