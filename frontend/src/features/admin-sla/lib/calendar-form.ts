import type { Calendar, CalendarInput } from '../api/service-levels';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type IntervalRow = { weekday: string; start: string; end: string };
export type ExtraRow = { date: string; name: string };

export type CalendarForm = {
  name: string;
  timezone: string;
  colombian: boolean;
  always_open: boolean;
  intervals: IntervalRow[];
  extra: ExtraRow[];
  removed: string[];
};

/** `13:00:00` as stored → `13:00` as a time input shows it. */
function hhmm(value: string) {
  return value.slice(0, 5);
}

/** Mon–Fri 07:30–12:00 and 13:00–17:00: what the seeds' city halls work. */
export function officeHours(): IntervalRow[] {
  return WEEKDAYS.slice(0, 5).flatMap((weekday) => [
    { weekday, start: '07:30', end: '12:00' },
    { weekday, start: '13:00', end: '17:00' },
  ]);
}

export function emptyCalendarForm(): CalendarForm {
  return { name: '', timezone: 'America/Bogota', colombian: true, always_open: false, intervals: officeHours(), extra: [], removed: [] };
}

export function calendarForm(c: Calendar): CalendarForm {
  return {
    name: c.name,
    timezone: c.timezone,
    colombian: c.country === 'CO',
    always_open: c.always_open,
    intervals: c.intervals.map((i) => ({ weekday: i.weekday, start: hhmm(i.start), end: hhmm(i.end) })),
    extra: c.extra_holidays.map((h) => ({ date: h.date, name: h.name })),
    removed: [...c.removed_holidays],
  };
}

/** The body of POST/PATCH: rows keep their order so the server's `intervals.N` names the row shown. */
export function calendarBody(f: CalendarForm): CalendarInput {
  return {
    name: f.name.trim(),
    timezone: f.timezone.trim() || null,
    country: f.colombian ? 'CO' : null,
    always_open: f.always_open,
    intervals: f.always_open ? [] : f.intervals,
    extra_holidays: f.extra.map((e) => ({ date: e.date, name: e.name.trim() })),
    removed_holidays: f.removed,
  };
}
