//! Business calendars: a time zone, weekly working intervals and holidays (pure data, no I/O).
//!
//! [`CalendarSpec`] is what is stored and edited; [`Calendar`] is built from it once
//! ([`Calendar::new`]) and is what the business-time arithmetic ([`super::business_time`]) takes:
//! it holds the intervals per weekday in a fast form and caches the holidays of each year the
//! first time that year is looked at (thread-safe, so a `Calendar` can be shared between threads).
//!
//! Conventions:
//! * An interval's `end` of `00:00` means midnight at the end of its day (24:00), so `00:00–00:00`
//!   is the whole day and `18:00–00:00` runs until midnight.
//! * Intervals that touch (`07:30–12:00` and `12:00–13:00`) are joined; overlapping ones are an
//!   error of [`CalendarSpec::validate`] (a [`Calendar`] built anyway joins them).
//! * An `always_open` calendar (24×7) is working time at every instant and has no holidays: its
//!   intervals, country and holiday lists are ignored.
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::holidays::{self, Holiday, HolidayRule};

pub(crate) const DAY_NS: i64 = 86_400 * 1_000_000_000;

/// A working interval of one weekday, in the calendar's time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkInterval {
    /// `mon` … `sun`.
    #[serde(with = "weekday_serde")]
    #[schema(value_type = String, example = "mon")]
    pub weekday: Weekday,
    #[schema(value_type = String, example = "07:30:00")]
    pub start: NaiveTime,
    /// Later than `start` on the same day; `00:00` means midnight at the end of the day.
    #[schema(value_type = String, example = "17:00:00")]
    pub end: NaiveTime,
}

impl WorkInterval {
    pub fn new(weekday: Weekday, start: NaiveTime, end: NaiveTime) -> Self {
        WorkInterval { weekday, start, end }
    }

    /// Start as nanoseconds since the local midnight.
    pub(crate) fn start_ns(&self) -> i64 {
        time_ns(self.start)
    }

    /// End as nanoseconds since the local midnight (`00:00` → 24 h).
    pub(crate) fn end_ns(&self) -> i64 {
        match time_ns(self.end) {
            0 => DAY_NS,
            e => e,
        }
    }
}

fn time_ns(t: NaiveTime) -> i64 {
    // `nanosecond()` may exceed 10⁹ during a leap second; clamp into the second.
    t.num_seconds_from_midnight() as i64 * 1_000_000_000 + (t.nanosecond() as i64).min(999_999_999)
}

/// A business calendar as configured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CalendarSpec {
    /// IANA time zone in which the intervals are read, e.g. `America/Bogota`.
    #[serde(with = "tz_serde")]
    #[schema(value_type = String, example = "America/Bogota")]
    pub timezone: Tz,
    /// Weekly working intervals (several per day allowed). Empty is valid only when `always_open`.
    pub intervals: Vec<WorkInterval>,
    /// 24×7: every instant is working time and there are no holidays.
    pub always_open: bool,
    /// `CO`: computed Colombian national holidays.
    pub country: Option<String>,
    /// Custom days off of this calendar.
    pub extra_holidays: Vec<Holiday>,
    /// National holidays this calendar works anyway.
    pub removed_holidays: Vec<NaiveDate>,
}

/// Field path and message of each problem found by [`CalendarSpec::validate`].
pub type SpecErrors = Vec<(String, String)>;

