/**
 * A form's "last day" (`YYYY-MM-DD`, inclusive, the browser's time zone) as the instant it ends:
 * the start of the next day, as the API's `absent_until` and `expires_at` want it. Null for a
 * text that is no calendar day.
 */
export function endOfLastDay(lastDay: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(lastDay);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(year, month - 1, day);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== day) return null;
  return new Date(year, month - 1, day + 1).toISOString();
}

/** The calendar day of an instant as `YYYY-MM-DD`, in the browser's time zone. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Today as `YYYY-MM-DD` in the browser's time zone (the earliest last day a form offers). */
export function today(now: Date = new Date()): string {
  return localDay(now);
}
