import '@mantine/core/styles/Chip.css';
import { Anchor, Badge, Chip, Group, Paper, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useArticles, type ArticleStatus, type ArticleSummary } from '../api/kb';
import { useKbStrings } from '../lib/strings';
import { StatusBadge } from './article-body';

const TABS: ArticleStatus[] = ['published', 'in_review', 'draft', 'archived'];

/**
 * The knowledge base: search (debounced, by relevance), categories, the articles. Staff also
 * get a tab per status — "Por revisar" is the supervisors' review queue.
 */
export function KbHome({ staff }: { staff: boolean }) {
  const { t } = useKbStrings();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const status = (staff ? (params.get('status') as ArticleStatus | null) : null) ?? 'published';
  const [debounced] = useDebouncedValue(q, 300);
  const articles = useArticles({ status, q: debounced.trim() || undefined, category: category || undefined });
  // The categories come from the status' articles themselves, so none is empty.
  const all = useArticles({ status });
  const categories = new Map<string, string>();
  for (const a of all.data?.items ?? []) if (a.category) categories.set(a.category.id, a.category.name);

  const update = (key: string, value: string) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  const list = articles.isPending ? (
    <LoadingState />
  ) : articles.isError ? (
    <ErrorState onRetry={() => void articles.refetch()} />
  ) : articles.data.items.length === 0 ? (
    <EmptyState title={t('empty_title')}>{t('empty_text')}</EmptyState>
  ) : (
    <Stack gap="sm" component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('title')}>
      {articles.data.items.map((a) => (
        <ArticleCard key={a.id} article={a} staff={staff} />
      ))}
    </Stack>
  );

  return (
    <Stack gap="md">
      <TextInput type="search" label={t('search_label')} placeholder={t('search_placeholder')} value={q} onChange={(e) => update('q', e.currentTarget.value)} maw={560} />
      {categories.size > 0 && (
        <Stack gap={4}>
          <Text id="kb-categories" fw={600} size="sm">
            {t('categories')}
          </Text>
          <Chip.Group value={category} onChange={(v) => update('category', typeof v === 'string' ? v : '')}>
            <Group gap="xs" role="radiogroup" aria-labelledby="kb-categories">
              <Chip value="">{t('all_categories')}</Chip>
              {[...categories].map(([id, name]) => (
                <Chip key={id} value={id}>
                  {name}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
      )}
      {staff ? (
        <Tabs value={status} onChange={(v) => update('status', v && v !== 'published' ? v : '')}>
          <Tabs.List>
            {TABS.map((s) => (
              <Tabs.Tab key={s} value={s}>
                {t(`tabs.${s}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {/* A panel per tab (each tab's aria-controls names one); only the chosen one is filled. */}
          {TABS.map((s) => (
            <Tabs.Panel key={s} value={s} pt="md">
              {s === status ? list : null}
            </Tabs.Panel>
          ))}
        </Tabs>
      ) : (
        list
      )}
    </Stack>
  );
}

function ArticleCard({ article, staff }: { article: ArticleSummary; staff: boolean }) {
  const { t } = useKbStrings();
  return (
    <li>
      <Paper withBorder radius="md" p="sm">
        <Stack gap={4}>
          <Group gap="xs" justify="space-between">
            <Anchor component={Link} to={`/kb/${article.id}`} fw={600}>
              {article.title}
            </Anchor>
            <Group gap={6}>
              {staff && <StatusBadge status={article.status} />}
              {article.audience === 'internal' && (
                <Badge size="sm" variant="light" color="grape" radius="sm">
                  {t('audience.internal')}
                </Badge>
              )}
              {article.category && (
                <Badge size="sm" variant="outline" color="gray.8">
                  {article.category.name}
                </Badge>
              )}
            </Group>
          </Group>
          <Text size="sm" lineClamp={2}>
            {article.symptom}
          </Text>
          <Text size="xs">
            {t('views_count', { count: article.views })} · {t('helpful_count', { count: article.helpful })}
          </Text>
        </Stack>
      </Paper>
    </li>
  );
}
