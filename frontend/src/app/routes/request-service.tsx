import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { useCatalogNode } from '@/features/catalog/api/get-node';
import type { Ticket } from '@/features/requests/api/create-ticket';
import { RequestCreated } from '@/features/requests/components/request-created';
import { RequestForm } from '@/features/requests/components/request-form';
import { KbSuggestions } from '@/features/kb/components/suggestions';
import { useDeflection } from '@/features/kb/hooks/use-deflection';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';

/** The request form of one service (`/requests/new/:serviceId`). */
export function RequestServiceRoute() {
  const { t } = useTranslation();
  const { serviceId = '' } = useParams();
  const node = useCatalogNode(serviceId);
  const me = useMe();
  const [created, setCreated] = useState<Ticket | null>(null);
  // Articles opened from the suggestions, reported as deflections if the form is left unfiled.
  const deflection = useDeflection();
  const back = `/requests/new?service=${serviceId}`;

  if (node.isPending || me.isPending) return <LoadingState />;
  if (node.isError || me.isError || node.data.kind !== 'service')
    return (
      <ErrorState title={t('request.service_unavailable')} onRetry={node.isError ? () => void node.refetch() : undefined}>
        <Anchor component={Link} to="/requests/new">
          {t('request.back_to_catalog')}
        </Anchor>
      </ErrorState>
    );

  const service = node.data;
  return (
    <Page
      title={created ? t('request.created_page_title') : t('request.page_title', { service: service.name })}
      intro={created ? undefined : t('request.page_intro')}
    >
      {created ? (
        <RequestCreated ticket={created} againTo="/requests/new" />
      ) : (
        <Stack gap="lg">
          <Paper withBorder radius="md" p="md" bg="gray.0">
            <Stack gap={4}>
              <Title order={2} size="h5">
                {service.name}
              </Title>
              {service.description && <Text size="sm">{service.description}</Text>}
              {service.service?.promised_resolution && (
                <Text size="sm">
                  {t('catalog.promised_resolution')}: {service.service.promised_resolution}
                </Text>
              )}
              <Anchor component={Link} to={back} size="sm">
                {t('request.back_to_catalog')}
              </Anchor>
            </Stack>
          </Paper>
          <span id="request-form-heading" hidden>
            {t('request.page_title', { service: service.name })}
          </span>
          <RequestForm
            service={service}
            requester={me.data}
            subjectAddon={(subject) => <KbSuggestions subject={subject} onOpened={deflection.opened} />}
            onCreated={(ticket) => {
              deflection.filed();
              setCreated(ticket);
            }}
          />
        </Stack>
      )}
    </Page>
  );
}
