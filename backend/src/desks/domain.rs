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
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub id: Uuid,
    /// Short uppercase code, e.g. `TIC`.
    #[schema(example = "TIC")]
    pub code: String,
    #[schema(example = "Tecnologías de la Información")]
    pub name: String,
    #[schema(example = "Mesa de servicios de tecnología de la Alcaldía")]
    pub description: Option<String>,
    /// The desk's mailbox (email channel and sender of notifications).
    #[schema(example = "mesadeservicios@cali.gov.co")]
    pub mailbox: Option<String>,
    /// IANA time zone of its business calendar.
    #[schema(example = "America/Bogota")]
    pub timezone: String,
    /// Hours after resolution before an unanswered survey closes the case as accepted (unless
    /// the desk's survey definition, `GET /desks/{id}/survey`, counts the delay in business days).
    #[schema(example = 48)]
    pub auto_close_hours: i32,
    /// Lowest survey rating (1–5) that counts as satisfied; lower ratings reopen the case.
    #[schema(example = 4)]
    pub survey_satisfied_min: i16,
    #[schema(example = json!(true))]
    pub active: bool,
    /// Organizations allowed to use the desk; empty means all.
    #[schema(example = json!(["0193a5a5-6071-7283-9e95-0f1a2b3c4d56"]))]
    pub organization_ids: Vec<Uuid>,
    /// Supervisors who manage the desk (catalog, groups).
    #[schema(example = json!(["0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"]))]
    pub supervisor_ids: Vec<Uuid>,
    /// Business calendar of its SLA clocks (default: Mon–Fri 7:30–17:00, Colombian holidays).
    #[schema(example = "0193a5a8-93a4-75b6-a1c8-3c4d5e6f7089")]
    pub calendar_id: Option<Uuid>,
    /// SLA policy of its cases unless the service has its own.
    #[schema(example = "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a")]
    pub sla_policy_id: Option<Uuid>,
    /// A case is registered only for a requester whose identity number is known (their profile,
    /// or `identity_number` in the registration); 422 naming `identity_number` otherwise.
    #[schema(example = json!(false))]
    pub require_identity_number: bool,
    /// The kinds of mail the desk sends about its cases (default: all).
    #[schema(example = json!(["registered", "assigned", "escalated", "followup", "on_hold", "resolved", "closed"]))]
    pub notification_kinds: Vec<crate::notify::Kind>,
    #[schema(example = "2026-01-15T14:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 7)]
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
#[schema(example = json!({
    "code": "TIC",
    "name": "Tecnologías de la Información",
    "description": "Mesa de servicios de tecnología de la Alcaldía",
    "timezone": "America/Bogota",
    "calendar_id": "0193a5a8-93a4-75b6-a1c8-3c4d5e6f7089",
    "sla_policy_id": "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a",
    "auto_close_hours": 48,
    "survey_satisfied_min": 4,
    "organization_ids": ["0193a5a5-6071-7283-9e95-0f1a2b3c4d56"],
    "supervisor_ids": ["0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"],
    "require_identity_number": false,
    "mailbox": "mesadeservicios@cali.gov.co"
}))]
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
#[schema(example = json!({"auto_close_hours": 72, "survey_satisfied_min": 4, "supervisor_ids": ["0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"]}))]
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
