// @ts-check
// The administration's catalog editor and reference lists in the browser, as the local admin
// (issue 18 items 1 and 3): a category and a service with two form fields and a route for one
// organization, reordered and moved with the keyboard, the catalog exported; an organization,
// an area and a location. Every new page passes axe and is captured, on a desktop and a phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL,
  PASSWORD,
  USERNAME,
  assertBackendUp,
  launchBrowser,
  login,
  newPage,
  screenshot,
  seriousViolations,
} from './support.mjs';

/** @type {import('playwright-core').Browser} */
let browser;
const stamp = Date.now().toString(36).slice(-5);

before(async () => {
  await assertBackendUp();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * @param {import('playwright-core').Page} page
 * @param {string} where
 */
async function axe(page, where) {
  assert.deepEqual(await seriousViolations(page), [], `axe on ${where}`);
}

/**
 * Waits for the API call a click makes and checks its status.
 * @param {import('playwright-core').Page} page
 * @param {string} method
 * @param {RegExp} url
 * @param {() => Promise<unknown>} action
 * @param {number} status
 */
async function expectCall(page, method, url, action, status = 200) {
  const response = page.waitForResponse((r) => url.test(new URL(r.url()).pathname) && r.request().method() === method);
  await action();
  const r = await response;
  assert.equal(r.status(), status, `${method} ${r.url()}: ${await r.text()}`);
  return r;
}

/**
 * Creates a category or a service from the toolbar, inside whatever the dialog proposes.
 * @param {import('playwright-core').Page} page
 * @param {'Nueva categoría' | 'Nuevo servicio'} button
 * @param {string} name
 */
async function createNode(page, button, name) {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog', { name: button });
  await dialog.getByLabel(/^Nombre/).fill(name);
  const r = await expectCall(page, 'POST', /\/catalog\/nodes$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 201);
  await page.getByRole('heading', { level: 2, name }).waitFor();
  return /** @type {{ id: string, code: string, parent_id: string | null }} */ (await r.json());
}

describe('administration: catalog and organizations', { timeout: 240_000 }, () => {
  test('an admin builds a service in the catalog, moves it with the keyboard and exports the catalog', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Administración' }).click();
      await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Catálogo' }).click();
      await page.getByRole('heading', { level: 1, name: 'Catálogo de servicios' }).waitFor();
      await page.getByLabel('Mesa', { exact: true }).selectOption({ label: 'Tecnologías de la Información' });
      await page.getByRole('tree', { name: 'Árbol de Tecnologías de la Información' }).waitFor();
      await axe(page, 'the catalog editor');
      await screenshot(page, '60-admin-catalog');

      const category = await createNode(page, 'Nueva categoría', `Telefonía ${stamp}`);
      assert.equal(category.parent_id, null);
      // With the category selected, a new service goes inside it.
      const service = await createNode(page, 'Nuevo servicio', `Línea móvil ${stamp}`);
      assert.equal(service.parent_id, category.id);

      await page.getByLabel('Objetivo').fill('Asignar y mantener las líneas de telefonía móvil institucionales.');
      await page.getByLabel('Alcance').fill('Líneas a cargo de la entidad; no incluye equipos personales.');
      await page.getByLabel('Disponibilidad').fill('Lunes a viernes de 7:30 a. m. a 5:00 p. m.');
      await page.getByLabel('Tiempo de solución prometido').fill('3 días hábiles');
      await page.getByLabel('Grupo responsable').selectOption({ label: 'Mesa de servicios - Nivel 1 (nivel 1)' });
      await page.getByRole('button', { name: 'Agregar ruta' }).click();
      await page.getByLabel('Organización de la ruta 1').selectOption({ label: 'Secretaría de Hacienda' });
      await page.getByLabel('Grupo de la ruta 1').selectOption({ label: 'CTO Secretaría de Hacienda - Nivel 1' });

      await page.getByRole('button', { name: 'Agregar campo' }).click();
      const first = page.getByRole('region', { name: /^Campo 1/ });
      await first.getByLabel('Etiqueta en español').fill('Número de línea');
      await first.getByLabel('Etiqueta en inglés').fill('Line number');
      await first.getByLabel('Obligatorio').check();
      await page.getByRole('button', { name: 'Agregar campo' }).click();
      const second = page.getByRole('region', { name: /^Campo 2/ });
      await second.getByLabel('Etiqueta en español').fill('Tipo de novedad');
      await second.getByLabel('Etiqueta en inglés').fill('Kind of change');
      await second.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Lista de opciones' });
      await second.getByLabel('Opción 1 en español').fill('Reposición');
      await second.getByLabel('Opción 1 en inglés').fill('Replacement');
      await second.getByRole('button', { name: 'Agregar opción' }).click();
      await second.getByLabel('Opción 2 en español').fill('Cambio de plan');
      await second.getByLabel('Opción 2 en inglés').fill('Plan change');

      const saved = await expectCall(page, 'PATCH', new RegExp(`/catalog/nodes/${service.id}$`), () =>
        page.getByRole('button', { name: 'Guardar cambios' }).click(),
      );
      const node = await saved.json();
      await page.getByText('Cambios guardados.').waitFor();
      assert.deepEqual(
        node.service.form_fields.map((/** @type {any} */ f) => [f.key, f.type, f.required, f.label.en]),
        [
          ['numero_de_linea', 'text', true, 'Line number'],
          ['tipo_de_novedad', 'select', false, 'Kind of change'],
        ],
      );
      assert.deepEqual(
        node.service.form_fields[1].options.map((/** @type {any} */ o) => o.value),
        ['reposicion', 'cambio_de_plan'],
      );
      assert.equal(node.service.routes.length, 1);
      assert.equal(node.service.scope, 'Líneas a cargo de la entidad; no incluye equipos personales.');
      await axe(page, 'a service sheet');
      await screenshot(page, '61-admin-catalog-service');

      // A second service in the category, then the keyboard: Alt+↑ puts it first, Alt+← takes
      // it out of the category (to the top level, right after the category).
      await page.getByRole('treeitem', { name: `Telefonía ${stamp}` }).click();
      const other = await createNode(page, 'Nuevo servicio', `Roaming ${stamp}`);
      const item = page.getByRole('treeitem', { name: `Roaming ${stamp}` });
      await item.focus();
      const up = await expectCall(page, 'POST', new RegExp(`/catalog/nodes/${other.id}/move$`), () => page.keyboard.press('Alt+ArrowUp'));
      const moved = await up.json();
      assert.deepEqual([moved.parent_id, moved.position], [category.id, 0]);
      await page.getByText(`«Roaming ${stamp}» quedó en «Telefonía ${stamp}», posición 1.`).waitFor();
      assert.equal(await item.getAttribute('aria-posinset'), '1');
      await expect1(page.getByRole('treeitem', { name: `Roaming ${stamp}` }), 'aria-level', '2');
      const out = await expectCall(page, 'POST', new RegExp(`/catalog/nodes/${other.id}/move$`), () => page.keyboard.press('Alt+ArrowLeft'));
      assert.equal((await out.json()).parent_id, null);
      await expect1(page.getByRole('treeitem', { name: `Roaming ${stamp}` }), 'aria-level', '1');
      // The focus stays on the moved node: one more Alt+→ puts it back inside the category above.
      await expectCall(page, 'POST', new RegExp(`/catalog/nodes/${other.id}/move$`), () => page.keyboard.press('Alt+ArrowRight'));
      await expect1(page.getByRole('treeitem', { name: `Roaming ${stamp}` }), 'aria-level', '2');

      // Export: the downloaded document has the new service with its fields and route.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Exportar catálogo' }).click();
      const file = await (await download).path();
      const doc = JSON.parse(await readFile(file, 'utf8'));
      assert.equal(doc.format, 'mesa.catalog/v1');
      const exported = doc.nodes.find((/** @type {any} */ n) => n.code === category.code);
      assert.ok(exported, 'the new category is exported');
      assert.deepEqual(
        exported.children.map((/** @type {any} */ n) => n.code),
        // Alt+→ put "Roaming" back at the end of the category.
        [service.code, other.code],
      );
      const exportedService = exported.children[0];
      assert.deepEqual(exportedService.service.routes, [{ organization: 'Secretaría de Hacienda', group: 'CTO Secretaría de Hacienda - Nivel 1' }]);
      assert.equal(exportedService.service.form_fields.length, 2);
      await page.getByText('Catálogo exportado: revise la carpeta de descargas.').waitFor();
    } finally {
      await context.close();
    }
  });

  test('an admin adds an organization, an area and a location', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/organizations`);
      await page.getByRole('heading', { level: 1, name: 'Organizaciones, áreas y sedes' }).waitFor();
      await page.getByRole('table').waitFor();
      await axe(page, 'the organizations list');
      await screenshot(page, '62-admin-organizations');

      const org = `Secretaría de Movilidad ${stamp}`;
      await page.getByRole('button', { name: 'Nueva organización' }).click();
      let dialog = page.getByRole('dialog', { name: 'Nueva organización' });
      await dialog.getByLabel(/^Nombre/).fill(org);
      await dialog.getByLabel(/^Sigla/).fill('SMOV');
      await axe(page, 'the new organization dialog');
      await expectCall(page, 'POST', /\/api\/v1\/organizations$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 201);
      await page.getByRole('rowheader', { name: org }).waitFor();

      // The same name again: the conflict shows at the name.
      await page.getByRole('button', { name: 'Nueva organización' }).click();
      dialog = page.getByRole('dialog', { name: 'Nueva organización' });
      await dialog.getByLabel(/^Nombre/).fill(org);
      await expectCall(page, 'POST', /\/api\/v1\/organizations$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 409);
      await dialog.getByText('Ya existe un registro con este nombre.').waitFor();
      await dialog.getByRole('button', { name: 'Cancelar' }).click();

      await page.getByRole('tab', { name: 'Áreas' }).click();
      await page.getByRole('button', { name: 'Nueva área' }).click();
      dialog = page.getByRole('dialog', { name: 'Nueva área' });
      await dialog.getByLabel(/^Nombre/).fill(`Subdirección de Tránsito ${stamp}`);
      await dialog.getByLabel(/^Organización/).selectOption({ label: org });
      await expectCall(page, 'POST', /\/api\/v1\/areas$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 201);
      await page.getByRole('rowheader', { name: `Subdirección de Tránsito ${stamp}` }).waitFor();
      await axe(page, 'the areas list');
      await screenshot(page, '63-admin-areas');

      await page.getByRole('tab', { name: 'Sedes' }).click();
      await page.getByRole('button', { name: 'Nueva sede' }).click();
      dialog = page.getByRole('dialog', { name: 'Nueva sede' });
      await dialog.getByLabel(/^Nombre/).fill(`Sede Norte ${stamp}`);
      await dialog.getByLabel(/^Dirección/).fill('Calle 70 Norte # 3-20');
      await dialog.getByLabel(/^Organización/).selectOption({ label: org });
      await expectCall(page, 'POST', /\/api\/v1\/locations$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 201);
      await page.getByRole('rowheader', { name: `Sede Norte ${stamp}` }).waitFor();
      await axe(page, 'the locations list');
      await screenshot(page, '64-admin-locations');

      // Deactivate the location: it stays listed only with "Mostrar inactivas".
      await expectCall(page, 'PATCH', /\/api\/v1\/locations\//, () =>
        page.getByRole('button', { name: `Desactivar Sede Norte ${stamp}` }).click(),
      );
      await page.getByRole('rowheader', { name: `Sede Norte ${stamp}` }).waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  test('both pages work on a phone, in English too', async () => {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/catalog`);
      await page.getByRole('tree').waitFor();
      await page.getByRole('treeitem').first().click();
      await page.getByRole('heading', { level: 2 }).nth(1).waitFor();
      await axe(page, 'the catalog editor on a phone');
      await screenshot(page, '65-admin-catalog-phone');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Service catalog' }).waitFor();
      await page.goto(`${BASE_URL}/admin/organizations`);
      await page.getByRole('heading', { level: 1, name: 'Organizations, areas and locations' }).waitFor();
      await page.getByRole('table').waitFor();
      await axe(page, 'the organizations list on a phone');
      await screenshot(page, '66-admin-organizations-phone-en');
    } finally {
      await context.close();
    }
  });
});

/**
 * Waits until an element's attribute has a value (the tree re-renders after a move).
 * @param {import('playwright-core').Locator} locator
 * @param {string} name
 * @param {string} value
 */
async function expect1(locator, name, value) {
  const deadline = Date.now() + 10_000;
  let last = null;
  while (Date.now() < deadline) {
    last = await locator.getAttribute(name);
    if (last === value) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(last, value, `${name} of ${locator}`);
}
