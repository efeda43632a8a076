import { describe, expect, test } from 'vitest';
import { siteSupport } from '@/test/fixtures';
import {
  FILE_LIMITS,
  checkFile,
  fileProgress,
  initialValues,
  isValidDate,
  parseNumber,
  problemsFromServer,
  randomKey,
  toApiFields,
  validateDraft,
  validateValue,
  type FormField,
  type RequestDraft,
} from './form-fields';

const fields = siteSupport.service!.form_fields;
const byKey = (key: string) => fields.find((f) => f.key === key)!;
const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);

describe('validateValue mirrors the server', () => {
  test('required text, and its length limit', () => {
    expect(validateValue(byKey('placa_equipo'), '  ')).toEqual({ code: 'required' });
    expect(validateValue(byKey('placa_equipo'), 'AB-123')).toBeNull();
    expect(validateValue(byKey('placa_equipo'), 'x'.repeat(501))).toEqual({ code: 'too_long', max: 500 });
    expect(validateValue(byKey('detalle'), 'x'.repeat(10_001))).toEqual({ code: 'too_long', max: 10_000 });
  });
  test('optional fields may be blank', () => {
    expect(validateValue(byKey('cantidad'), '')).toBeNull();
    expect(validateValue(byKey('fecha_falla'), '')).toBeNull();
  });
  test('numbers', () => {
    expect(validateValue(byKey('cantidad'), '3')).toBeNull();
    expect(validateValue(byKey('cantidad'), '2,5')).toBeNull();
    expect(validateValue(byKey('cantidad'), 'tres')).toEqual({ code: 'invalid_number' });
    expect(validateValue(byKey('cantidad'), '1e3')).toEqual({ code: 'invalid_number' });
  });
  test('dates as YYYY-MM-DD that exist', () => {
    expect(validateValue(byKey('fecha_falla'), '2026-11-23')).toBeNull();
    expect(validateValue(byKey('fecha_falla'), '2026-02-30')).toEqual({ code: 'invalid_date' });
    expect(validateValue(byKey('fecha_falla'), '23/11/2026')).toEqual({ code: 'invalid_date' });
  });
  test('select options', () => {
    expect(validateValue(byKey('tipo_equipo'), 'portatil')).toBeNull();
    expect(validateValue(byKey('tipo_equipo'), 'tablet')).toEqual({ code: 'invalid_option' });
    expect(validateValue(byKey('tipo_equipo'), '')).toEqual({ code: 'required' });
  });
  test('a required checkbox must be checked; an optional one need not', () => {
    expect(validateValue(byKey('acepta_remoto'), false)).toEqual({ code: 'must_check' });
    expect(validateValue(byKey('acepta_remoto'), true)).toBeNull();
    expect(validateValue({ ...byKey('acepta_remoto'), required: false }, false)).toBeNull();
  });
});

describe('helpers', () => {
  test('isValidDate and parseNumber', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(parseNumber(' 12 ')).toBe(12);
    expect(parseNumber('-0,75')).toBe(-0.75);
    expect(parseNumber('')).toBeNull();
    expect(parseNumber('12abc')).toBeNull();
  });
  test('initialValues: checkboxes false, the rest empty, no file fields', () => {
    const withFile: FormField[] = [...fields, { key: 'acta', type: 'file', label: { es: 'Acta' }, required: false }];
    expect(initialValues(withFile)).toEqual({
      placa_equipo: '',
      cantidad: '',
      fecha_falla: '',
      tipo_equipo: '',
      acepta_remoto: false,
      detalle: '',
    });
  });
  test('randomKey gives distinct keys', () => {
    expect(randomKey()).not.toBe(randomKey());
  });
});

describe('toApiFields', () => {
  test('sends typed values and leaves blanks out', () => {
    expect(
      toApiFields(fields, {
        placa_equipo: ' AB-123 ',
        cantidad: '2,5',
        fecha_falla: '',
        tipo_equipo: 'portatil',
        acepta_remoto: true,
        detalle: '',
      }),
    ).toEqual({ placa_equipo: 'AB-123', cantidad: 2.5, tipo_equipo: 'portatil', acepta_remoto: true });
  });
  test('an unchecked checkbox is sent as false', () => {
    expect(toApiFields([byKey('acepta_remoto')], { acepta_remoto: false })).toEqual({ acepta_remoto: false });
  });
});

