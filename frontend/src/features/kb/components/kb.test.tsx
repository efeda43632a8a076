import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import type { components } from '@/api/schema';
import { sessionStore } from '@/shared/api/session';
import { installFakeXhr } from '@/test/fake-xhr';
import { agentUser, cam, education, hacienda, page, requesterUser, siteSupport, ticDesk, ticCatalog, ticket, tokenResponse, treasury } from '@/test/fixtures';
import { json, stubApi, type Handler } from '@/test/fetch-stub';
import { renderApp } from '@/test/render-app';
import type { Article } from '../api/kb';

type User = components['schemas']['User'];
const ID = 'a0000000-0000-4000-8000-000000000001';

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: ID,
    desk_id: ticDesk.id,
    category: { id: 'c0000000-0000-4000-8000-000000000001', name: 'Impresión' },
    audience: 'public',
    status: 'published',
    title: 'La impresora no imprime: cola atascada',
    symptom: 'Los documentos quedan en cola.',
    body: '1. Cancele la cola',
    body_html: '<ol><li>Cancele la <strong>cola</strong></li></ol>',
    links: [{ title: 'Guía', url: 'https://intranet.example.gov.co/guia' }],
    attachments: [],
    author: { id: agentUser.id, name: agentUser.display_name },
    reviewer: null,
    reviewed_at: null,
    review_note: null,
    published_at: '2026-11-23T15:00:00Z',
    source_ticket_number: null,
    revision: 1,
    views: 3,
    helpful: 1,
    not_helpful: 0,
    my_vote: null,
    created_at: '2026-11-23T15:00:00Z',
    updated_at: '2026-11-23T15:00:00Z',
    version: 2,
    allowed_actions: [],
    ...overrides,
  };
}

function setup(user: User, path: string, handlers: Record<string, Handler>) {
  sessionStore.set(tokenResponse(user));
  installFakeXhr();
  const stub = stubApi({ 'GET /api/v1/me': () => json(200, user), 'GET /api/v1/tickets/queues': () => json(200, { mine: 0, requested: 0 }), ...handlers });
  return { ...renderApp(path), stub };
}

