//! The filters every report takes, parsed from the query string into a [`Filter`] (bad values
//! are 422 naming the parameter) and the SQL conditions they become.
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{AppError, AppResult, FieldError};
use crate::tickets::domain::{Channel, Priority, TicketType};

/// Report periods are calendar days in Colombia's business time zone, whatever the desk.
pub const REPORT_TZ: Tz = chrono_tz::America::Bogota;
pub const REPORT_TZ_NAME: &str = "America/Bogota";
/// Longest period a report covers (a few years of days keeps the day series bounded).
const MAX_DAYS: i64 = 3 * 366;

/// Filters of every report. Each is optional; ids are UUIDs, dates `YYYY-MM-DD`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Desk. Default: every desk the caller supervises (every desk for admins).
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk: Option<String>,
    /// Requester's organization recorded on the case.
    #[param(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization: Option<String>,
    #[param(example = "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67")]
    pub area: Option<String>,
    #[param(example = "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12")]
    pub service: Option<String>,
    /// Support group the case is assigned to now.
    #[param(example = "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23")]
    pub group: Option<String>,
    /// Agent the case is assigned to now.
    #[param(example = "0193a5a4-5f60-7172-8d84-9e0f1a2b3c45")]
    pub agent: Option<String>,
    /// `incident` or `request`.
    #[serde(rename = "type")]
    #[param(rename = "type", example = "incident")]
    pub ticket_type: Option<String>,
    /// `critical`, `high`, `medium` or `low`.
    #[param(example = "high")]
    pub priority: Option<String>,
    /// `portal`, `phone`, `api`, `email` or `letter`.
    #[param(example = "portal")]
    pub channel: Option<String>,
    /// First day of the period (America/Bogota), `YYYY-MM-DD`. Default: 29 days before `to`.
    #[param(example = "2026-11-01")]
    pub from: Option<String>,
    /// Last day of the period, included. Default: today.
    #[param(example = "2026-11-30")]
    pub to: Option<String>,
    /// Volume only: `day`, `week` (ISO, from Monday) or `month` (default `day`).
    #[param(example = "week")]
    pub granularity: Option<String>,
    /// SLA: `priority` (default) or `service`; top: `service` (default) or `category`.
    #[param(example = "priority")]
    pub by: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also selects CSV.
    #[param(example = "json")]
    pub format: Option<String>,
}

/// What a report counts: cases of these desks matching the optional conditions, in
/// `[from, to)`.
#[derive(Clone, Debug)]
pub struct Filter {
    pub desks: Vec<Uuid>,
    pub from_day: NaiveDate,
    pub to_day: NaiveDate,
    pub from: DateTime<Utc>,
    /// Exclusive: midnight after `to_day`.
    pub to: DateTime<Utc>,
    pub organization: Option<Uuid>,
    pub area: Option<Uuid>,
    pub service: Option<Uuid>,
    pub group: Option<Uuid>,
    pub agent: Option<Uuid>,
    pub ticket_type: Option<TicketType>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
}

/// The case conditions a [`ReportQuery`] asks for, before the desks are resolved.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub desk: Option<Uuid>,
    pub from_day: Option<NaiveDate>,
    pub to_day: Option<NaiveDate>,
    pub organization: Option<Uuid>,
    pub area: Option<Uuid>,
    pub service: Option<Uuid>,
    pub group: Option<Uuid>,
    pub agent: Option<Uuid>,
    pub ticket_type: Option<TicketType>,
    pub priority: Option<Priority>,
    pub channel: Option<Channel>,
}

fn uuid_of(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    let raw = raw.as_deref()?.trim();
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| errors.push(FieldError::new(field, "invalid_uuid", format!("'{raw}' is not a UUID")))).ok()
}

fn choice_of<T: std::str::FromStr>(field: &str, raw: &Option<String>, allowed: &[&str], errors: &mut Vec<FieldError>) -> Option<T> {
    let raw = raw.as_deref()?.trim();
    if raw.is_empty() {
        return None;
    }
    raw.parse().map_err(|_| errors.push(FieldError::new(field, "invalid_choice", format!("'{raw}' is not one of {}", allowed.join(", "))))).ok()
}

fn day_of(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.as_deref()?.trim();
    if raw.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| errors.push(FieldError::new(field, "invalid_date", format!("'{raw}' is not a date (YYYY-MM-DD)")))).ok()
}

/// Midnight of a day in the report's time zone (Colombia has no daylight saving time).
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    REPORT_TZ.from_local_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")).earliest().expect("Bogota has no gaps").with_timezone(&Utc)
}

pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&REPORT_TZ).date_naive()
}

/// The first and last day of a quarter (1–4).
pub fn quarter_days(year: i32, quarter: u32) -> Option<(NaiveDate, NaiveDate)> {
    if !(1..=4).contains(&quarter) {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(year, quarter * 3 - 2, 1)?;
    let next = if quarter == 4 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(year, quarter * 3 + 1, 1)? };
    Some((first, next.pred_opt()?))
}

