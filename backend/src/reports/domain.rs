//! What the reports answer. Durations are business minutes (the desk's calendar: nights,
//! weekends, Colombian holidays and hold pauses excluded); percentages are 0–100, one decimal.
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// The days a report covers, both included, in `time_zone`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(example = "America/Bogota")]
    pub time_zone: String,
}

/// A share of measured cases whose SLA target was met.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct Compliance {
    /// Cases whose clock stopped and was measured against a target.
    pub measured: i64,
    pub met: i64,
    /// `met / measured` in percent; `null` when nothing was measured.
    pub met_pct: Option<f64>,
}

/// Mean and 90th percentile of business minutes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct TimeStats {
    pub measured: i64,
    pub mean_minutes: Option<f64>,
    /// Continuous 90th percentile (`percentile_cont(0.9)`).
    pub p90_minutes: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct LevelCount {
    /// The level escalated to (2 or 3).
    pub level: i32,
    pub escalations: i64,
}

/// Satisfaction surveys sent in the period (see the surveys module for what "satisfied" means).
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct Satisfaction {
    pub sent: i64,
    /// Sent and no longer waiting: answered, expired (accepted) or withdrawn.
    pub concluded: i64,
    pub answered: i64,
    /// `answered / concluded` in percent.
    pub response_rate_pct: Option<f64>,
    pub satisfied: i64,
    /// CSAT: `satisfied / answered` in percent.
    pub csat_pct: Option<f64>,
    /// Mean rating (1–5) of the answers.
    pub mean_rating: Option<f64>,
}

/// The period's indicators.
///
/// Populations: `opened` counts cases registered in the period; `resolved` cases whose current
/// resolution falls in it, and every SLA, time, first-contact and reopen figure is over those
/// resolved cases; `closed` cases closed in it (status `closed`). Escalations, transfers,
/// reassignments and rejections are audit-trail events in the period.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Summary {
    pub period: Period,
    pub opened: i64,
    pub resolved: i64,
    pub closed: i64,
    /// Open cases (registered, neither resolved nor closed) when the period began and when it ended.
    pub backlog_start: i64,
    pub backlog_end: i64,
    /// Time to attend (from registration until an agent took the case) against its target.
    pub attention: Compliance,
    pub resolution: Compliance,
    pub time_to_attend: TimeStats,
    pub time_to_resolve: TimeStats,
    /// First-contact resolution: resolved at level 1, never reopened, and with no escalation, no
    /// transfer to another desk and no hand-over from one agent to another in its audit trail.
    pub first_contact: i64,
    pub first_contact_pct: Option<f64>,
    /// Resolved cases that had been reopened at least once before this resolution.
    pub reopened: i64,
    pub reopen_pct: Option<f64>,
    /// Level changes upward in the period, by the level reached.
    pub escalations: Vec<LevelCount>,
    /// Cases sent from these desks to another desk.
    pub transfers: i64,
    /// Cases rejected (out of scope, redirected).
    pub rejections: i64,
    /// Cases handed from one agent to another.
    pub reassignments: i64,
    pub satisfaction: Satisfaction,
}

/// Granularity of a time series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    pub fn sql(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }
}

/// One bucket of the volume series.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct VolumeRow {
    /// First day of the bucket (a Monday for weeks).
    pub start: NaiveDate,
    pub opened: i64,
    pub resolved: i64,
    pub closed: i64,
    /// Open cases at the end of the bucket (or of the period, if it ends first).
    pub backlog: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Volume {
    pub period: Period,
    pub granularity: Granularity,
    pub rows: Vec<VolumeRow>,
}

/// SLA figures of the cases resolved in the period, for one priority or one service.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SlaRow {
    /// The priority (`critical`…) or the service's id.
    pub key: String,
    /// Spanish label of the priority, or the service's name.
    pub name: String,
    pub resolved: i64,
    pub attention: Compliance,
    pub resolution: Compliance,
    pub time_to_attend: TimeStats,
    pub time_to_resolve: TimeStats,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaBy {
    Priority,
    Service,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SlaReport {
    pub period: Period,
    pub by: SlaBy,
    pub rows: Vec<SlaRow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TopBy {
    Service,
    /// The catalog node a service hangs from.
    Category,
}

/// Cases registered in the period for one service or category.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TopRow {
    /// Id of the service or category; `null` for services at the root of the catalog.
    pub id: Option<uuid::Uuid>,
    pub name: String,
    pub cases: i64,
    /// Share of the period's registered cases, in percent.
    pub share_pct: Option<f64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TopReport {
    pub period: Period,
    pub by: TopBy,
    /// Cases registered in the period (all of them, not only the rows shown).
    pub total: i64,
    pub rows: Vec<TopRow>,
}

/// The figure whose cases a drill-down lists (`GET /reports/cases`). Each is the population
/// the matching indicator of [`Summary`] counts, over the same filters and period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Registered in the period.
    Opened,
    /// Resolved in the period.
    Resolved,
    /// Closed in the period.
    Closed,
    /// Open when the period ended.
    Backlog,
    /// Resolved in the period, attended within the target.
    AttentionMet,
    /// Resolved in the period, attended late.
    AttentionMissed,
    /// Resolved in the period within the resolution target.
    ResolutionMet,
    /// Resolved in the period after the resolution target.
    ResolutionMissed,
    /// Resolved in the period at the first contact.
    FirstContact,
    /// Resolved in the period after being reopened.
    Reopened,
    /// Escalated to a higher level in the period.
    Escalated,
    /// Rejected in the period.
    Rejected,
}

impl Measure {
    pub const ALL: [(&'static str, Measure); 12] = [
        ("opened", Measure::Opened),
        ("resolved", Measure::Resolved),
        ("closed", Measure::Closed),
        ("backlog", Measure::Backlog),
        ("attention_met", Measure::AttentionMet),
        ("attention_missed", Measure::AttentionMissed),
        ("resolution_met", Measure::ResolutionMet),
        ("resolution_missed", Measure::ResolutionMissed),
        ("first_contact", Measure::FirstContact),
        ("reopened", Measure::Reopened),
        ("escalated", Measure::Escalated),
        ("rejected", Measure::Rejected),
    ];
}

/// `part / whole` in percent with one decimal; `None` when `whole` is 0.
pub fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// Rounds minutes to one decimal.
pub fn round1(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 10.0).round() / 10.0)
}

pub fn priority_label(p: &str) -> &'static str {
    match p {
        "critical" => "Crítica",
        "high" => "Alta",
        "medium" => "Media",
        "low" => "Baja",
        _ => "Sin prioridad",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_one_decimal() {
        assert_eq!(pct(2, 3), Some(66.7));
        assert_eq!(pct(0, 0), None);
        assert_eq!(pct(5, 5), Some(100.0));
        assert_eq!(round1(Some(12.345)), Some(12.3));
    }
}
