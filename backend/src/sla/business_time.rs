//! Business-time arithmetic: pure functions of a [`Calendar`] and instants (no I/O).
//!
//! All instants are UTC; working time is defined in the calendar's zone by the wall clock:
//! an instant is working time when, on the clock of the calendar's zone, it falls on a day that
//! is not a holiday and at a time inside one of that weekday's intervals (`[start, end)`).
//! Consequences at clock changes:
//! * spring forward (gap): the skipped wall-clock times never happen, so an interval that
//!   covers the gap is shorter (07:00–12:00 over a 1 h gap is 4 h of working time);
//! * fall back (overlap): the repeated wall-clock times happen twice and both count, i.e. real
//!   elapsed time (00:00–06:00 over a 1 h overlap is 7 h); when an interval boundary lies inside
//!   the repeated hour, each pass counts only its part inside the interval.
//!
//! Durations are real elapsed time inside working time, at nanosecond precision.
//!
//! The walk goes interval by interval (a day at a time, with a binary search for the instant of a
//! clock change on the rare days that have one) and skips whole weeks without holidays or clock
//! changes using the weekly working total, so its cost does not depend on the length of the
//! duration in minutes. (Assumes a zone changes its offset at most once within a day or a skipped
//! week, which holds for the tz database's real zones.)
use chrono::{DateTime, Duration, Offset, TimeZone, Utc};

use super::calendar::{weekday_index, Calendar, DAY_NS};

const NS: i128 = 1_000_000_000;
const DAY_S: i64 = 86_400;
/// Days walked without finding working time before giving up ("never").
const IDLE_DAY_LIMIT: u32 = 3_700;

fn to_ns(t: DateTime<Utc>) -> i128 {
    t.timestamp() as i128 * NS + t.timestamp_subsec_nanos() as i128
}

fn from_ns(ns: i128) -> DateTime<Utc> {
    let secs = ns.div_euclid(NS);
    let sub = ns.rem_euclid(NS) as u32;
    match i64::try_from(secs).ok().and_then(|s| DateTime::from_timestamp(s, sub)) {
        Some(t) => t,
        None if ns > 0 => DateTime::<Utc>::MAX_UTC,
        None => DateTime::<Utc>::MIN_UTC,
    }
}

fn duration_ns(d: Duration) -> i128 {
    d.num_seconds() as i128 * NS + d.subsec_nanos() as i128
}

fn ns_duration(ns: i128) -> Duration {
    let secs = ns.div_euclid(NS).clamp(-(i64::MAX as i128) / 1000, (i64::MAX as i128) / 1000) as i64;
    Duration::seconds(secs) + Duration::nanoseconds(ns.rem_euclid(NS) as i64)
}

/// UTC offset (seconds) of the calendar's zone at the Unix second `s`.
fn offset_at(cal: &Calendar, s: i64) -> Option<i64> {
    let t = DateTime::from_timestamp(s, 0)?;
    Some(cal.timezone().offset_from_utc_datetime(&t.naive_utc()).fix().local_minus_utc() as i64)
}

/// Walks the working segments `[a, b)` (UTC ns) from a starting instant on, in order, one
/// "step" at a time: a step is a stretch of one local day during which the offset is constant.
struct Walker<'c> {
    cal: &'c Calendar,
    /// Local day (days since 1970-01-01) of this step.
    day: i64,
    /// Offset (s) during this step.
    off: i64,
    /// UTC ns of the local midnight of `day` under `off`.
    base: i128,
    /// Local time-of-day range (ns) of this step.
    lo: i64,
    hi: i64,
    ivs: &'c [(i64, i64)],
    idx: usize,
    step_end: i128,
    next_off: i64,
    idle: u32,
}

impl<'c> Walker<'c> {
    fn new(cal: &'c Calendar, u: i128) -> Self {
        let off = i64::try_from(u.div_euclid(NS)).ok().and_then(|s| offset_at(cal, s)).unwrap_or(0);
        let mut w = Walker { cal, day: 0, off, base: 0, lo: 0, hi: 0, ivs: &[], idx: 0, step_end: 0, next_off: off, idle: 0 };
        w.start_step(u, off);
        w
    }

    fn start_step(&mut self, u: i128, off: i64) {
        let local = u + off as i128 * NS;
        let day = local.div_euclid(DAY_NS as i128) as i64;
        self.day = day;
        self.off = off;
        self.lo = (local - day as i128 * DAY_NS as i128) as i64;
        self.base = day as i128 * DAY_NS as i128 - off as i128 * NS;
        let day_end_s = (day + 1) * DAY_S - off;
        let end_off = offset_at(self.cal, day_end_s).unwrap_or(off);
        if end_off == off {
            self.step_end = day_end_s as i128 * NS;
            self.hi = DAY_NS;
            self.next_off = off;
        } else {
            // The clock changes before this local day ends: find the first second with the new offset.
            let (mut lo_s, mut hi_s) = (u.div_euclid(NS) as i64, day_end_s);
            while hi_s - lo_s > 1 {
                let mid = lo_s + (hi_s - lo_s) / 2;
                if offset_at(self.cal, mid).unwrap_or(off) == off {
                    lo_s = mid;
                } else {
                    hi_s = mid;
                }
            }
            self.step_end = hi_s as i128 * NS;
            self.hi = (self.step_end - self.base) as i64;
            self.next_off = offset_at(self.cal, hi_s).unwrap_or(off);
        }
        self.ivs = self.cal.intervals_on_day(day);
        self.idx = 0;
    }

