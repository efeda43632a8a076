import type { components } from '@/api/schema';
import type { Problem } from '@/shared/api/problem';
import type { CatalogNode } from './tree-edit';

type Schemas = components['schemas'];
export type FormField = Schemas['FormField'];
export type FieldType = Schemas['FieldType'];
export type AttachmentRequirement = Schemas['AttachmentRequirement'];
export type ServiceRoute = Schemas['ServiceRoute'];
export type Audience = Schemas['Audience'];
export type ServiceInput = Schemas['ServiceInput'];
export type Priority = Schemas['Priority'];
export type TicketType = Schemas['TicketType'];

export const FIELD_TYPES: readonly FieldType[] = ['text', 'long_text', 'number', 'date', 'select', 'checkbox', 'file'];
export const PRIORITIES: readonly Priority[] = ['critical', 'high', 'medium', 'low'];
export const TICKET_TYPES: readonly TicketType[] = ['request', 'incident'];

/** A service's sheet as the editor holds it: texts as typed, references as '' when none. */
export type ServiceDraft = {
  objective: string;
  scope: string;
  availability: string;
  promised_resolution: string;
  resolution_minutes: string;
  audience: Required<Audience>;
  default_type: TicketType;
  default_priority: Priority;
  responsible_group_id: string;
  sla_policy_id: string;
  routes: ServiceRoute[];
  form_fields: FormField[];
  required_attachments: AttachmentRequirement[];
};

export type NodeDraft = { name: string; code: string; description: string; service: ServiceDraft | null };

export function emptyService(): ServiceDraft {
  return {
    objective: '',
    scope: '',
    availability: '',
    promised_resolution: '',
    resolution_minutes: '',
    audience: { everyone: true, roles: [], area_ids: [], group_ids: [] },
    default_type: 'request',
    default_priority: 'medium',
    responsible_group_id: '',
    sla_policy_id: '',
    routes: [],
    form_fields: [],
    required_attachments: [],
  };
}

export function draftFromNode(node: CatalogNode): NodeDraft {
  const s = node.service;
  return {
    name: node.name,
    code: node.code,
    description: node.description ?? '',
    service:
      node.kind === 'service'
        ? s
          ? {
              objective: s.objective ?? '',
              scope: s.scope ?? '',
              availability: s.availability ?? '',
              promised_resolution: s.promised_resolution ?? '',
              resolution_minutes: s.resolution_minutes == null ? '' : String(s.resolution_minutes),
              audience: {
                everyone: s.audience.everyone,
                roles: s.audience.roles ?? [],
                area_ids: s.audience.area_ids ?? [],
                group_ids: s.audience.group_ids ?? [],
              },
              default_type: s.default_type,
              default_priority: s.default_priority,
              responsible_group_id: s.responsible_group_id ?? '',
              sla_policy_id: s.sla_policy_id ?? '',
              routes: s.routes,
              form_fields: s.form_fields,
              required_attachments: s.required_attachments,
            }
          : emptyService()
        : null,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());

function cleanText<T extends { es: string; en?: string | null }>(text: T): T {
  return { ...text, es: text.es.trim(), en: orNull(text.en ?? '') };
}

/** The API body of a service sheet: blanks become null, English labels left empty are dropped. */
export function serviceInput(d: ServiceDraft): ServiceInput {
  const minutes = d.resolution_minutes.trim();
  return {
    objective: orNull(d.objective),
    scope: orNull(d.scope),
    availability: orNull(d.availability),
    promised_resolution: orNull(d.promised_resolution),
    // A value that is not a number travels as is so the server names the field.
    resolution_minutes: minutes === '' ? null : Number(minutes),
    audience: d.audience.everyone ? { everyone: true } : d.audience,
    default_type: d.default_type,
    default_priority: d.default_priority,
    responsible_group_id: d.responsible_group_id || null,
    sla_policy_id: d.sla_policy_id || null,
    routes: d.routes.filter((r) => r.organization_id && r.group_id),
    form_fields: d.form_fields.map((f) => ({
      ...f,
      label: cleanText(f.label),
      help: f.help && f.help.es.trim() ? cleanText(f.help) : null,
      options: f.type === 'select' ? (f.options ?? []).map((o) => ({ ...o, value: o.value.trim(), label: cleanText(o.label) })) : [],
    })),
    required_attachments: d.required_attachments.map((a) => ({
      ...a,
      label: cleanText(a.label),
      description: a.description && a.description.es.trim() ? cleanText(a.description) : null,
    })),
  };
}

/** `Placa del equipo` → `placa_del_equipo`: a field key suggested from its Spanish label. */
export function keyFromLabel(label: string): string {
  const key = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 60);
  return key;
}

/** The server's field problems by path (`name`, `service.form_fields.0.label.es`…), first code wins. */
export function problemsByField(problem: Problem | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of problem?.errors ?? []) if (!(e.field in out)) out[e.field] = e.code;
  return out;
}

/** Problems of paths under `prefix` (the others belong elsewhere). */
export function problemsUnder(problems: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).filter(([path]) => path === prefix || path.startsWith(`${prefix}.`)));
}
