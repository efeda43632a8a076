import { NativeSelect, Stack } from '@mantine/core';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useDesks } from '../api/desk-settings';
import { useSlaT } from '../lib/bundle';
import { DeskSettings } from './desk-settings';

/**
 * The desks the user manages (all of them for an admin, their own for a supervisor), one at a
 * time; the chosen one is in the address (`?desk=<id>`).
 */
export function DesksAdmin({ userId, isAdmin, deskId, onDesk }: { userId: string; isAdmin: boolean; deskId: string | null; onDesk: (id: string) => void }) {
  const t = useSlaT();
  const desks = useDesks();
  if (desks.isPending) return <LoadingState label={t('desks.loading')} />;
  if (desks.isError) return <ErrorState onRetry={() => void desks.refetch()} />;
  const mine = desks.data.filter((d) => isAdmin || d.supervisor_ids.includes(userId));
  if (mine.length === 0) return <EmptyState title={t('desks.none')} />;
  const desk = mine.find((d) => d.id === deskId) ?? mine[0]!;
  return (
    <Stack gap="lg">
      <NativeSelect
        label={t('desks.pick')}
        value={desk.id}
        data={mine.map((d) => ({ value: d.id, label: `${d.name} (${d.code})` }))}
        onChange={(e) => onDesk(e.currentTarget.value)}
        maw={420}
      />
      <DeskSettings key={desk.id} desk={desk} />
    </Stack>
  );
}
