import { describe, expect, test } from 'vitest';
import { ctoSupport, problem, siteSupport } from '@/test/fixtures';
import { draftFromNode, keyFromLabel, problemsByField, serviceInput } from './service-draft';

describe('service sheet drafts', () => {
  test('a service round-trips through the draft unchanged', () => {
    const draft = draftFromNode(siteSupport);
    expect(draft.service?.resolution_minutes).toBe('480');
    const input = serviceInput(draft.service!);
    expect(input.objective).toBe(siteSupport.service!.objective);
    expect(input.resolution_minutes).toBe(480);
    expect(input.audience).toEqual({ everyone: true });
    expect(input.default_type).toBe('incident');
    expect(input.form_fields?.map((f) => f.key)).toEqual(siteSupport.service!.form_fields.map((f) => f.key));
    expect(input.form_fields?.[3]?.options).toEqual(siteSupport.service!.form_fields[3]!.options);
    expect(input.required_attachments?.[0]?.label).toEqual({ es: 'Foto del equipo', en: 'Photo of the device' });
  });

  test('blanks become null; empty help, English labels and half-filled routes are dropped', () => {
    const draft = draftFromNode(siteSupport).service!;
    const input = serviceInput({
      ...draft,
      objective: '  ',
      resolution_minutes: '',
      responsible_group_id: '',
      audience: { everyone: false, roles: ['agent'], area_ids: [], group_ids: [] },
      routes: [
        { organization_id: 'o1', group_id: 'g1' },
        { organization_id: 'o2', group_id: '' },
      ],
      form_fields: [{ key: 'placa', type: 'text', label: { es: ' Placa ', en: '' }, help: { es: '' }, required: true, options: [{ value: 'x', label: { es: 'X' } }] }],
    });
    expect(input.objective).toBeNull();
    expect(input.resolution_minutes).toBeNull();
    expect(input.responsible_group_id).toBeNull();
    expect(input.audience).toEqual({ everyone: false, roles: ['agent'], area_ids: [], group_ids: [] });
    expect(input.routes).toEqual([{ organization_id: 'o1', group_id: 'g1' }]);
    expect(input.form_fields).toEqual([{ key: 'placa', type: 'text', label: { es: 'Placa', en: null }, help: null, required: true, options: [] }]);
  });

  test('categories have no sheet', () => {
    expect(draftFromNode(ctoSupport).service).toBeNull();
  });

  test('keys come from Spanish labels', () => {
    expect(keyFromLabel('Placa del equipo')).toBe('placa_del_equipo');
    expect(keyFromLabel('¿Número de línea?')).toBe('numero_de_linea');
    expect(keyFromLabel('2 Año')).toBe('ano');
  });

  test('server problems by field, first code wins', () => {
    const body = {
      ...problem(422, 'validation_failed', 'Invalid'),
      errors: [
        { field: 'service.form_fields.0.key', code: 'invalid', message: 'x' },
        { field: 'service.form_fields.0.key', code: 'duplicate', message: 'y' },
        { field: 'name', code: 'required', message: 'z' },
      ],
    };
    expect(problemsByField(body)).toEqual({ 'service.form_fields.0.key': 'invalid', name: 'required' });
    expect(problemsByField(null)).toEqual({});
  });
});
