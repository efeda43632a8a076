/** The id of the input that edits the API path `path` (e.g. `service.form_fields.0.key`). */
export function inputId(path: string): string {
  return `nf-${path.replace(/\./g, '-')}`;
}
