import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { isStaff } from '@/features/auth/lib/roles';
import { KbHome } from '@/features/kb/components/kb-home';
import { useKbStrings } from '@/features/kb/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';

/** "Base de conocimiento" (`/kb`): search, categories, articles; staff also drafts and the review queue. */
export function KbRoute() {
  const { t } = useKbStrings();
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState onRetry={() => void me.refetch()} />;
  const staff = isStaff(me.data.role);
  return (
    <Page
      title={t('title')}
      intro={staff ? t('intro_staff') : t('intro')}
      actions={
        staff && (
          <Button component={Link} to="/kb/new">
            {t('new_article')}
          </Button>
        )
      }
    >
      <KbHome staff={staff} />
    </Page>
  );
}
