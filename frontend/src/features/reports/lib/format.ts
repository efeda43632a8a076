import { HTML_LANG, isLanguage } from '@/shared/i18n';
import { parseDay, type Day, type Granularity } from './period';

/** es-CO by default: "1.234", "85,5 %". */
export function localeOf(language: string): string {
  return isLanguage(language) ? HTML_LANG[language] : language;
}

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(localeOf(language)).format(value);
}

/** A percentage the API gives as 0–100 with one decimal; a dash when nothing was measured. */
export function formatPercent(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return '—';
  // Written out rather than Intl's percent style, whose spacing differs between ICU builds:
  // "85,5 %" with a no-break space, as Spanish style guides write it ("85.5%" in English).
  const number = new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: 1 }).format(value);
  return language === 'en' ? `${number}%` : `${number}\u00a0%`;
}

export function formatDecimal(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits: digits }).format(value);
}

/** Business minutes as hours and minutes: "2 h 05 min", "45 min", "1.250 h 30 min". */
export function formatBusinessTime(minutes: number | null | undefined, language: string): string {
  if (minutes === null || minutes === undefined) return '—';
  const total = Math.round(minutes);
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  const nf = new Intl.NumberFormat(localeOf(language));
  if (hours === 0) return `${nf.format(rest)} min`;
  return `${nf.format(hours)} h ${String(rest).padStart(2, '0')} min`;
}

/** A day as the reports show it: "3 dic 2026". */
export function formatDay(day: Day, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(parseDay(day));
}

/** A bucket of the volume series: "3 dic", "sem. del 30 nov" (as the caller words it), "dic 2026". */
export function formatBucket(start: Day, granularity: Granularity, language: string): string {
  const date = parseDay(start);
  if (granularity === 'month') {
    return new Intl.DateTimeFormat(localeOf(language), { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
  }
  return new Intl.DateTimeFormat(localeOf(language), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(date);
}
