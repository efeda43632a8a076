import { HTML_LANG, isLanguage } from '@/shared/i18n';

function locale(language: string): string {
  return isLanguage(language) ? HTML_LANG[language] : language;
}

/** "23 nov 2026, 10:15 a. m." in Colombian Spanish, "Nov 23, 2026, 10:15 AM" in English. */
export function formatDateTime(iso: string, language: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(language), {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

/**
 * File sizes as the file explorer shows them (1 KB = 1024 B): "820 B", "14,2 KB", "10 MB",
 * with the language's decimal separator.
 */
export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale(language), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
