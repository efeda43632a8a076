// @ts-check
// People and groups in the browser (issue 18 item 2): an administrator creates a local account,
// finds it, changes its role, organization, area and identity number, records an absence with
// dates, and builds a first-level group with two agents; a desk manager sees the same screens
// read-only where the API says so. axe and a screenshot on every new page, a phone width too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  MANAGER,
  PASSWORD,
  USERNAME,
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

const RUN = Date.now().toString(36);
const NEW_USERNAME = `valentina.rios.${RUN}`;
const NEW_NAME = `Valentina Ríos ${RUN}`;
const GROUP_NAME = `Soporte en sitio ${RUN} - Nivel 1`;

/**
 * @param {import('playwright-core').Page} page
 * @param {string} what
 */
async function assertAccessible(page, what) {
  assert.deepEqual(await seriousViolations(page), [], `axe on ${what}`);
}

/**
 * YYYY-MM-DD, `days` from today in the browser's (and this process's) time zone.
 * @param {number} days
 */
function dayFromToday(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

describe('administration: people and groups', { timeout: 240_000 }, () => {
  test('an administrator creates an account, edits it, records an absence and builds a group', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await navigate(page, 'Administración');
      // The first section an administrator has (organizations) opens by itself; then people.
      await page.getByRole('heading', { level: 1, name: 'Organizaciones, áreas y sedes' }).waitFor();
      await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Personas' }).click();
      await page.getByRole('heading', { level: 1, name: 'Personas' }).waitFor();
      await page.getByRole('list', { name: 'Personas encontradas' }).waitFor();
      await screenshot(page, '60-admin-people');
      await assertAccessible(page, 'the people list');

      // A local account: first the problems at their inputs, the server's included.
      await page.getByRole('link', { name: 'Nueva cuenta' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nueva cuenta' }).waitFor();
      await page.getByRole('button', { name: 'Crear la cuenta' }).click();
      await page.getByRole('alert').filter({ hasText: 'Revise 3 datos' }).waitFor();
      await page.getByRole('link', { name: 'Usuario: Es obligatorio.' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'new-person-username');
      await page.getByLabel(/^Usuario/).fill(NEW_USERNAME);
      await page.getByLabel(/^Nombre completo/).fill(NEW_NAME);
      await page.getByLabel(/^Contraseña/).fill('corta');
      await page.getByLabel(/^Correo electrónico/).fill(`${NEW_USERNAME}@mesa.local`);
      const weak = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear la cuenta' }).click();
      assert.equal((await weak).status(), 422);
      // The server's problem, at its input (after React has drawn it).
      await page.getByText(/^Es muy débil/).first().waitFor();
      const password = page.getByLabel(/^Contraseña/);
      assert.match((await password.getAttribute('aria-describedby')) ?? '', /error/);
      await screenshot(page, '61-admin-new-person-errors');
      await assertAccessible(page, 'the new account form with errors');

      await password.fill('Mesa-Prueba-2026');
      await page.getByLabel(/^Organización/).selectOption({ label: 'Secretaría de Hacienda' });
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear la cuenta' }).click();
      const createdResponse = await created;
      assert.equal(createdResponse.status(), 201, await createdResponse.text());
      const user = await createdResponse.json();
      assert.equal(user.auth_source, 'local');
      assert.equal(user.role, 'requester');

      // Its page: the notice, then role, organization, area and identity number.
      await page.getByRole('heading', { level: 1, name: NEW_NAME }).waitFor();
      await page.getByText(`Cuenta de ${NEW_NAME} creada.`).waitFor();
      await page.getByLabel(/^Rol/).selectOption({ label: 'Agente' });
      await page.getByLabel(/^Organización/).selectOption({ label: 'Secretaría de Educación' });
      await page.getByLabel(/^Área/).selectOption({ label: 'Oficina de Talento Humano' });
      await page.getByLabel(/^Número de identificación/).fill('1.144.555.222');
      const patched = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${user.id}`) && r.request().method() === 'PATCH');
      await page.getByRole('button', { name: 'Guardar cambios' }).click();
      const patchResponse = await patched;
      assert.equal(patchResponse.status(), 200, await patchResponse.text());
      assert.equal(patchResponse.request().headers()['if-match'], `"${user.version}"`);
      const changed = await patchResponse.json();
      assert.equal(changed.role, 'agent');
      assert.equal(changed.identity_number, '1144555222');
      assert.notEqual(changed.organization_id, user.organization_id);
      assert.ok(changed.area_id);
      await page.getByText('Cambios guardados.').waitFor();

      // An absence with dates: the last day away, a reason; then visible in the list.
      const lastDay = dayFromToday(7);
      await page.getByLabel(/^Último día de ausencia/).fill(lastDay);
      await page.getByLabel(/^Motivo/).fill('Vacaciones');
      const absence = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${user.id}/availability`));
      await page.getByRole('button', { name: 'Registrar la ausencia' }).click();
      const absenceResponse = await absence;
      assert.equal(absenceResponse.status(), 200, await absenceResponse.text());
      const away = await absenceResponse.json();
      assert.equal(away.absence_note, 'Vacaciones');
      // Absent until the start of the day after the last day, in the browser's time zone.
      const [y, m, d] = lastDay.split('-').map(Number);
      assert.equal(new Date(away.absent_until).getTime(), new Date(y, m - 1, d + 1).getTime());
      await page.getByText('Ausencia registrada.').waitFor();
      await page.getByRole('button', { name: 'Marcar disponible ahora' }).waitFor();
      await screenshot(page, '62-admin-person');
      await assertAccessible(page, 'the account page');

      // Found by search, with its new role and the absence.
      await page.getByRole('link', { name: 'Volver a Personas' }).click();
      await page.getByRole('searchbox', { name: /^Buscar/ }).fill(RUN);
      const found = page.getByRole('list', { name: 'Personas encontradas' }).getByRole('listitem');
      await found.filter({ hasText: NEW_USERNAME }).waitFor();
      // The search is debounced: wait for the older results to go.
      await found.filter({ hasNotText: NEW_USERNAME }).first().waitFor({ state: 'detached' });
      assert.equal(await found.count(), 1);
      const item = (await found.first().textContent()) ?? '';
      assert.match(item, /Agente/);
      assert.match(item, /Secretaría de Educación/);
      assert.match(item, /Ausente hasta el/);

      // A first-level group of the TIC desk with two agents.
      const nav = page.getByRole('navigation', { name: 'Secciones de administración' });
      await nav.getByRole('link', { name: 'Grupos' }).click();
      await page.getByRole('heading', { level: 1, name: 'Grupos de soporte' }).waitFor();
      await page.getByLabel('Mesa de servicios').selectOption({ label: 'Tecnologías de la Información' });
      await page.getByRole('heading', { level: 2, name: 'Primer nivel' }).waitFor();
      await page.getByText('Mesa de servicios - Nivel 1', { exact: true }).waitFor();
      await screenshot(page, '63-admin-groups');
      await assertAccessible(page, 'the groups list');

      await page.getByRole('button', { name: 'Nuevo grupo' }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'new-group-name');
      await page.getByLabel(/^Nombre/).fill(GROUP_NAME);
      await page.getByLabel(/^Nivel/).selectOption({ label: 'Primer nivel' });
      await page.getByLabel(/^Descripción/).fill('Atención en sitio para las sedes de la Alcaldía.');
      await screenshot(page, '64-admin-new-group');
      await assertAccessible(page, 'the new group form');
      const groupCreated = page.waitForResponse((r) => r.url().endsWith('/api/v1/groups') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Crear el grupo' }).click();
      const groupResponse = await groupCreated;
      assert.equal(groupResponse.status(), 201, await groupResponse.text());
      const group = await groupResponse.json();
      assert.equal(group.level, 1);

      await page.getByRole('heading', { level: 1, name: GROUP_NAME }).waitFor();
      await page.getByRole('checkbox', { name: new RegExp(`^${NEW_NAME}`) }).check();
      await page.getByRole('checkbox', { name: /^Andrés Agudelo/ }).check();
      const members = page.waitForResponse((r) => r.url().endsWith(`/api/v1/groups/${group.id}/members`));
      await page.getByRole('button', { name: 'Guardar integrantes' }).click();
      const membersResponse = await members;
      assert.equal(membersResponse.status(), 200, await membersResponse.text());
      const withMembers = await membersResponse.json();
      assert.equal(withMembers.member_ids.length, 2);
      assert.ok(withMembers.member_ids.includes(user.id));
      await page.getByText('Integrantes guardados.').waitFor();
      // The absent agent says so next to the name.
      assert.match(await page.getByRole('checkbox', { name: new RegExp(`^${NEW_NAME}`) }).evaluate((el) => el.closest('.mantine-Checkbox-root')?.textContent ?? ''), /Ausente/);
      await screenshot(page, '65-admin-group');
      await assertAccessible(page, 'the group page');

      // The list shows the group with its two members.
      await page.getByRole('link', { name: 'Volver a Grupos' }).click();
      await page.getByLabel('Mesa de servicios').selectOption({ label: 'Tecnologías de la Información' });
      const card = page.getByRole('listitem').filter({ hasText: GROUP_NAME });
      await card.getByText(/^2 integrantes:/).waitFor();
    } finally {
      await context.close();
    }
  });

  test('a desk manager reads accounts and sets availability, on a phone and in English', async () => {
    const { context, page } = await newPage(browser, { width: 390, height: 844 });
    try {
      await login(page, MANAGER);
      await page.goto(`${page.url().replace(/\/$/, '')}/admin/people`);
      await page.getByRole('heading', { level: 1, name: 'Personas' }).waitFor();
      assert.equal(await page.getByRole('link', { name: 'Nueva cuenta' }).count(), 0);
      // An agent no other browser test relies on (their absence would change assignments).
      await page.getByRole('searchbox', { name: /^Buscar/ }).fill('mantenimiento.n2');
      await page.getByRole('link', { name: /^Óscar Valencia/ }).click();
      await page.getByRole('heading', { level: 1, name: /^Óscar Valencia/ }).waitFor();
      await page.getByText('Solo la administración de Mesa puede cambiar estos datos.').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Guardar cambios' }).count(), 0);
      // No sideways scrolling on a phone.
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
      await screenshot(page, '66-admin-person-manager-phone');
      await assertAccessible(page, 'the account page for a desk manager on a phone');

      await page.getByLabel(/^Último día de ausencia/).fill(dayFromToday(2));
      // "Cambiar la ausencia" when an earlier run left the agent away.
      await page.getByRole('button', { name: /^(Registrar|Cambiar) la ausencia$/ }).click();
      await page.getByText('Ausencia registrada.').waitFor();
      await page.getByRole('button', { name: 'Marcar disponible ahora' }).click();
      await page.getByText('La persona está disponible.').waitFor();

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 2, name: 'Availability' }).waitFor();
      await page.goto(page.url().replace(/\/admin\/people\/.*$/, '/admin/groups'));
      await page.getByRole('heading', { level: 1, name: 'Support groups' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'First level' }).waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
      await screenshot(page, '67-admin-groups-phone-en');
      await assertAccessible(page, 'the groups list on a phone, in English');
    } finally {
      await context.close();
    }
  });
});
