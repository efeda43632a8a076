import { localDay } from '@/shared/lib/days';

/**
 * An absence is kept by the API as one instant, `absent_until` (no new cases until then). The
 * form asks for the last day away, in the browser's time zone: absent until the start of the
 * next day.
 */
export { endOfLastDay as absentUntilFromLastDay, today } from '@/shared/lib/days';

/** The form's "last day away" for an `absent_until` set by it (the day before, local time). */
export function lastDayFromAbsentUntil(absentUntil: string): string {
  return localDay(new Date(new Date(absentUntil).getTime() - 1));
}

/** Absent now: `absent_until` is in the future. */
export function isAbsent(absentUntil: string | null | undefined, now: number = Date.now()): boolean {
  return !!absentUntil && new Date(absentUntil).getTime() > now;
}

/** "11 de diciembre de 2026" / "December 11, 2026": a day, in the browser's time zone. */
export function formatDay(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'es' ? 'es-CO' : language, { dateStyle: 'long' }).format(date);
}

/** The last day away of an absence ending at `absentUntil` (the instant just before it). */
export function lastDayAway(absentUntil: string): string {
  return new Date(new Date(absentUntil).getTime() - 1).toISOString();
}
