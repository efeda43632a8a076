import { Anchor, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { useGroup } from '@/features/admin-people/api/groups';
import { useDesks } from '@/features/admin-people/api/people';
import { GroupEditor } from '@/features/admin-people/components/group-editor';
import { NoticeAlert, success, type Notice } from '@/features/admin-people/components/notice';
import { useStrings } from '@/features/admin-people/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/groups/:id: a group's details and members. */
export function AdminGroupRoute() {
  const { t } = useStrings();
  const { t: tApp } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const me = useMe();
  const group = useGroup(id);
  const desks = useDesks();
  const arrived = (location.state as { notice?: string } | null)?.notice;
  const [notice, setNotice] = useState<Notice | null>(arrived ? success(arrived) : null);

  const back = (
    <Anchor component={Link} to="/admin/groups" size="sm">
      {t('group.back')}
    </Anchor>
  );
  if (group.isPending || desks.isPending || me.isPending) return <LoadingState label={t('group.loading')} />;
  if (group.isError || desks.isError || me.isError) {
    const status = (group.error as { status?: number } | null)?.status;
    return (
      <Stack>
        {back}
        <ErrorState title={status === 404 ? t('errors.general.not_found') : undefined} onRetry={() => void group.refetch()} />
      </Stack>
    );
  }
  const desk = desks.data.find((d) => d.id === group.data.desk_id);
  const manages = me.data.role === 'admin' || (desk?.supervisor_ids.includes(me.data.id) ?? false);
  return (
    <Page title={group.data.name}>
      {back}
      <Text size="sm">
        {desk?.name} · {t('groups.level_short', { level: group.data.level })}
      </Text>
      <NoticeAlert notice={notice} onClose={() => setNotice(null)} closeLabel={tApp('common.close')} />
      {manages ? <GroupEditor group={group.data} onSaved={setNotice} /> : <Text>{t('group.read_only')}</Text>}
    </Page>
  );
}
