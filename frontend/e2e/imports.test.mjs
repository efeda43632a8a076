// @ts-check
// CSV imports in the browser: an administrator reviews an organizations file (one new
// organization: 1 to create), applies the same file and the organization exists in the API; then,
// on a phone, a users file with a password column is refused naming that column, and one with an
// unknown organization shows the error at its line and column while "Aplicar" stays disabled.
// axe and a screenshot on every state.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PASSWORD, USERNAME, assertBackendUp, call, checkPage, launchBrowser, login, newPage, tokenFor } from './support.mjs';

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
const ORG_NAME = `Secretaría de Movilidad ${RUN}`;
const ORG_CODE = `SMOV-${RUN}`;

/**
 * Chooses a CSV file in the page's file input.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {string} text
 */
async function chooseCsv(page, name, text) {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
}

/**
 * Clicks a button and waits for the import's answer.
 * @param {import('playwright-core').Page} page
 * @param {string} button
 * @param {'organizations' | 'areas' | 'users'} kind
 */
async function send(page, button, kind) {
  const answered = page.waitForResponse((r) => r.url().includes(`/api/v1/imports/${kind}?`) && r.request().method() === 'POST');
  await page.getByRole('button', { name: button, exact: true }).click();
  return answered;
}

/**
 * The texts of a table's body rows.
 * @param {import('playwright-core').Locator} table
 */
async function bodyRows(table) {
  return table.locator('tbody tr').allTextContents();
}

