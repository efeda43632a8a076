import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import {
  adminDesk,
  ctoSupport,
  requesterUser,
  siteSupport,
  tic,
  ticCatalog,
  ticDesk,
  tokenResponse,
} from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

function setup(handlers: Record<string, Handler> = {}, path = '/requests/new') {
  sessionStore.set(tokenResponse(requesterUser));
  const stub = stubApi({
    'GET /api/v1/me': () => json(200, requesterUser),
    'GET /api/v1/desks': () => json(200, [ticDesk]),
    [`GET /api/v1/desks/${ticDesk.id}/catalog`]: () => json(200, ticCatalog),
    ...handlers,
  });
  return { ...renderApp(path), stub };
}

const treeItem = (name: string) => screen.getByRole('treeitem', { name });

describe('catalog browser', () => {
  test('expands categories with "+" and shows a service with its details', async () => {
    const { user, router } = setup();
    expect(await screen.findByRole('heading', { level: 1, name: 'Nueva solicitud' })).toBeTruthy();
    const tree = await screen.findByRole('tree', { name: 'Catálogo de servicios' });
    expect(within(tree).getAllByRole('treeitem').map((i) => i.getAttribute('aria-labelledby'))).toHaveLength(2);
    expect(treeItem('TIC').getAttribute('aria-expanded')).toBe('false');
    expect(treeItem('TIC').textContent).toContain('+');

    await user.click(screen.getByText('TIC'));
    expect(treeItem('TIC').getAttribute('aria-expanded')).toBe('true');
    expect(treeItem('TIC').textContent).toContain('−');
    await user.click(screen.getByText('Soporte Técnico CTO'));
    await user.click(screen.getByText('Soporte virtual o en sitio'));

    expect(treeItem('Soporte virtual o en sitio').getAttribute('aria-selected')).toBe('true');
    const details = screen.getByRole('region', { name: 'Soporte virtual o en sitio' });
    expect(details.textContent).toContain('Asistencia remota o en el puesto de trabajo');
    expect(details.textContent).toContain('Restablecer el funcionamiento');
    expect(details.textContent).toContain('Equipos de cómputo, impresoras');
    expect(details.textContent).toContain('Lunes a viernes 7:30 a. m. – 5:00 p. m.');
    expect(details.textContent).toContain('8 horas hábiles');
    expect(details.textContent).toContain('TIC › Soporte Técnico CTO');
    expect(within(details).getByRole('link', { name: 'Solicitar' }).getAttribute('href')).toBe(
      `/requests/new/${siteSupport.id}`,
    );
    expect(router.state.location.search).toBe(`?service=${siteSupport.id}`);
  });

  test('is operable with the keyboard alone (one tab stop, arrows, Enter)', async () => {
    const { user } = setup();
    await screen.findByRole('tree');
    await user.click(screen.getByLabelText(/^Buscar un servicio/));
    await user.tab({ shift: false });
    expect(document.activeElement).toBe(treeItem('TIC'));
    await user.keyboard('{ArrowRight}');
    expect(treeItem('TIC').getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(treeItem('Soporte Técnico CTO'));
    await user.keyboard('{Enter}');
    expect(treeItem('Soporte Técnico CTO').getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}{Enter}');
    expect(treeItem('Soporte virtual o en sitio').getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('heading', { level: 2, name: 'Soporte virtual o en sitio' })).toBeTruthy();
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement).toBe(treeItem('Soporte Técnico CTO'));
    await user.keyboard('{ArrowLeft}');
    expect(treeItem('Soporte Técnico CTO').getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(treeItem('Soporte Técnico CTO'));
  });

  test('search ignores accents and shows where each service lives', async () => {
    const { user } = setup();
    await screen.findByRole('tree');
    await user.type(screen.getByLabelText(/^Buscar un servicio/), 'impresion');
    expect(await screen.findByText('1 servicio encontrado')).toBeTruthy();
    const results = screen.getByRole('list', { name: 'Servicios encontrados' });
    const hit = within(results).getByRole('button', { name: /Impresión y escáner/ });
    expect(hit.textContent).toContain('TIC › Soporte Técnico CTO');
    await user.click(hit);
    expect(screen.getByRole('heading', { level: 2, name: 'Impresión y escáner' })).toBeTruthy();

    await user.clear(screen.getByLabelText(/^Buscar un servicio/));
    await user.type(screen.getByLabelText(/^Buscar un servicio/), 'zzz');
    expect(await screen.findByText('Ningún servicio coincide con «zzz»')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('0 servicios encontrados');
  });

  test('a link to a service opens its branch', async () => {
    setup({}, `/requests/new?service=${siteSupport.id}`);
    await screen.findByRole('tree');
    expect(treeItem('TIC').getAttribute('aria-expanded')).toBe('true');
    expect(treeItem('Soporte Técnico CTO').getAttribute('aria-expanded')).toBe('true');
    expect(treeItem('Soporte virtual o en sitio').getAttribute('aria-selected')).toBe('true');
    expect(tic.id).not.toBe(ctoSupport.id);
  });

  test('with several desks the user picks one first', async () => {
    const { user, stub } = setup({ 'GET /api/v1/desks': () => json(200, [ticDesk, adminDesk]) });
    const desk = await screen.findByRole('radio', { name: /Mesa de servicios TIC/ });
    expect(screen.queryByRole('tree')).toBeNull();
    expect(stub.calls(`GET /api/v1/desks/${ticDesk.id}/catalog`)).toHaveLength(0);
    await user.click(desk);
    expect(await screen.findByRole('tree')).toBeTruthy();
  });

  test('says so when there is no desk or the catalog is empty', async () => {
    setup({ 'GET /api/v1/desks': () => json(200, []) });
    expect(await screen.findByText('No hay mesas de servicio disponibles')).toBeTruthy();
  });

  test('an empty catalog and a failed load', async () => {
    let fail = true;
    const { user } = setup({
      [`GET /api/v1/desks/${ticDesk.id}/catalog`]: () =>
        fail
          ? json(500, { type: '/problems/internal', title: 'x', status: 500, code: 'internal' })
          : json(200, { desk_id: ticDesk.id, nodes: [] }),
    });
    const retry = await screen.findByRole('button', { name: 'Reintentar' });
    fail = false;
    await user.click(retry);
    await waitFor(() => expect(screen.getByText('Esta mesa aún no tiene servicios')).toBeTruthy());
  });
});