describe('self-help while filing', () => {
  test('suggests articles for the subject, opens one over the form and reports the deflection when the form is left', async () => {
    const { user, stub, router } = setup(requesterUser, `/requests/new/${siteSupport.id}`, {
      [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, siteSupport),
      'GET /api/v1/locations': () => json(200, page([cam])),
      'GET /api/v1/organizations': () => json(200, page([education, hacienda])),
      'GET /api/v1/areas': () => json(200, page([treasury])),
      'GET /api/v1/kb/suggestions': (r) =>
        json(200, new URL(r.url).searchParams.get('q')?.startsWith('impresora') ? [{ id: ID, desk_id: ticDesk.id, title: article().title, symptom: 'Los documentos quedan en cola.', category: null, audience: 'public' }] : []),
      [`GET /api/v1/kb/articles/${ID}`]: () => json(200, article()),
      [`POST /api/v1/kb/articles/${ID}/views`]: () => json(201, { id: 'v0000000-0000-4000-8000-000000000001', views: 4 }),
      'POST /api/v1/kb/views/v0000000-0000-4000-8000-000000000001/deflection': () => new Response(null, { status: 204 }),
    });
    await user.click(await screen.findByLabelText(/^Asunto/));
    await user.paste('impresora no imprime');
    const region = await screen.findByRole('region', { name: 'Quizás esto le ayude antes de enviar la solicitud' }, { timeout: 2000 });
    // Debounced: one search for the whole subject, not one per character.
    expect(stub.calls('GET /api/v1/kb/suggestions')).toHaveLength(1);
    await user.click(within(region).getByRole('button', { name: /La impresora no imprime/ }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('cola')).toBeTruthy();
    await waitFor(() => expect(stub.calls(`POST /api/v1/kb/articles/${ID}/views`)).toHaveLength(1));
    expect(await stub.calls(`POST /api/v1/kb/articles/${ID}/views`)[0]?.json()).toEqual({ from_suggestion: true });
    // The dialog's own close button and the one under the article both say "Cerrar".
    await user.click(within(dialog).getAllByRole('button', { name: 'Cerrar' }).at(-1)!);
    // Leaving the form without filing counts the opened article as a deflection.
    await router.navigate('/requests');
    await waitFor(() => expect(stub.calls('POST /api/v1/kb/views/v0000000-0000-4000-8000-000000000001/deflection')).toHaveLength(1));
  });
});

describe('article page', () => {
  test('a requester reads the server-rendered steps and votes once', async () => {
    const { user, stub } = setup(requesterUser, `/kb/${ID}`, {
      [`GET /api/v1/kb/articles/${ID}`]: () => json(200, article()),
      [`POST /api/v1/kb/articles/${ID}/views`]: () => json(201, { id: 'v1', views: 4 }),
      [`PUT /api/v1/kb/articles/${ID}/vote`]: () => json(200, { helpful: 2, not_helpful: 0, my_vote: true }),
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'La impresora no imprime: cola atascada' })).toBeTruthy();
    expect(screen.getByTestId('article-html').innerHTML).toContain('<strong>cola</strong>');
    expect(screen.queryByRole('button', { name: 'Publicar' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Versiones' })).toBeNull();
    await waitFor(() => expect(stub.calls(`POST /api/v1/kb/articles/${ID}/views`)).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Sí' }));
    expect(await screen.findByText('Gracias por su respuesta.')).toBeTruthy();
    expect(await stub.calls(`PUT /api/v1/kb/articles/${ID}/vote`)[0]?.json()).toEqual({ helpful: true });
    expect(screen.getByRole('button', { name: 'Sí' }).getAttribute('aria-pressed')).toBe('true');
  });

  test('a supervisor publishes an article in review with its version, and compares versions', async () => {
    const inReview = article({ status: 'in_review', published_at: null, revision: 2, allowed_actions: ['edit', 'publish', 'return', 'history'] });
    let current = inReview;
    const { user, stub } = setup({ ...agentUser, role: 'supervisor' }, `/kb/${ID}`, {
      [`GET /api/v1/kb/articles/${ID}`]: () => json(200, current),
      [`GET /api/v1/kb/articles/${ID}/versions`]: () =>
        json(200, [2, 1].map((revision) => ({ revision, title: `Título ${revision}`, symptom: 's', body: 'b', category: null, audience: 'public', links: [], edited_by: inReview.author, created_at: '2026-11-23T15:00:00Z' }))),
      [`GET /api/v1/kb/articles/${ID}/diff`]: () =>
        json(200, { from: 1, to: 2, fields: [{ field: 'body', changes: [{ tag: 'equal', text: 'Paso 1\n' }, { tag: 'delete', text: 'Paso 2\n' }, { tag: 'insert', text: 'Paso 2 corregido\n' }] }] }),
      [`POST /api/v1/kb/articles/${ID}/publish`]: () => {
        current = article({ version: 3, allowed_actions: ['edit', 'return', 'archive', 'history'] });
        return json(200, current);
      },
      [`POST /api/v1/kb/articles/${ID}/views`]: () => json(201, { id: 'v1', views: 4 }),
    });
    expect(await screen.findByText('En revisión')).toBeTruthy();
    const diff = await screen.findByTestId('article-diff');
    expect(within(diff).getByText('Paso 2 corregido', { exact: false }).tagName).toBe('INS');
    expect(within(diff).getByText('Paso 2', { exact: false, selector: 'del' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Publicar' }));
    // Published: the server now allows archiving, not publishing again.
    expect(await screen.findByRole('button', { name: 'Archivar' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Publicar' })).toBeNull();
    expect(stub.calls(`POST /api/v1/kb/articles/${ID}/publish`)[0]?.headers.get('If-Match')).toBe('"2"');
  });
});

describe('editor', () => {
  test('previews the Markdown as the server renders it and saves a draft', async () => {
    const { user, stub } = setup(agentUser, '/kb/new', {
      'GET /api/v1/desks': () => json(200, [ticDesk]),
      [`GET /api/v1/desks/${ticDesk.id}/catalog`]: () => json(200, ticCatalog),
      'POST /api/v1/kb/preview': () => json(200, { html: '<p><strong>Paso</strong></p>' }),
      'POST /api/v1/kb/articles': () => json(201, article({ status: 'draft', allowed_actions: ['edit', 'submit', 'history'] })),
      [`GET /api/v1/kb/articles/${ID}`]: () => json(200, article({ status: 'draft', allowed_actions: ['edit', 'submit', 'history'] })),
      [`GET /api/v1/kb/articles/${ID}/versions`]: () => json(200, []),
    });
    await user.click(await screen.findByLabelText(/^Nombre de la solución/));
    await user.paste('La impresora no imprime');
    await user.click(screen.getByLabelText(/^Descripción del incidente/));
    await user.paste('No sale nada');
    await user.click(screen.getByLabelText(/^Pasos de la solución/));
    await user.paste('**Paso**');
    await user.selectOptions(screen.getByLabelText('Categoría'), 'TIC › Soporte Técnico CTO');
    const preview = await screen.findByTestId('kb-preview', {}, { timeout: 2000 });
    expect(preview.innerHTML).toBe('<p><strong>Paso</strong></p>');
    await user.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findByRole('button', { name: 'Enviar a revisión' })).toBeTruthy();
    const sent = (await stub.calls('POST /api/v1/kb/articles')[0]?.json()) as Record<string, unknown>;
    expect(sent).toMatchObject({ desk_id: ticDesk.id, title: 'La impresora no imprime', symptom: 'No sale nada', body: '**Paso**', audience: 'public', links: [] });
    expect(sent.category_id).toBeTruthy();
  });
});

describe('a case and the knowledge base', () => {
  test('staff propose a resolved case solution as an article, prefilled from the case', async () => {
    const resolved = ticket({ status: 'resolved', solution: { text: 'Se canceló la cola', solution_type: null, resolved_at: '2026-11-23T16:00:00Z' } as never, allowed_actions: [] });
    const { user, stub } = setup(agentUser, '/tickets/123', {
      'GET /api/v1/tickets/123': () => json(200, resolved),
      [`GET /api/v1/catalog/nodes/${siteSupport.id}`]: () => json(200, siteSupport),
      'GET /api/v1/tickets/123/survey': () => json(404, { type: '/problems/not_found', title: 'Not found', status: 404, code: 'not_found' }),
      'GET /api/v1/tickets/123/followups': () => json(200, []),
      'GET /api/v1/tickets/123/events': () => json(200, []),
      'GET /api/v1/tickets/123/attachments': () => json(200, []),
      'GET /api/v1/tickets/123/articles': () => json(200, []),
      'GET /api/v1/locations': () => json(200, page([cam])),
      'GET /api/v1/organizations': () => json(200, page([education, hacienda])),
      'GET /api/v1/areas': () => json(200, page([treasury])),
      'POST /api/v1/tickets/123/kb-proposal': () => json(201, article({ status: 'in_review' })),
    });
    await user.click(await screen.findByRole('button', { name: 'Proponer la solución como artículo' }));
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText(/^Nombre de la solución/) as HTMLInputElement).value).toBe('El computador no enciende');
    expect((within(dialog).getByLabelText(/^Pasos de la solución/) as HTMLTextAreaElement).value).toBe('Se canceló la cola');
    await user.click(within(dialog).getByRole('button', { name: 'Enviar a revisión' }));
    expect(await screen.findByText('Artículo enviado a revisión.')).toBeTruthy();
    expect(await stub.calls('POST /api/v1/tickets/123/kb-proposal')[0]?.json()).toMatchObject({ title: 'El computador no enciende', body: 'Se canceló la cola', audience: 'public' });
  });
});
