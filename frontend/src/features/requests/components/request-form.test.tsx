import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { installFakeXhr } from '@/test/fake-xhr';
import {
  cam,
  education,
  hacienda,
  page,
  problem,
  requesterUser,
  siteSupport,
  ticket,
  tokenResponse,
  treasury,
} from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

const PATH = `/requests/new/${siteSupport.id}`;

function setup(handlers: Record<string, Handler> = {}) {
  sessionStore.set(tokenResponse(requesterUser));
  const xhr = installFakeXhr();
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, requesterUser),
    [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, siteSupport),
    'GET /api/v1/locations': () => json(200, page([cam])),
    'GET /api/v1/organizations': () => json(200, page([education, hacienda])),
    'GET /api/v1/areas': () => json(200, page([treasury])),
    'POST /api/v1/tickets': () => json(201, ticket()),
    ...handlers,
  });
  return { ...renderApp(PATH), stub, xhr };
}

type User = ReturnType<typeof renderApp>['user'];

async function paste(user: User, label: RegExp, text: string) {
  await user.click(screen.getByLabelText(label));
  await user.paste(text);
}

async function fillValid(user: User) {
  await paste(user, /^Asunto/, 'El computador no enciende');
  await paste(user, /^Descripción/, 'Desde esta mañana el equipo no enciende.');
  await paste(user, /^Placa del equipo/, 'AB-123');
  await paste(user, /^Cantidad de equipos/, '2,5');
  await user.selectOptions(screen.getByLabelText(/^Tipo de equipo/), 'portatil');
  await user.click(screen.getByLabelText(/^Acepto la conexión remota/));
}

function photo() {
  return new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'foto-equipo.jpg', { type: 'image/jpeg' });
}

function fileInputOf(groupName: RegExp) {
  const group = screen.getByRole('group', { name: groupName });
  return group.querySelector<HTMLInputElement>('input[type="file"]')!;
}

