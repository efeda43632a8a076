import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import type { components } from '@/api/schema';
import {
  FIELD_TYPES,
  PRIORITIES,
  TICKET_TYPES,
  keyFromLabel,
  type AttachmentRequirement,
  type FormField,
  type ServiceDraft,
} from '../lib/service-draft';
import { inputId } from './field-ids';
import type { CatalogT } from './strings';

type Schemas = components['schemas'];
type Role = Schemas['Role'];
const ROLES: readonly Role[] = ['requester', 'agent', 'supervisor', 'admin'];

export type Lookups = {
  groups: Schemas['Group'][];
  organizations: Schemas['Organization'][];
  areas: Schemas['Area'][];
  policies: Schemas['SlaPolicy'][];
};

type Props = {
  draft: ServiceDraft;
  onChange: (next: ServiceDraft) => void;
  /** The message for an API path (`service.scope`), or null. */
  error: (path: string) => string | null;
  lookups: Lookups;
  disabled?: boolean;
  t: CatalogT;
};

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** A service's sheet: what it is, who may ask, what a request brings, who solves it, how fast. */
export function ServiceSheet({ draft, onChange, error, lookups, disabled, t }: Props) {
  const set = <K extends keyof ServiceDraft>(key: K, value: ServiceDraft[K]) => onChange({ ...draft, [key]: value });
  const p = (name: string) => `service.${name}`;
  const text = (name: 'objective' | 'scope' | 'availability' | 'promised_resolution', long = false) => {
    const common = {
      id: inputId(p(name)),
      label: t(`sheet.${name}`),
      description: t(`sheet.${name}_hint`),
      value: draft[name],
      error: error(p(name)),
      disabled,
    };
    return long ? (
      <Textarea {...common} autosize minRows={2} maxRows={8} onChange={(e) => set(name, e.currentTarget.value)} />
    ) : (
      <TextInput {...common} onChange={(e) => set(name, e.currentTarget.value)} />
    );
  };
  const groupOptions = [
    { value: '', label: t('sheet.none') },
    ...lookups.groups.map((g) => ({ value: g.id, label: t('sheet.group_option', { name: g.name, level: g.level }) })),
  ];

  return (
    <Stack gap="lg">
      <Fieldset legend={t('sheet.section_what')} radius="md">
        <Stack gap="md">
          {text('objective', true)}
          {text('scope', true)}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              id={inputId(p('default_type'))}
              label={t('sheet.default_type')}
              value={draft.default_type}
              data={TICKET_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))}
              onChange={(e) => set('default_type', e.currentTarget.value as ServiceDraft['default_type'])}
              error={error(p('default_type'))}
              disabled={disabled}
            />
            <NativeSelect
              id={inputId(p('default_priority'))}
              label={t('sheet.default_priority')}
              value={draft.default_priority}
              data={PRIORITIES.map((v) => ({ value: v, label: t(`priorities.${v}`) }))}
              onChange={(e) => set('default_priority', e.currentTarget.value as ServiceDraft['default_priority'])}
              error={error(p('default_priority'))}
              disabled={disabled}
            />
          </SimpleGrid>
        </Stack>
      </Fieldset>

      <Fieldset legend={t('sheet.section_when')} radius="md">
        <Stack gap="md">
          {text('availability')}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('promised_resolution')}
            <TextInput
              id={inputId(p('resolution_minutes'))}
              label={t('sheet.resolution_minutes')}
              description={t('sheet.resolution_minutes_hint')}
              inputMode="numeric"
              value={draft.resolution_minutes}
              onChange={(e) => set('resolution_minutes', e.currentTarget.value)}
              error={error(p('resolution_minutes'))}
              disabled={disabled}
            />
          </SimpleGrid>
          <NativeSelect
            id={inputId(p('sla_policy_id'))}
            label={t('sheet.sla_policy')}
            description={t('sheet.sla_policy_hint')}
            value={draft.sla_policy_id}
            data={[{ value: '', label: t('sheet.desk_default') }, ...lookups.policies.map((s) => ({ value: s.id, label: s.name }))]}
            onChange={(e) => set('sla_policy_id', e.currentTarget.value)}
            error={error(p('sla_policy_id'))}
            disabled={disabled}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend={t('sheet.section_who')} radius="md">
        <Stack gap="md">
          <Switch
            id={inputId(p('audience'))}
            label={t('sheet.everyone')}
            checked={draft.audience.everyone}
            onChange={(e) => set('audience', { ...draft.audience, everyone: e.currentTarget.checked })}
            error={error(p('audience'))}
            disabled={disabled}
          />
          {!draft.audience.everyone && (
            <>
              <Checkbox.Group
                label={t('sheet.audience_roles')}
                value={draft.audience.roles}
                onChange={(v) => set('audience', { ...draft.audience, roles: v as Role[] })}
              >
                <Group mt="xs">
                  {ROLES.map((r) => (
                    <Checkbox key={r} value={r} label={t(`roles.${r}`)} disabled={disabled} />
                  ))}
                </Group>
              </Checkbox.Group>
              <MultiSelect
                id={inputId(p('audience.area_ids'))}
                label={t('sheet.audience_areas')}
                searchable
                data={lookups.areas.map((a) => ({
                  value: a.id,
                  label: `${a.name} · ${lookups.organizations.find((o) => o.id === a.organization_id)?.name ?? ''}`,
                }))}
                value={draft.audience.area_ids}
                onChange={(v) => set('audience', { ...draft.audience, area_ids: v })}
                disabled={disabled}
              />
              <MultiSelect
                id={inputId(p('audience.group_ids'))}
                label={t('sheet.audience_groups')}
                data={lookups.groups.map((g) => ({ value: g.id, label: g.name }))}
                value={draft.audience.group_ids}
                onChange={(v) => set('audience', { ...draft.audience, group_ids: v })}
                disabled={disabled}
              />
            </>
          )}
        </Stack>
      </Fieldset>

      <Fieldset legend={t('sheet.section_routing')} radius="md">
        <Stack gap="md">
          <NativeSelect
            id={inputId(p('responsible_group_id'))}
            label={t('sheet.responsible_group')}
            description={t('sheet.responsible_group_hint')}
            value={draft.responsible_group_id}
            data={groupOptions}
            onChange={(e) => set('responsible_group_id', e.currentTarget.value)}
            error={error(p('responsible_group_id'))}
            disabled={disabled}
          />
          <Title order={3} size="h5" id="routes-heading">
            {t('sheet.routes')}
          </Title>
          <Text size="sm">{t('sheet.routes_hint')}</Text>
          {draft.routes.length === 0 && <Text size="sm">{t('sheet.routes_empty')}</Text>}
          {draft.routes.map((route, i) => (
            <Group key={i} align="flex-end" wrap="wrap" gap="sm">
              <NativeSelect
                id={inputId(p(`routes.${i}.organization_id`))}
                label={t('sheet.route_organization', { n: i + 1 })}
                value={route.organization_id}
                data={[{ value: '', label: t('sheet.choose') }, ...lookups.organizations.map((o) => ({ value: o.id, label: o.name }))]}
                onChange={(e) =>
                  set('routes', draft.routes.map((r, j) => (j === i ? { ...r, organization_id: e.currentTarget.value } : r)))
                }
                error={error(p(`routes.${i}.organization_id`))}
                disabled={disabled}
                style={{ flex: '1 1 220px' }}
              />
              <NativeSelect
                id={inputId(p(`routes.${i}.group_id`))}
                label={t('sheet.route_group', { n: i + 1 })}
                value={route.group_id}
                data={[{ value: '', label: t('sheet.choose') }, ...lookups.groups.map((g) => ({ value: g.id, label: g.name }))]}
                onChange={(e) => set('routes', draft.routes.map((r, j) => (j === i ? { ...r, group_id: e.currentTarget.value } : r)))}
                error={error(p(`routes.${i}.group_id`))}
                disabled={disabled}
                style={{ flex: '1 1 220px' }}
              />
              <Button
                variant="subtle"
                color="red"
                onClick={() => set('routes', draft.routes.filter((_, j) => j !== i))}
                disabled={disabled}
                aria-label={t('sheet.remove_route', { n: i + 1 })}
              >
                {t('sheet.remove')}
              </Button>
            </Group>
          ))}
          <Group>
            <Button
              variant="light"
              onClick={() => set('routes', [...draft.routes, { organization_id: '', group_id: '' }])}
              disabled={disabled}
            >
              {t('sheet.add_route')}
            </Button>
          </Group>
        </Stack>
      </Fieldset>

      <Fieldset legend={t('fields.section')} radius="md">
        <FieldsEditor fields={draft.form_fields} onChange={(f) => set('form_fields', f)} error={error} disabled={disabled} t={t} />
      </Fieldset>

      <Fieldset legend={t('attachments.section')} radius="md">
        <AttachmentsEditor
          items={draft.required_attachments}
          onChange={(a) => set('required_attachments', a)}
          error={error}
          disabled={disabled}
          t={t}
        />
      </Fieldset>
    </Stack>
  );
}

