import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@/api/schema';
import { $api, api } from '@/shared/api/client';
import { unwrap } from '@/shared/api/pages';
import { asProblem, type Problem } from '@/shared/api/problem';

export type Article = components['schemas']['Article'];
export type ArticleSummary = components['schemas']['ArticleSummary'];
export type ArticleStatus = components['schemas']['ArticleStatus'];
export type Audience = components['schemas']['ArticleAudience'];
export type ArticleVersion = components['schemas']['ArticleVersion'];
export type ArticleDiff = components['schemas']['ArticleDiff'];
export type Suggestion = components['schemas']['Suggestion'];
export type CreateArticle = components['schemas']['CreateArticle'];
export type EditArticle = components['schemas']['EditArticle'];
export type KbProposal = components['schemas']['KbProposal'];

export const kbKeys = {
  all: ['kb'] as const,
  list: (filters: ArticleFilters) => ['kb', 'list', filters] as const,
  one: (id: string) => ['kb', 'article', id] as const,
  versions: (id: string) => ['kb', 'versions', id] as const,
  diff: (id: string, from: number, to: number) => ['kb', 'diff', id, from, to] as const,
  suggestions: (q: string, desk: string | undefined) => ['kb', 'suggestions', q, desk ?? ''] as const,
  caseArticles: (number: number) => ['kb', 'case', number] as const,
};

/** An API answer that is not a success: its status and problem document, for the forms. */
export class KbError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: Problem | null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function check<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.error === undefined) return result.data;
  throw new KbError(result.response.status, asProblem(result.error));
}

export type ArticleFilters = {
  desk?: string;
  category?: string;
  status?: ArticleStatus;
  q?: string;
};

/** GET /api/v1/kb/articles — by title, or by relevance with `q` (one page of 50). */
export function useArticles(filters: ArticleFilters) {
  return useQuery({
    queryKey: kbKeys.list(filters),
    queryFn: async () => unwrap(await api.GET('/api/v1/kb/articles', { params: { query: { ...filters, q: filters.q || undefined } } })),
    placeholderData: keepPreviousData,
  });
}

/** GET /api/v1/kb/articles/{id} */
export function useArticle(id: string) {
  return useQuery({
    queryKey: kbKeys.one(id),
    queryFn: async () => check(await api.GET('/api/v1/kb/articles/{id}', { params: { path: { id } } })),
    retry: (count, error) => !(error instanceof KbError && error.status < 500) && count < 2,
  });
}

/** GET /api/v1/kb/articles/{id}/versions (staff) */
export function useVersions(id: string) {
  return useQuery({
    queryKey: kbKeys.versions(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/kb/articles/{id}/versions', { params: { path: { id } } })),
  });
}

/** GET /api/v1/kb/articles/{id}/diff?from&to (staff) */
export function useDiff(id: string, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: kbKeys.diff(id, from, to),
    enabled,
    queryFn: async () => unwrap(await api.GET('/api/v1/kb/articles/{id}/diff', { params: { path: { id }, query: { from, to } } })),
  });
}

