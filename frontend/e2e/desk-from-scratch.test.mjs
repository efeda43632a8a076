// @ts-check
// Issue 18's "Done when", in the browser against the real backend: an administrator builds a
// small desk from nothing in the SPA — two agents and a supervisor (local accounts), a business
// calendar, an SLA policy, the desk itself, a first-level group with the two agents, a category
// with a service, two form fields and a route for one organization. A requester of that
// organization files a case in the service: it lands in the group, with its least-loaded agent,
// and the due date the calendar and the policy give. The supervisor reassigns it from the
// overview to the other agent. Every name carries this run's suffix: the other e2e files share
// the database and may run before or after this one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL,
  PASSWORD,
  USERNAME,
  assertBackendUp,
  checkPage,
  launchBrowser,
  login,
  navigate,
  newPage,
  screenshot,
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

const RUN = Date.now().toString(36);
/** A demo requester of Secretaría de Educación that no other browser test uses. */
const REQUESTER = process.env.MESA_E2E_SCRATCH_REQUESTER ?? 'pedro.suarez';
const REQUESTER_PASSWORD = process.env.MESA_E2E_DEMO_PASSWORD ?? PASSWORD;
const ORGANIZATION = 'Secretaría de Educación';
const ACCOUNT_PASSWORD = `Mesa-Prueba-${RUN}`;
// The case goes to the group's available member with the fewest open cases, ties by username:
// both agents are new (no cases), so Ana (whose username sorts first) receives it.
const ANA = { username: `ana.${RUN}`, name: `Ana Agente ${RUN}` };
const BRUNO = { username: `bruno.${RUN}`, name: `Bruno Agente ${RUN}` };
const SUPERVISOR = { username: `sara.${RUN}`, name: `Sara Supervisora ${RUN}` };
const CALENDAR = `Horario Bienestar ${RUN}`;
const POLICY = `ANS Bienestar ${RUN}`;
const DESK = { code: `B${RUN.toUpperCase()}`.slice(0, 20), name: `Bienestar ${RUN}` };
const GROUP = `Bienestar ${RUN} - Nivel 1`;
const CATEGORY = `Talento humano ${RUN}`;
const SERVICE = `Permiso de estudio ${RUN}`;
const SUBJECT = `Permiso para el semestre ${RUN}`;

/** What the first test made, for the next ones. */
const made = {
  /** @type {Record<string, string>} username → id */
  users: {},
  calendarId: '',
  policyId: '',
  deskId: '',
  groupId: '',
  serviceId: '',
  ticketNumber: 0,
};

/**
 * @param {string} path
 * @param {string} token
 */