impl CalendarSpec {
    /// Checks: every interval ends after it starts; intervals of one weekday do not overlap
    /// (touching is fine); there is some working time; the country is known; custom holidays
    /// have names. Paths look like `intervals.2.end`, `country`, `extra_holidays.0.name`.
    pub fn validate(&self) -> Result<(), SpecErrors> {
        let mut errors: SpecErrors = Vec::new();
        if !self.always_open {
            if self.intervals.is_empty() {
                errors.push(("intervals".into(), "add at least one working interval, or make the calendar always open (24×7)".into()));
            }
            for (i, iv) in self.intervals.iter().enumerate() {
                if iv.end_ns() <= iv.start_ns() {
                    errors.push((format!("intervals.{i}.end"), "must be later than the start (00:00 means midnight at the end of the day)".into()));
                }
            }
            let mut order: Vec<usize> = (0..self.intervals.len()).filter(|&i| self.intervals[i].end_ns() > self.intervals[i].start_ns()).collect();
            order.sort_by_key(|&i| (self.intervals[i].weekday.num_days_from_monday(), self.intervals[i].start_ns(), i));
            // Walking each day's intervals by start, one overlaps the one reaching furthest before it.
            let mut reach: Option<(Weekday, usize)> = None;
            for &i in &order {
                let iv = &self.intervals[i];
                match reach {
                    Some((w, r)) if w == iv.weekday && iv.start_ns() < self.intervals[r].end_ns() => {
                        errors.push((format!("intervals.{i}.start"), format!("overlaps intervals.{r} on the same day")));
                        if iv.end_ns() > self.intervals[r].end_ns() {
                            reach = Some((w, i));
                        }
                    }
                    _ => reach = Some((iv.weekday, i)),
                }
            }
        }
        if let Some(code) = &self.country {
            if holidays::rules(code).is_none() {
                errors.push(("country".into(), format!("unknown country code; supported: {}", holidays::SUPPORTED_COUNTRIES.join(", "))));
            }
        }
        for (i, h) in self.extra_holidays.iter().enumerate() {
            if h.name.trim().is_empty() {
                errors.push((format!("extra_holidays.{i}.name"), "must not be empty".into()));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn country_rules(&self) -> Option<&'static [HolidayRule]> {
        self.country.as_deref().and_then(holidays::rules)
    }

    /// The calendar's holidays of `year`: the country's, plus the extra ones, minus the removed
    /// dates; sorted by date, with names. Empty for an always-open calendar.
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        if self.always_open {
            return Vec::new();
        }
        let mut out: Vec<Holiday> = match self.country_rules() {
            Some(rules) => holidays::rule_dates(rules, year).map(|(date, name)| Holiday { date, name: name.to_owned() }).collect(),
            None => Vec::new(),
        };
        for h in self.extra_holidays.iter().filter(|h| h.date.year() == year) {
            if !out.contains(h) {
                out.push(h.clone());
            }
        }
        out.retain(|h| !self.removed_holidays.contains(&h.date));
        out.sort_by_key(|h| h.date);
        out
    }

    /// Whether `date` is a day off of this calendar (no allocation; for loops prefer [`Calendar::is_holiday`]).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        if self.always_open || self.removed_holidays.contains(&date) {
            return false;
        }
        if self.extra_holidays.iter().any(|h| h.date == date) {
            return true;
        }
        match self.country_rules() {
            Some(rules) => rules.iter().any(|r| r.date_in(date.year()) == Some(date)),
            None => false,
        }
    }

    /// America/Bogota, Monday to Friday 07:30–17:00, Colombian holidays.
    pub fn colombia_default() -> Self {
        let (start, end) = (NaiveTime::from_hms_opt(7, 30, 0).unwrap(), NaiveTime::from_hms_opt(17, 0, 0).unwrap());
        CalendarSpec {
            timezone: chrono_tz::America::Bogota,
            intervals: [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri].into_iter().map(|weekday| WorkInterval { weekday, start, end }).collect(),
            always_open: false,
            country: Some("CO".into()),
            extra_holidays: Vec::new(),
            removed_holidays: Vec::new(),
        }
    }

    /// 24×7 (America/Bogota), no holidays: for critical services.
    pub fn always_open_default() -> Self {
        CalendarSpec { timezone: chrono_tz::America::Bogota, intervals: Vec::new(), always_open: true, country: None, extra_holidays: Vec::new(), removed_holidays: Vec::new() }
    }
}

/// Years whose holidays a [`Calendar`] caches; other years are computed on each lookup.
const CACHE_FIRST_YEAR: i32 = 1900;
const CACHE_LAST_YEAR: i32 = 2399;
/// Days since 0001-01-01 (CE) of 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i64 = 719_163;

/// A [`CalendarSpec`] prepared for the arithmetic. Cheap to share (`&Calendar`, or wrap it in an
/// `Arc`); building one does no holiday work up front.
#[derive(Clone, Debug)]
pub struct Calendar {
    spec: CalendarSpec,
    /// Working intervals per weekday (Monday = 0) as nanoseconds since local midnight: sorted,
    /// non-empty, touching or overlapping ones joined.
    pub(crate) days: [Vec<(i64, i64)>; 7],
    /// Nominal working time of a week without holidays or clock changes, ns.
    pub(crate) weekly_ns: i128,
    has_holidays: bool,
    /// Holiday bitmaps per year (bit = ordinal day of the year), filled on first use.
    years: Box<[OnceLock<[u64; 6]>]>,
}

