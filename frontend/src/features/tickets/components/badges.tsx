import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PRIORITY_COLOR, STATUS_COLOR } from '../lib/status';
import type { Priority, Status } from '../lib/types';

export function StatusBadge({ status }: { status: Status }) {
  const { t } = useTranslation();
  const color = STATUS_COLOR[status] ?? 'gray';
  return (
    <Badge variant="light" color={color} radius="sm">
      {t(`ticket.status.${status}`)}
    </Badge>
  );
}

/** "Abierto por encuesta": back at work because the requester's survey was unsatisfied. */
export function ReopenedBadge({ reason }: { reason?: string | null }) {
  const { t } = useTranslation();
  if (reason !== 'survey') return null;
  return (
    <Badge variant="light" color="orange" radius="sm">
      {t('ticket.reopened_by_survey')}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  const color = PRIORITY_COLOR[priority] ?? 'gray';
  return (
    <Badge variant="outline" color={color} c={`var(--mantine-color-${color}-light-color)`} radius="sm">
      {t('ticket.priority_label', { priority: t(`ticket.priority.${priority}`) })}
    </Badge>
  );
}