impl ReportQuery {
    /// Parses every filter, reporting all bad ones at once.
    pub fn parse(&self) -> AppResult<Parsed> {
        let mut errors = Vec::new();
        let p = Parsed {
            desk: uuid_of("desk", &self.desk, &mut errors),
            organization: uuid_of("organization", &self.organization, &mut errors),
            area: uuid_of("area", &self.area, &mut errors),
            service: uuid_of("service", &self.service, &mut errors),
            group: uuid_of("group", &self.group, &mut errors),
            agent: uuid_of("agent", &self.agent, &mut errors),
            ticket_type: choice_of("type", &self.ticket_type, &["incident", "request"], &mut errors),
            priority: choice_of("priority", &self.priority, &["critical", "high", "medium", "low"], &mut errors),
            channel: choice_of("channel", &self.channel, &["portal", "phone", "api", "email", "letter"], &mut errors),
            from_day: day_of("from", &self.from, &mut errors),
            to_day: day_of("to", &self.to, &mut errors),
        };
        if let (Some(f), Some(t)) = (p.from_day, p.to_day) {
            if f > t {
                errors.push(FieldError::new("from", "after_to", "must not be after 'to'"));
            } else if (t - f).num_days() >= MAX_DAYS {
                errors.push(FieldError::new("from", "period_too_long", format!("the period may cover at most {MAX_DAYS} days")));
            }
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

impl Parsed {
    /// The filter over the given desks (already checked against the caller's rights).
    pub fn for_desks(&self, desks: Vec<Uuid>) -> Filter {
        let to_day = self.to_day.unwrap_or_else(|| self.from_day.map_or_else(today, |f| (f + Duration::days(29)).min(today().max(f))));
        let from_day = self.from_day.unwrap_or(to_day - Duration::days(29));
        Filter {
            desks,
            from_day,
            to_day,
            from: start_of(from_day),
            to: start_of(to_day.succ_opt().expect("a date before the end of time")),
            organization: self.organization,
            area: self.area,
            service: self.service,
            group: self.group,
            agent: self.agent,
            ticket_type: self.ticket_type,
            priority: self.priority,
            channel: self.channel,
        }
    }
}

/// Number of the first parameter a report query may add after the filter's own.
pub const NEXT_PARAM: usize = 12;

impl Filter {
    /// Conditions on the case `t` beyond desk and period (parameters `$4`–`$11`), each only when
    /// asked for, so that the planner sees plain equalities.
    pub fn case_conditions(&self) -> String {
        let mut sql = String::new();
        let conds: [(bool, &str); 8] = [
            (self.organization.is_some(), " AND t.organization_id = $4"),
            (self.area.is_some(), " AND t.area_id = $5"),
            (self.service.is_some(), " AND t.service_id = $6"),
            (self.group.is_some(), " AND t.assigned_group_id = $7"),
            (self.agent.is_some(), " AND t.assigned_agent_id = $8"),
            (self.ticket_type.is_some(), " AND t.ticket_type = $9"),
            (self.priority.is_some(), " AND t.priority = $10"),
            (self.channel.is_some(), " AND t.channel = $11"),
        ];
        for (on, c) in conds {
            if on {
                sql.push_str(c);
            }
        }
        sql
    }

    /// The statement with the filter's parameters bound: `$1` desks, `$2` from, `$3` to, then the
    /// optional conditions (bound even when the text does not use them, with their types, so
    /// the numbering never changes).
    pub fn query(&self, sql: String) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        diesel::sql_query(sql)
            .into_boxed::<Pg>()
            .bind::<Array<SqlUuid>, _>(self.desks.clone())
            .bind::<Timestamptz, _>(self.from)
            .bind::<Timestamptz, _>(self.to)
            .bind::<Nullable<SqlUuid>, _>(self.organization)
            .bind::<Nullable<SqlUuid>, _>(self.area)
            .bind::<Nullable<SqlUuid>, _>(self.service)
            .bind::<Nullable<SqlUuid>, _>(self.group)
            .bind::<Nullable<SqlUuid>, _>(self.agent)
            .bind::<Nullable<Text>, _>(self.ticket_type.map(|t| t.as_str().to_owned()))
            .bind::<Nullable<Text>, _>(self.priority.map(|t| t.as_str().to_owned()))
            .bind::<Nullable<Text>, _>(self.channel.map(|t| t.as_str().to_owned()))
    }

    pub fn quarter_of(&self) -> Option<(i32, u32)> {
        let q = (self.from_day.month() - 1) / 3 + 1;
        (quarter_days(self.from_day.year(), q) == Some((self.from_day, self.to_day))).then_some((self.from_day.year(), q))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_start_at_bogota_midnight() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(start_of(d).to_rfc3339(), "2026-03-01T05:00:00+00:00");
    }

    #[test]
    fn quarters() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(quarter_days(2026, 1), Some((d(2026, 1, 1), d(2026, 3, 31))));
        assert_eq!(quarter_days(2026, 4), Some((d(2026, 10, 1), d(2026, 12, 31))));
        assert_eq!(quarter_days(2026, 5), None);
    }

    #[test]
    fn bad_filters_name_their_field() {
        let q = ReportQuery { desk: Some("nope".into()), priority: Some("urgent".into()), from: Some("2026-13-01".into()), ..Default::default() };
        let Err(AppError::Validation(errors)) = q.parse() else { panic!("expected a validation error") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["desk", "priority", "from"]);
        let q = ReportQuery { from: Some("2026-03-02".into()), to: Some("2026-03-01".into()), ..Default::default() };
        assert!(matches!(q.parse(), Err(AppError::Validation(e)) if e[0].field == "from" && e[0].code == "after_to"));
    }

    #[test]
    fn only_asked_conditions_reach_the_sql() {
        let p = Parsed { service: Some(Uuid::nil()), priority: Some(Priority::High), ..Default::default() };
        let f = p.for_desks(vec![]);
        assert_eq!(f.case_conditions(), " AND t.service_id = $6 AND t.priority = $10");
        assert_eq!((f.to_day - f.from_day).num_days(), 29);
    }
}
