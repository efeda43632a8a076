import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { useArticle } from '@/features/kb/api/kb';
import { ArticlePage } from '@/features/kb/components/article-page';
import { useKbStrings } from '@/features/kb/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';

/** One article (`/kb/:id`). */
export function KbArticleRoute() {
  const { t } = useKbStrings();
  const { i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const article = useArticle(id);
  if (article.isPending) return <LoadingState />;
  if (article.isError)
    return (
      <ErrorState title={t('article.not_found')}>
        <Anchor component={Link} to="/kb">
          {t('article.back')}
        </Anchor>
      </ErrorState>
    );
  const a = article.data;
  return (
    <Page title={a.title}>
      <Anchor component={Link} to="/kb" size="sm">
        {t('article.back')}
      </Anchor>
      <ArticlePage article={a} language={i18n.language} fromSuggestion={params.get('from') === 'suggestion'} />
    </Page>
  );
}
