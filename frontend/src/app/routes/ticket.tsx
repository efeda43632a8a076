import { Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { isStaff } from '@/features/auth/lib/roles';
import { useCatalogNode } from '@/features/catalog/api/get-node';
import { useTicket } from '@/features/tickets/api/tickets';
import { CaseSurvey } from '@/features/surveys/components/case-survey';
import { CaseKbPanel } from '@/features/kb/components/case-kb-panel';
import { TicketView, type FieldLabel } from '@/features/tickets/components/ticket-view';
import { ErrorState, LoadingState } from '@/shared/components/states';
import { localized } from '@/shared/lib/localized';
import { Page } from '../components/page';

/** One case (`/tickets/:number`), for its requester or for staff. */
export function TicketRoute() {
  const { t, i18n } = useTranslation();
  const number = Number(useParams().number);
  const ticket = useTicket(number);
  const me = useMe();
  const service = useCatalogNode(ticket.data?.service.id ?? '', { enabled: ticket.isSuccess });

  if (!Number.isInteger(number) || number <= 0 || ticket.isError || me.isError) {
    const status = (ticket.error as { status?: number } | null)?.status;
    return (
      <ErrorState
        title={status === 404 || !Number.isInteger(number) ? t('tickets.page.not_found') : undefined}
        onRetry={status === 404 ? undefined : () => void ticket.refetch()}
      >
        <Anchor component={Link} to="/requests">
          {t('nav.my_requests')}
        </Anchor>
      </ErrorState>
    );
  }
  if (ticket.isPending || me.isPending) return <LoadingState />;

  // Labels of the service's extra fields, when the catalog still shows the service.
  const labels: Record<string, FieldLabel> = {};
  for (const field of service.data?.service?.form_fields ?? []) {
    labels[field.key] = {
      label: localized(field.label, i18n.language),
      options: Object.fromEntries((field.options ?? []).map((o) => [o.value, localized(o.label, i18n.language)])),
    };
  }

  return (
    <Page
      title={t('tickets.page.title', { number: ticket.data.number, subject: ticket.data.subject })}
    >
      <CaseSurvey number={ticket.data.number} requester={ticket.data.requester.id === me.data.id} />
      <TicketView ticket={ticket.data} staff={isStaff(me.data.role)} fieldLabels={labels} />
      <CaseKbPanel
        ticket={{ ...ticket.data, solution: ticket.data.solution?.text ?? null }}
        staff={isStaff(me.data.role)}
      />
    </Page>
  );
}