impl Calendar {
    pub fn new(spec: CalendarSpec) -> Self {
        let mut days: [Vec<(i64, i64)>; 7] = Default::default();
        if spec.always_open {
            for d in days.iter_mut() {
                d.push((0, DAY_NS));
            }
        } else {
            for iv in &spec.intervals {
                let (s, e) = (iv.start_ns(), iv.end_ns());
                if s < e {
                    days[iv.weekday.num_days_from_monday() as usize].push((s, e));
                }
            }
            for d in days.iter_mut() {
                d.sort_unstable();
                let mut merged: Vec<(i64, i64)> = Vec::with_capacity(d.len());
                for &(s, e) in d.iter() {
                    match merged.last_mut() {
                        Some(last) if s <= last.1 => last.1 = last.1.max(e),
                        _ => merged.push((s, e)),
                    }
                }
                *d = merged;
            }
        }
        let weekly_ns = days.iter().flatten().map(|&(s, e)| (e - s) as i128).sum();
        let has_holidays = !spec.always_open && (spec.country_rules().is_some() || !spec.extra_holidays.is_empty());
        let years = (CACHE_FIRST_YEAR..=CACHE_LAST_YEAR).map(|_| OnceLock::new()).collect();
        Calendar { spec, days, weekly_ns, has_holidays, years }
    }

    pub fn spec(&self) -> &CalendarSpec {
        &self.spec
    }

    pub fn timezone(&self) -> Tz {
        self.spec.timezone
    }

    pub fn always_open(&self) -> bool {
        self.spec.always_open
    }

    /// Working time of a week without holidays or clock changes.
    pub fn weekly_working_time(&self) -> chrono::Duration {
        chrono::Duration::nanoseconds(self.weekly_ns as i64)
    }

    /// Whether `date` is a day off of this calendar (cached per year).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        if !self.has_holidays {
            return false;
        }
        let y = date.year();
        if !(CACHE_FIRST_YEAR..=CACHE_LAST_YEAR).contains(&y) {
            return self.spec.is_holiday(date);
        }
        let bits = self.years[(y - CACHE_FIRST_YEAR) as usize].get_or_init(|| self.year_bits(y));
        let o = date.ordinal0() as usize;
        bits[o / 64] >> (o % 64) & 1 == 1
    }

    fn year_bits(&self, year: i32) -> [u64; 6] {
        let mut bits = [0u64; 6];
        let mut set = |d: NaiveDate, on: bool| {
            if d.year() == year {
                let o = d.ordinal0() as usize;
                if on {
                    bits[o / 64] |= 1 << (o % 64);
                } else {
                    bits[o / 64] &= !(1 << (o % 64));
                }
            }
        };
        if let Some(rules) = self.spec.country_rules() {
            for (d, _) in holidays::rule_dates(rules, year) {
                set(d, true);
            }
        }
        for h in &self.spec.extra_holidays {
            set(h.date, true);
        }
        for &d in &self.spec.removed_holidays {
            set(d, false);
        }
        bits
    }

    /// Intervals of the local day `day` (days since 1970-01-01): empty on days off.
    pub(crate) fn intervals_on_day(&self, day: i64) -> &[(i64, i64)] {
        let ivs = &self.days[weekday_index(day)];
        if !ivs.is_empty() && self.holiday_on_day(day) {
            return &[];
        }
        ivs
    }

    /// Whether the local day `day` (days since 1970-01-01) is a holiday.
    pub(crate) fn holiday_on_day(&self, day: i64) -> bool {
        self.has_holidays && i32::try_from(day + UNIX_EPOCH_CE_DAYS).ok().and_then(NaiveDate::from_num_days_from_ce_opt).is_some_and(|date| self.is_holiday(date))
    }
}

/// Monday = 0 … Sunday = 6 of a day counted from 1970-01-01 (a Thursday).
pub(crate) fn weekday_index(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// `mon` … `sun`.
pub fn weekday_code(w: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][w.num_days_from_monday() as usize]
}

/// Parses `mon` … `sun`.
pub fn parse_weekday_code(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

mod weekday_serde {
    use chrono::Weekday;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(w: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::weekday_code(*w))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_weekday_code(&s).ok_or_else(|| D::Error::custom("expected mon, tue, wed, thu, fri, sat or sun"))
    }
}

mod tz_serde {
    use chrono_tz::Tz;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| D::Error::custom("expected an IANA time zone such as America/Bogota"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(CalendarSpec::colombia_default().validate(), Ok(()));
        assert_eq!(CalendarSpec::always_open_default().validate(), Ok(()));
        let c = Calendar::new(CalendarSpec::colombia_default());
        assert_eq!(c.weekly_working_time(), chrono::Duration::minutes(5 * 570));
        assert_eq!(Calendar::new(CalendarSpec::always_open_default()).weekly_working_time(), chrono::Duration::days(7));
    }

