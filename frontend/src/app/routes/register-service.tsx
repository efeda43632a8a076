import { Anchor, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { components } from '@/api/schema';
import { useMe } from '@/features/auth/api/get-me';
import { canListUsers } from '@/features/auth/lib/roles';
import { useCatalogNode } from '@/features/catalog/api/get-node';
import type { Ticket } from '@/features/requests/api/create-ticket';
import { RequestCreated } from '@/features/requests/components/request-created';
import { RequestForm } from '@/features/requests/components/request-form';
import { RequesterPicker } from '@/features/requests/components/requester-picker';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';
import { RequireStaff } from '../components/require-staff';

type User = components['schemas']['User'];

/** A phone call registered by staff for someone else (`/register/:serviceId`). */
export function RegisterServiceRoute() {
  const { t } = useTranslation();
  const { serviceId = '' } = useParams();
  const node = useCatalogNode(serviceId);
  const me = useMe();
  const [requester, setRequester] = useState<User | null>(null);
  const [created, setCreated] = useState<Ticket | null>(null);

  let content;
  if (node.isPending || me.isPending) content = <LoadingState />;
  else if (node.isError || me.isError || node.data.kind !== 'service')
    content = (
      <ErrorState title={t('request.service_unavailable')}>
        <Anchor component={Link} to="/register">
          {t('request.back_to_catalog')}
        </Anchor>
      </ErrorState>
    );
  else if (created) content = <RequestCreated ticket={created} againTo="/register" />;
  else
    content = (
      <Stack gap="lg">
        <Anchor component={Link} to={`/register?service=${serviceId}`} size="sm">
          {t('request.back_to_catalog')}
        </Anchor>
        <span id="request-form-heading" hidden>
          {t('register.form_title', { service: node.data.name })}
        </span>
        <RequestForm
          service={node.data}
          requester={requester}
          onBehalf
          header={<RequesterPicker canSearch={canListUsers(me.data.role)} value={requester} onChange={setRequester} />}
          onCreated={setCreated}
        />
      </Stack>
    );

  return (
    <RequireStaff>
      <Page
        title={
          created
            ? t('request.created_page_title')
            : node.data
              ? t('register.form_title', { service: node.data.name })
              : t('register.title')
        }
      >
        {content}
      </Page>
    </RequireStaff>
  );
}
