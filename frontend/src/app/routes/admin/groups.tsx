import { useNavigate } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { useDesks } from '@/features/admin-people/api/people';
import { GroupsAdmin } from '@/features/admin-people/components/groups-admin';
import { useStrings } from '@/features/admin-people/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/groups: the support groups of the desks the caller manages (every desk for admins). */
export function AdminGroupsRoute() {
  const { t } = useStrings();
  const me = useMe();
  const desks = useDesks();
  const navigate = useNavigate();
  let body;
  if (desks.isPending || me.isPending) body = <LoadingState label={t('groups.loading')} />;
  else if (desks.isError || me.isError) body = <ErrorState onRetry={() => void desks.refetch()} />;
  else {
    const mine = me.data.role === 'admin' ? desks.data : desks.data.filter((d) => d.supervisor_ids.includes(me.data.id));
    body = (
      <GroupsAdmin
        desks={mine}
        hrefFor={(id) => `/admin/groups/${id}`}
        onCreated={(group) => void navigate(`/admin/groups/${group.id}`, { state: { notice: t('group.created') } })}
      />
    );
  }
  return (
    <Page title={t('groups.title')} intro={t('groups.intro')}>
      {body}
    </Page>
  );
}
