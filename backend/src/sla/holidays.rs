//! National holidays, computed from versioned rules (no I/O).
//!
//! # Colombia
//!
//! Sources relied on (each rule below names its own):
//! * Ley 35 de 1939 and Decretos 2663 y 3743 de 1950 (Código Sustantivo del Trabajo, art. 177):
//!   the days of paid rest before 1984 (the religious ones from 1951).
//! * Ley 51 de 1983 ("Ley Emiliani"), in force from 1984: the list of 18 holidays, and the rule that
//!   6 January, 19 March, 29 June, 15 August, 12 October, 1 November, 11 November, Ascension,
//!   Corpus Christi and the Sacred Heart, when they do not fall on a Monday, are moved to the
//!   following Monday. It also added the Sacred Heart.
//! * Resolución 0138 de 2021 del Ministerio de Cultura: 12 October is named "Día de la Diversidad
//!   Étnica y Cultural de la Nación Colombiana" (same date and same Monday rule; only the name changes).
//! * Ley 2578 de 2026 (1 June 2026), art. 6: new national holiday on 9 July, "Día de Nuestra Señora
//!   del Rosario de Chiquinquirá", moved to the following Monday per Ley 51 de 1983; first applies
//!   in 2026 (Monday 13 July 2026). Colombia has 19 national holidays from 2026 on.
//!
//! When two holidays fall on the same day (e.g. Sagrado Corazón and San Pedro y San Pablo on
//! 2025-06-30) both are listed, each with its name.
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A day off with its name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"date": "2026-12-08", "name": "Inmaculada Concepción"}))]
pub struct Holiday {
    /// The day of rest (for holidays moved to Monday: that Monday).
    pub date: NaiveDate,
    /// Name in Spanish, e.g. "Día de los Reyes Magos".
    pub name: String,
}

/// How a rule places its holiday in a given year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// Always on this month/day.
    Fixed { month: u32, day: u32 },
    /// On this month/day, moved to the following Monday when it is not a Monday (Ley 51 de 1983).
    NextMonday { month: u32, day: u32 },
    /// Easter Sunday plus `offset` days.
    Easter { offset: i64 },
    /// Easter Sunday plus `offset` days, moved to the following Monday when not a Monday.
    EasterNextMonday { offset: i64 },
}

/// One holiday rule with the years it is in force (both ends inclusive; `None` = open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HolidayRule {
    pub name: &'static str,
    pub kind: RuleKind,
    pub from_year: Option<i32>,
    pub until_year: Option<i32>,
    /// The norm the rule comes from.
    pub source: &'static str,
}

impl HolidayRule {
    pub fn applies_to(&self, year: i32) -> bool {
        self.from_year.is_none_or(|f| year >= f) && self.until_year.is_none_or(|u| year <= u)
    }

    /// The day of rest this rule gives in `year`, if the rule is in force then.
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if !self.applies_to(year) {
            return None;
        }
        match self.kind {
            RuleKind::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            RuleKind::NextMonday { month, day } => NaiveDate::from_ymd_opt(year, month, day).map(next_monday),
            RuleKind::Easter { offset } => Some(easter_sunday(year) + Duration::days(offset)),
            RuleKind::EasterNextMonday { offset } => Some(next_monday(easter_sunday(year) + Duration::days(offset))),
        }
    }
}

/// The date itself when it is a Monday, else the following Monday.
fn next_monday(d: NaiveDate) -> NaiveDate {
    let from_monday = d.weekday().num_days_from_monday() as i64;
    if from_monday == 0 {
        d
    } else {
        d + Duration::days(7 - from_monday)
    }
}

const L1939: &str = "Ley 35 de 1939";
const CST1950: &str = "Decretos 2663 y 3743 de 1950 (CST art. 177)";
const L51: &str = "Ley 51 de 1983";
const RES138: &str = "Ley 51 de 1983; nombre: Resolución 0138 de 2021 (MinCultura)";
const L2578: &str = "Ley 2578 de 2026, art. 6 (traslado: Ley 51 de 1983)";

/// Year from which Ley 51 de 1983 moves holidays to Monday.
const EMILIANI: i32 = 1984;

const fn rule(name: &'static str, kind: RuleKind, from_year: Option<i32>, until_year: Option<i32>, source: &'static str) -> HolidayRule {
    HolidayRule { name, kind, from_year, until_year, source }
}

use RuleKind::{Easter, EasterNextMonday, Fixed, NextMonday};

