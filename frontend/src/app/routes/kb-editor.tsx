import { useNavigate, useParams } from 'react-router';
import { useArticle, useKbDesks } from '@/features/kb/api/kb';
import { ArticleEditor } from '@/features/kb/components/article-editor';
import { useKbStrings } from '@/features/kb/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';

/** Writing a new article (`/kb/new`) or editing one (`/kb/:id/edit`): agents, supervisors, admins. */
export function KbEditorRoute() {
  return (
    <RequireStaff>
      <KbEditor />
    </RequireStaff>
  );
}

function KbEditor() {
  const { t } = useKbStrings();
  const { id } = useParams();
  const navigate = useNavigate();
  const article = useArticle(id ?? '');
  const desks = useKbDesks();
  if (desks.isPending || (id && article.isPending)) return <LoadingState />;
  if (desks.isError || (id && article.isError)) return <ErrorState onRetry={() => void (id ? article.refetch() : desks.refetch())} />;
  const existing = id ? article.data : undefined;
  return (
    <Page title={existing ? t('editor.edit_title', { title: existing.title }) : t('editor.new_title')}>
      <ArticleEditor
        key={existing ? `${existing.id}:${existing.version}` : 'new'}
        article={existing}
        desks={(desks.data ?? []).map((d) => ({ id: d.id, name: d.name }))}
        onSaved={(a) => void navigate(`/kb/${a.id}`)}
      />
    </Page>
  );
}
