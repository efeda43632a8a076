import type { CatalogT } from './strings';
import { isOneOf } from '@/shared/lib/one-of';

const SHEET = ['objective', 'scope', 'availability', 'promised_resolution', 'resolution_minutes', 'default_type', 'default_priority'] as const;

/** A problem's API path in words: `service.form_fields.0.label.es` → "Campo 1 · Etiqueta en español". */
export function pathLabel(path: string, t: CatalogT): string {
  if (path === 'name' || path === 'code' || path === 'description') return t(`editor.${path}`);
  const parts = path.split('.');
  if (parts[0] !== 'service') return path;
  const [, what, index, ...rest] = parts;
  const n = Number(index) + 1;
  if (isOneOf(SHEET, what)) return t(`sheet.${what}`);
  if (what === 'sla_policy_id') return t('sheet.sla_policy');
  if (what === 'responsible_group_id') return t('sheet.responsible_group');
  if (what === 'audience') return t('sheet.section_who');
  if (what === 'routes' && index !== undefined) {
    return rest[0] === 'group_id' ? t('sheet.route_group', { n }) : t('sheet.route_organization', { n });
  }
  if ((what === 'form_fields' || what === 'required_attachments') && index !== undefined && !Number.isNaN(n)) {
    const owner = what === 'form_fields' ? t('fields.field_n', { n, name: '' }).replace(/:\s*$/, '') : t('attachments.item_n', { n, name: '' }).replace(/:\s*$/, '');
    const [part, sub, lang] = rest;
    let detail = '';
    if (part === 'key') detail = t('fields.key');
    else if (part === 'type') detail = t('fields.type');
    else if (part === 'label' || part === 'help' || part === 'description') {
      const what2 = part === 'label' ? t('fields.label') : part === 'help' ? t('fields.help') : t('attachments.description');
      detail = sub === 'en' ? t('fields.label_en', { what: what2 }) : t('fields.label_es', { what: what2 });
    } else if (part === 'options') {
      const m = Number(sub) + 1;
      detail = Number.isNaN(m) ? t('fields.options') : lang === 'value' ? t('fields.option_value', { n: m }) : t('fields.option_es', { n: m });
      if (lang === 'label' && rest[3] === 'en') detail = t('fields.option_en', { n: m });
    }
    return detail ? `${owner} · ${detail}` : owner;
  }
  if (what === 'form_fields') return t('fields.section');
  return path;
}