    /// The next working segment of the current step.
    fn next_in_step(&mut self) -> Option<(i128, i128)> {
        while let Some(&(s, e)) = self.ivs.get(self.idx) {
            self.idx += 1;
            if s >= self.hi {
                self.idx = self.ivs.len();
                break;
            }
            let (a, b) = (s.max(self.lo), e.min(self.hi));
            if a < b {
                self.idle = 0;
                return Some((self.base + a as i128, self.base + b as i128));
            }
        }
        None
    }

    /// Moves to the next step; `false` once too many days passed without working time.
    fn advance(&mut self) -> bool {
        self.idle += 1;
        if self.idle > IDLE_DAY_LIMIT {
            return false;
        }
        self.start_step(self.step_end, self.next_off);
        true
    }

    /// At a local midnight, nothing of this day walked yet: if the 7 days from here have no
    /// holidays on working weekdays, no clock change, and end no later than `limit`, jumps past
    /// them (they hold exactly the weekly working total) and returns `true`.
    fn skip_week(&mut self, limit: Option<i128>) -> bool {
        if self.lo != 0 || self.idx != 0 {
            return false;
        }
        let week_end_s = (self.day + 7) * DAY_S - self.off;
        let week_end = week_end_s as i128 * NS;
        if limit.is_some_and(|l| week_end > l) || offset_at(self.cal, week_end_s) != Some(self.off) {
            return false;
        }
        let cal = self.cal;
        if (self.day..self.day + 7).any(|d| !cal.days[weekday_index(d)].is_empty() && cal.holiday_on_day(d)) {
            return false;
        }
        self.start_step(week_end, self.off);
        self.idle = 0;
        true
    }
}

/// The earliest instant at which `business` working time has elapsed since `start`.
///
/// A start outside working time counts from the next working instant. The result is inside
/// working time or the end of a working interval (1 h from Friday 16:00 with days ending at 17:00
/// is Friday 17:00, not Monday's opening). `business` of zero (or negative) gives
/// [`next_working_instant`]`(start)`: the moment the clock starts running. A calendar without
/// any working time gives `DateTime::<Utc>::MAX_UTC` ("never").
pub fn add(cal: &Calendar, start: DateTime<Utc>, business: Duration) -> DateTime<Utc> {
    if business <= Duration::zero() {
        return next_working_instant(cal, start);
    }
    if cal.always_open() {
        return start.checked_add_signed(business).unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
    if cal.weekly_ns == 0 {
        return DateTime::<Utc>::MAX_UTC;
    }
    let mut rem = duration_ns(business);
    let mut w = Walker::new(cal, to_ns(start));
    loop {
        if rem > cal.weekly_ns && w.skip_week(None) {
            rem -= cal.weekly_ns;
            continue;
        }
        while let Some((a, b)) = w.next_in_step() {
            if rem <= b - a {
                return from_ns(a + rem);
            }
            rem -= b - a;
        }
        if !w.advance() {
            return DateTime::<Utc>::MAX_UTC;
        }
    }
}

/// Working time in `[from, to)`; zero when `to <= from`.
pub fn between(cal: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    if cal.always_open() {
        return to - from;
    }
    ns_duration(between_ns(cal, to_ns(from), to_ns(to)))
}

fn between_ns(cal: &Calendar, from: i128, to: i128) -> i128 {
    if to <= from || cal.weekly_ns == 0 {
        return 0;
    }
    if cal.always_open() {
        return to - from;
    }
    let mut total = 0i128;
    let mut w = Walker::new(cal, from);
    loop {
        if w.skip_week(Some(to)) {
            total += cal.weekly_ns;
            continue;
        }
        while let Some((a, b)) = w.next_in_step() {
            if a >= to {
                return total;
            }
            total += b.min(to) - a;
        }
        if w.step_end >= to || !w.advance() {
            return total;
        }
    }
}

/// Working time in `[from, to)` outside every pause. A pause `(start, None)` is still open and
/// runs until `to`; pauses may overlap each other and stick out of `[from, to)`.
pub fn between_with_pauses(cal: &Calendar, from: DateTime<Utc>, to: DateTime<Utc>, pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)]) -> Duration {
    if to <= from {
        return Duration::zero();
    }
    let (f, t) = (to_ns(from), to_ns(to));
    let mut ps: Vec<(i128, i128)> = pauses.iter().map(|&(s, e)| (to_ns(s).max(f), e.map_or(t, to_ns).min(t))).filter(|(s, e)| s < e).collect();
    ps.sort_unstable();
    let mut total = 0i128;
    let mut cursor = f;
    for (s, e) in ps {
        if s > cursor {
            total += between_ns(cal, cursor, s);
        }
        cursor = cursor.max(e);
    }
    total += between_ns(cal, cursor, t);
    ns_duration(total)
}

