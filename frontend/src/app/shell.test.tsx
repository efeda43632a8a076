import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { sessionStore } from '@/shared/api/session';
import { agentUser, requesterUser, tokenResponse } from '@/test/fixtures';
import { json, stubApi } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';

function navLinks(name = 'Menú principal') {
  const nav = screen.getByRole('navigation', { name });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('app shell', () => {
  test('a requester gets the header, the skip link and the requester menu', async () => {
    sessionStore.set(tokenResponse(requesterUser));
    stubApi({ 'GET /api/v1/me': () => json(200, requesterUser) });
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hola, Lucía Martínez' })).toBeTruthy();
    expect(screen.getByRole('banner').textContent).toContain('Mesa de servicios');
    expect(screen.getByRole('link', { name: 'Saltar al contenido' }).getAttribute('href')).toBe('#main-content');
    expect(screen.getByRole('main').id).toBe('main-content');
    expect(navLinks()).toEqual(['Inicio', 'Nueva solicitud', 'Mis solicitudes', 'Base de conocimiento']);
    const home = within(screen.getByRole('navigation', { name: 'Menú principal' })).getByRole('link', { name: 'Inicio' });
    expect(home.getAttribute('aria-current')).toBe('page');
    // The burger only shows on phones (hidden by a media query here).
    const burger = document.querySelector('[aria-controls="main-navigation"]');
    expect(burger?.getAttribute('aria-label')).toBe('Mostrar u ocultar el menú');
    expect(burger?.getAttribute('aria-expanded')).toBe('false');
  });

  test('staff also get the queues and phone registration, in English too', async () => {
    sessionStore.set(tokenResponse(agentUser));
    stubApi({ 'GET /api/v1/me': () => json(200, agentUser) });
    const { user } = renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Hola, Andrés Agudelo' })).toBeTruthy();
    expect(navLinks()).toEqual(['Inicio', 'Nueva solicitud', 'Mis solicitudes', 'Base de conocimiento', 'Bandejas', 'Registrar por teléfono']);
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Andrés Agudelo' })).toBeTruthy();
    expect(navLinks('Main menu')).toEqual(['Home', 'New request', 'My requests', 'Knowledge base', 'Queues', 'Register a phone call']);
  });

  test('the user menu names the user and the role', async () => {
    sessionStore.set(tokenResponse(requesterUser));
    stubApi({ 'GET /api/v1/me': () => json(200, requesterUser) });
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Menú de usuario de Lucía Martínez' }));
    const menu = await screen.findByRole('menu');
    expect(menu.textContent).toContain('Solicitante');
    expect(within(menu).getByRole('menuitem', { name: 'Mis tokens de API' }).getAttribute('href')).toBe('/api-tokens');
    expect(within(menu).getByRole('menuitem', { name: 'Cerrar sesión' })).toBeTruthy();
  });

  test('navigating moves focus to the new page heading', async () => {
    sessionStore.set(tokenResponse(requesterUser));
    stubApi({
      'GET /api/v1/me': () => json(200, requesterUser),
      'GET /api/v1/desks': () => json(200, []),
    });
    const { user } = renderApp('/');
    await screen.findByRole('heading', { level: 1, name: 'Hola, Lucía Martínez' });
    const nav = screen.getByRole('navigation', { name: 'Menú principal' });
    await user.click(within(nav).getByRole('link', { name: 'Nueva solicitud' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Nueva solicitud' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe('Nueva solicitud · Mesa de servicios');
  });
});
