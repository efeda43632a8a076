import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { PeopleList } from '@/features/admin-people/components/people-list';
import { useStrings } from '@/features/admin-people/lib/strings';
import { Page } from '../../components/page';

/** /admin/people: everyone registered; admins also create accounts. */
export function AdminPeopleRoute() {
  const { t } = useStrings();
  const me = useMe();
  const isAdmin = me.data?.role === 'admin';
  return (
    <Page
      title={t('people.title')}
      intro={isAdmin ? t('people.intro_admin') : t('people.intro')}
      actions={
        isAdmin && (
          <Button component={Link} to="/admin/people/new">
            {t('people.new')}
          </Button>
        )
      }
    >
      <PeopleList hrefFor={(id) => `/admin/people/${id}`} />
    </Page>
  );
}
