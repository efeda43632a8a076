//! The stored calendars and SLA policies, and the catalogue of them the reference data holds
//! (loaded once per reference generation; what cannot be read is logged there).
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::calendar::{Calendar, CalendarSpec, WorkInterval};
use super::holidays::Holiday;
use super::policy::{Rule, Targets};
use crate::db::schema::{calendars, desks, sla_policies};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = calendars, check_for_backend(diesel::pg::Pg))]
pub struct CalendarRow {
    pub id: Uuid,
    pub name: String,
    pub timezone: String,
    pub always_open: bool,
    pub country: Option<String>,
    pub intervals: serde_json::Value,
    pub extra_holidays: serde_json::Value,
    pub removed_holidays: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A working interval as stored and exchanged: `{"weekday": "mon", "start": "07:30", "end": "12:00"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"weekday": "mon", "start": "07:30:00", "end": "17:00:00"}))]
pub struct IntervalDoc {
    /// `mon` … `sun`.
    pub weekday: String,
    /// `HH:MM` in the calendar's time zone.
    pub start: String,
    pub end: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date": "2026-12-24", "name": "Nochebuena (decreto de la Alcaldía)"}))]
pub struct HolidayDoc {
    pub date: NaiveDate,
    pub name: String,
}

pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// The stored pieces of a calendar as a spec; `Err` names the first bad part.
pub fn spec_from_parts(
    timezone: &str,
    always_open: bool,
    country: Option<String>,
    intervals: &[IntervalDoc],
    extra: &[HolidayDoc],
    removed: &[NaiveDate],
) -> Result<CalendarSpec, (String, String)> {
    let tz: chrono_tz::Tz = timezone.parse().map_err(|_| ("timezone".to_owned(), "must be an IANA time zone such as America/Bogota".to_owned()))?;
    let mut parsed = Vec::new();
    for (i, iv) in intervals.iter().enumerate() {
        let weekday =
            super::calendar::parse_weekday_code(&iv.weekday).ok_or_else(|| (format!("intervals.{i}.weekday"), "must be mon, tue, wed, thu, fri, sat or sun".to_owned()))?;
        let start = parse_time(&iv.start).ok_or_else(|| (format!("intervals.{i}.start"), "must be HH:MM".to_owned()))?;
        let end = parse_time(&iv.end).ok_or_else(|| (format!("intervals.{i}.end"), "must be HH:MM".to_owned()))?;
        parsed.push(WorkInterval { weekday, start, end });
    }
    Ok(CalendarSpec {
        timezone: tz,
        intervals: parsed,
        always_open,
        country,
        extra_holidays: extra.iter().map(|h| Holiday { date: h.date, name: h.name.clone() }).collect(),
        removed_holidays: removed.to_vec(),
    })
}

impl CalendarRow {
    pub fn intervals(&self) -> Vec<IntervalDoc> {
        serde_json::from_value(self.intervals.clone()).unwrap_or_default()
    }
    pub fn extra(&self) -> Vec<HolidayDoc> {
        serde_json::from_value(self.extra_holidays.clone()).unwrap_or_default()
    }
    pub fn removed(&self) -> Vec<NaiveDate> {
        serde_json::from_value(self.removed_holidays.clone()).unwrap_or_default()
    }
    pub fn spec(&self) -> CalendarSpec {
        spec_from_parts(&self.timezone, self.always_open, self.country.clone(), &self.intervals(), &self.extra(), &self.removed())
            .unwrap_or_else(|_| CalendarSpec::colombia_default())
    }

    /// What of the stored row cannot be read (the API refuses such rows; this finds rows written
    /// around it). Each one makes `spec` fall back to a default, so `Catalogue::load` logs them.
    pub fn problems(&self) -> Vec<String> {
        let mut found: Vec<String> = [
            unreadable::<Vec<IntervalDoc>>("intervals", &self.intervals),
            unreadable::<Vec<HolidayDoc>>("extra_holidays", &self.extra_holidays),
            unreadable::<Vec<NaiveDate>>("removed_holidays", &self.removed_holidays),
        ]
        .into_iter()
        .flatten()
        .collect();
        if found.is_empty() {
            if let Err((field, why)) = spec_from_parts(&self.timezone, self.always_open, self.country.clone(), &self.intervals(), &self.extra(), &self.removed()) {
                found.push(format!("{field}: {why}"));
            }
        }
        found
    }
}

/// Why a stored JSON part does not read as `T`, named by the part.
fn unreadable<T: serde::de::DeserializeOwned>(part: &str, value: &serde_json::Value) -> Option<String> {
    serde_json::from_value::<T>(value.clone()).err().map(|e| format!("{part}: {e}"))
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = sla_policies, check_for_backend(diesel::pg::Pg))]
pub struct PolicyRow {
    pub id: Uuid,
    pub name: String,
    pub calendar_id: Option<Uuid>,
    pub targets: serde_json::Value,
    pub at_risk_share: f64,
    pub rules: serde_json::Value,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl PolicyRow {
    pub fn targets(&self) -> Option<Targets> {
        serde_json::from_value(self.targets.clone()).ok()
    }
    pub fn rules(&self) -> Vec<Rule> {
        serde_json::from_value(self.rules.clone()).unwrap_or_default()
    }

    /// What of the stored row cannot be read: unreadable targets measure nothing, unreadable
    /// rules fire nothing, so `Catalogue::load` logs them.
    pub fn problems(&self) -> Vec<String> {
        [unreadable::<Targets>("targets", &self.targets), unreadable::<Vec<Rule>>("rules", &self.rules)].into_iter().flatten().collect()
    }
}

/// Policies and calendars by id, and the desks' default calendars — a handful of rows for any page.
pub struct Catalogue {
    policies: HashMap<Uuid, PolicyRow>,
    calendars: HashMap<Uuid, Calendar>,
    desk_calendar: HashMap<Uuid, Option<Uuid>>,
    desk_policy: HashMap<Uuid, Option<Uuid>>,
    default_calendar: Calendar,
}

impl Catalogue {
    pub async fn load(conn: &mut AsyncPgConnection) -> QueryResult<Catalogue> {
        let policies: Vec<PolicyRow> = sla_policies::table.select(PolicyRow::as_select()).load(conn).await?;
        let cals: Vec<CalendarRow> = calendars::table.select(CalendarRow::as_select()).load(conn).await?;
        let desk_rows: Vec<(Uuid, Option<Uuid>, Option<Uuid>)> = desks::table.select((desks::id, desks::calendar_id, desks::sla_policy_id)).load(conn).await?;
        for c in &cals {
            for problem in c.problems() {
                log::error!("calendar {} ({}) is unreadable, the default Colombian calendar stands in: {problem}", c.id, c.name);
            }
        }
        for p in &policies {
            for problem in p.problems() {
                log::error!("SLA policy {} ({}) is unreadable and measures or fires nothing where it cannot be read: {problem}", p.id, p.name);
            }
        }
        Ok(Catalogue {
            policies: policies.into_iter().map(|p| (p.id, p)).collect(),
            calendars: cals.into_iter().map(|c| (c.id, Calendar::new(c.spec()))).collect(),
            desk_calendar: desk_rows.iter().map(|(d, c, _)| (*d, *c)).collect(),
            desk_policy: desk_rows.iter().map(|(d, _, p)| (*d, *p)).collect(),
            default_calendar: Calendar::new(CalendarSpec::colombia_default()),
        })
    }

    /// The service's policy wins over the desk's.
    pub fn policy_for(&self, desk_id: Uuid, service_policy: Option<Uuid>) -> Option<&PolicyRow> {
        service_policy.or_else(|| self.desk_policy.get(&desk_id).copied().flatten()).and_then(|id| self.policies.get(&id)).filter(|p| p.active)
    }

    pub fn policy(&self, id: Uuid) -> Option<&PolicyRow> {
        self.policies.get(&id)
    }

    /// The desk's calendar, else Mon–Fri 7:30–17:00 in Colombia (what a survey's business days count).
    pub fn desk_calendar(&self, desk_id: Uuid) -> &Calendar {
        self.desk_calendar.get(&desk_id).copied().flatten().and_then(|id| self.calendars.get(&id)).unwrap_or(&self.default_calendar)
    }

    /// The policy's calendar, else the desk's, else Mon–Fri 7:30–17:00 in Colombia.
    pub fn calendar_for(&self, desk_id: Uuid, policy: &PolicyRow) -> &Calendar {
        policy.calendar_id.or_else(|| self.desk_calendar.get(&desk_id).copied().flatten()).and_then(|id| self.calendars.get(&id)).unwrap_or(&self.default_calendar)
    }
}

#[cfg(test)]
mod stored_row_tests {
    use serde_json::json;

    use super::*;

    fn calendar(timezone: &str, intervals: serde_json::Value) -> CalendarRow {
        let now = Utc::now();
        CalendarRow {
            id: Uuid::now_v7(),
            name: "c".into(),
            timezone: timezone.into(),
            always_open: false,
            country: Some("CO".into()),
            intervals,
            extra_holidays: json!([]),
            removed_holidays: json!([]),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    #[test]
    fn unreadable_calendars_and_policies_name_their_part() {
        let good = json!([{"weekday": "mon", "start": "07:30", "end": "17:00"}]);
        assert!(calendar("America/Bogota", good.clone()).problems().is_empty());
        assert_eq!(calendar("Mars/Olympus", good.clone()).problems(), ["timezone: must be an IANA time zone such as America/Bogota"]);
        let bad = calendar("America/Bogota", json!([{"weekday": "mon"}])).problems();
        assert!(bad.len() == 1 && bad[0].starts_with("intervals: "), "{bad:?}");
        let target = json!({"tto_minutes": 60, "ttr_minutes": 240});
        let now = Utc::now();
        let mut policy = PolicyRow {
            id: Uuid::now_v7(),
            name: "p".into(),
            calendar_id: None,
            targets: json!({"critical": target, "high": target, "medium": target, "low": target}),
            at_risk_share: 0.75,
            rules: json!([]),
            active: true,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        assert!(policy.problems().is_empty(), "{:?}", policy.problems());
        policy.targets = json!({"critical": target});
        policy.rules = json!([{"clock": "ttr"}]);
        let found = policy.problems();
        assert!(found.len() == 2 && found[0].starts_with("targets: ") && found[1].starts_with("rules: "), "{found:?}");
    }
}
