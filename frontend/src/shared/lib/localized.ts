import type { components } from '@/api/schema';

export type LocalizedText = components['schemas']['LocalizedText'];

/** A catalog text in the UI language; Spanish when there is no English text. */
export function localized(text: LocalizedText | null | undefined, language: string): string {
  if (!text) return '';
  if (language.startsWith('en') && text.en && text.en.trim()) return text.en;
  return text.es;
}
