//! What the reports answer. Durations are business minutes (the desk's calendar: nights,
//! weekends, Colombian holidays and hold pauses excluded); percentages are 0–100, one decimal.
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// The days a report covers, both included, in `time_zone`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReportPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[schema(example = "America/Bogota")]
    pub time_zone: String,
}

/// A share of measured cases whose SLA target was met.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct Compliance {
    /// Cases whose clock stopped and was measured against a target.
    #[schema(example = 398)]
    pub measured: i64,
    #[schema(example = 362)]
    pub met: i64,
    /// `met / measured` in percent; `null` when nothing was measured.
    #[schema(example = 91.0)]
    pub met_pct: Option<f64>,
}

/// Mean and 90th percentile of business minutes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct TimeStats {
    #[schema(example = 398)]
    pub measured: i64,
    #[schema(example = 212.5)]
    pub mean_minutes: Option<f64>,
    /// Continuous 90th percentile (`percentile_cont(0.9)`).
    #[schema(example = 540.0)]
    pub p90_minutes: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"level": 2, "escalations": 23}))]
pub struct LevelCount {
    /// The level escalated to (2 or 3).
    pub level: i32,
    pub escalations: i64,
}

/// Satisfaction surveys sent in the period (see the surveys module for what "satisfied" means).
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct Satisfaction {
    #[schema(example = 398)]
    pub sent: i64,
    /// Sent and no longer waiting: answered, expired (accepted) or withdrawn.
    #[schema(example = 380)]
    pub concluded: i64,
    #[schema(example = 301)]
    pub answered: i64,
    /// `answered / concluded` in percent.
    #[schema(example = 79.2)]
    pub response_rate_pct: Option<f64>,
    #[schema(example = 276)]
    pub satisfied: i64,
    /// CSAT: `satisfied / answered` in percent.
    #[schema(example = 91.7)]
    pub csat_pct: Option<f64>,
    /// Mean rating (1–5) of the answers.
    #[schema(example = 4.5)]
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
    pub period: ReportPeriod,
    #[schema(example = 412)]
    pub opened: i64,
    #[schema(example = 398)]
    pub resolved: i64,
    #[schema(example = 371)]
    pub closed: i64,
    /// Open cases (registered, neither resolved nor closed) when the period began and when it ended.
    #[schema(example = 35)]
    pub backlog_start: i64,
    #[schema(example = 49)]
    pub backlog_end: i64,
    /// Time to attend (from registration until an agent took the case) against its target.
    pub attention: Compliance,
    pub resolution: Compliance,
    pub time_to_attend: TimeStats,
    pub time_to_resolve: TimeStats,
    /// First-contact resolution: resolved at level 1, never reopened, and with no escalation, no
    /// transfer to another desk and no hand-over from one agent to another in its audit trail.
    #[schema(example = 141)]
    pub first_contact: i64,
    #[schema(example = 35.4)]
    pub first_contact_pct: Option<f64>,
    /// Resolved cases that had been reopened at least once before this resolution.
    #[schema(example = 9)]
    pub reopened: i64,
    #[schema(example = 2.3)]
    pub reopen_pct: Option<f64>,
    /// Level changes upward in the period, by the level reached.
    pub escalations: Vec<LevelCount>,
    /// Cases sent from these desks to another desk.
    #[schema(example = 11)]
    pub transfers: i64,
    /// Cases rejected (out of scope, redirected).
    #[schema(example = 6)]
    pub rejections: i64,
    /// Cases handed from one agent to another.
    #[schema(example = 27)]
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
    #[schema(example = "2026-11-30")]
    pub start: NaiveDate,
    #[schema(example = 97)]
    pub opened: i64,
    #[schema(example = 92)]
    pub resolved: i64,
    #[schema(example = 88)]
    pub closed: i64,
    /// Open cases at the end of the bucket (or of the period, if it ends first).
    #[schema(example = 49)]
    pub backlog: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Volume {
    pub period: ReportPeriod,
    pub granularity: Granularity,
    pub rows: Vec<VolumeRow>,
}

/// SLA figures of the cases resolved in the period, for one priority or one service.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SlaRow {
    /// The priority (`critical`…) or the service's id.
    #[schema(example = "high")]
    pub key: String,
    /// Spanish label of the priority, or the service's name.
    #[schema(example = "Alta")]
    pub name: String,
    #[schema(example = 84)]
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
    pub period: ReportPeriod,
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
    #[schema(example = "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12")]
    pub id: Option<uuid::Uuid>,
    #[schema(example = "Impresoras y escáneres")]
    pub name: String,
    #[schema(example = 73)]
    pub cases: i64,
    /// Share of the period's registered cases, in percent.
    #[schema(example = 17.7)]
    pub share_pct: Option<f64>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TopReport {
    pub period: ReportPeriod,
    pub by: TopBy,
    /// Cases registered in the period (all of them, not only the rows shown).
    #[schema(example = 412)]
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