/// The first working instant at or after `t` (`t` itself when it is working time);
/// `DateTime::<Utc>::MAX_UTC` for a calendar without working time.
pub fn next_working_instant(cal: &Calendar, t: DateTime<Utc>) -> DateTime<Utc> {
    if cal.always_open() {
        return t;
    }
    if cal.weekly_ns == 0 {
        return DateTime::<Utc>::MAX_UTC;
    }
    let mut w = Walker::new(cal, to_ns(t));
    loop {
        if let Some((a, _)) = w.next_in_step() {
            return from_ns(a);
        }
        if !w.advance() {
            return DateTime::<Utc>::MAX_UTC;
        }
    }
}

/// The close of the `n`-th working day after the (local) day of `t`: "within three business
/// days" of a Friday resolution ends when Wednesday's working hours end if Monday is a holiday.
/// Days off (weekends without intervals, holidays) do not count; an always-open calendar counts
/// every day, ending at midnight. `n` of zero is `t`; a calendar without working days gives
/// `DateTime::<Utc>::MAX_UTC` ("never").
pub fn end_of_working_days_after(cal: &Calendar, t: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    if n == 0 {
        return t;
    }
    let tz = cal.timezone();
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    let mut date = t.with_timezone(&tz).date_naive();
    let (mut counted, mut idle) = (0, 0);
    loop {
        let Some(next) = date.succ_opt() else { return DateTime::<Utc>::MAX_UTC };
        date = next;
        let day = (date - epoch).num_days();
        match cal.intervals_on_day(day).last() {
            Some(&(_, end)) => {
                counted += 1;
                idle = 0;
                if counted == n {
                    let local = date.and_hms_opt(0, 0, 0).expect("midnight") + Duration::nanoseconds(end);
                    // A wall-clock time skipped by a clock change: the first instant after it.
                    return tz
                        .from_local_datetime(&local)
                        .latest()
                        .or_else(|| tz.from_local_datetime(&(local + Duration::hours(1))).earliest())
                        .map_or(DateTime::<Utc>::MAX_UTC, |l| l.with_timezone(&Utc));
                }
            }
            None => {
                idle += 1;
                if idle > IDLE_DAY_LIMIT {
                    return DateTime::<Utc>::MAX_UTC;
                }
            }
        }
    }
}

