import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '@/features/auth/api/get-me';
import { isManager } from '@/features/auth/lib/roles';
import { ErrorState, LoadingState } from '@/shared/components/states';

/** Pages for the desk's managers (supervisors) and admins; others see why they cannot open them. */
export function RequireManager({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) return <LoadingState />;
  if (me.isError) return <ErrorState onRetry={() => void me.refetch()} />;
  if (!isManager(me.data.role)) return <ErrorState title={t('common.managers_only')} />;
  return children;
}