describe('CSV imports', { timeout: 240_000 }, () => {
  test('an administrator reviews an organizations file, applies it and the organization exists', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${page.url().replace(/\/$/, '')}/admin/imports`);
      await page.getByRole('heading', { level: 1, name: 'Importar desde CSV' }).waitFor();
      await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Importar (CSV)' }).waitFor();
      await page.getByText(/^El orden importa: primero las organizaciones/).waitFor();
      assert.equal(await page.getByRole('radio', { name: /^Organizaciones/ }).isChecked(), true);
      await page.getByRole('table', { name: 'Columnas que acepta la importación de Organizaciones' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Aplicar' }).isDisabled(), true);
      await checkPage(page, '95-admin-imports');

      // One new organization and one the demo data already has, as Excel's Spanish export writes them.
      const csv = `nombre;sigla;activo\n${ORG_NAME};${ORG_CODE};sí\nSecretaría de Hacienda;SHAC;sí\n`;
      await chooseCsv(page, 'organizaciones.csv', csv);
      const reviewed = await send(page, 'Revisar', 'organizations');
      assert.equal(reviewed.status(), 200, await reviewed.text());
      assert.match(reviewed.url(), /dry_run=true/);
      const review = await reviewed.json();
      assert.deepEqual(review.totals, { rows: 2, create: 1, update: 0, unchanged: 1, error: 0 });
      assert.equal(review.applied, false);

      await page.getByRole('heading', { level: 2, name: 'Revisión de «organizaciones.csv»' }).waitFor();
      await page.locator('#import-status').getByText('Revisión lista: 2 filas; 1 por crear, 0 por actualizar, 1 sin cambios y 0 con errores.').waitFor();
      const rows = page.getByRole('table', { name: 'Filas del archivo: línea, clave, resultado y detalle' });
      const created = rows.getByRole('row').filter({ hasText: ORG_NAME });
      await created.getByText('Por crear').waitFor();
      await created.getByText(`Sigla: ${ORG_CODE}`).waitFor();
      assert.equal((await bodyRows(rows)).length, 1); // the changes first: the unchanged row is filtered out
      const apply = page.getByRole('button', { name: 'Aplicar' });
      assert.equal(await apply.isEnabled(), true);
      await checkPage(page, '96-admin-imports-review');

      const appliedResponse = await send(page, 'Aplicar', 'organizations');
      assert.equal(appliedResponse.status(), 200, await appliedResponse.text());
      assert.match(appliedResponse.url(), /dry_run=false/);
      assert.equal(appliedResponse.request().headers()['content-type'], 'text/csv');
      // The same file (Chromium does not expose a file body): the same rows, now written.
      const result = await appliedResponse.json();
      assert.equal(result.applied, true);
      assert.deepEqual(result.totals, review.totals);
      assert.deepEqual(
        result.rows.map((/** @type {{ line: number, key: string, action: string }} */ r) => [r.line, r.key, r.action]),
        [[2, ORG_NAME, 'create'], [3, 'Secretaría de Hacienda', 'unchanged']],
      );
      await page.getByRole('heading', { level: 2, name: 'Importación aplicada: «organizaciones.csv»' }).waitFor();
      await created.getByText('Creado').waitFor();
      assert.equal(await apply.isDisabled(), true);
      await checkPage(page, '97-admin-imports-applied');

      const token = await tokenFor(USERNAME, PASSWORD);
      const found = await call(`/organizations?q=${encodeURIComponent(RUN)}`, { token });
      assert.deepEqual(
        found.items.map((/** @type {{ name: string, short_name: string | null, active: boolean }} */ o) => [o.name, o.short_name, o.active]),
        [[ORG_NAME, ORG_CODE, true]],
      );

      // The same file again: nothing left to write.
      const again = await send(page, 'Revisar', 'organizations');
      assert.deepEqual((await again.json()).totals, { rows: 2, create: 0, update: 0, unchanged: 2, error: 0 });
      await page.getByText('No hay nada que crear ni actualizar: el archivo coincide con lo que Mesa tiene guardado.').waitFor();
      assert.equal(await apply.isDisabled(), true);
    } finally {
      await context.close();
    }
  });

  test('on a phone, a users file with errors says where, and cannot be applied', async () => {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${page.url().replace(/\/$/, '')}/admin/imports`);
      await page.getByRole('heading', { level: 1, name: 'Importar desde CSV' }).waitFor();
      await page.getByRole('radio', { name: /^Personas/ }).check();
      await page.getByRole('table', { name: 'Columnas que acepta la importación de Personas' }).waitFor();

      // A password column refuses the whole file, naming it.
      await chooseCsv(page, 'personas.csv', `usuario;nombre;password\ne2e.clave.${RUN};Persona ${RUN};Secreta2026!\n`);
      const refused = await send(page, 'Revisar', 'users');
      assert.equal(refused.status(), 422);
      const problem = await refused.json();
      assert.deepEqual(problem.errors.map((/** @type {{ field: string, code: string }} */ e) => [e.field, e.code]), [['password', 'unknown_column']]);
      const alert = page.getByRole('alert').filter({ hasText: 'Mesa no pudo leer el archivo' });
      await alert.getByText(/^La columna «password» parece de contraseñas/).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Aplicar' }).isDisabled(), true);
      await checkPage(page, '98-admin-imports-password-phone');

      // Line 3 names an organization Mesa does not have.
      const csv = [
        'usuario;nombre;correo;organización',
        `e2e.bien.${RUN};Persona Bien ${RUN};;Secretaría de Hacienda`,
        `e2e.mal.${RUN};Persona Mal ${RUN};;Organismo Inexistente ${RUN}`,
        '',
      ].join('\n');
      await chooseCsv(page, 'personas-2.csv', csv);
      const reviewed = await send(page, 'Revisar', 'users');
      assert.equal(reviewed.status(), 200, await reviewed.text());
      const review = await reviewed.json();
      assert.deepEqual(review.totals, { rows: 2, create: 1, update: 0, unchanged: 0, error: 1 });
      await page.getByRole('heading', { level: 2, name: 'Revisión de «personas-2.csv»' }).waitFor();
      assert.equal(await page.getByLabel('Mostrar', { exact: true }).inputValue(), 'error');
      const rows = page.getByRole('table', { name: 'Filas del archivo: línea, clave, resultado y detalle' });
      assert.equal((await bodyRows(rows)).length, 1);
      const bad = rows.locator('tbody tr').first();
      assert.equal((await bad.locator('td').first().textContent())?.trim(), '3');
      await bad.getByText(`e2e.mal.${RUN}`).waitFor();
      await bad.getByText('Con errores').waitFor();
      await bad.getByText('«organización»: no existe en Mesa; impórtelo primero.').waitFor();
      const apply = page.getByRole('button', { name: 'Aplicar' });
      assert.equal(await apply.isDisabled(), true);
      await page.getByText('Corrija en el archivo las filas con errores y revíselo de nuevo para poder aplicarlo.').waitFor();
      // No sideways scrolling on a phone (the rows table scrolls inside its own box).
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
      await checkPage(page, '99-admin-imports-errors-phone');

      // Nothing was written: the review is a dry run.
      const token = await tokenFor(USERNAME, PASSWORD);
      assert.equal((await call(`/users?q=${encodeURIComponent(`e2e.bien.${RUN}`)}`, { token })).items.length, 0);
    } finally {
      await context.close();
    }
  });
});