describe('request form', () => {
  test('shows the service fields by type, in Spanish, with the profile defaults', async () => {
    setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Solicitud: Soporte virtual o en sitio' })).toBeTruthy();
    const placa = await screen.findByLabelText(/^Placa del equipo/);
    expect(placa.getAttribute('required')).not.toBeNull();
    expect(placa.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('Está en la etiqueta del inventario.')).toBeTruthy();
    expect(screen.getByLabelText(/^Fecha de la falla/).getAttribute('type')).toBe('date');
    expect(screen.getByLabelText(/^Acepto la conexión remota/).getAttribute('type')).toBe('checkbox');
    const select = screen.getByLabelText(/^Tipo de equipo/);
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Seleccione…', 'Portátil', 'Escritorio']);
    expect(screen.getByLabelText(/^Detalle adicional/).tagName).toBe('TEXTAREA');
    expect(screen.getByRole('group', { name: /Foto del equipo/ })).toBeTruthy();
    expect(screen.getByText('Una foto donde se vea la placa.')).toBeTruthy();
    expect((screen.getByLabelText(/^Teléfono de contacto/) as HTMLInputElement).value).toBe('602 555 0101');
    await waitFor(() => expect((screen.getByLabelText(/^Organismo/) as HTMLSelectElement).value).toBe(hacienda.id));
    await waitFor(() =>
      expect(within(screen.getByLabelText(/^Área/)).getByRole('option', { name: 'Subdirección de Tesorería' })).toBeTruthy(),
    );
    expect((screen.getByLabelText(/^Área/) as HTMLSelectElement).value).toBe(treasury.id);
  });

  test('labels follow the UI language, falling back to Spanish', async () => {
    const { user } = setup();
    await screen.findByLabelText(/^Placa del equipo/);
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByLabelText(/^Asset tag/)).toBeTruthy();
    expect(screen.getByLabelText(/^Cantidad de equipos/)).toBeTruthy(); // no English label
    expect(within(screen.getByLabelText(/^Device type/)).getByRole('option', { name: 'Laptop' })).toBeTruthy();
  });

  test('checks everything before sending and links each problem to its input', async () => {
    const { user, xhr } = setup();
    await screen.findByLabelText(/^Placa del equipo/);
    await user.type(screen.getByLabelText(/^Cantidad de equipos/), 'tres');
    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));

    const summary = await screen.findByRole('alert');
    await waitFor(() => expect(document.activeElement).toBe(summary));
    expect(summary.textContent).toContain('Revise los 7 datos marcados');
    expect(summary.textContent).toContain('Asunto: Este dato es obligatorio.');
    expect(summary.textContent).toContain('Cantidad de equipos: Escriba un número');
    expect(summary.textContent).toContain('Tipo de equipo: Este dato es obligatorio.');
    expect(summary.textContent).toContain('Acepto la conexión remota: Debe marcar esta casilla');
    expect(summary.textContent).toContain('Foto del equipo: Adjunte este documento.');
    expect(screen.getByLabelText(/^Placa del equipo/).getAttribute('aria-invalid')).toBe('true');
    expect(xhr.sent).toHaveLength(0);

    await user.click(within(summary).getByRole('link', { name: /^Asunto/ }));
    expect(document.activeElement).toBe(screen.getByLabelText(/^Asunto/));
    // A fixed problem disappears at once.
    await user.type(screen.getByLabelText(/^Asunto/), 'Algo');
    expect(screen.getByRole('alert').textContent).not.toContain('Asunto');
  });

  test('sends one multipart request and shows the number at once', async () => {
    const { user, xhr, router } = setup();
    await screen.findByLabelText(/^Placa del equipo/);
    await fillValid(user);
    await user.upload(fileInputOf(/Foto del equipo/), photo());
    const extra = new File(['registro de errores'], 'errores.txt', { type: 'text/plain' });
    await user.upload(fileInputOf(/Otros archivos adjuntos/), extra);
    expect(screen.getByText('foto-equipo.jpg')).toBeTruthy();
    expect(screen.getByText('errores.txt')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));
    const heading = await screen.findByRole('heading', { level: 2, name: 'Caso #123 registrado' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('link', { name: 'Ver el caso #123' }).getAttribute('href')).toBe('/tickets/123');
    expect(router.state.location.pathname).toBe(PATH);

    expect(xhr.sent).toHaveLength(1);
    const sent = xhr.sent[0]!;
    expect(sent.url).toBe('http://localhost:3000/api/v1/tickets');
    expect(sent.headers.get('Authorization')).toBe('Bearer access-1');
    expect(sent.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{32,36}$/);
    const data = JSON.parse(await (sent.body!.get('data') as Blob).text());
    expect(data).toEqual({
      service_id: siteSupport.id,
      subject: 'El computador no enciende',
      description: 'Desde esta mañana el equipo no enciende.',
      contact_phone: '602 555 0101',
      location_id: null,
      organization_id: hacienda.id,
      area_id: treasury.id,
      fields: { placa_equipo: 'AB-123', cantidad: 2.5, tipo_equipo: 'portatil', acepta_remoto: true },
    });
    expect((sent.body!.get('attachment.foto_equipo') as File).name).toBe('foto-equipo.jpg');
    expect((sent.body!.getAll('file') as File[]).map((f) => f.name)).toEqual(['errores.txt']);
    expect([...sent.body!.keys()]).toEqual(['data', 'attachment.foto_equipo', 'file']);
  });

  test("shows the server's 422 problems next to their inputs, in the user's language", async () => {
    const { user } = setup({
      'POST /api/v1/tickets': () =>
        json(422, {
          ...problem(422, 'validation_failed', 'Validation failed'),
          errors: [
            { field: 'fields.placa_equipo', code: 'required', message: "'Placa del equipo' is required" },
            { field: 'subject', code: 'too_long', message: 'must be at most 200 characters' },
            { field: 'files.0', code: 'disguised_type', message: "'errores.txt' is named as .txt but its content is application/pdf" },
          ],
        }),
    });
    await screen.findByLabelText(/^Placa del equipo/);
    await fillValid(user);
    await user.upload(fileInputOf(/Foto del equipo/), photo());
    await user.upload(fileInputOf(/Otros archivos adjuntos/), new File(['x'], 'errores.txt'));
    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));

    const summary = await screen.findByRole('alert');
    expect(summary.textContent).toContain('Revise los 3 datos marcados');
    const placa = screen.getByLabelText(/^Placa del equipo/);
    expect(placa.getAttribute('aria-invalid')).toBe('true');
    const describedBy = placa.getAttribute('aria-describedby')!.split(' ');
    expect(describedBy.map((id) => document.getElementById(id)?.textContent).join(' ')).toContain(
      'Este dato es obligatorio.',
    );
    expect(screen.getByText('El contenido del archivo no corresponde a su extensión.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'English' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Check the 3 marked fields');
    expect(screen.getByRole('alert').textContent).toContain('Subject: Write at most');
    expect(screen.getByText("The file's content does not match its extension.")).toBeTruthy();

    // Editing the field clears the server's complaint about it.
    await user.type(screen.getByLabelText(/^Asset tag/), '9');
    expect(screen.getByRole('alert').textContent).not.toContain('Asset tag');
  });

  test('after a network failure the retry reuses the Idempotency-Key', async () => {
    let attempt = 0;
    const { user, xhr } = setup({
      'POST /api/v1/tickets': () => {
        attempt += 1;
        if (attempt === 1) throw new TypeError('Failed to fetch');
        return json(201, ticket({ number: 124 }));
      },
    });
    await screen.findByLabelText(/^Placa del equipo/);
    await fillValid(user);
    await user.upload(fileInputOf(/Foto del equipo/), photo());
    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));
    expect((await screen.findByRole('alert')).textContent).toContain('la solicitud no se duplicará');
    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));
    expect(await screen.findByRole('heading', { name: 'Caso #124 registrado' })).toBeTruthy();
    expect(xhr.sent).toHaveLength(2);
    expect(xhr.sent[1]!.headers.get('Idempotency-Key')).toBe(xhr.sent[0]!.headers.get('Idempotency-Key'));
  });

  test('takes dropped files, and refuses kinds the desk does not take before sending', async () => {
    const { user } = setup();
    await screen.findByLabelText(/^Placa del equipo/);
    const zone = screen.getByRole('group', { name: /Otros archivos adjuntos/ }).querySelector('[data-dropzone]')!;
    fireEvent.dragOver(zone, { dataTransfer: { files: [] } });
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['MZ'], 'instalador.exe')] } });
    expect(screen.getByText('instalador.exe')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Registrar solicitud' }));
    expect((await screen.findByRole('alert')).textContent).toContain('instalador.exe: Este tipo de archivo no se admite');
    await user.click(screen.getByRole('button', { name: 'Quitar el archivo instalador.exe' }));
    expect(screen.queryByText('instalador.exe')).toBeNull();
  });

  test('a category or an unknown service cannot be requested', async () => {
    setup({ [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(404, problem(404, 'not_found', 'Not found')) });
    expect(await screen.findByText('Este servicio no está disponible para usted.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Volver al catálogo' })).toBeTruthy();
  });
});
