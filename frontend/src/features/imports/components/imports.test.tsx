import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { adminUser, problem, tokenResponse } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

type Schemas = components['schemas'];
type Report = Schemas['ImportReport'];
type Row = Schemas['ImportRow'];

const SLOW = { timeout: 10_000 };
const supervisor: Schemas['User'] = { ...adminUser, id: '0b7e7a0e-4c1f-4a6e-9d3a-2f1f0e6b9a09', username: 'supervisor.tic', role: 'supervisor' };

function report(kind: Schemas['ImportKind'], rows: Row[], { dryRun = true, applied = false } = {}): Report {
  const count = (action: Schemas['ImportAction']) => rows.filter((r) => r.action === action).length;
  return {
    kind,
    dry_run: dryRun,
    applied,
    totals: { rows: rows.length, create: count('create'), update: count('update'), unchanged: count('unchanged'), error: count('error') },
    rows,
  };
}

const row = (line: number, key: string, action: Schemas['ImportAction'], rest: Partial<Row> = {}): Row => ({ line, key, action, changes: [], errors: [], ...rest });

const ORGS_CSV = 'nombre;sigla;activo\nSecretaría de Movilidad;SMOV;sí\nSecretaría de Hacienda;SHAC;sí\n';
const orgRows = [
  row(2, 'Secretaría de Movilidad', 'create', {
    changes: [
      { field: 'name', old: null, new: 'Secretaría de Movilidad' },
      { field: 'short_name', old: null, new: 'SMOV' },
      { field: 'active', old: null, new: 'true' },
    ],
  }),
  row(3, 'Secretaría de Hacienda', 'unchanged'),
];

function setup(handlers: Record<string, Handler>, me: Schemas['User'] = adminUser) {
  sessionStore.set(tokenResponse(me));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, me),
    'GET /api/v1/tickets/queues': () => json(200, { mine: 0, my_groups: 0, unassigned: 0 }),
    ...handlers,
  });
  return { ...renderApp('/admin/imports'), stub };
}

function fileInput(): HTMLInputElement {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error('no file input');
  return input;
}

/** The live region that announces each answer. */
const statusText = () => document.getElementById('import-status')?.textContent;

const dryRunOf = (request: Request) => new URL(request.url).searchParams.get('dry_run');