    #[test]
    fn validation_errors_name_the_field() {
        let mut s = CalendarSpec::colombia_default();
        s.intervals = vec![
            WorkInterval::new(Weekday::Mon, t(7, 30), t(12, 0)),
            WorkInterval::new(Weekday::Mon, t(13, 0), t(17, 0)),
            WorkInterval::new(Weekday::Tue, t(9, 0), t(8, 0)),
            WorkInterval::new(Weekday::Mon, t(11, 0), t(13, 0)),
            WorkInterval::new(Weekday::Wed, t(12, 0), t(12, 0)),
            WorkInterval::new(Weekday::Thu, t(18, 0), t(0, 0)), // until midnight: fine
            WorkInterval::new(Weekday::Fri, t(7, 0), t(12, 0)),
            WorkInterval::new(Weekday::Fri, t(12, 0), t(13, 0)), // touching: fine
            WorkInterval::new(Weekday::Sat, t(7, 0), t(17, 0)),
            WorkInterval::new(Weekday::Sat, t(8, 0), t(9, 0)),
            WorkInterval::new(Weekday::Sat, t(10, 0), t(11, 0)),
        ];
        s.country = Some("XX".into());
        s.extra_holidays = vec![Holiday { date: d(2026, 2, 2), name: " ".into() }];
        let errors = s.validate().unwrap_err();
        let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["intervals.2.end", "intervals.4.end", "intervals.3.start", "intervals.9.start", "intervals.10.start", "country", "extra_holidays.0.name"], "{errors:?}");

        let mut empty = CalendarSpec::colombia_default();
        empty.intervals.clear();
        assert_eq!(empty.validate().unwrap_err()[0].0, "intervals");
        empty.always_open = true;
        assert_eq!(empty.validate(), Ok(()));
    }

    #[test]
    fn holidays_union_minus_removed() {
        let mut s = CalendarSpec::colombia_default();
        s.extra_holidays = vec![Holiday { date: d(2026, 12, 24), name: "Nochebuena".into() }, Holiday { date: d(2027, 12, 24), name: "Nochebuena".into() }];
        s.removed_holidays = vec![d(2026, 1, 12), d(2026, 6, 29)];
        let h = s.holidays(2026);
        assert_eq!(h.len(), 19 - 2 + 1);
        assert!(h.windows(2).all(|w| w[0].date <= w[1].date));
        assert_eq!(h[h.len() - 2], Holiday { date: d(2026, 12, 24), name: "Nochebuena".into() });
        assert!(!h.iter().any(|x| x.date == d(2026, 1, 12) || x.date == d(2026, 6, 29)));
        let cal = Calendar::new(s.clone());
        for day in 0..730 {
            let date = d(2026, 1, 1) + chrono::Duration::days(day);
            let listed = s.holidays(date.year()).iter().any(|x| x.date == date);
            assert_eq!(s.is_holiday(date), listed, "{date}");
            assert_eq!(cal.is_holiday(date), listed, "{date}");
        }
        // Outside the cached years too.
        assert!(cal.is_holiday(d(2500, 12, 25)) && !cal.is_holiday(d(2500, 12, 26)));
        // 24×7 has no holidays even with a country.
        let mut open = CalendarSpec::always_open_default();
        open.country = Some("CO".into());
        assert!(open.holidays(2026).is_empty() && !open.is_holiday(d(2026, 1, 1)));
    }

    #[test]
    fn intervals_are_joined_and_serialized() {
        let mut s = CalendarSpec::colombia_default();
        s.intervals = vec![
            WorkInterval::new(Weekday::Mon, t(13, 0), t(17, 0)),
            WorkInterval::new(Weekday::Mon, t(7, 30), t(12, 0)),
            WorkInterval::new(Weekday::Mon, t(12, 0), t(12, 30)),
            WorkInterval::new(Weekday::Sat, t(20, 0), t(0, 0)),
        ];
        let c = Calendar::new(s.clone());
        let h = 3_600_000_000_000i64;
        assert_eq!(c.days[0], vec![(7 * h + h / 2, 12 * h + h / 2), (13 * h, 17 * h)]);
        assert_eq!(c.days[5], vec![(20 * h, 24 * h)]);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["timezone"], "America/Bogota");
        assert_eq!(json["intervals"][0], serde_json::json!({"weekday": "mon", "start": "13:00:00", "end": "17:00:00"}));
        let back: CalendarSpec = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
        assert_eq!(weekday_index(0), 3); // 1970-01-01 was a Thursday
    }
}