/// Whether `t` is working time (on the wall clock of the calendar's zone, see the module doc).
pub fn is_working(cal: &Calendar, t: DateTime<Utc>) -> bool {
    if cal.always_open() {
        return true;
    }
    let Some(off) = offset_at(cal, t.timestamp()) else { return false };
    let local = to_ns(t) + off as i128 * NS;
    let day = local.div_euclid(DAY_NS as i128) as i64;
    let tod = (local - day as i128 * DAY_NS as i128) as i64;
    cal.intervals_on_day(day).iter().any(|&(s, e)| s <= tod && tod < e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::{CalendarSpec, WorkInterval};
    use crate::sla::holidays::Holiday;
    use chrono::{NaiveDate, NaiveTime, Weekday};
    use chrono_tz::Tz;

    #[test]
    fn business_days_end_at_the_close_of_the_last_and_skip_holidays() {
        let cal = Calendar::new(CalendarSpec::colombia_default());
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // Friday 2026-11-13, 10:00 in Bogotá; Monday 16 is a holiday (Independencia de Cartagena,
        // moved to Monday): Tuesday, Wednesday, Thursday → Thursday 19 at 17:00 (22:00 UTC).
        assert_eq!(end_of_working_days_after(&cal, utc("2026-11-13T15:00:00Z"), 3), utc("2026-11-19T22:00:00Z"));
        // The resolution day itself never counts, even at its start.
        assert_eq!(end_of_working_days_after(&cal, utc("2026-11-17T12:31:00Z"), 1), utc("2026-11-18T22:00:00Z"));
        // After 19:00 in Bogotá it is already the next UTC day: the local day counts.
        assert_eq!(end_of_working_days_after(&cal, utc("2026-11-18T03:00:00Z"), 1), utc("2026-11-18T22:00:00Z"));
        assert_eq!(end_of_working_days_after(&cal, utc("2026-11-13T15:00:00Z"), 0), utc("2026-11-13T15:00:00Z"));
        let always = Calendar::new(CalendarSpec::always_open_default());
        let t = utc("2026-11-13T15:00:00Z");
        let end = end_of_working_days_after(&always, t, 2);
        assert_eq!(end.with_timezone(&always.timezone()).date_naive(), chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap());
        let never = Calendar::new(CalendarSpec { intervals: vec![], ..CalendarSpec::colombia_default() });
        assert_eq!(end_of_working_days_after(&never, t, 1), DateTime::<Utc>::MAX_UTC);
    }
    fn at(tz: Tz, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("unambiguous local time").with_timezone(&Utc)
    }

    fn bog(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        at(chrono_tz::America::Bogota, y, m, d, h, min)
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn co() -> Calendar {
        Calendar::new(CalendarSpec::colombia_default())
    }

    const WEEKDAYS: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

    /// Weekday, start (h, m), end (h, m).
    type Iv = (Weekday, (u32, u32), (u32, u32));

    fn spec_with(tz: Tz, intervals: &[Iv], country: bool) -> CalendarSpec {
        CalendarSpec {
            timezone: tz,
            intervals: intervals.iter().map(|&(w, (h1, m1), (h2, m2))| WorkInterval::new(w, t(h1, m1), t(h2, m2))).collect(),
            always_open: false,
            country: country.then(|| "CO".to_owned()),
            extra_holidays: Vec::new(),
            removed_holidays: Vec::new(),
        }
    }

    #[test]
    fn weekdays_of_the_dates_used() {
        use chrono::Datelike;
        assert_eq!(date(2026, 1, 9).weekday(), Weekday::Fri);
        assert_eq!(date(2026, 1, 12).weekday(), Weekday::Mon);
        assert_eq!(date(2026, 1, 16).weekday(), Weekday::Fri);
        assert_eq!(date(2026, 1, 17).weekday(), Weekday::Sat);
        assert_eq!(date(2026, 1, 20).weekday(), Weekday::Tue);
        assert_eq!(date(2026, 7, 10).weekday(), Weekday::Fri);
        assert_eq!(date(2026, 3, 8).weekday(), Weekday::Sun);
        assert_eq!(date(2026, 11, 1).weekday(), Weekday::Sun);
        assert_eq!(date(2026, 3, 29).weekday(), Weekday::Sun);
        assert_eq!(date(2026, 10, 25).weekday(), Weekday::Sun);
    }

    #[test]
    fn friday_1630_plus_one_hour_is_monday_0800() {
        // Critical incident, 1 h to attend, registered Friday 2026-01-16 16:30.
        assert_eq!(add(&co(), bog(2026, 1, 16, 16, 30), Duration::hours(1)), bog(2026, 1, 19, 8, 0));
    }

    #[test]
    fn friday_1630_plus_one_hour_is_tuesday_when_monday_is_a_holiday() {
        // 2026-01-12 is the Reyes Magos holiday (6 January moved to Monday).
        assert_eq!(add(&co(), bog(2026, 1, 9, 16, 30), Duration::hours(1)), bog(2026, 1, 13, 8, 0));
        // 2026-07-13 is the new Chiquinquirá holiday (9 July moved to Monday, Ley 2578 de 2026).
        assert_eq!(add(&co(), bog(2026, 7, 10, 16, 30), Duration::hours(1)), bog(2026, 7, 14, 8, 0));
    }

    #[test]
    fn saturday_counts_from_monday_0730() {
        let sat = bog(2026, 1, 17, 10, 0);
        assert_eq!(next_working_instant(&co(), sat), bog(2026, 1, 19, 7, 30));
        assert_eq!(add(&co(), sat, Duration::zero()), bog(2026, 1, 19, 7, 30));
        assert_eq!(add(&co(), sat, Duration::hours(1)), bog(2026, 1, 19, 8, 30));
        assert_eq!(between(&co(), sat, bog(2026, 1, 19, 8, 0)), Duration::minutes(30));
        assert!(!is_working(&co(), sat));
        assert!(is_working(&co(), bog(2026, 1, 19, 7, 30)));
        assert!(!is_working(&co(), bog(2026, 1, 19, 17, 0)));
    }

    #[test]
    fn on_hold_tuesday_to_wednesday_gains_one_business_day() {
        let cal = co();
        let (tue10, wed10) = (bog(2026, 1, 20, 10, 0), bog(2026, 1, 21, 10, 0));
        assert_eq!(between(&cal, tue10, wed10), Duration::minutes(570));
        // Registered Monday 08:00, measured Thursday 12:00: 9 + 9.5 + 9.5 + 4.5 h, minus the pause.
        let (mon8, thu12) = (bog(2026, 1, 19, 8, 0), bog(2026, 1, 22, 12, 0));
        assert_eq!(between(&cal, mon8, thu12), Duration::minutes(60 * 32 + 30));
        assert_eq!(between_with_pauses(&cal, mon8, thu12, &[(tue10, Some(wed10))]), Duration::hours(23));
        // The due date of a 16 h target moves by exactly one business day.
        let plain = add(&cal, mon8, Duration::hours(16));
        let held = add(&cal, mon8, Duration::hours(16) + between(&cal, tue10, wed10));
        assert_eq!((plain, held), (bog(2026, 1, 20, 14, 30), bog(2026, 1, 21, 14, 30)));
        assert_eq!(between(&cal, plain, held), Duration::minutes(570));
        // An open pause runs to the end; overlapping pauses count once.
        assert_eq!(between_with_pauses(&cal, mon8, bog(2026, 1, 21, 12, 0), &[(tue10, None)]), Duration::minutes(60 * 11 + 30));
        let pauses = [(tue10, Some(wed10)), (bog(2026, 1, 20, 15, 0), Some(bog(2026, 1, 20, 16, 0))), (bog(2026, 1, 21, 9, 0), Some(bog(2026, 1, 21, 11, 0)))];
        assert_eq!(between_with_pauses(&cal, mon8, thu12, &pauses), Duration::minutes(60 * 22));
        // Pauses outside the range, or a range backwards, count nothing.
        assert_eq!(between_with_pauses(&cal, mon8, thu12, &[(bog(2026, 1, 1, 0, 0), Some(bog(2026, 1, 2, 0, 0)))]), between(&cal, mon8, thu12));
        assert_eq!(between_with_pauses(&cal, thu12, mon8, &[]), Duration::zero());
        assert_eq!(between(&cal, thu12, mon8), Duration::zero());
    }

    #[test]
    fn split_day_calendar() {
        let iv: Vec<_> = WEEKDAYS.iter().flat_map(|&w| [(w, (7, 30), (12, 0)), (w, (13, 0), (17, 0))]).collect();
        let cal = Calendar::new(spec_with(chrono_tz::America::Bogota, &iv, true));
        assert_eq!(add(&cal, bog(2026, 1, 19, 11, 30), Duration::hours(1)), bog(2026, 1, 19, 13, 30));
        // Due exactly when the morning ends.
        assert_eq!(add(&cal, bog(2026, 1, 19, 11, 0), Duration::hours(1)), bog(2026, 1, 19, 12, 0));
        assert_eq!(add(&cal, bog(2026, 1, 19, 12, 30), Duration::zero()), bog(2026, 1, 19, 13, 0));
        assert_eq!(add(&cal, bog(2026, 1, 16, 16, 30), Duration::hours(1)), bog(2026, 1, 19, 8, 0));
        assert_eq!(add(&cal, bog(2026, 1, 9, 16, 30), Duration::hours(1)), bog(2026, 1, 13, 8, 0));
        assert_eq!(between(&cal, bog(2026, 1, 19, 7, 30), bog(2026, 1, 20, 7, 30)), Duration::minutes(510));
        assert!(is_working(&cal, bog(2026, 1, 19, 11, 59)));
        assert!(!is_working(&cal, bog(2026, 1, 19, 12, 0)));
        assert!(!is_working(&cal, bog(2026, 1, 19, 12, 30)));
        assert!(is_working(&cal, bog(2026, 1, 19, 13, 0)));
        // A week of 5 × 8.5 h, with no holiday in it: Monday 2026-01-19 → Monday 2026-01-26.
        assert_eq!(between(&cal, bog(2026, 1, 19, 0, 0), bog(2026, 1, 26, 0, 0)), Duration::minutes(5 * 510));
        assert_eq!(add(&cal, bog(2026, 1, 19, 7, 30), Duration::minutes(5 * 510)), bog(2026, 1, 23, 17, 0));
    }

    #[test]
    fn always_open_calendar() {
        let cal = Calendar::new(CalendarSpec::always_open_default());
        let sat = bog(2026, 1, 17, 10, 0);
        assert_eq!(add(&cal, sat, Duration::hours(5)), bog(2026, 1, 17, 15, 0));
        assert_eq!(add(&cal, bog(2025, 12, 31, 23, 0), Duration::hours(2)), bog(2026, 1, 1, 1, 0));
        assert_eq!(add(&cal, sat, Duration::zero()), sat);
        assert_eq!(between(&cal, sat, bog(2026, 1, 20, 10, 0)), Duration::hours(72));
        assert_eq!(next_working_instant(&cal, sat), sat);
        assert!(is_working(&cal, bog(2026, 1, 1, 3, 0)));
        assert_eq!(between_with_pauses(&cal, sat, bog(2026, 1, 18, 10, 0), &[(bog(2026, 1, 17, 12, 0), Some(bog(2026, 1, 17, 13, 0)))]), Duration::hours(23));
    }

    #[test]
    fn custom_extra_and_removed_holidays() {
        let mut spec = CalendarSpec::colombia_default();
        spec.extra_holidays = vec![Holiday { date: date(2026, 1, 19), name: "Aniversario de la empresa".into() }];
        spec.removed_holidays = vec![date(2026, 1, 12)];
        let cal = Calendar::new(spec);
        // Monday 2026-01-12 is worked anyway.
        assert_eq!(add(&cal, bog(2026, 1, 9, 16, 30), Duration::hours(1)), bog(2026, 1, 12, 8, 0));
        // Monday 2026-01-19 is a day off of this calendar.
        assert_eq!(add(&cal, bog(2026, 1, 16, 16, 30), Duration::hours(1)), bog(2026, 1, 20, 8, 0));
        assert!(!is_working(&cal, bog(2026, 1, 19, 9, 0)) && is_working(&cal, bog(2026, 1, 12, 9, 0)));
    }

    #[test]
    fn holidays_in_weeks_are_not_skipped() {
        // 3 weeks of business time from Monday 2026-03-16 crosses San José (23 March) and Holy Week (2–3 April).
        let cal = co();
        let start = bog(2026, 3, 16, 7, 30);
        let three_weeks = Duration::minutes(3 * 5 * 570);
        // 15 business days + 3 holidays → ends on the 18th weekday: Wednesday 2026-04-08 17:00.
        assert_eq!(add(&cal, start, three_weeks), bog(2026, 4, 8, 17, 0));
        assert_eq!(between(&cal, start, bog(2026, 4, 8, 17, 0)), three_weeks);
        // A whole year is the working weekdays (Monday–Friday not holidays) times 9.5 h.
        let working_days = (0..365).map(|i| date(2026, 1, 1) + chrono::Duration::days(i)).filter(|d| {
            use chrono::Datelike;
            d.weekday().num_days_from_monday() < 5 && !cal.is_holiday(*d)
        });
        let n = working_days.count() as i32;
        assert_eq!(n, 261 - 19); // every 2026 holiday falls on a weekday
        assert_eq!(between(&cal, bog(2026, 1, 1, 0, 0), bog(2027, 1, 1, 0, 0)), Duration::minutes(570) * n);
    }

    #[test]
    fn dst_new_york_and_madrid() {
        let ny = chrono_tz::America::New_York;
        let madrid = chrono_tz::Europe::Madrid;
        // A Monday–Friday calendar across the spring-forward weekend (2026-03-08) keeps its wall-clock hours.
        let iv: Vec<_> = WEEKDAYS.iter().map(|&w| (w, (7, 30), (17, 0))).collect();
        let office = Calendar::new(spec_with(ny, &iv, false));
        assert_eq!(add(&office, at(ny, 2026, 3, 6, 16, 30), Duration::hours(1)), at(ny, 2026, 3, 9, 8, 0));
        assert_eq!(at(ny, 2026, 3, 9, 8, 0), utc(2026, 3, 9, 12, 0));
        assert_eq!(between(&office, at(ny, 2026, 3, 6, 16, 30), at(ny, 2026, 3, 9, 8, 0)), Duration::hours(1));

        // Sunday 00:00–06:00 over the gap (02:00 → 03:00) is 5 h; over the overlap (02:00 → 01:00) 7 h.
        let night = Calendar::new(spec_with(ny, &[(Weekday::Sun, (0, 0), (6, 0))], false));
        assert_eq!(between(&night, utc(2026, 3, 7, 12, 0), utc(2026, 3, 9, 12, 0)), Duration::hours(5));
        assert_eq!(between(&night, utc(2026, 10, 31, 12, 0), utc(2026, 11, 2, 12, 0)), Duration::hours(7));
        assert_eq!(add(&night, at(ny, 2026, 3, 8, 0, 0), Duration::hours(5)), at(ny, 2026, 3, 8, 6, 0));
        assert_eq!(add(&night, at(ny, 2026, 11, 1, 0, 0), Duration::hours(7)), at(ny, 2026, 11, 1, 6, 0));
        assert_eq!(at(ny, 2026, 11, 1, 6, 0), utc(2026, 11, 1, 11, 0));
        // Both passes of 01:30 are working time.
        assert!(is_working(&night, utc(2026, 11, 1, 5, 30)) && is_working(&night, utc(2026, 11, 1, 6, 30)));

        // An interval entirely inside the gap has no working time that day.
        let in_gap = Calendar::new(spec_with(ny, &[(Weekday::Sun, (2, 15), (2, 45))], false));
        assert_eq!(between(&in_gap, utc(2026, 3, 8, 0, 0), utc(2026, 3, 9, 0, 0)), Duration::zero());
        assert_eq!(next_working_instant(&in_gap, utc(2026, 3, 8, 0, 0)), at(ny, 2026, 3, 15, 2, 15));

        // Madrid: interval 01:30–02:30 on 2026-03-29 (02:00 → 03:00) is shortened to 30 min.
        let m1 = Calendar::new(spec_with(madrid, &[(Weekday::Sun, (1, 30), (2, 30))], false));
        assert_eq!(between(&m1, utc(2026, 3, 28, 0, 0), utc(2026, 3, 30, 0, 0)), Duration::minutes(30));
        assert_eq!(add(&m1, utc(2026, 3, 28, 0, 0), Duration::minutes(30)), utc(2026, 3, 29, 1, 0)); // 03:00 CEST
                                                                                                     // Interval 00:00–02:30 on 2026-10-25 (03:00 → 02:00): 2.5 h on the first pass, 30 min on the second.
        let m2 = Calendar::new(spec_with(madrid, &[(Weekday::Sun, (0, 0), (2, 30))], false));
        assert_eq!(between(&m2, utc(2026, 10, 24, 0, 0), utc(2026, 10, 26, 0, 0)), Duration::hours(3));
        assert!(is_working(&m2, utc(2026, 10, 25, 0, 15))); // 02:15 CEST
        assert!(!is_working(&m2, utc(2026, 10, 25, 0, 45))); // 02:45 CEST
        assert!(is_working(&m2, utc(2026, 10, 25, 1, 15))); // 02:15 CET
        assert!(!is_working(&m2, utc(2026, 10, 25, 1, 45))); // 02:45 CET
        assert_eq!(add(&m2, utc(2026, 10, 24, 22, 0), Duration::minutes(150)), utc(2026, 10, 25, 0, 30));
        assert_eq!(add(&m2, utc(2026, 10, 24, 22, 0), Duration::minutes(151)), utc(2026, 10, 25, 1, 1));
        assert_eq!(next_working_instant(&m2, utc(2026, 10, 25, 0, 40)), utc(2026, 10, 25, 1, 0));
    }

    #[test]
    fn zero_negative_and_no_working_time() {
        let cal = co();
        let mon9 = bog(2026, 1, 19, 9, 0);
        assert_eq!(add(&cal, mon9, Duration::zero()), mon9);
        assert_eq!(add(&cal, mon9, Duration::hours(-3)), mon9);
        assert_eq!(add(&cal, bog(2026, 1, 19, 18, 0), Duration::zero()), bog(2026, 1, 20, 7, 30));
        assert_eq!(add(&cal, mon9, Duration::nanoseconds(1)), mon9 + Duration::nanoseconds(1));
        let none = Calendar::new(spec_with(chrono_tz::America::Bogota, &[], true));
        assert_eq!(add(&none, mon9, Duration::hours(1)), DateTime::<Utc>::MAX_UTC);
        assert_eq!(next_working_instant(&none, mon9), DateTime::<Utc>::MAX_UTC);
        assert_eq!(between(&none, mon9, mon9 + Duration::days(30)), Duration::zero());
        assert!(!is_working(&none, mon9));
    }

    #[test]
    fn long_durations_match_day_by_day() {
        let cal = co();
        let start = bog(2025, 11, 28, 15, 10);
        let mut r = start;
        for _ in 0..200 {
            r = add(&cal, r, Duration::minutes(570));
        }
        assert_eq!(add(&cal, start, Duration::minutes(570 * 200)), r);
        assert_eq!(between(&cal, start, r), Duration::minutes(570 * 200));
    }

    mod props {
        use super::*;
        use crate::sla::calendar::CalendarSpec;
        use proptest::prelude::*;

        const ZONES: [Tz; 3] = [chrono_tz::America::Bogota, chrono_tz::America::New_York, chrono_tz::Europe::Madrid];
        const ALL_DAYS: [Weekday; 7] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        /// 2024-01-01T00:00Z … 2029-01-01T00:00Z.
        const FROM: i64 = 1_704_067_200;
        const TO: i64 = 1_861_920_000;

        fn minute_time(m: u32) -> NaiveTime {
            // 1440 = midnight at the end of the day.
            NaiveTime::from_num_seconds_from_midnight_opt((m % 1440) * 60, 0).unwrap()
        }

        /// 0–3 intervals on each weekday (1–3 on at least one), minute boundaries.
        fn arb_spec() -> impl Strategy<Value = CalendarSpec> {
            let day = prop_oneof![
                1 => Just(Vec::<u32>::new()),
                3 => prop::collection::btree_set(0u32..=1440, 2..=6).prop_map(|s| s.into_iter().collect::<Vec<_>>()),
            ];
            (0usize..3, prop::collection::vec(day, 7), 0u32..7, any::<bool>(), prop::collection::vec((0i64..5 * 366, any::<bool>()), 0..6)).prop_map(
                |(zone, mut days, forced, country, custom)| {
                    if days.iter().all(|d| d.len() < 2) {
                        days[forced as usize] = vec![9 * 60, 17 * 60];
                    }
                    let mut intervals = Vec::new();
                    for (i, points) in days.iter().enumerate() {
                        for pair in points.chunks_exact(2) {
                            intervals.push(WorkInterval::new(ALL_DAYS[i], minute_time(pair[0]), minute_time(pair[1])));
                        }
                    }
                    let base = date(2024, 1, 1);
                    let mut spec = CalendarSpec {
                        timezone: ZONES[zone],
                        intervals,
                        always_open: false,
                        country: country.then(|| "CO".to_owned()),
                        extra_holidays: Vec::new(),
                        removed_holidays: Vec::new(),
                    };
                    for (offset, extra) in custom {
                        let d = base + chrono::Duration::days(offset);
                        if extra {
                            spec.extra_holidays.push(Holiday { date: d, name: "Custom".into() });
                        } else {
                            spec.removed_holidays.push(d);
                        }
                    }
                    spec
                },
            )
        }

        /// Instants over 2024–2028, half of them within 3 days of a clock change in New York or Madrid.
        fn arb_instant() -> impl Strategy<Value = DateTime<Utc>> {
            let transitions: Vec<i64> = [
                utc(2024, 3, 10, 7, 0),
                utc(2024, 11, 3, 6, 0),
                utc(2025, 3, 9, 7, 0),
                utc(2025, 11, 2, 6, 0),
                utc(2026, 3, 8, 7, 0),
                utc(2026, 11, 1, 6, 0),
                utc(2027, 3, 14, 7, 0),
                utc(2027, 11, 7, 6, 0),
                utc(2024, 3, 31, 1, 0),
                utc(2024, 10, 27, 1, 0),
                utc(2025, 3, 30, 1, 0),
                utc(2025, 10, 26, 1, 0),
                utc(2026, 3, 29, 1, 0),
                utc(2026, 10, 25, 1, 0),
                utc(2027, 3, 28, 1, 0),
                utc(2027, 10, 31, 1, 0),
            ]
            .iter()
            .map(|t| t.timestamp())
            .collect();
            prop_oneof![
                (FROM..TO).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
                (prop::sample::select(transitions), -3 * 86_400i64..3 * 86_400).prop_map(|(t, d)| DateTime::from_timestamp(t + d, 0).unwrap()),
            ]
        }

        fn arb_duration() -> impl Strategy<Value = Duration> {
            prop_oneof![
                1 => Just(Duration::zero()),
                8 => (1i64..=14 * 86_400).prop_map(Duration::seconds),
                1 => (1i64..=3 * 3600).prop_map(Duration::seconds),
            ]
        }

        /// Independent of the walker: chrono's own conversion to the wall clock.
        fn reference_is_working(spec: &CalendarSpec, t: DateTime<Utc>) -> bool {
            use chrono::{Datelike, Timelike};
            let local = t.with_timezone(&spec.timezone);
            let (day, tod) = (local.date_naive(), local.time().num_seconds_from_midnight());
            !spec.is_holiday(day)
                && spec.intervals.iter().any(|iv| {
                    let (s, e) = (iv.start.num_seconds_from_midnight(), iv.end.num_seconds_from_midnight());
                    iv.weekday == day.weekday() && s <= tod && tod < if e == 0 { 86_400 } else { e }
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(384))]

            #[test]
            fn add_then_between_gives_the_duration_back(spec in arb_spec(), start in arb_instant(), d in arb_duration()) {
                let cal = Calendar::new(spec);
                let r = add(&cal, start, d);
                prop_assert!(r >= start);
                prop_assert_eq!(between(&cal, start, r), d);
            }

            #[test]
            fn add_lands_in_working_time_or_at_an_interval_end(spec in arb_spec(), start in arb_instant(), d in arb_duration()) {
                let cal = Calendar::new(spec);
                let r = add(&cal, start, d);
                if d.is_zero() {
                    prop_assert!(is_working(&cal, r));
                    prop_assert_eq!(r, next_working_instant(&cal, start));
                } else {
                    // r is in (a, b] of a working segment: the instant just before it is working time,
                    // which with `between` above also makes r the earliest such instant.
                    prop_assert!(is_working(&cal, r - Duration::nanoseconds(1)));
                }
            }

            #[test]
            fn add_is_monotonic_in_the_start(spec in arb_spec(), a in arb_instant(), gap in 0i64..10 * 86_400, d in arb_duration()) {
                let cal = Calendar::new(spec);
                let b = a + Duration::seconds(gap);
                prop_assert!(add(&cal, a, d) <= add(&cal, b, d));
            }

            #[test]
            fn add_composes(spec in arb_spec(), start in arb_instant(), d1 in arb_duration(), d2 in arb_duration()) {
                prop_assume!(!d1.is_zero() && !d2.is_zero());
                let cal = Calendar::new(spec);
                prop_assert_eq!(add(&cal, add(&cal, start, d1), d2), add(&cal, start, d1 + d2));
            }

            #[test]
            fn between_is_additive(spec in arb_spec(), a in arb_instant(), x in 0i64..60 * 86_400, y in 0i64..60 * 86_400) {
                let cal = Calendar::new(spec);
                let b = a + Duration::seconds(x);
                let c = b + Duration::seconds(y);
                prop_assert_eq!(between(&cal, a, b) + between(&cal, b, c), between(&cal, a, c));
            }

            #[test]
            fn pauses_never_add_time(spec in arb_spec(), a in arb_instant(), len in 0i64..30 * 86_400,
                                      pauses in prop::collection::vec((-86_400i64..31 * 86_400, prop::option::of(0i64..10 * 86_400)), 0..4)) {
                let cal = Calendar::new(spec);
                let c = a + Duration::seconds(len);
                let ps: Vec<_> = pauses.iter().map(|&(s, l)| (a + Duration::seconds(s), l.map(|l| a + Duration::seconds(s + l)))).collect();
                let with = between_with_pauses(&cal, a, c, &ps);
                prop_assert!(with >= Duration::zero());
                prop_assert!(with <= between(&cal, a, c));
                if let [(s, Some(e))] = ps[..] {
                    let (s, e) = (s.clamp(a, c), e.clamp(a, c));
                    if s <= e {
                        prop_assert_eq!(with, between(&cal, a, c) - between(&cal, s, e));
                    }
                }
            }

            #[test]
            fn agrees_with_the_wall_clock(spec in arb_spec(), a in arb_instant(), probes in prop::collection::vec(0i64..2 * 86_400, 1..16)) {
                let cal = Calendar::new(spec.clone());
                for p in probes {
                    let t = a + Duration::seconds(p);
                    prop_assert_eq!(is_working(&cal, t), reference_is_working(&spec, t), "at {}", t);
                }
                // Minute by minute over 2 days (all boundaries fall on whole minutes in these zones).
                let a = DateTime::from_timestamp(a.timestamp() / 60 * 60, 0).unwrap();
                let minutes = (0..2 * 1440).filter(|m| reference_is_working(&spec, a + Duration::minutes(*m))).count() as i64;
                prop_assert_eq!(between(&cal, a, a + Duration::days(2)), Duration::minutes(minutes));
            }
        }
    }
}
