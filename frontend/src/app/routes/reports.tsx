import { useMe } from '@/features/auth/api/get-me';
import { ReportsView } from '@/features/reports/components/reports-view';
import { useReportStrings } from '@/features/reports/lib/strings';
import { useDesks } from '@/features/tickets/api/tickets';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { Page } from '../components/page';
import { RequireManager } from '../components/require-manager';

/** "Informes": the desks' indicators over a period, for their managers and admins. */
export function ReportsRoute() {
  return (
    <RequireManager>
      <Reports />
    </RequireManager>
  );
}

function Reports() {
  const { t } = useReportStrings();
  const me = useMe();
  const desks = useDesks();
  const isAdmin = me.data?.role === 'admin';
  // Supervisors see the desks they manage; admins every desk.
  const mine = (desks.data ?? []).filter((d) => isAdmin || (me.data && d.supervisor_ids.includes(me.data.id)));
  return (
    <Page title={t('title')} intro={t('intro')}>
      {desks.isPending ? (
        <LoadingState />
      ) : desks.isError ? (
        <ErrorState onRetry={() => void desks.refetch()} />
      ) : mine.length === 0 ? (
        <EmptyState title={t('no_desks_title')}>{t('no_desks_text')}</EmptyState>
      ) : (
        <ReportsView desks={mine.map((d) => ({ id: d.id, name: d.name }))} isAdmin={isAdmin} />
      )}
    </Page>
  );
}
