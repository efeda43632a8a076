import { Checkbox, NativeSelect, TextInput, Textarea } from '@mantine/core';
import { useStrings } from '../lib/strings';
import { useFieldMessage } from './form-alert';

export type GroupValues = { name: string; level: number; description: string; external_provider: boolean };

export const GROUP_INPUTS = ['name', 'level', 'description', 'external_provider', 'active'] as const;

/** A group's name, level, description and provider flag (creation and edition share them). */
export function GroupFields({
  idPrefix,
  values,
  onChange,
  errors,
}: {
  idPrefix: string;
  values: GroupValues;
  onChange: (values: GroupValues) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useStrings();
  const message = useFieldMessage();
  return (
    <>
      <TextInput
        id={`${idPrefix}-name`}
        label={t('groups.name')}
        description={t('groups.name_hint')}
        required
        value={values.name}
        onChange={(e) => onChange({ ...values, name: e.currentTarget.value })}
        error={message(errors.name)}
      />
      <NativeSelect
        id={`${idPrefix}-level`}
        label={t('groups.level')}
        value={String(values.level)}
        onChange={(e) => onChange({ ...values, level: Number(e.currentTarget.value) })}
        data={[1, 2, 3].map((l) => ({ value: String(l), label: t(`groups.level_${l as 1 | 2 | 3}`) }))}
        error={message(errors.level)}
      />
      <Textarea
        id={`${idPrefix}-description`}
        label={t('groups.description')}
        autosize
        minRows={2}
        maxLength={2000}
        value={values.description}
        onChange={(e) => onChange({ ...values, description: e.currentTarget.value })}
        error={message(errors.description)}
      />
      <Checkbox
        id={`${idPrefix}-external_provider`}
        label={t('groups.external_provider')}
        description={t('groups.external_provider_hint')}
        checked={values.external_provider}
        onChange={(e) => onChange({ ...values, external_provider: e.currentTarget.checked })}
        error={message(errors.external_provider)}
      />
    </>
  );
}