/** GET /api/v1/kb/suggestions — what may answer the subject being typed (already debounced). */
export function useSuggestions(q: string, desk?: string) {
  const text = q.trim();
  return useQuery({
    queryKey: kbKeys.suggestions(text, desk),
    enabled: text.length >= 3,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/kb/suggestions', { params: { query: { q: text, desk } }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

/** GET /api/v1/tickets/{number}/articles */
export function useCaseArticles(number: number) {
  return useQuery({
    queryKey: kbKeys.caseArticles(number),
    queryFn: async () => unwrap(await api.GET('/api/v1/tickets/{number}/articles', { params: { path: { number } } })),
  });
}

/** POST /api/v1/kb/articles — a new draft. */
export function useCreateArticle() {
  const queryClient = useQueryClient();
  return useMutation<Article, KbError, CreateArticle>({
    mutationFn: async (body) => check(await api.POST('/api/v1/kb/articles', { body })),
    onSuccess: (a) => {
      queryClient.setQueryData(kbKeys.one(a.id), a);
      void queryClient.invalidateQueries({ queryKey: ['kb', 'list'] });
    },
  });
}

/** PATCH /api/v1/kb/articles/{id} with If-Match: a new revision. */
export function useEditArticle(article: Article) {
  const queryClient = useQueryClient();
  return useMutation<Article, KbError, EditArticle>({
    mutationFn: async (body) =>
      check(
        await api.PATCH('/api/v1/kb/articles/{id}', {
          params: { path: { id: article.id }, header: { 'If-Match': `"${article.version}"` } },
          body,
        }),
      ),
    onSuccess: (a) => {
      queryClient.setQueryData(kbKeys.one(a.id), a);
      void queryClient.invalidateQueries({ queryKey: kbKeys.all });
    },
  });
}

export type Step = 'submit' | 'publish' | 'archive' | 'return';

/** POST /api/v1/kb/articles/{id}/{step} with If-Match. */
export function useArticleStep(article: Article) {
  const queryClient = useQueryClient();
  return useMutation<Article, KbError, { step: Step; note?: string }>({
    mutationFn: async ({ step, note }) => {
      const params = { path: { id: article.id }, header: { 'If-Match': `"${article.version}"` } };
      switch (step) {
        case 'submit':
          return check(await api.POST('/api/v1/kb/articles/{id}/submit', { params }));
        case 'publish':
          return check(await api.POST('/api/v1/kb/articles/{id}/publish', { params }));
        case 'archive':
          return check(await api.POST('/api/v1/kb/articles/{id}/archive', { params }));
        case 'return':
          return check(await api.POST('/api/v1/kb/articles/{id}/return', { params, body: { note: note ?? '' } }));
      }
    },
    onSuccess: (a) => {
      queryClient.setQueryData(kbKeys.one(a.id), a);
      void queryClient.invalidateQueries({ queryKey: kbKeys.all });
    },
  });
}

/** PUT /api/v1/kb/articles/{id}/vote */
export function useVote(id: string) {
  const queryClient = useQueryClient();
  return useMutation<components['schemas']['VoteTally'], KbError, boolean>({
    mutationFn: async (helpful) => check(await api.PUT('/api/v1/kb/articles/{id}/vote', { params: { path: { id } }, body: { helpful } })),
    onSuccess: (tally) =>
      queryClient.setQueryData<Article>(kbKeys.one(id), (a) => (a ? { ...a, helpful: tally.helpful, not_helpful: tally.not_helpful, my_vote: tally.my_vote } : a)),
  });
}

/** POST /api/v1/kb/articles/{id}/views — one reading; returns the view's id (for a deflection). */
export async function recordView(id: string, fromSuggestion: boolean): Promise<string | null> {
  const r = await api.POST('/api/v1/kb/articles/{id}/views', { params: { path: { id } }, body: { from_suggestion: fromSuggestion } });
  return r.data?.id ?? null;
}

/** POST /api/v1/kb/views/{id}/deflection — the form was left without filing after this view. */
export async function recordDeflection(viewId: string): Promise<void> {
  await api.POST('/api/v1/kb/views/{id}/deflection', { params: { path: { id: viewId } } });
}

/** POST /api/v1/tickets/{number}/kb-proposal — the case's solution, to the review queue. */
export function useProposeArticle(number: number) {
  const queryClient = useQueryClient();
  return useMutation<Article, KbError, KbProposal>({
    mutationFn: async (body) => check(await api.POST('/api/v1/tickets/{number}/kb-proposal', { params: { path: { number } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: kbKeys.all }),
  });
}

/** GET /api/v1/desks — for the editor's desk choice. */
export function useKbDesks() {
  return $api.useQuery('get', '/api/v1/desks', {}, { staleTime: 5 * 60_000 });
}

/** GET /api/v1/desks/{id}/catalog — the desk's categories for an article. */
export function useDeskCategories(deskId: string | null) {
  const catalog = $api.useQuery('get', '/api/v1/desks/{id}/catalog', { params: { path: { id: deskId ?? '' } } }, { enabled: deskId !== null, staleTime: 5 * 60_000 });
  type Node = components['schemas']['CatalogNode'];
  const out: { id: string; name: string }[] = [];
  const walk = (nodes: Node[], prefix: string) => {
    for (const n of nodes) {
      if (n.kind !== 'category') continue;
      const name = prefix ? `${prefix} › ${n.name}` : n.name;
      out.push({ id: n.id, name });
      walk(n.children ?? [], name);
    }
  };
  walk(catalog.data?.nodes ?? [], '');
  return { categories: out, isPending: catalog.isPending && deskId !== null };
}

/** POST /api/v1/kb/preview — the Markdown as the article will show it. */
export async function previewHtml(body: string, signal?: AbortSignal): Promise<string> {
  return unwrap(await api.POST('/api/v1/kb/preview', { body: { body }, signal })).html;
}
