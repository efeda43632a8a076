import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { Page } from '../components/page';

/** "Mis solicitudes": the cases the user asked for (or that were filed for them). */
export function MyRequestsRoute() {
  const { t } = useTranslation();
  const newRequest = (
    <Button component={Link} to="/requests/new">
      {t('nav.new_request')}
    </Button>
  );
  return (
    <Page title={t('tickets.my.title')} intro={t('tickets.my.intro')} actions={newRequest}>
      <TicketList
        view="requested"
        staff={false}
        refetchInterval={60_000}
        label={t('tickets.my.title')}
        emptyTitle={t('tickets.my.empty_title')}
        emptyText={t('tickets.my.empty_text')}
        emptyAction={newRequest}
      />
    </Page>
  );
}
