// @ts-check
// Issue 18 items 4 and 5 in the browser, against the real backend, as the demo admin: business
// calendars with the year's Colombian holidays, an SLA policy, a desk's settings and survey,
// mail templates with their live preview, the outbox and the failed jobs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  BASE_URL,
  DEMO_PASSWORD,
  PASSWORD,
  REQUESTER,
  USERNAME,
  assertBackendUp,
  call,
  checkPage,
  findService,
  launchBrowser,
  login,
  newPage,
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

const suffix = Date.now().toString(36);
const year = new Date().getFullYear();

describe('administration: service levels, desks and mail', { timeout: 240_000 }, () => {
  test('an admin creates a calendar and sees the year’s Colombian holidays by name', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin`);
      await page.getByRole('navigation', { name: 'Secciones de administración' }).getByRole('link', { name: 'Niveles de servicio' }).click();
      await page.getByRole('heading', { level: 1, name: 'Niveles de servicio' }).waitFor();
      assert.match(page.url(), /\/admin\/service-levels$/);
      await page.getByRole('button', { name: 'Nuevo calendario' }).click();
      const form = page.getByRole('form', { name: 'Nuevo calendario' });
      await form.getByLabel(/^Nombre/).fill(`Alcaldía ${suffix}`);
      // Office hours are proposed; a Saturday morning is added.
      await form.getByRole('button', { name: 'Agregar franja' }).click();
      const last = form.getByLabel('Día').last();
      await last.selectOption('sat');
      await form.getByLabel('Desde').last().fill('08:00');
      await form.getByLabel('Hasta').last().fill('12:00');
      await form.getByRole('button', { name: 'Agregar día no hábil' }).click();
      await form.getByLabel(/^Fecha/).fill(`${year}-12-24`);
      await form.getByLabel(/^Nombre/).last().fill('Nochebuena');
      await checkPage(page, '70-admin-calendar-new', { skipSandboxedFrames: true });
      await form.getByRole('button', { name: 'Crear calendario' }).click();

      await page.getByRole('heading', { name: `Calendario: Alcaldía ${suffix}` }).waitFor();
      await page.getByRole('heading', { name: `Días no hábiles de ${year}` }).waitFor();
      const holidays = page.getByRole('table', { name: /días no hábiles en/ });
      await holidays.getByRole('cell', { name: 'Año Nuevo' }).waitFor();
      await holidays.getByRole('cell', { name: 'Día de los Reyes Magos' }).waitFor();
      await holidays.getByRole('cell', { name: 'Nochebuena' }).waitFor();
      const saved = await call('/calendars', { token: await tokenFor(USERNAME, PASSWORD) });
      const mine = saved.find((/** @type {any} */ c) => c.name === `Alcaldía ${suffix}`);
      assert.equal(mine.country, 'CO');
      assert.ok(mine.intervals.some((/** @type {any} */ i) => i.weekday === 'sat' && i.start.startsWith('08:00')));
      assert.deepEqual(mine.extra_holidays, [{ date: `${year}-12-24`, name: 'Nochebuena' }]);
      await checkPage(page, '71-admin-calendar-holidays', { skipSandboxedFrames: true });

      // An interval that ends before it starts is refused, at its field.
      const edit = page.getByRole('form', { name: `Calendario: Alcaldía ${suffix}` });
      await edit.getByLabel('Hasta').first().fill('06:00');
      await edit.getByRole('button', { name: 'Guardar cambios' }).click();
      await edit.getByRole('alert').waitFor();
      assert.equal(await edit.getByLabel('Hasta').first().getAttribute('aria-invalid'), 'true');
    } finally {
      await context.close();
    }
  });

  test('an admin creates an SLA policy with targets per priority and escalation rules; a bad target is refused at its field', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/service-levels?tab=policies`);
      await page.getByRole('button', { name: 'Nueva política' }).click();
      const form = page.getByRole('form', { name: 'Nueva política' });
      await form.getByLabel(/^Nombre/).fill(`ANS ${suffix}`);
      await form.getByLabel('Tiempo de atención, prioridad Crítica').fill('0');
      await form.getByLabel('Tiempo de solución, prioridad Alta').fill('6');
      await form.getByRole('button', { name: 'Agregar tiempo específico' }).click();
      await form.getByLabel('Nivel', { exact: true }).selectOption('2');
      await form.getByLabel('Solución', { exact: true }).last().fill('24');
      await form.getByRole('button', { name: 'Agregar regla' }).click();
      await form.getByLabel('Acción').last().selectOption('escalate');
      await form.getByRole('button', { name: 'Crear política' }).click();
      // Zero hours to attend a critical case: refused, said at that input.
      await form.getByRole('alert').waitFor();
      const critical = form.getByLabel('Tiempo de atención, prioridad Crítica');
      assert.equal(await critical.getAttribute('aria-invalid'), 'true');
      await form.getByText('El valor está fuera del rango permitido.').first().waitFor();
      await checkPage(page, '72-admin-policy-error', { skipSandboxedFrames: true });

      await critical.fill('1');
      await form.getByRole('button', { name: 'Crear política' }).click();
      await page.getByRole('heading', { name: `Política: ANS ${suffix}` }).waitFor();
      const policies = await call('/sla-policies', { token: await tokenFor(USERNAME, PASSWORD) });
      const policy = policies.find((/** @type {any} */ p) => p.name === `ANS ${suffix}`);
      assert.equal(policy.targets.critical.tto_minutes, 60);
      assert.equal(policy.targets.high.ttr_minutes, 360);
      assert.deepEqual(
        policy.targets.overrides.map((/** @type {any} */ o) => [o.ticket_type, o.level, o.ttr_minutes]),
        [['incident', 2, 1440]],
      );
      assert.deepEqual(
        policy.rules.map((/** @type {any} */ r) => [r.clock, r.at_share, r.action]),
        [
          ['ttr', 1, 'notify_supervisor'],
          ['ttr', 0.75, 'escalate'],
        ],
      );
      await checkPage(page, '73-admin-policy', { skipSandboxedFrames: true });
    } finally {
      await context.close();
    }
  });

  test('an admin changes a desk’s acceptance delay, survey and mail kinds', async () => {
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/desks`);
      await page.getByRole('heading', { level: 1, name: 'Mesas' }).waitFor();
      const token = await tokenFor(USERNAME, PASSWORD);
      const tic = (await call('/desks', { token })).find((/** @type {any} */ d) => d.code === 'TIC');
      const stored = (await call(`/desks/${tic.id}/survey`, { token })).acceptance_delay;
      await page.getByLabel('Mesa', { exact: true }).selectOption({ label: 'Tecnologías de la Información (TIC)' });
      const survey = page.getByRole('form', { name: 'Encuesta de satisfacción' });
      // Typed only once the TIC desk's own definition shows: typing into the form of the desk
      // shown before, or before it loaded, would be replaced when it arrives.
      await page.waitForFunction(
        ([amount, unit]) => {
          const form = document.querySelector('form[aria-labelledby="desk-survey-title"]');
          const inputs = Array.from(form?.querySelectorAll('input, select') ?? []);
          const values = inputs.map((i) => /** @type {HTMLInputElement} */ (i).value);
          return values.includes(amount) && values.includes(unit);
        },
        [String(stored.amount), stored.unit],
      );
      await survey.getByLabel('Plazo', { exact: true }).fill('3');
      await survey.getByLabel('Unidad').selectOption('business_days');
      await survey.getByLabel(/^Recordatorios/).fill('24, 4');
      await survey.getByRole('button', { name: 'Guardar encuesta' }).click();
      await survey.getByRole('status').getByText('Cambios guardados.').waitFor();

      const general = page.getByRole('form', { name: 'Niveles de servicio y correos' });
      await general.getByLabel('Caso clasificado').uncheck();
      await general.getByRole('button', { name: 'Guardar ajustes' }).click();
      await general.getByRole('status').getByText('Cambios guardados.').waitFor();

      // The desk as saved (its mail kinds changed since it was read above).
      const saved = (await call('/desks', { token })).find((/** @type {any} */ d) => d.code === 'TIC');
      const definition = await call(`/desks/${tic.id}/survey`, { token });
      assert.deepEqual(definition.acceptance_delay, { unit: 'business_days', amount: 3 });
      assert.deepEqual([...definition.reminder_hours_before].sort((a, b) => a - b), [4, 24]);
      assert.ok(!saved.notification_kinds.includes('classified'));
      assert.ok(saved.notification_kinds.includes('registered'));

      // An acceptance delay out of range is refused at its field.
      await survey.getByLabel('Plazo', { exact: true }).fill('90');
      await survey.getByRole('button', { name: 'Guardar encuesta' }).click();
      await survey.getByRole('alert').waitFor();
      assert.equal(await survey.getByLabel('Plazo', { exact: true }).getAttribute('aria-invalid'), 'true');
      await checkPage(page, '74-admin-desk', { skipSandboxedFrames: true });
    } finally {
      await context.close();
    }
  });

  test('an admin edits a mail template with its live preview; a broken one shows its error at the field', async () => {
    // From the built-in wording (an earlier run against the same data may have left its own).
    const admin = await tokenFor(USERNAME, PASSWORD);
    const tic = (await call('/desks', { token: admin })).find((/** @type {any} */ d) => d.code === 'TIC');
    await call(`/desks/${tic.id}/mail-templates/registered/es`, { token: admin, method: 'DELETE' });
    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/mail`);
      await page.getByRole('heading', { level: 1, name: 'Correo' }).waitFor();
      await page.getByLabel('Mesa', { exact: true }).selectOption({ label: 'Tecnologías de la Información (TIC)' });
      await page.getByLabel('Correo', { exact: true }).selectOption('registered');
      const subject = page.getByLabel('Asunto', { exact: true });
      await page.getByTestId('preview-subject').getByText(/Caso registrado:/).waitFor();
      await subject.fill('Recibimos su caso {{ number }} en {{ desk }}');
      await page.getByTestId('preview-subject').getByText(/Recibimos su caso 1234 en /).waitFor();
      await checkPage(page, '75-admin-mail-template', { skipSandboxedFrames: true });

      await subject.fill('Recibimos su caso {{ number ');
      await page.getByText(/La plantilla no es válida: .*syntax error/).waitFor();
      assert.equal(await subject.getAttribute('aria-invalid'), 'true');
      await page.getByRole('button', { name: 'Guardar plantilla' }).click();
      await page.getByText(/La plantilla no es válida/).first().waitFor();

      await subject.fill('Recibimos su caso {{ number }}');
      await page.getByTestId('preview-subject').getByText(/Recibimos su caso 1234$/).waitFor();
      await page.getByRole('button', { name: 'Guardar plantilla' }).click();
      await page.getByText('Plantilla guardada: los próximos correos la usan.').waitFor();
      await page.getByText('Propia de la mesa').waitFor();
      // The phone layout of the editor and its preview.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(300);
      const wide = await page.evaluate(() =>
        Array.from(document.querySelectorAll('body *'))
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => `${e.tagName}.${String(e.className).slice(0, 40)}`),
      );
      assert.deepEqual(wide, [], 'no horizontal scroll on a phone');
      await checkPage(page, '76-admin-mail-template-phone', { skipSandboxedFrames: true });
      await page.getByRole('button', { name: 'Volver a la predeterminada' }).click();
      await page.getByText('Predeterminada', { exact: true }).waitFor();
    } finally {
      await context.close();
    }
  });

  test('the outbox lists the mail a new case made; a failed one is retried; the failed jobs list', async () => {
    // A requester's case queues its "registered" mail (no SMTP server here: it stays pending).
    const requester = await tokenFor(REQUESTER, DEMO_PASSWORD);
    const desks = await call('/desks', { token: requester });
    const tic = desks.find((/** @type {any} */ d) => d.code === 'TIC');
    const service = findService(await call(`/desks/${tic.id}/catalog`, { token: requester }), 'Configuración de ofimática y correo');
    const ticket = await call('/tickets', {
      token: requester,
      method: 'POST',
      body: { service_id: service.id, subject: `Impresora sin tóner ${suffix}`, description: 'No imprime desde ayer.' },
    });
    const admin = await tokenFor(USERNAME, PASSWORD);
    // The notification becomes mail in a background job, within seconds.
    let mails = [];
    for (let i = 0; i < 40 && mails.length === 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 500));
      mails = (await call(`/outbox?ticket=${ticket.number}`, { token: admin })).items;
    }
    assert.ok(mails.length > 0, 'the new case queued mail');
    // A delivery that failed for good, when this run may reach the database (no SMTP server here).
    const failing = mails[0];
    let failed = false;
    if (process.env.DATABASE_URL) {
      execFileSync('psql', [
        process.env.DATABASE_URL,
        '-c',
        `update outbox set state = 'failed', failed_at = now(), attempts = 10, last_error = '550 mailbox unavailable' where id = '${failing.id}'`,
      ]);
      failed = true;
    }

    const { context, page } = await newPage(browser);
    try {
      await login(page, USERNAME, PASSWORD);
      await page.goto(`${BASE_URL}/admin/mail?tab=outbox`);
      await page.getByRole('tab', { name: 'Buzón de salida', selected: true }).waitFor();
      const table = page.getByRole('table', { name: 'Correos salientes, los más recientes primero' });
      await table.getByText(failing.subject).first().waitFor();
      await checkPage(page, '77-admin-outbox', { skipSandboxedFrames: true });
      if (failed) {
        await page.getByLabel('Estado').selectOption('failed');
        await table.getByText('Último error: 550 mailbox unavailable').first().waitFor();
        await table.getByRole('button', { name: `Reintentar el correo a ${failing.to_address}: ${failing.subject}` }).click();
        await page.getByText(`El correo a ${failing.to_address} se enviará de nuevo.`).waitFor();
        const again = await call(`/outbox/${failing.id}`, { token: admin });
        assert.equal(again.state, 'pending');
      }

      await page.getByRole('tab', { name: 'Tareas fallidas' }).click();
      await page.getByLabel('Estado').waitFor();
      await page.getByText('Ninguna tarea en segundo plano ha fallado.').or(page.getByRole('table', { name: /Tareas en segundo plano/ })).waitFor();
      await checkPage(page, '78-admin-jobs', { skipSandboxedFrames: true });
    } finally {
      await context.close();
    }
  });
});
