import { Button, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { deskKeys, useDesks, type Desk } from '../api/desk-settings';
import { useSlaT } from '../lib/bundle';
import { DeskSettings } from './desk-settings';
import { NewDeskForm } from './new-desk';

/**
 * The desks the user manages (all of them for an admin, their own for a supervisor), one at a
 * time; the chosen one is in the address (`?desk=<id>`). Admins also create desks here.
 */
export function DesksAdmin({ userId, isAdmin, deskId, onDesk }: { userId: string; isAdmin: boolean; deskId: string | null; onDesk: (id: string) => void }) {
  const t = useSlaT();
  const desks = useDesks();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  if (desks.isPending) return <LoadingState label={t('desks.loading')} />;
  if (desks.isError) return <ErrorState onRetry={() => void desks.refetch()} />;
  const mine = desks.data.filter((d) => isAdmin || d.supervisor_ids.includes(userId));
  const desk = mine.find((d) => d.id === deskId) ?? mine[0];
  const onCreated = (d: Desk) => {
    // Shown at once, before the list is asked again.
    queryClient.setQueryData<Desk[]>(deskKeys.list, (list) => [...(list ?? []).filter((x) => x.id !== d.id), d]);
    setCreating(false);
    setCreated(d.name);
    onDesk(d.id);
  };
  return (
    <Stack gap="lg">
      <Group align="flex-end" gap="sm">
        {mine.length > 0 && !creating && (
          <NativeSelect
            label={t('desks.pick')}
            value={desk?.id}
            data={mine.map((d) => ({ value: d.id, label: `${d.name} (${d.code})` }))}
            onChange={(e) => {
              setCreated(null);
              onDesk(e.currentTarget.value);
            }}
            w={420}
            maw="100%"
          />
        )}
        {isAdmin && !creating && (
          <Button
            variant="light"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            {t('desks.new')}
          </Button>
        )}
      </Group>
      {created && (
        <Text role="status" c="teal.9">
          {t('desks.created', { name: created })}
        </Text>
      )}
      {creating ? (
        <NewDeskForm onCreated={onCreated} onCancel={() => setCreating(false)} />
      ) : desk ? (
        <DeskSettings key={desk.id} desk={desk} />
      ) : (
        <EmptyState title={t('desks.none')} />
      )}
    </Stack>
  );
}
