import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '@/features/auth/api/get-me';
import { isStaff } from '@/features/auth/lib/roles';
import { ErrorState, LoadingState } from '@/shared/components/states';

/** Pages for agents, desk managers and admins; requesters see why they cannot open them. */
export function RequireStaff({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState onRetry={() => void me.refetch()} />;
  if (!isStaff(me.data.role)) return <ErrorState title={t('common.staff_only')} />;
  return children;
}
