// @ts-check
// Browser smoke test of the SPA against a running backend with demo data:
//   MESA_BASE_URL=http://127.0.0.1:18080 MESA_E2E_USERNAME=admin MESA_E2E_PASSWORD=… npm run e2e
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL,
  PASSWORD,
  USERNAME,
  assertBackendUp,
  launchBrowser,
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
 * Opens the app at `/`; without a session the SPA sends the browser to /login.
 * @param {import('playwright-core').Page} page
 */
async function openLogin(page) {
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForURL(`${BASE_URL}/login`);
}

describe('login and home', { timeout: 120_000 }, () => {
  test('Spanish login page, admin logs in, English switch, logout', async () => {
    const { context, page } = await newPage(browser);
    try {
      await openLogin(page);

      // Spanish (Colombia) by default, with the directory-account hint.
      assert.equal(await page.getAttribute('html', 'lang'), 'es-CO');
      assert.equal(await page.title(), 'Mesa de servicios');
      await page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
      await page.getByText('nombre.apellido', { exact: false }).waitFor();
      await screenshot(page, '01-login-es');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the login page');

      // Keyboard: the username field is reachable with Tab.
      const username = page.getByLabel(/^Usuario/);
      let reached = false;
      for (let i = 0; i < 6 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await username.evaluate((element) => element === document.activeElement);
      }
      assert.ok(reached, 'the username field can be reached with the keyboard');

      await username.fill(USERNAME);
      await page.getByLabel(/^Contraseña/).fill(PASSWORD);
      const loginResponse = page.waitForResponse(
        (response) => response.url().endsWith('/api/v1/auth/login') && response.request().method() === 'POST',
      );
      await page.getByRole('button', { name: 'Ingresar' }).click();
      const response = await loginResponse;
      assert.equal(response.status(), 200, `login as ${USERNAME} should succeed`);
      const { user } = await response.json();

      // Home: greeting with the display name, in Spanish.
      await page.getByRole('heading', { level: 1, name: `Hola, ${user.display_name}` }).waitFor();
      await page.waitForURL(`${BASE_URL}/`);
      if (String(user.role).toLowerCase() === 'admin') await page.getByText('Rol: Administración').waitFor();
      await screenshot(page, '02-home-es');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the home page');

      // English, remembered on <html lang>.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: `Welcome, ${user.display_name}` }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await screenshot(page, '03-home-en');

      // Logout returns to the (English) login page and forgets the tokens.
      const logoutResponse = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
      await page.getByRole('button', { name: /^User menu of / }).click();
      await page.getByRole('menuitem', { name: 'Log out' }).click();
      assert.equal((await logoutResponse).status(), 204);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem('mesa.session')), null);
      await screenshot(page, '04-logged-out-en');

      // The language choice survives a new visit.
      await openLogin(page);
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a wrong password shows the Spanish error message', async () => {
    const { context, page } = await newPage(browser);
    try {
      await openLogin(page);
      await page.getByLabel(/^Usuario/).fill(USERNAME);
      await page.getByLabel(/^Contraseña/).fill(`${PASSWORD}-wrong`);
      await page.getByRole('button', { name: 'Ingresar' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match((await alert.textContent()) ?? '', /El usuario o la contraseña no son correctos\./);
      assert.equal(page.url(), `${BASE_URL}/login`);
      await screenshot(page, '05-login-wrong-password-es');
      assert.deepEqual(await seriousViolations(page), [], 'axe on the login error');
    } finally {
      await context.close();
    }
  });
});
