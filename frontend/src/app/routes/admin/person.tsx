import { Anchor, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { usePerson } from '@/features/admin-people/api/people';
import { AvailabilityForm } from '@/features/admin-people/components/availability-form';
import { PersonEditor } from '@/features/admin-people/components/person-editor';
import { NoticeAlert, success, type Notice } from '@/features/admin-people/components/notice';
import { useStrings } from '@/features/admin-people/lib/strings';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../../components/page';

/** /admin/people/:id: one account; admins edit it, managers set its availability. */
export function AdminPersonRoute() {
  const { t } = useStrings();
  const { t: tApp } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const me = useMe();
  const person = usePerson(id);
  const arrived = (location.state as { notice?: string } | null)?.notice;
  const [notice, setNotice] = useState<Notice | null>(arrived ? success(arrived) : null);

  const back = (
    <Anchor component={Link} to="/admin/people" size="sm">
      {t('person.back')}
    </Anchor>
  );
  if (person.isPending) return <LoadingState label={t('person.loading')} />;
  if (person.isError) {
    const status = (person.error as { status?: number }).status;
    return (
      <Stack>
        {back}
        <ErrorState title={status === 404 ? t('person.not_found') : undefined} onRetry={status === 404 ? undefined : () => void person.refetch()} />
      </Stack>
    );
  }
  const user = person.data;
  return (
    <Page title={user.display_name}>
      {back}
      <NoticeAlert notice={notice} onClose={() => setNotice(null)} closeLabel={tApp('common.close')} />
      <PersonEditor key={user.version} user={user} canEdit={me.data?.role === 'admin'} onSaved={setNotice} />
      <AvailabilityForm user={user} />
    </Page>
  );
}