async function get(path, token) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  assert.ok(response.ok, `GET ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * Waits for the API call an action makes and checks its status.
 * @param {import('playwright-core').Page} page
 * @param {string} method
 * @param {RegExp} path
 * @param {() => Promise<unknown>} action
 * @param {number} [status]
 */
async function expectCall(page, method, path, action, status = 200) {
  const response = page.waitForResponse((r) => path.test(new URL(r.url()).pathname) && r.request().method() === method);
  await action();
  const r = await response;
  assert.equal(r.status(), status, `${method} ${r.url()}: ${await r.text()}`);
  return r.json();
}

/**
 * A section of the administration, through its navigation.
 * @param {import('playwright-core').Page} page
 * @param {string} link
 * @param {string} heading
 */
async function section(page, link, heading) {
  await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: link }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/**
 * A local account made in "Nueva cuenta", then given its role on its page.
 * @param {import('playwright-core').Page} page
 * @param {{ username: string, name: string }} who
 * @param {string} role the role's label
 */
async function createAccount(page, who, role) {
  await section(page, 'Personas', 'Personas');
  await page.getByRole('link', { name: 'Nueva cuenta' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nueva cuenta' }).waitFor();
  await page.getByLabel(/^Usuario/).fill(who.username);
  await page.getByLabel(/^Nombre completo/).fill(who.name);
  await page.getByLabel(/^Contraseña/).fill(ACCOUNT_PASSWORD);
  await page.getByLabel(/^Correo electrónico/).fill(`${who.username}@mesa.local`);
  const user = await expectCall(page, 'POST', /\/api\/v1\/users$/, () => page.getByRole('button', { name: 'Crear la cuenta' }).click(), 201);
  made.users[who.username] = user.id;
  await page.getByRole('heading', { level: 1, name: who.name }).waitFor();
  await page.getByLabel(/^Rol/).selectOption({ label: role });
  const changed = await expectCall(page, 'PATCH', new RegExp(`/api/v1/users/${user.id}$`), () => page.getByRole('button', { name: 'Guardar cambios' }).click());
  await page.getByText('Cambios guardados.').waitFor();
  return changed;
}

/**
 * A category or a service from the catalog editor's toolbar (inside the selected category).
 * @param {import('playwright-core').Page} page
 * @param {'Nueva categoría' | 'Nuevo servicio'} button
 * @param {string} name
 */
async function createNode(page, button, name) {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog', { name: button });
  await dialog.getByLabel(/^Nombre/).fill(name);
  const node = await expectCall(page, 'POST', /\/catalog\/nodes$/, () => dialog.getByRole('button', { name: 'Crear' }).click(), 201);
  await page.getByRole('heading', { level: 2, name }).waitFor();
  return node;
}

/**
 * The value of one fact of a case's "Datos del caso" box.
 * @param {import('playwright-core').Page} page
 * @param {string} term
 */
function fact(page, term) {
  return page.getByRole('complementary', { name: 'Datos del caso' }).locator(`dt:text-is(${JSON.stringify(term)}) + dd`);
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** "07:30:00" → milliseconds after midnight. @param {string} time */
function timeOfDay(time) {
  const [h, m, s] = time.split(':').map(Number);
  return ((h * 60 + m) * 60 + (s ?? 0)) * 1000;
}

/**
 * The instant `minutes` of working time after `start`, walked interval by interval through the
 * calendar's weekly hours, skipping its non-working days — written independently of the server.
 * Bogotá has no daylight saving time: local time is UTC−5 all year.
 * @param {string} start ISO instant
 * @param {number} minutes
 * @param {{ weekday: string, start: string, end: string }[]} intervals
 * @param {Set<string>} holidays YYYY-MM-DD
 */
function addWorkingMinutes(start, minutes, intervals, holidays) {
  const OFFSET = -5 * 3_600_000;
  let now = Date.parse(start);
  let left = minutes * 60_000;
  for (let day = 0; day < 400; day++) {
    const local = new Date(now + OFFSET);
    const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
    const date = new Date(midnight).toISOString().slice(0, 10);
    const weekday = WEEKDAYS[new Date(midnight).getUTCDay()];
    if (!holidays.has(date)) {
      const today = intervals.filter((i) => i.weekday === weekday).sort((a, b) => timeOfDay(a.start) - timeOfDay(b.start));
      for (const interval of today) {
        const from = Math.max(now, midnight + timeOfDay(interval.start) - OFFSET);
        const to = midnight + timeOfDay(interval.end) - OFFSET;
        if (from >= to) continue;
        if (to - from >= left) return new Date(from + left).toISOString();
        left -= to - from;
        now = to;
      }
    }
    now = midnight + 86_400_000 - OFFSET;
  }
  throw new Error('no working time within 400 days');
}

describe('a desk built from scratch in the browser', { timeout: 600_000 }, () => {
  test('an administrator builds a desk: accounts, calendar, policy, desk, group, catalog with routing', { timeout: 420_000 }, async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await navigate(page, 'Administración');
      await page.getByRole('heading', { level: 1, name: 'Organizaciones, áreas y sedes' }).waitFor();

      // Two agents and the desk's supervisor: local accounts, then their roles.
      await createAccount(page, ANA, 'Agente');
      await screenshot(page, '80-scratch-person');
      await createAccount(page, BRUNO, 'Agente');
      await createAccount(page, SUPERVISOR, 'Responsable de la mesa');

      // A business calendar: the proposed office hours (with a lunch break) plus Saturday mornings.
      await section(page, 'Niveles de servicio', 'Niveles de servicio');
      await page.getByRole('button', { name: 'Nuevo calendario' }).click();
      const calendarForm = page.getByRole('form', { name: 'Nuevo calendario' });
      await calendarForm.getByLabel(/^Nombre/).fill(CALENDAR);
      await calendarForm.getByRole('button', { name: 'Agregar franja' }).click();
      await calendarForm.getByLabel('Día').last().selectOption('sat');
      await calendarForm.getByLabel('Desde').last().fill('08:00');
      await calendarForm.getByLabel('Hasta').last().fill('12:00');
      const calendar = await expectCall(page, 'POST', /\/api\/v1\/calendars$/, () => calendarForm.getByRole('button', { name: 'Crear calendario' }).click(), 201);
      made.calendarId = calendar.id;
      await page.getByRole('heading', { name: `Calendario: ${CALENDAR}` }).waitFor();
      await page.getByRole('table', { name: /días no hábiles en/ }).waitFor();
      await checkPage(page, '81-scratch-calendar');

      // An SLA policy: a medium-priority case is to be attended in 1 hour and solved in 10 (more
      // than a working day: whenever the case is filed, its due date depends on the calendar).
      await page.getByRole('tab', { name: 'Políticas de ANS' }).click();
      await page.getByRole('button', { name: 'Nueva política' }).click();
      const policyForm = page.getByRole('form', { name: 'Nueva política' });
      await policyForm.getByLabel(/^Nombre/).fill(POLICY);
      await policyForm.getByLabel('Tiempo de atención, prioridad Media').fill('1');
      await policyForm.getByLabel('Tiempo de solución, prioridad Media').fill('10');
      const policy = await expectCall(page, 'POST', /\/api\/v1\/sla-policies$/, () => policyForm.getByRole('button', { name: 'Crear política' }).click(), 201);
      made.policyId = policy.id;
      assert.equal(policy.targets.medium.ttr_minutes, 600);
      await page.getByRole('heading', { name: `Política: ${POLICY}` }).waitFor();
      await checkPage(page, '82-scratch-policy');

      // The desk, for one organization, with its supervisor; then its calendar and policy.
      await section(page, 'Mesas', 'Mesas');
      await page.getByRole('button', { name: 'Nueva mesa' }).click();
      const deskForm = page.getByRole('form', { name: 'Nueva mesa' });
      await deskForm.getByLabel(/^Código/).fill(DESK.code.toLowerCase());
      await deskForm.getByLabel(/^Nombre/).fill(DESK.name);
      await deskForm.getByLabel(/^Descripción/).fill('Solicitudes de las personas que trabajan en la Alcaldía.');
      await deskForm.getByRole('checkbox', { name: ORGANIZATION, exact: true }).check();
      await deskForm.getByRole('checkbox', { name: `${SUPERVISOR.name} (${SUPERVISOR.username})` }).check();
      await checkPage(page, '83-scratch-new-desk');
      const desk = await expectCall(page, 'POST', /\/api\/v1\/desks$/, () => deskForm.getByRole('button', { name: 'Crear la mesa' }).click(), 201);
      made.deskId = desk.id;
      assert.equal(desk.code, DESK.code, 'the code is sent in capitals');
      assert.equal(desk.organization_ids.length, 1);
      assert.deepEqual(desk.supervisor_ids, [made.users[SUPERVISOR.username]]);
      await page.getByText(`Mesa «${DESK.name}» creada.`, { exact: false }).waitFor();
      const general = page.getByRole('form', { name: 'Niveles de servicio y correos' });
      await general.getByLabel('Calendario hábil').selectOption({ label: CALENDAR });
      await general.getByLabel('Política de ANS').selectOption({ label: POLICY });
      const patched = await expectCall(page, 'PATCH', new RegExp(`/api/v1/desks/${desk.id}$`), () => general.getByRole('button', { name: 'Guardar ajustes' }).click());
      assert.equal(patched.calendar_id, calendar.id);
      assert.equal(patched.sla_policy_id, policy.id);
      await general.getByRole('status').getByText('Cambios guardados.').waitFor();
      await checkPage(page, '84-scratch-desk-settings');

      // A first-level group with the two agents.
      await section(page, 'Grupos', 'Grupos de soporte');
      await page.getByLabel('Mesa de servicios').selectOption({ label: DESK.name });
      await page.getByRole('button', { name: 'Nuevo grupo' }).click();
      await page.getByLabel(/^Nombre/).fill(GROUP);
      await page.getByLabel(/^Nivel/).selectOption({ label: 'Primer nivel' });
      const group = await expectCall(page, 'POST', /\/api\/v1\/groups$/, () => page.getByRole('button', { name: 'Crear el grupo' }).click(), 201);
      made.groupId = group.id;
      assert.equal(group.desk_id, desk.id);
      await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
      await page.getByRole('checkbox', { name: new RegExp(`^${ANA.name}`) }).check();
      await page.getByRole('checkbox', { name: new RegExp(`^${BRUNO.name}`) }).check();
      const members = await expectCall(page, 'PUT', new RegExp(`/api/v1/groups/${group.id}/members$`), () => page.getByRole('button', { name: 'Guardar integrantes' }).click());
      assert.deepEqual([...members.member_ids].sort(), [made.users[ANA.username], made.users[BRUNO.username]].sort());
      await page.getByText('Integrantes guardados.').waitFor();
      await checkPage(page, '85-scratch-group');

      // The catalog: a category, a service with two fields, routed for one organization.
      await section(page, 'Catálogo', 'Catálogo de servicios');
      await page.getByLabel('Mesa', { exact: true }).selectOption({ label: DESK.name });
      await page.getByRole('heading', { level: 2, name: `Árbol de ${DESK.name}` }).waitFor();
      await page.getByText('El catálogo está vacío').waitFor();
      const category = await createNode(page, 'Nueva categoría', CATEGORY);
      const service = await createNode(page, 'Nuevo servicio', SERVICE);
      assert.equal(service.parent_id, category.id);
      made.serviceId = service.id;
      await page.getByLabel('Objetivo').fill('Autorizar el tiempo de estudio de quienes trabajan en la Alcaldía.');
      await page.getByLabel('Alcance').fill('Estudios de pregrado y posgrado; no incluye auxilios económicos.');
      await page.getByLabel('Prioridad por defecto').selectOption({ label: 'Media' });
      await page.getByRole('button', { name: 'Agregar ruta' }).click();
      await page.getByLabel('Organización de la ruta 1').selectOption({ label: ORGANIZATION });
      await page.getByLabel('Grupo de la ruta 1').selectOption({ label: GROUP });
      await page.getByRole('button', { name: 'Agregar campo' }).click();
      const first = page.getByRole('region', { name: /^Campo 1/ });
      await first.getByLabel('Etiqueta en español').fill('Programa académico');
      await first.getByLabel('Etiqueta en inglés').fill('Academic program');
      await first.getByLabel('Obligatorio').check();
      await page.getByRole('button', { name: 'Agregar campo' }).click();
      const second = page.getByRole('region', { name: /^Campo 2/ });
      await second.getByLabel('Etiqueta en español').fill('Jornada');
      await second.getByLabel('Etiqueta en inglés').fill('Schedule');
      await second.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Lista de opciones' });
      await second.getByLabel('Opción 1 en español').fill('Diurna');
      await second.getByLabel('Opción 1 en inglés').fill('Daytime');
      await second.getByRole('button', { name: 'Agregar opción' }).click();
      await second.getByLabel('Opción 2 en español').fill('Nocturna');
      await second.getByLabel('Opción 2 en inglés').fill('Evening');
      const saved = await expectCall(page, 'PATCH', new RegExp(`/catalog/nodes/${service.id}$`), () => page.getByRole('button', { name: 'Guardar cambios' }).click());
      await page.getByText('Cambios guardados.').waitFor();
      assert.equal(saved.service.default_priority, 'medium');
      assert.deepEqual(
        saved.service.form_fields.map((/** @type {any} */ f) => [f.key, f.type, f.required]),
        [
          ['programa_academico', 'text', true],
          ['jornada', 'select', false],
        ],
      );
      assert.deepEqual(
        saved.service.routes.map((/** @type {any} */ r) => r.group_id),
        [group.id],
      );
      await checkPage(page, '86-scratch-catalog-service');
    } finally {
      await context.close();
    }
  });

  test('a requester of the routed organization files a case: the right group, agent and due date', { timeout: 180_000 }, async () => {
    assert.ok(made.serviceId, 'the first test built the desk');
    const { context, page } = await newPage(browser);
    try {
      await login(page, REQUESTER, REQUESTER_PASSWORD);
      await navigate(page, 'Nueva solicitud');
      await page.getByRole('heading', { level: 1, name: 'Nueva solicitud' }).waitFor();
      await page.getByRole('radio', { name: new RegExp(DESK.name) }).click();
      const tree = page.getByRole('tree', { name: 'Catálogo de servicios' });
      await tree.getByRole('treeitem', { name: CATEGORY, exact: true }).locator(':scope > div').click();
      await tree.getByRole('treeitem', { name: SERVICE, exact: true }).locator(':scope > div').click();
      const details = page.getByRole('region', { name: SERVICE });
      await details.getByText(/Autorizar el tiempo de estudio/).waitFor();
      await checkPage(page, '87-scratch-requester-catalog');
      await details.getByRole('link', { name: 'Solicitar' }).click();
      await page.getByRole('heading', { level: 1, name: `Solicitud: ${SERVICE}` }).waitFor();
      await page.getByLabel(/^Asunto/).fill(SUBJECT);
      await page.getByLabel(/^Descripción/).fill('Solicito permiso de estudio para el primer semestre de la especialización.');
      await page.getByLabel(/^Programa académico/).fill('Especialización en gestión pública');
      await page.getByLabel(/^Jornada/).selectOption({ label: 'Nocturna' });
      await screenshot(page, '88-scratch-request-form');
      const ticket = await expectCall(page, 'POST', /\/api\/v1\/tickets$/, () => page.getByRole('button', { name: 'Registrar solicitud' }).click(), 201);
      made.ticketNumber = ticket.number;
      await page.getByRole('heading', { level: 2, name: `Caso #${ticket.number} registrado` }).waitFor();
      await page.getByText(`La atenderá: ${GROUP}.`).waitFor();

      // Where it landed and when it is due, from the server…
      const admin = await tokenFor(USERNAME, PASSWORD);
      const stored = await get(`/tickets/${ticket.number}`, admin);
      assert.equal(stored.desk_id, made.deskId);
      assert.equal(stored.assigned_group?.id, made.groupId, 'routed by the requester’s organization');
      assert.equal(stored.assigned_agent?.id, made.users[ANA.username], 'the least-loaded agent, ties by username');
      assert.equal(stored.priority, 'medium');
      assert.equal(stored.sla_policy_id ?? made.policyId, made.policyId);
      // …and as the calendar and the policy give it, computed here on their own terms.
      const calendar = await get(`/calendars/${made.calendarId}`, admin);
      assert.equal(calendar.timezone, 'America/Bogota');
      const year = new Date(stored.created_at).getUTCFullYear();
      const holidays = new Set();
      for (const y of [year, year + 1]) {
        for (const h of await get(`/calendars/${made.calendarId}/holidays?year=${y}`, admin)) holidays.add(h.date);
      }
      const policy = await get(`/sla-policies/${made.policyId}`, admin);
      const due = addWorkingMinutes(stored.created_at, policy.targets.medium.ttr_minutes, calendar.intervals, holidays);
      assert.equal(new Date(stored.resolution_due_at).toISOString(), due, 'resolution due after 10 business hours of the desk’s calendar');
      // Not what Mesa's default calendar (Monday to Friday 7:30–17:00) would give.
      const office = ['mon', 'tue', 'wed', 'thu', 'fri'].map((weekday) => ({ weekday, start: '07:30:00', end: '17:00:00' }));
      assert.notEqual(addWorkingMinutes(stored.created_at, policy.targets.medium.ttr_minutes, office, holidays), due);
      assert.equal(
        new Date(stored.response_due_at).toISOString(),
        addWorkingMinutes(stored.created_at, policy.targets.medium.tto_minutes, calendar.intervals, holidays),
      );

      // The requester's case page says the same.
      await page.getByRole('link', { name: `Ver el caso #${ticket.number}` }).click();
      await page.getByRole('heading', { level: 1, name: `Caso #${ticket.number}: ${SUBJECT}` }).waitFor();
      await fact(page, 'Grupo').filter({ hasText: GROUP }).waitFor();
      await fact(page, 'Agente').filter({ hasText: ANA.name }).waitFor();
      const shown = await page.evaluate(
        (iso) => new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
        due,
      );
      await fact(page, 'Tiempo de solución (ANS)').filter({ hasText: `Vence: ${shown}` }).waitFor();
      await checkPage(page, '89-scratch-requester-case');
    } finally {
      await context.close();
    }
  });

  test('the desk’s supervisor sees the case in the overview and reassigns it to the other agent', { timeout: 180_000 }, async () => {
    assert.ok(made.ticketNumber > 0, 'the requester filed a case');
    const number = made.ticketNumber;
    const { context, page } = await newPage(browser);
    try {
      await login(page, SUPERVISOR.username, ACCOUNT_PASSWORD);
      await navigate(page, 'Supervisión');
      await page.getByRole('heading', { level: 1, name: 'Supervisión' }).waitFor();
      // Her only desk: the new one, with its one open case, held by Ana.
      await page.getByTestId('total-open').filter({ hasText: /^1$/ }).waitFor();
      assert.equal(await page.getByTestId('total-unassigned').textContent(), '0');
      const byGroup = page.getByRole('table', { name: 'Por grupo' });
      await byGroup.getByRole('row', { name: new RegExp(GROUP) }).getByRole('cell', { name: '2 de 2' }).waitFor();
      const byAgent = page.getByRole('table', { name: 'Por agente' });
      await byAgent.getByRole('row', { name: new RegExp(ANA.name) }).waitFor();
      await byAgent.getByRole('row', { name: new RegExp(BRUNO.name) }).waitFor();
      const cases = page.getByRole('table', { name: `Casos abiertos de ${DESK.name}` });
      const row = cases.getByRole('row').filter({ hasText: `#${number}` });
      await row.getByText(ANA.name).waitFor();
      await checkPage(page, '90-scratch-supervision');

      await row.getByRole('checkbox', { name: `Marcar el caso #${number}` }).check();
      await page.getByRole('group', { name: 'Acciones sobre los casos marcados' }).getByRole('button', { name: 'Asignar' }).click();
      const dialog = page.getByRole('dialog', { name: 'Asignar 1 caso' });
      await dialog.getByLabel(/^Grupo de soporte/).selectOption({ label: GROUP });
      const person = dialog.getByLabel(/^Persona/);
      // Each member says whether they can take a case now and how many they hold.
      await person.locator('option', { hasText: `${BRUNO.name} · disponible` }).waitFor({ state: 'attached' });
      await person.selectOption(made.users[BRUNO.username]);
      await checkPage(page, '91-scratch-supervision-reassign');
      await expectCall(page, 'POST', new RegExp(`/api/v1/tickets/${number}/assign$`), () => dialog.getByRole('button', { name: 'Asignar' }).click());
      await page.getByText('Hecho en 1 de 1 caso.').waitFor();
      await row.getByText(BRUNO.name).waitFor();

      const stored = await get(`/tickets/${number}`, await tokenFor(USERNAME, PASSWORD));
      assert.equal(stored.assigned_agent?.id, made.users[BRUNO.username]);
      assert.equal(stored.assigned_group?.id, made.groupId);
      // The overview counts it for Bruno now (it is polled; a reload reads it at once).
      await page.reload();
      await page.getByRole('table', { name: 'Por agente' }).getByRole('row', { name: new RegExp(BRUNO.name) }).getByRole('cell').nth(1).filter({ hasText: /^1$/ }).waitFor();
    } finally {
      await context.close();
    }
  });
});
