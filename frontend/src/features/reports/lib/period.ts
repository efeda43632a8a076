/**
 * Report periods are calendar days in Colombia (the API counts `from`–`to`, both included, in
 * America/Bogota): days are `YYYY-MM-DD` strings, and all arithmetic is done on them in UTC so the
 * browser's own time zone never shifts a day.
 */
export const REPORT_TIME_ZONE = 'America/Bogota';

export type Day = string;

/** Today in Bogotá, whatever the browser's time zone. */
export function today(now: Date = new Date()): Day {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: REPORT_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function isDay(value: string | null | undefined): value is Day {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = parseDay(value);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Midnight UTC of a day: only for arithmetic and for formatting with `timeZone: 'UTC'`. */
export function parseDay(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

function toDay(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: Day, days: number): Day {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return toDay(date);
}

function monthStart(day: Day, monthsBack = 0): Day {
  const date = parseDay(day);
  return toDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1)));
}

function monthEnd(day: Day): Day {
  const date = parseDay(day);
  return toDay(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

/** 1–4 (January–March is 1). */
export function quarterOf(day: Day): { year: number; quarter: number } {
  const date = parseDay(day);
  return { year: date.getUTCFullYear(), quarter: Math.floor(date.getUTCMonth() / 3) + 1 };
}

export function quarterDays(year: number, quarter: number): { from: Day; to: Day } {
  const from = toDay(new Date(Date.UTC(year, (quarter - 1) * 3, 1)));
  return { from, to: toDay(new Date(Date.UTC(year, quarter * 3, 0))) };
}

/** The last quarter that has ended (the default of the quarterly report). */
export function previousQuarter(day: Day): { year: number; quarter: number } {
  const { year, quarter } = quarterOf(day);
  return quarter === 1 ? { year: year - 1, quarter: 4 } : { year, quarter: quarter - 1 };
}

export const PRESETS = ['last_7', 'last_30', 'this_month', 'last_month', 'this_quarter', 'last_quarter', 'this_year'] as const;
export type Preset = (typeof PRESETS)[number];

/** The days a quick choice stands for; periods that run into the future stop today. */
export function presetRange(preset: Preset, now: Day): { from: Day; to: Day } {
  switch (preset) {
    case 'last_7':
      return { from: addDays(now, -6), to: now };
    case 'last_30':
      return { from: addDays(now, -29), to: now };
    case 'this_month':
      return { from: monthStart(now), to: now };
    case 'last_month': {
      const from = monthStart(now, 1);
      return { from, to: monthEnd(from) };
    }
    case 'this_quarter': {
      const { year, quarter } = quarterOf(now);
      return { from: quarterDays(year, quarter).from, to: now };
    }
    case 'last_quarter': {
      const { year, quarter } = previousQuarter(now);
      return quarterDays(year, quarter);
    }
    case 'this_year':
      return { from: `${now.slice(0, 4)}-01-01`, to: now };
  }
}

/** Which quick choice a period is, if any. */
export function presetOf(from: Day, to: Day, now: Day): Preset | 'custom' {
  return PRESETS.find((p) => {
    const range = presetRange(p, now);
    return range.from === from && range.to === to;
  }) ?? 'custom';
}

export const DEFAULT_PRESET: Preset = 'last_30';

export type Granularity = 'day' | 'week' | 'month';
export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

/** Days for short periods, weeks up to half a year, months beyond. */
export function defaultGranularity(from: Day, to: Day): Granularity {
  const days = (parseDay(to).getTime() - parseDay(from).getTime()) / 86_400_000 + 1;
  if (days <= 45) return 'day';
  if (days <= 190) return 'week';
  return 'month';
}

/**
 * The days of one bucket of the volume series that fall in the period: a week bucket starts on
 * a Monday that may be before `from`, and the last bucket may run past `to`.
 */
export function bucketDays(start: Day, granularity: Granularity, period: { from: Day; to: Day }): { from: Day; to: Day } {
  const end = granularity === 'day' ? start : granularity === 'week' ? addDays(start, 6) : monthEnd(start);
  return { from: start < period.from ? period.from : start, to: end > period.to ? period.to : end };
}