/// Colombia's national holidays, each rule with the years it applies to.
pub const COLOMBIA_RULES: &[HolidayRule] = &[
    rule("Año Nuevo", Fixed { month: 1, day: 1 }, None, None, L1939),
    rule("Día de los Reyes Magos", Fixed { month: 1, day: 6 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Día de los Reyes Magos", NextMonday { month: 1, day: 6 }, Some(EMILIANI), None, L51),
    rule("Día de San José", Fixed { month: 3, day: 19 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Día de San José", NextMonday { month: 3, day: 19 }, Some(EMILIANI), None, L51),
    rule("Jueves Santo", Easter { offset: -3 }, Some(1951), None, CST1950),
    rule("Viernes Santo", Easter { offset: -2 }, Some(1951), None, CST1950),
    rule("Día del Trabajo", Fixed { month: 5, day: 1 }, None, None, L1939),
    rule("Ascensión del Señor", Easter { offset: 39 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Ascensión del Señor", EasterNextMonday { offset: 39 }, Some(EMILIANI), None, L51),
    rule("Corpus Christi", Easter { offset: 60 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Corpus Christi", EasterNextMonday { offset: 60 }, Some(EMILIANI), None, L51),
    rule("Sagrado Corazón de Jesús", EasterNextMonday { offset: 68 }, Some(EMILIANI), None, L51),
    rule("San Pedro y San Pablo", Fixed { month: 6, day: 29 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("San Pedro y San Pablo", NextMonday { month: 6, day: 29 }, Some(EMILIANI), None, L51),
    rule("Día de Nuestra Señora del Rosario de Chiquinquirá", NextMonday { month: 7, day: 9 }, Some(2026), None, L2578),
    rule("Día de la Independencia", Fixed { month: 7, day: 20 }, None, None, L1939),
    rule("Batalla de Boyacá", Fixed { month: 8, day: 7 }, None, None, L1939),
    rule("Asunción de la Virgen", Fixed { month: 8, day: 15 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Asunción de la Virgen", NextMonday { month: 8, day: 15 }, Some(EMILIANI), None, L51),
    rule("Día de la Raza", Fixed { month: 10, day: 12 }, None, Some(EMILIANI - 1), L1939),
    rule("Día de la Raza", NextMonday { month: 10, day: 12 }, Some(EMILIANI), Some(2020), L51),
    rule("Día de la Diversidad Étnica y Cultural", NextMonday { month: 10, day: 12 }, Some(2021), None, RES138),
    rule("Día de Todos los Santos", Fixed { month: 11, day: 1 }, Some(1951), Some(EMILIANI - 1), CST1950),
    rule("Día de Todos los Santos", NextMonday { month: 11, day: 1 }, Some(EMILIANI), None, L51),
    rule("Independencia de Cartagena", Fixed { month: 11, day: 11 }, None, Some(EMILIANI - 1), L1939),
    rule("Independencia de Cartagena", NextMonday { month: 11, day: 11 }, Some(EMILIANI), None, L51),
    rule("Inmaculada Concepción", Fixed { month: 12, day: 8 }, Some(1951), None, CST1950),
    rule("Navidad", Fixed { month: 12, day: 25 }, None, None, L1939),
];

/// Country codes with computed holidays.
pub const SUPPORTED_COUNTRIES: &[&str] = &["CO"];

/// The rules of a country (`"CO"`, case-insensitive), or `None` when unknown.
pub fn rules(code: &str) -> Option<&'static [HolidayRule]> {
    if code.eq_ignore_ascii_case("CO") {
        Some(COLOMBIA_RULES)
    } else {
        None
    }
}

/// The holidays `rules` give in `year`, sorted by date (rule order within a day), without allocating names.
pub(crate) fn rule_dates(rules: &'static [HolidayRule], year: i32) -> impl Iterator<Item = (NaiveDate, &'static str)> {
    rules.iter().filter_map(move |r| r.date_in(year).map(|d| (d, r.name)))
}

fn from_rules(rules: &'static [HolidayRule], year: i32) -> Vec<Holiday> {
    let mut out: Vec<Holiday> = rule_dates(rules, year).map(|(date, name)| Holiday { date, name: name.to_owned() }).collect();
    out.sort_by_key(|h| h.date); // stable: rule order within a day
    out
}

/// Colombia's national holidays of `year`, sorted by date, each rule applied per its years of validity.
pub fn colombia(year: i32) -> Vec<Holiday> {
    from_rules(COLOMBIA_RULES, year)
}

/// Easter Sunday of `year` (Gregorian calendar; anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is always a valid date")
}

/// The national holidays of a country (`"CO"`, case-insensitive) in `year`; `None` for an unknown code.
pub fn country(code: &str, year: i32) -> Option<Vec<Holiday>> {
    rules(code).map(|r| from_rules(r, year))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn list(year: i32) -> Vec<(NaiveDate, String)> {
        colombia(year).into_iter().map(|h| (h.date, h.name)).collect()
    }

    fn expect(items: &[((i32, u32, u32), &str)]) -> Vec<(NaiveDate, String)> {
        items.iter().map(|&((y, m, day), n)| (d(y, m, day), n.to_owned())).collect()
    }

    #[test]
    fn easter_known_dates() {
        for (y, m, day) in [(1818, 3, 22), (1943, 4, 25), (2000, 4, 23), (2019, 4, 21), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25), (2285, 3, 22)] {
            assert_eq!(easter_sunday(y), d(y, m, day), "{y}");
        }
    }

    /// The official 2025 list (Ley 51 de 1983): 18 holidays on 17 days (30 June twice).
    #[test]
    fn colombia_2025_exact() {
        assert_eq!(
            list(2025),
            expect(&[
                ((2025, 1, 1), "Año Nuevo"),
                ((2025, 1, 6), "Día de los Reyes Magos"),
                ((2025, 3, 24), "Día de San José"),
                ((2025, 4, 17), "Jueves Santo"),
                ((2025, 4, 18), "Viernes Santo"),
                ((2025, 5, 1), "Día del Trabajo"),
                ((2025, 6, 2), "Ascensión del Señor"),
                ((2025, 6, 23), "Corpus Christi"),
                ((2025, 6, 30), "Sagrado Corazón de Jesús"),
                ((2025, 6, 30), "San Pedro y San Pablo"),
                ((2025, 7, 20), "Día de la Independencia"),
                ((2025, 8, 7), "Batalla de Boyacá"),
                ((2025, 8, 18), "Asunción de la Virgen"),
                ((2025, 10, 13), "Día de la Diversidad Étnica y Cultural"),
                ((2025, 11, 3), "Día de Todos los Santos"),
                ((2025, 11, 17), "Independencia de Cartagena"),
                ((2025, 12, 8), "Inmaculada Concepción"),
                ((2025, 12, 25), "Navidad"),
            ])
        );
    }

    /// The official 2026 list: the 18 of Ley 51 de 1983 plus 13 July (9 July moved to Monday, Ley 2578 de 2026).
    #[test]
    fn colombia_2026_exact() {
        assert_eq!(
            list(2026),
            expect(&[
                ((2026, 1, 1), "Año Nuevo"),
                ((2026, 1, 12), "Día de los Reyes Magos"),
                ((2026, 3, 23), "Día de San José"),
                ((2026, 4, 2), "Jueves Santo"),
                ((2026, 4, 3), "Viernes Santo"),
                ((2026, 5, 1), "Día del Trabajo"),
                ((2026, 5, 18), "Ascensión del Señor"),
                ((2026, 6, 8), "Corpus Christi"),
                ((2026, 6, 15), "Sagrado Corazón de Jesús"),
                ((2026, 6, 29), "San Pedro y San Pablo"),
                ((2026, 7, 13), "Día de Nuestra Señora del Rosario de Chiquinquirá"),
                ((2026, 7, 20), "Día de la Independencia"),
                ((2026, 8, 7), "Batalla de Boyacá"),
                ((2026, 8, 17), "Asunción de la Virgen"),
                ((2026, 10, 12), "Día de la Diversidad Étnica y Cultural"),
                ((2026, 11, 2), "Día de Todos los Santos"),
                ((2026, 11, 16), "Independencia de Cartagena"),
                ((2026, 12, 8), "Inmaculada Concepción"),
                ((2026, 12, 25), "Navidad"),
            ])
        );
        // The dates the issue names.
        let dates: Vec<NaiveDate> = colombia(2026).into_iter().map(|h| h.date).collect();
        for (m, day) in [(1, 12), (3, 23), (4, 2), (4, 3), (5, 18), (6, 8), (6, 15), (6, 29), (8, 17), (11, 2), (11, 16)] {
            assert!(dates.contains(&d(2026, m, day)), "2026-{m:02}-{day:02}");
        }
    }

    #[test]
    fn versioned_rules() {
        // Chiquinquirá only from 2026 (Ley 2578 de 2026): 2027-07-09 is a Friday → Monday 12; 2029-07-09 is a Monday.
        assert!(!colombia(2025).iter().any(|h| h.name.contains("Chiquinquirá")));
        assert!(colombia(2027).iter().any(|h| h.date == d(2027, 7, 12) && h.name.contains("Chiquinquirá")));
        assert!(colombia(2029).iter().any(|h| h.date == d(2029, 7, 9) && h.name.contains("Chiquinquirá")));
        // Before Ley 51 de 1983 took effect nothing moved and there was no Sacred Heart: 1983-01-06 was a Thursday.
        let y1983 = colombia(1983);
        assert!(y1983.iter().any(|h| h.date == d(1983, 1, 6) && h.name == "Día de los Reyes Magos"));
        assert!(!y1983.iter().any(|h| h.name == "Sagrado Corazón de Jesús"));
        assert_eq!(colombia(1984).iter().find(|h| h.name == "Día de los Reyes Magos").unwrap().date, d(1984, 1, 9));
        // 12 October keeps its date rule; its name changes in 2021.
        assert!(colombia(2020).iter().any(|h| h.name == "Día de la Raza" && h.date == d(2020, 10, 12)));
        assert!(colombia(2021).iter().any(|h| h.name == "Día de la Diversidad Étnica y Cultural" && h.date == d(2021, 10, 18)));
        assert_eq!(colombia(2024).len(), 18);
        assert_eq!(colombia(2026).len(), 19);
        for y in 1950..2200 {
            let l = colombia(y);
            assert!(l.windows(2).all(|w| w[0].date <= w[1].date), "{y} sorted");
            assert!(l.iter().all(|h| h.date.year() == y), "{y} inside the year");
        }
    }

    #[test]
    fn country_codes() {
        assert_eq!(country("CO", 2026), Some(colombia(2026)));
        assert_eq!(country("co", 2026), Some(colombia(2026)));
        assert_eq!(country("US", 2026), None);
    }
}