describe('validateDraft', () => {
  const draft = (over: Partial<RequestDraft> = {}): RequestDraft => ({
    subject: 'No enciende',
    description: 'El equipo no enciende desde ayer.',
    contactPhone: '',
    fields,
    values: { placa_equipo: 'AB-1', cantidad: '', fecha_falla: '', tipo_equipo: 'portatil', acepta_remoto: true, detalle: '' },
    fieldFiles: {},
    requiredAttachments: siteSupport.service!.required_attachments,
    attachments: { foto_equipo: file('foto.jpg') },
    extraFiles: [],
    ...over,
  });
  test('a complete request has no problems', () => {
    expect(validateDraft(draft())).toEqual({});
  });
  test('names every missing or wrong input by its path', () => {
    const problems = validateDraft(
      draft({
        subject: ' ',
        description: '',
        contactPhone: '1'.repeat(41),
        values: { placa_equipo: '', cantidad: 'x', fecha_falla: '2026-13-01', tipo_equipo: '', acepta_remoto: false, detalle: '' },
        attachments: {},
        extraFiles: [file('ok.pdf'), file('virus.exe'), file('vacio.txt', 0)],
      }),
    );
    expect(problems).toEqual({
      subject: { code: 'required' },
      description: { code: 'required' },
      contact_phone: { code: 'too_long', max: 40 },
      'fields.placa_equipo': { code: 'required' },
      'fields.cantidad': { code: 'invalid_number' },
      'fields.fecha_falla': { code: 'invalid_date' },
      'fields.tipo_equipo': { code: 'required' },
      'fields.acepta_remoto': { code: 'must_check' },
      'attachment.foto_equipo': { code: 'file_required' },
      'files.1': { code: 'unsupported_type' },
      'files.2': { code: 'empty' },
    });
  });
  test('counts every file against the per-request limit', () => {
    const many = Array.from({ length: FILE_LIMITS.maxFiles }, (_, i) => file(`f${i}.pdf`));
    expect(validateDraft(draft({ extraFiles: many })).files).toEqual({ code: 'too_many_files', max: 10 });
  });
});

describe('checkFile', () => {
  test('refuses empty, too large and unsupported files', () => {
    expect(checkFile({ name: 'a.pdf', size: 0 })).toEqual({ code: 'empty' });
    expect(checkFile({ name: 'a.pdf', size: FILE_LIMITS.maxBytes + 1 })).toEqual({ code: 'too_large', max: FILE_LIMITS.maxBytes });
    expect(checkFile({ name: 'setup.EXE', size: 5 })).toEqual({ code: 'unsupported_type' });
    expect(checkFile({ name: 'Acta No. 5', size: 5 })).toBeNull();
    expect(checkFile({ name: 'FOTO.JPG', size: 5 })).toBeNull();
  });
});

describe('problemsFromServer', () => {
  test('maps each server path to the input it concerns, in the precise wording', () => {
    expect(
      problemsFromServer(
        [
          { field: 'subject', code: 'required', message: 'must not be empty' },
          { field: 'fields.placa_equipo', code: 'required', message: "'Placa' is required" },
          { field: 'fields.cantidad', code: 'invalid', message: 'must be a number' },
          { field: 'fields.fecha_falla', code: 'invalid', message: 'must be a date as YYYY-MM-DD' },
          { field: 'fields.acepta_remoto', code: 'invalid', message: 'must be checked' },
          { field: 'attachment.foto_equipo', code: 'required', message: "attach 'Foto'" },
          { field: 'files.0', code: 'disguised_type', message: '…' },
          { field: 'files.1', code: 'too_large', message: '…' },
          { field: 'service_id', code: 'not_a_service', message: '…' },
          { field: 'subject', code: 'too_long', message: 'second problem of the same input' },
        ],
        fields.concat({ key: 'acta', type: 'file', label: { es: 'Acta' }, required: true }),
        ['acta'],
      ),
    ).toEqual({
      subject: { code: 'required' },
      'fields.placa_equipo': { code: 'required' },
      'fields.cantidad': { code: 'invalid_number' },
      'fields.fecha_falla': { code: 'invalid_date' },
      'fields.acepta_remoto': { code: 'must_check' },
      'attachment.foto_equipo': { code: 'required' },
      'fields.acta': { code: 'disguised_type' },
      'files.0': { code: 'too_large' },
      _form: { code: 'not_a_service' },
    });
  });
});

describe('fileProgress', () => {
  test('spreads the cumulative bytes over the files in order', () => {
    // JSON part 100 B, files of 1000 and 500 B, 60 B of boundaries and headers (20 per part).
    const sizes = [100, 1000, 500];
    const total = 1660;
    expect(fileProgress(0, total, sizes)).toEqual([0, 0, ]);
    expect(fileProgress(120 + 20 + 500, total, sizes)).toEqual([0.5, 0]);
    expect(fileProgress(120 + 1020 + 20 + 250, total, sizes)).toEqual([1, 0.5]);
    expect(fileProgress(total, total, sizes)).toEqual([1, 1]);
  });
  test('no files, no progress', () => {
    expect(fileProgress(10, 10, [10])).toEqual([]);
  });
});
