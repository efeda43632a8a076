import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/shared/lib/format';
import { useGroupMembers } from '../api/tickets';
import type { Group as SupportGroup } from '../lib/types';

/**
 * A group, then (optionally) a person of it: each member says whether they can take a case now
 * (absent until…) and how many open cases they hold. No person: the group's queue.
 */
export function AssigneeFields({
  groups,
  groupId,
  agentId,
  onGroup,
  onAgent,
  groupError,
  agentError,
  idPrefix,
  groupDescription,
}: {
  groups: SupportGroup[];
  groupId: string;
  agentId: string;
  onGroup: (value: string) => void;
  onAgent: (value: string) => void;
  groupError?: string | undefined;
  agentError?: string | undefined;
  idPrefix: string;
  groupDescription?: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const members = useGroupMembers(groupId || null);
  const people = members.data ?? [];
  // The level is said only when the groups offered differ in it.
  const mixedLevels = new Set(groups.map((g) => g.level)).size > 1;
  const personLabel = (m: (typeof people)[number]) =>
    [
      m.user.name,
      m.available
        ? t('ticket.dialog.member_available')
        : m.absent_until
          ? t('ticket.dialog.member_absent_until', { date: formatDateTime(m.absent_until, i18n.language) })
          : t('ticket.dialog.member_unavailable'),
      t('ticket.dialog.member_open', { count: m.open_cases }),
    ].join(' · ');
  return (
    <>
      <NativeSelect
        label={t('ticket.dialog.group')}
        required
        id={`${idPrefix}-group_id`}
        value={groupId}
        error={groupError}
        description={groupDescription}
        onChange={(e) => {
          onGroup(e.currentTarget.value);
          onAgent('');
        }}
        data={[
          { value: '', label: t('request.choose_option') },
          ...groups.map((g) => ({ value: g.id, label: mixedLevels ? `${g.name} (${t('ticket.facts.level_value', { level: g.level })})` : g.name })),
        ]}
      />
      <NativeSelect
        label={t('ticket.dialog.person')}
        id={`${idPrefix}-agent_id`}
        value={agentId}
        error={agentError}
        disabled={!groupId || members.isPending}
        description={
          !groupId
            ? t('ticket.dialog.person_after_group')
            : members.isError
              ? t('ticket.dialog.members_error')
              : members.isSuccess
                ? t('ticket.dialog.members_available', { count: people.filter((m) => m.available).length, total: people.length })
                : t('ticket.dialog.members_loading')
        }
        onChange={(e) => onAgent(e.currentTarget.value)}
        data={[
          { value: '', label: t('ticket.dialog.person_none') },
          ...people.map((m) => ({ value: m.user.id, label: personLabel(m), disabled: !m.available })),
        ]}
      />
    </>
  );
}
