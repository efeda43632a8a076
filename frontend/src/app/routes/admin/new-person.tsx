import { Anchor } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { CreatePersonForm } from '@/features/admin-people/components/create-person-form';
import { useStrings } from '@/features/admin-people/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/people/new: a new account (admins only; the API refuses others). */
export function AdminNewPersonRoute() {
  const { t } = useStrings();
  const me = useMe();
  const navigate = useNavigate();
  if (me.isPending) return <LoadingState />;
  if (me.data?.role !== 'admin') return <ErrorState title={t('errors.general.forbidden')} />;
  return (
    <Page title={t('create.title')} intro={t('create.intro')}>
      <Anchor component={Link} to="/admin/people" size="sm">
        {t('person.back')}
      </Anchor>
      <CreatePersonForm
        onCreated={(user) =>
          void navigate(`/admin/people/${user.id}`, { state: { notice: t('create.created', { name: user.display_name }) } })
        }
      />
    </Page>
  );
}
