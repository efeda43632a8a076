use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::desks;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = desks, check_for_backend(diesel::pg::Pg))]
pub struct DeskRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub mailbox: Option<String>,
    pub timezone: String,
    pub auto_close_hours: i32,
    pub survey_satisfied_min: i16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub calendar_id: Option<Uuid>,
    pub sla_policy_id: Option<Uuid>,
    pub require_identity_number: bool,
    pub notifications_off: Vec<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Desk {
    pub id: Uuid,
    /// Short uppercase code, e.g. `TIC`.
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// The desk's mailbox (email channel and sender of notifications).
    pub mailbox: Option<String>,
    /// IANA time zone of its business calendar.
    pub timezone: String,
    /// Hours after resolution before an unanswered survey closes the case as accepted (unless
    /// the desk's survey definition, `GET /desks/{id}/survey`, counts the delay in business days).
    pub auto_close_hours: i32,
    /// Lowest survey rating (1–5) that counts as satisfied; lower ratings reopen the case.
    pub survey_satisfied_min: i16,
    pub active: bool,
    /// Organizations allowed to use the desk; empty means all.
    pub organization_ids: Vec<Uuid>,
    /// Supervisors who manage the desk (catalog, groups).
    pub supervisor_ids: Vec<Uuid>,
    /// Business calendar of its SLA clocks (default: Mon–Fri 7:30–17:00, Colombian holidays).
    pub calendar_id: Option<Uuid>,
    /// SLA policy of its cases unless the service has its own.
    pub sla_policy_id: Option<Uuid>,
    /// A case is registered only for a requester whose identity number is known (their profile,
    /// or `identity_number` in the registration); 422 naming `identity_number` otherwise.
    pub require_identity_number: bool,
    /// The kinds of mail the desk sends about its cases (default: all).
    pub notification_kinds: Vec<crate::notify::Kind>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// The kinds of mail a desk sends, from the ones it turned off.
pub fn notification_kinds(off: &[String]) -> Vec<crate::notify::Kind> {
    crate::notify::Kind::ALL.iter().copied().filter(|k| k.of_case() && !off.iter().any(|o| o == k.as_str())).collect()
}

/// What a desk stores for the kinds it sends: the case kinds left out.
pub fn notifications_off(kinds: &[crate::notify::Kind]) -> Vec<String> {
    crate::notify::Kind::ALL.iter().filter(|k| k.of_case() && !kinds.contains(k)).map(|k| k.as_str().to_owned()).collect()
}

impl Desk {
    pub fn from_row(r: DeskRow, organization_ids: Vec<Uuid>, supervisor_ids: Vec<Uuid>) -> Self {
        Desk {
            id: r.id,
            code: r.code,
            name: r.name,
            description: r.description,
            mailbox: r.mailbox,
            timezone: r.timezone,
            auto_close_hours: r.auto_close_hours,
            survey_satisfied_min: r.survey_satisfied_min,
            active: r.active,
            organization_ids,
            supervisor_ids,
            calendar_id: r.calendar_id,
            sla_policy_id: r.sla_policy_id,
            require_identity_number: r.require_identity_number,
            notification_kinds: notification_kinds(&r.notifications_off),
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDesk {
    #[schema(example = "TIC")]
    pub code: String,
    #[schema(min_length = 1, max_length = 160, example = "Tecnologías de la Información")]
    pub name: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub mailbox: Option<String>,
    /// Default `America/Bogota`.
    pub timezone: Option<String>,
    /// Default 48.
    pub auto_close_hours: Option<i32>,
    /// Default 3.
    #[schema(minimum = 1, maximum = 5)]
    pub survey_satisfied_min: Option<i16>,
    #[serde(default)]
    pub organization_ids: Vec<Uuid>,
    #[serde(default)]
    pub supervisor_ids: Vec<Uuid>,
    pub calendar_id: Option<Uuid>,
    pub sla_policy_id: Option<Uuid>,
    /// Default false.
    pub require_identity_number: Option<bool>,
    /// The kinds of mail the desk sends about its cases (default: all).
    pub notification_kinds: Option<Vec<crate::notify::Kind>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDesk {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<String>)]
    pub mailbox: Option<Option<String>>,
    pub timezone: Option<String>,
    pub auto_close_hours: Option<i32>,
    #[schema(minimum = 1, maximum = 5)]
    pub survey_satisfied_min: Option<i16>,
    pub active: Option<bool>,
    /// Replaces the list when present.
    pub organization_ids: Option<Vec<Uuid>>,
    /// Replaces the list when present (admins only).
    pub supervisor_ids: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub calendar_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub sla_policy_id: Option<Option<Uuid>>,
    pub require_identity_number: Option<bool>,
    /// Replaces the kinds of mail the desk sends about its cases.
    pub notification_kinds: Option<Vec<crate::notify::Kind>>,
}

/// Desk codes: 1–20 of A–Z, 0–9, `_`, `-`, starting with a letter or digit.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 20
        && code.chars().next().is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

pub fn valid_timezone(tz: &str) -> bool {
    tz.parse::<chrono_tz::Tz>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_zones() {
        assert!(valid_code("TIC"));
        assert!(valid_code("ADM-2"));
        assert!(!valid_code("tic"));
        assert!(!valid_code(""));
        assert!(!valid_code("-X"));
        assert!(valid_timezone("America/Bogota"));
        assert!(!valid_timezone("America/Cali"));
    }

    #[test]
    fn a_desk_stores_the_mail_kinds_it_turned_off() {
        use crate::notify::Kind;
        let all = notification_kinds(&[]);
        assert!(all.contains(&Kind::Followup) && !all.contains(&Kind::IntakeRefused));
        let off = notifications_off(&[Kind::Registered, Kind::Resolved]);
        assert!(off.contains(&"followup".to_owned()) && !off.contains(&"registered".to_owned()));
        assert_eq!(notification_kinds(&off), [Kind::Registered, Kind::Resolved]);
    }
}
