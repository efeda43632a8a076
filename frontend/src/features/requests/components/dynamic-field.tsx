import { Checkbox, NativeSelect, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localized } from '@/shared/lib/localized';
import type { FieldValue, FormField } from '../lib/form-fields';

export function fieldInputId(key: string) {
  return `request-field-${key}`;
}

/** One of the service's extra fields, drawn by its type, labelled in the UI language. */
export function DynamicField({
  field,
  value,
  onChange,
  error,
  disabled,
}: {
  field: FormField;
  value: FieldValue | undefined;
  onChange: (value: FieldValue) => void;
  error?: string | null;
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const label = localized(field.label, i18n.language);
  const description = field.help ? localized(field.help, i18n.language) : undefined;
  const common = {
    id: fieldInputId(field.key),
    name: `fields.${field.key}`,
    label,
    description,
    required: field.required,
    error: error ?? undefined,
    disabled,
  };
  const text = typeof value === 'string' ? value : '';
  switch (field.type) {
    case 'long_text':
      return <Textarea {...common} autosize minRows={3} maxRows={12} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'number':
      return (
        <TextInput
          {...common}
          inputMode="decimal"
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          description={description ?? t('request.number_hint')}
        />
      );
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(e) => onChange(e.currentTarget.value)} maw={240} />;
    case 'select':
      return (
        <NativeSelect
          {...common}
          value={text}
          onChange={(e) => onChange(e.currentTarget.value)}
          data={[
            { value: '', label: t('request.choose_option') },
            ...(field.options ?? []).map((o) => ({ value: o.value, label: localized(o.label, i18n.language) })),
          ]}
        />
      );
    case 'checkbox':
      return (
        <Checkbox
          {...common}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    default:
      return <TextInput {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}