// Whole screens with their lazy admin chunks: slow on a busy 2-core machine.
describe('CSV imports', { timeout: 60_000 }, () => {
  test('reviews an organizations file, then applies the same file', async () => {
    let applied = false;
    const { user, stub } = setup({
      'POST /api/v1/imports/organizations': (request) => {
        if (dryRunOf(request) === 'false') {
          applied = true;
          return json(200, report('organizations', orgRows, { dryRun: false, applied: true }));
        }
        return json(200, report('organizations', orgRows));
      },
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Secciones de administración' });
    expect(within(nav).getByRole('link', { name: 'Importar (CSV)' }).getAttribute('href')).toBe('/admin/imports');
    // The order is explained, and the accepted columns of the chosen kind are listed.
    expect(screen.getByText(/El orden importa: primero las organizaciones, luego las áreas/)).toBeTruthy();
    const columns = screen.getByRole('table', { name: 'Columnas que acepta la importación de Organizaciones' });
    expect(within(columns).getByRole('rowheader', { name: /^name/ }).textContent).toContain('obligatoria');
    expect(within(columns).getByText('También: código, sigla')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Aplicar' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Revise el archivo antes de aplicarlo.')).toBeTruthy();

    await user.upload(fileInput(), new File([ORGS_CSV], 'organizaciones.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Revisión de «organizaciones.csv»' })).toBeTruthy();
    const review = stub.calls('POST /api/v1/imports/organizations')[0]!;
    expect(dryRunOf(review)).toBe('true');
    expect(review.headers.get('Content-Type')).toBe('text/csv');
    expect(await review.text()).toBe(ORGS_CSV);
    await waitFor(() =>
      expect(statusText()).toBe(
        'Revisión lista: 2 filas; 1 por crear, 0 por actualizar, 1 sin cambios y 0 con errores.',
      ),
    );
    const totals = screen.getByLabelText('Totales');
    expect(totals.textContent).toContain('Por crear1');
    // The table opens on what an apply would write.
    expect((screen.getByLabelText('Mostrar') as HTMLSelectElement).value).toBe('changes');
    const table = screen.getByRole('table', { name: 'Filas del archivo: línea, clave, resultado y detalle' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain('Secretaría de Movilidad');
    expect(within(rows[0]!).getByText('Por crear')).toBeTruthy();
    expect(within(rows[0]!).getByText('Sigla: SMOV')).toBeTruthy();
    expect(within(rows[0]!).getByText('Activo: Sí')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Mostrar'), 'all');
    expect(within(screen.getByRole('table', { name: /^Filas del archivo/ })).getAllByRole('row')).toHaveLength(3);

    const applyButton = screen.getByRole('button', { name: 'Aplicar' });
    expect(applyButton).toHaveProperty('disabled', false);
    expect(document.getElementById(applyButton.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Aplicar guarda todo el archivo de una vez: 1 por crear y 0 por actualizar.',
    );
    await user.click(applyButton);
    expect(await screen.findByRole('heading', { level: 2, name: 'Importación aplicada: «organizaciones.csv»' })).toBeTruthy();
    expect(applied).toBe(true);
    const sent = stub.calls('POST /api/v1/imports/organizations')[1]!;
    expect(dryRunOf(sent)).toBe('false');
    expect(await sent.text()).toBe(ORGS_CSV);
    expect(statusText()).toBe('Importación aplicada: 1 creados, 0 actualizados y 1 sin cambios.');
    expect(within(screen.getByRole('table', { name: /^Filas del archivo/ })).getByText('Creado')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Aplicar' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Esta importación ya se aplicó. Para cargar otro archivo, elíjalo y revíselo.')).toBeTruthy();
  });

  test('a users file with an error row shows it at its line and column, and cannot be applied', async () => {
    const rows = [
      row(2, 'ana.torres', 'update', { changes: [{ field: 'role', old: 'requester', new: 'agent' }, { field: 'phone', old: null, new: '602 555 0101' }] }),
      row(3, 'pedro.gomez', 'error', {
        errors: [{ field: 'organización', code: 'unknown_reference', message: "no organization is named or coded 'SXYZ'; import the organizations first" }],
      }),
    ];
    const { user, stub } = setup({ 'POST /api/v1/imports/users': () => json(200, report('users', rows)) });
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('radio', { name: /^Personas/ }));
    expect(screen.getByRole('table', { name: 'Columnas que acepta la importación de Personas' }).textContent).toContain('identity_number');
    expect(screen.getByText(/Ningún archivo lleva contraseñas/)).toBeTruthy();

    await user.upload(fileInput(), new File(['usuario;organización\nana.torres;SHAC\npedro.gomez;SXYZ\n'], 'personas.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await screen.findByRole('heading', { level: 2, name: 'Revisión de «personas.csv»' });
    expect(stub.calls('POST /api/v1/imports/users')).toHaveLength(1);
    // The errors come first.
    expect((screen.getByLabelText('Mostrar') as HTMLSelectElement).value).toBe('error');
    const table = screen.getByRole('table', { name: /^Filas del archivo/ });
    const [errorRow, ...others] = within(table).getAllByRole('row').slice(1);
    expect(others).toHaveLength(0);
    expect(within(errorRow!).getAllByRole('cell')[0]!.textContent).toBe('3');
    expect(within(errorRow!).getByText('Con errores')).toBeTruthy();
    expect(within(errorRow!).getByText('«organización»: no existe en Mesa; impórtelo primero.')).toBeTruthy();
    expect(within(errorRow!).getByText(/no organization is named or coded 'SXYZ'/).getAttribute('lang')).toBe('en');

    await user.selectOptions(screen.getByLabelText('Mostrar'), 'update');
    const update = within(screen.getByRole('table', { name: /^Filas del archivo/ })).getAllByRole('row')[1]!;
    expect(update.textContent).toContain('Rol: Solicitante → cambia a Agente');
    expect(update.textContent).toContain('Teléfono: (vacío) → cambia a 602 555 0101');

    expect(screen.getByRole('button', { name: 'Aplicar' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Corrija en el archivo las filas con errores y revíselo de nuevo para poder aplicarlo.')).toBeTruthy();
  });

  test('a file the server cannot read names the column; other refusals say why', async () => {
    let answer: Response = json(422, {
      ...problem(422, 'validation_failed', 'The request has invalid fields'),
      errors: [{ field: 'password', code: 'unknown_column', message: 'is not a column of this import; known columns: username, …' }],
    });
    const { user } = setup({ 'POST /api/v1/imports/users': () => answer });
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('radio', { name: /^Personas/ }));
    await user.upload(fileInput(), new File(['usuario;password\nana;secreto\n'], 'personas.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Mesa no pudo leer el archivo');
    expect(alert.textContent).toContain('La columna «password» parece de contraseñas');
    expect(screen.getByRole('button', { name: 'Aplicar' })).toHaveProperty('disabled', true);

    answer = json(422, {
      ...problem(422, 'validation_failed', 'The request has invalid fields'),
      errors: [{ field: 'correo electronico x', code: 'unknown_column', message: 'is not a column of this import' }],
    });
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('La columna «correo electronico x» no es de esta importación.'));

    answer = json(413, problem(413, 'payload_too_large', 'The request is too large'));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('El archivo supera 4 MiB: divídalo en varios archivos.'));

    answer = json(403, problem(403, 'forbidden', 'Forbidden'));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Solo la administración de Mesa puede importar datos.'));
  });

  test('an apply refused because a row went wrong meanwhile shows its report', async () => {
    const ok = [row(2, 'SHAC / Tesorería', 'create', { changes: [{ field: 'organization', old: null, new: 'Secretaría de Hacienda' }, { field: 'name', old: null, new: 'Tesorería' }] })];
    const refused = [row(2, 'SHAC / Tesorería', 'error', { errors: [{ field: 'área', code: 'duplicate', message: 'the same area is already on line 2' }] })];
    const { user } = setup({
      'POST /api/v1/imports/areas': (request) =>
        dryRunOf(request) === 'false'
          ? json(422, {
              ...problem(422, 'import_rejected', 'Some rows cannot be imported; nothing was written'),
              errors: [{ field: 'área', code: 'duplicate', message: 'line 2: the same area is already on line 2' }],
              report: report('areas', refused, { dryRun: false }),
            })
          : json(200, report('areas', ok)),
    });
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('radio', { name: /^Áreas/ }));
    await user.upload(fileInput(), new File(['organización;área\nSHAC;Tesorería\n'], 'areas.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await screen.findByRole('heading', { level: 2, name: 'Revisión de «areas.csv»' });
    expect(screen.getByText('Organización: Secretaría de Hacienda')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Aplicar' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'No se aplicó «areas.csv»' })).toBeTruthy();
    expect(statusText()).toMatch(/^No se guardó nada: 1 fila tiene errores/);
    expect(screen.getByText('«área»: se repite: ya está en otra fila del archivo.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Aplicar' })).toHaveProperty('disabled', true);
  });

  test('a long report is shown a page at a time', async () => {
    const many = Array.from({ length: 120 }, (_, i) => row(i + 2, `persona.${i + 2}`, i % 40 === 0 ? 'update' : 'unchanged'));
    const { user } = setup({ 'POST /api/v1/imports/users': () => json(200, report('users', many)) });
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('radio', { name: /^Personas/ }));
    await user.upload(fileInput(), new File(['usuario\n'], 'personas.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    await screen.findByRole('heading', { level: 2, name: 'Revisión de «personas.csv»' });
    await user.selectOptions(screen.getByLabelText('Mostrar'), 'all');
    const bodyRows = () => within(screen.getByRole('table', { name: /^Filas del archivo/ })).getAllByRole('row').slice(1);
    expect(bodyRows()).toHaveLength(50);
    expect(screen.getByText('Filas 1 a 50 de 120')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Página 3' }));
    expect(bodyRows()).toHaveLength(20);
    expect(bodyRows()[0]!.textContent).toContain('persona.102');
    expect(screen.getByText('Filas 101 a 120 de 120')).toBeTruthy();
    // Another filter starts at its first page.
    await user.selectOptions(screen.getByLabelText('Mostrar'), 'unchanged');
    expect(bodyRows()).toHaveLength(50);
    expect(screen.getByText('Filas 1 a 50 de 117')).toBeTruthy();
    expect(screen.getByLabelText('Mostrar').textContent).toContain('Sin cambios (117)');
  });

  test('checks the choice before sending: a file is needed, and a spreadsheet must be saved as CSV first', async () => {
    const { user, stub } = setup({});
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    expect(screen.getByText('Elija el archivo CSV que va a revisar.')).toBeTruthy();
    // The picker offers CSV files, but "All files" lets anyone pick the workbook itself.
    fireEvent.change(fileInput(), { target: { files: [new File(['PK'], 'personas.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })] } });
    expect(screen.getByText(/«personas.xlsx» es una hoja de cálculo: guárdela como CSV/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Revisar' }));
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  test('in English, and not for desk managers', async () => {
    const { user } = setup({ 'POST /api/v1/imports/organizations': () => json(200, report('organizations', orgRows)) });
    await screen.findByRole('heading', { level: 1, name: 'Importar desde CSV' }, SLOW);
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Import from CSV' })).toBeTruthy();
    expect(within(screen.getByRole('navigation', { name: 'Administration sections' })).getByRole('link', { name: 'Import (CSV)' })).toBeTruthy();
    await user.upload(fileInput(), new File([ORGS_CSV], 'orgs.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Review' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Review of "orgs.csv"' })).toBeTruthy();
    expect(screen.getByText('Short name: SMOV')).toBeTruthy();
  });

  test('a desk manager neither sees the section nor can use the page', async () => {
    setup({}, supervisor);
    expect(await screen.findByText('Solo la administración de Mesa puede importar datos.', {}, SLOW)).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Secciones de administración' });
    expect(within(nav).queryByRole('link', { name: 'Importar (CSV)' })).toBeNull();
    expect(document.querySelector('input[type="file"]')).toBeNull();
  });
});
