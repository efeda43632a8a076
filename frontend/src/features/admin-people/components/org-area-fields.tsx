import { NativeSelect } from '@mantine/core';
import { useAreas, useOrganizations } from '../api/people';
import { useStrings } from '../lib/strings';
import { useFieldMessage } from './form-alert';

/**
 * The organization and, inside it, the area. Changing the organization clears the area (an area
 * belongs to one organization). Inactive ones stay listed only when already chosen.
 */
export function OrgAreaFields({
  idPrefix,
  organizationId,
  areaId,
  onChange,
  errors,
  disabled,
}: {
  idPrefix: string;
  organizationId: string;
  areaId: string;
  onChange: (value: { organizationId: string; areaId: string }) => void;
  errors: Record<string, string | undefined>;
  disabled?: boolean;
}) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const organizations = useOrganizations();
  const areas = useAreas(organizationId || null);
  const orgOptions = (organizations.data ?? [])
    .filter((o) => o.active || o.id === organizationId)
    .map((o) => ({ value: o.id, label: o.name }));
  const areaOptions = (areas.data ?? []).filter((a) => a.active || a.id === areaId).map((a) => ({ value: a.id, label: a.name }));
  // Keep a current value selectable while its list loads.
  if (organizationId && !orgOptions.some((o) => o.value === organizationId)) orgOptions.unshift({ value: organizationId, label: '…' });
  if (areaId && !areaOptions.some((a) => a.value === areaId)) areaOptions.unshift({ value: areaId, label: '…' });
  return (
    <>
      <NativeSelect
        id={`${idPrefix}-organization_id`}
        label={t('person.organization')}
        value={organizationId}
        disabled={disabled}
        onChange={(e) => onChange({ organizationId: e.currentTarget.value, areaId: '' })}
        data={[{ value: '', label: t('person.none') }, ...orgOptions]}
        error={message(errors.organization_id)}
      />
      <NativeSelect
        id={`${idPrefix}-area_id`}
        label={t('person.area')}
        description={organizationId ? undefined : t('person.area_hint_no_org')}
        value={areaId}
        disabled={disabled || !organizationId}
        onChange={(e) => onChange({ organizationId, areaId: e.currentTarget.value })}
        data={[{ value: '', label: t('person.none') }, ...areaOptions]}
        error={message(errors.area_id)}
      />
    </>
  );
}