function LocalizedInputs({
  path,
  value,
  onChange,
  label,
  error,
  disabled,
  t,
}: {
  path: string;
  value: { es: string; en?: string | null };
  onChange: (value: { es: string; en?: string | null }) => void;
  label: string;
  error: (path: string) => string | null;
  disabled?: boolean;
  t: CatalogT;
}) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <TextInput
        id={inputId(`${path}.es`)}
        label={t('fields.label_es', { what: label })}
        lang="es"
        value={value.es}
        onChange={(e) => onChange({ ...value, es: e.currentTarget.value })}
        error={error(`${path}.es`)}
        disabled={disabled}
      />
      <TextInput
        id={inputId(`${path}.en`)}
        label={t('fields.label_en', { what: label })}
        lang="en"
        value={value.en ?? ''}
        onChange={(e) => onChange({ ...value, en: e.currentTarget.value })}
        error={error(`${path}.en`)}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}

function FieldsEditor({
  fields,
  onChange,
  error,
  disabled,
  t,
}: {
  fields: FormField[];
  onChange: (fields: FormField[]) => void;
  error: (path: string) => string | null;
  disabled?: boolean;
  t: CatalogT;
}) {
  const update = (i: number, patch: Partial<FormField>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <Stack gap="md">
      <Text size="sm">{t('fields.hint')}</Text>
      {fields.length === 0 && <Text size="sm">{t('fields.empty')}</Text>}
      {fields.map((field, i) => {
        const path = `service.form_fields.${i}`;
        const name = field.label.es || t('fields.untitled', { n: i + 1 });
        return (
          <Paper key={i} withBorder radius="md" p="sm" component="section" aria-label={t('fields.field_n', { n: i + 1, name })}>
            <Stack gap="sm">
              <Group justify="space-between" wrap="wrap">
                <Text fw={600}>{t('fields.field_n', { n: i + 1, name })}</Text>
                <Group gap={4}>
                  <ActionIcon
                    variant="subtle"
                    onClick={() => onChange(move(fields, i, i - 1))}
                    disabled={disabled || i === 0}
                    aria-label={t('fields.move_up', { name })}
                  >
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    onClick={() => onChange(move(fields, i, i + 1))}
                    disabled={disabled || i === fields.length - 1}
                    aria-label={t('fields.move_down', { name })}
                  >
                    ↓
                  </ActionIcon>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => onChange(fields.filter((_, j) => j !== i))}
                    disabled={disabled}
                    aria-label={t('fields.remove', { name })}
                  >
                    {t('sheet.remove')}
                  </Button>
                </Group>
              </Group>
              <LocalizedInputs
                path={`${path}.label`}
                value={field.label}
                label={t('fields.label')}
                onChange={(label) => {
                  // The key follows the Spanish label until someone edits it.
                  const follows = field.key === '' || field.key === keyFromLabel(field.label.es);
                  update(i, { label, ...(follows ? { key: keyFromLabel(label.es) } : {}) });
                }}
                error={error}
                disabled={disabled}
                t={t}
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput
                  id={inputId(`${path}.key`)}
                  label={t('fields.key')}
                  description={t('fields.key_hint')}
                  value={field.key}
                  onChange={(e) => update(i, { key: e.currentTarget.value })}
                  error={error(`${path}.key`)}
                  disabled={disabled}
                />
                <NativeSelect
                  id={inputId(`${path}.type`)}
                  label={t('fields.type')}
                  value={field.type}
                  data={FIELD_TYPES.map((v) => ({ value: v, label: t(`field_types.${v}`) }))}
                  onChange={(e) => {
                    const type = e.currentTarget.value as FormField['type'];
                    update(i, { type, options: type === 'select' ? (field.options?.length ? field.options : [{ value: '', label: { es: '' } }]) : [] });
                  }}
                  error={error(`${path}.type`)}
                  disabled={disabled}
                />
              </SimpleGrid>
              <Checkbox
                id={inputId(`${path}.required`)}
                label={t('fields.required')}
                checked={field.required ?? false}
                onChange={(e) => update(i, { required: e.currentTarget.checked })}
                disabled={disabled}
              />
              <LocalizedInputs
                path={`${path}.help`}
                value={field.help ?? { es: '' }}
                label={t('fields.help')}
                onChange={(help) => update(i, { help })}
                error={error}
                disabled={disabled}
                t={t}
              />
              {field.type === 'select' && (
                <Stack gap="xs" id={inputId(`${path}.options`)} tabIndex={-1}>
                  <Text fw={600} size="sm">
                    {t('fields.options')}
                  </Text>
                  {error(`${path}.options`) && (
                    <Text size="sm" c="red.8">
                      {error(`${path}.options`)}
                    </Text>
                  )}
                  {(field.options ?? []).map((option, k) => {
                    const opath = `${path}.options.${k}`;
                    const setOption = (patch: Partial<typeof option>) =>
                      update(i, { options: (field.options ?? []).map((o, m) => (m === k ? { ...o, ...patch } : o)) });
                    return (
                      <Group key={k} align="flex-end" gap="sm" wrap="wrap">
                        <TextInput
                          id={inputId(`${opath}.value`)}
                          label={t('fields.option_value', { n: k + 1 })}
                          value={option.value}
                          onChange={(e) => setOption({ value: e.currentTarget.value })}
                          error={error(`${opath}.value`)}
                          disabled={disabled}
                          style={{ flex: '1 1 140px' }}
                        />
                        <TextInput
                          id={inputId(`${opath}.label.es`)}
                          label={t('fields.option_es', { n: k + 1 })}
                          lang="es"
                          value={option.label.es}
                          onChange={(e) => {
                            const es = e.currentTarget.value;
                            const follows = option.value === '' || option.value === keyFromLabel(option.label.es);
                            setOption({ label: { ...option.label, es }, ...(follows ? { value: keyFromLabel(es) } : {}) });
                          }}
                          error={error(`${opath}.label.es`)}
                          disabled={disabled}
                          style={{ flex: '1 1 160px' }}
                        />
                        <TextInput
                          id={inputId(`${opath}.label.en`)}
                          label={t('fields.option_en', { n: k + 1 })}
                          lang="en"
                          value={option.label.en ?? ''}
                          onChange={(e) => setOption({ label: { ...option.label, en: e.currentTarget.value } })}
                          error={error(`${opath}.label.en`)}
                          disabled={disabled}
                          style={{ flex: '1 1 160px' }}
                        />
                        <Button
                          variant="subtle"
                          color="red"
                          onClick={() => update(i, { options: (field.options ?? []).filter((_, m) => m !== k) })}
                          disabled={disabled}
                          aria-label={t('fields.remove_option', { n: k + 1 })}
                        >
                          {t('sheet.remove')}
                        </Button>
                      </Group>
                    );
                  })}
                  <Group>
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => update(i, { options: [...(field.options ?? []), { value: '', label: { es: '' } }] })}
                      disabled={disabled}
                    >
                      {t('fields.add_option')}
                    </Button>
                  </Group>
                </Stack>
              )}
            </Stack>
          </Paper>
        );
      })}
      {error('service.form_fields') && (
        <Text size="sm" c="red.8">
          {error('service.form_fields')}
        </Text>
      )}
      <Group>
        <Button
          variant="light"
          onClick={() => onChange([...fields, { key: '', type: 'text', label: { es: '' }, required: false }])}
          disabled={disabled}
        >
          {t('fields.add')}
        </Button>
      </Group>
    </Stack>
  );
}

function AttachmentsEditor({
  items,
  onChange,
  error,
  disabled,
  t,
}: {
  items: AttachmentRequirement[];
  onChange: (items: AttachmentRequirement[]) => void;
  error: (path: string) => string | null;
  disabled?: boolean;
  t: CatalogT;
}) {
  const update = (i: number, patch: Partial<AttachmentRequirement>) => onChange(items.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <Stack gap="md">
      <Text size="sm">{t('attachments.hint')}</Text>
      {items.length === 0 && <Text size="sm">{t('attachments.empty')}</Text>}
      {items.map((item, i) => {
        const path = `service.required_attachments.${i}`;
        const name = item.label.es || t('attachments.untitled', { n: i + 1 });
        return (
          <Paper key={i} withBorder radius="md" p="sm" component="section" aria-label={t('attachments.item_n', { n: i + 1, name })}>
            <Stack gap="sm">
              <Group justify="space-between">
                <Text fw={600}>{t('attachments.item_n', { n: i + 1, name })}</Text>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(items.filter((_, j) => j !== i))}
                  disabled={disabled}
                  aria-label={t('attachments.remove', { name })}
                >
                  {t('sheet.remove')}
                </Button>
              </Group>
              <LocalizedInputs
                path={`${path}.label`}
                value={item.label}
                label={t('fields.label')}
                onChange={(label) => {
                  const follows = item.key === '' || item.key === keyFromLabel(item.label.es);
                  update(i, { label, ...(follows ? { key: keyFromLabel(label.es) } : {}) });
                }}
                error={error}
                disabled={disabled}
                t={t}
              />
              <TextInput
                id={inputId(`${path}.key`)}
                label={t('fields.key')}
                description={t('fields.key_hint')}
                value={item.key}
                onChange={(e) => update(i, { key: e.currentTarget.value })}
                error={error(`${path}.key`)}
                disabled={disabled}
              />
              <LocalizedInputs
                path={`${path}.description`}
                value={item.description ?? { es: '' }}
                label={t('attachments.description')}
                onChange={(description) => update(i, { description })}
                error={error}
                disabled={disabled}
                t={t}
              />
            </Stack>
          </Paper>
        );
      })}
      <Group>
        <Button variant="light" onClick={() => onChange([...items, { key: '', label: { es: '' } }])} disabled={disabled}>
          {t('attachments.add')}
        </Button>
      </Group>
    </Stack>
  );
}
