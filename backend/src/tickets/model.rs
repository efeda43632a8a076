//! Rows as stored and cases as the API shows them.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::*;
use super::state_machine::{Action, Status};
use crate::db::schema::{attachments, followups, ticket_events, tickets};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = tickets, check_for_backend(diesel::pg::Pg))]
pub struct TicketRow {
    pub id: Uuid,
    pub number: i64,
    pub desk_id: Uuid,
    pub service_id: Uuid,
    pub ticket_type: TicketType,
    pub priority: Priority,
    pub impact: Option<Level3>,
    pub urgency: Option<Level3>,
    pub status: Status,
    pub subject: String,
    pub description: String,
    pub contact_phone: Option<String>,
    pub location_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub requester_id: Uuid,
    pub created_by_id: Uuid,
    pub channel: Channel,
    pub assigned_group_id: Option<Uuid>,
    pub assigned_agent_id: Option<Uuid>,
    pub level: i16,
    pub fields: serde_json::Value,
    pub hold_reason: Option<HoldReason>,
    pub hold_note: Option<String>,
    pub desist_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    pub redirected_to: Option<String>,
    pub solution: Option<String>,
    pub solution_type: Option<String>,
    pub reopen_count: i32,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub taken_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub sla_policy_id: Option<Uuid>,
    pub sla_policy_version: Option<i32>,
    pub response_met: Option<bool>,
    pub resolution_met: Option<bool>,
    pub external_reference: Option<String>,
    /// The hold's note may be read by the requester.
    pub hold_note_public: bool,
    pub reopen_reason: Option<ReopenReason>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "reason": "waiting_requester",
    "note": "Por favor envíe una foto del mensaje que muestra la pantalla de la impresora",
    "desist_at": "2026-12-10T22:00:00Z"
}))]
pub struct Hold {
    pub reason: HoldReason,
    pub note: Option<String>,
    /// Archived as desisted at this instant if the requester does not answer.
    pub desist_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "reason": "La solicitud de mobiliario no es competencia de la mesa TIC",
    "redirected_to": "Secretaría de Gestión Administrativa - Servicios administrativos"
}))]
pub struct Rejection {
    pub reason: String,
    /// The area or entity competent for the request.
    pub redirected_to: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "text": "Se reemplazó el rodillo de arrastre y se limpió el sensor de papel; la impresora imprime con normalidad.",
    "solution_type": "Reemplazo de repuesto"
}))]
pub struct Solution {
    pub text: String,
    /// E.g. `remote`, `on_site`, `workaround`, `configuration`.
    pub solution_type: Option<String>,
}

/// A person or group named on a case.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Named {
    pub id: Uuid,
    pub name: String,
}

/// A case (solicitud / caso / ticket).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Ticket {
    #[schema(example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")]
    pub id: Uuid,
    /// The consecutive human number, e.g. 1234.
    #[schema(example = 1042)]
    pub number: i64,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    pub service: Named,
    #[serde(rename = "type")]
    pub ticket_type: TicketType,
    pub priority: Priority,
    pub impact: Option<Level3>,
    pub urgency: Option<Level3>,
    pub status: Status,
    #[schema(example = "La impresora del piso 4 no imprime")]
    pub subject: String,
    #[schema(example = "Desde esta mañana la impresora del piso 4 muestra \"atasco de papel\" aunque no tiene papel atascado.")]
    pub description: String,
    #[schema(example = "602 885 6000 ext. 1420")]
    pub contact_phone: Option<String>,
    #[schema(example = "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78")]
    pub location_id: Option<Uuid>,
    #[schema(example = "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67")]
    pub area_id: Option<Uuid>,
    #[schema(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Option<Uuid>,
    pub requester: Named,
    /// The requester's email, to reach them (staff who work the case only).
    #[schema(example = "lucia.martinez@cali.gov.co")]
    pub requester_email: Option<String>,
    #[schema(example = "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34")]
    pub created_by_id: Uuid,
    pub channel: Channel,
    /// The reference of the document the case came from (e.g. a letter's filing number in the
    /// document-management system).
    #[schema(example = "2026ER004512")]
    pub external_reference: Option<String>,
    pub assigned_group: Option<Named>,
    pub assigned_agent: Option<Named>,
    /// Support level working the case: 1, 2 or 3.
    #[schema(example = 1)]
    pub level: i16,
    /// Values of the service's extra fields.
    pub fields: serde_json::Value,
    pub hold: Option<Hold>,
    pub rejection: Option<Rejection>,
    pub solution: Option<Solution>,
    #[schema(example = 0)]
    pub reopen_count: i32,
    /// Why the case is back at work after a resolution, until it is resolved again; `survey` is
    /// "Abierto por encuesta".
    pub reopen_reason: Option<ReopenReason>,
    #[schema(example = "2026-12-03T18:15:00Z")]
    pub response_due_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-04T18:15:00Z")]
    pub resolution_due_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:42:00Z")]
    pub taken_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T15:40:00Z")]
    pub updated_at: DateTime<Utc>,
    /// Row version, for `If-Match`.
    #[schema(example = 4)]
    pub version: i32,
    /// What the caller may do now.
    #[schema(example = json!(["hold", "escalate", "resolve", "reject"]))]
    pub allowed_actions: Vec<Action>,
    /// SLA clocks; absent when no policy applies to the case.
    pub sla: Option<crate::sla::clock::SlaView>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = followups, check_for_backend(diesel::pg::Pg))]
pub struct FollowupRow {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub author_id: Uuid,
    pub visibility: Visibility,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = attachments, check_for_backend(diesel::pg::Pg))]
pub struct AttachmentRow {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub followup_id: Option<Uuid>,
    pub requirement_key: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by_id: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Attachment {
    #[schema(example = "0193a5b9-3e4f-7a50-b612-c3d4e5f60718")]
    pub id: Uuid,
    #[schema(example = "0193a5c6-3f40-7152-8c63-7d8e9f0a1b23")]
    pub followup_id: Option<Uuid>,
    pub requirement_key: Option<String>,
    #[schema(example = "foto-impresora.jpg")]
    pub file_name: String,
    /// Detected from the content, not taken from the client.
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    #[schema(example = 245760)]
    pub size_bytes: i64,
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    #[schema(example = "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34")]
    pub uploaded_by_id: Uuid,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
    /// Path to download it (same permissions as the case).
    #[schema(example = "/api/v1/tickets/1042/attachments/0193a5b9-3e4f-7a50-b612-c3d4e5f60718")]
    pub download_url: String,
}

impl Attachment {
    pub fn from_row(r: AttachmentRow, number: i64) -> Self {
        Attachment {
            download_url: format!("/api/v1/tickets/{number}/attachments/{}", r.id),
            id: r.id,
            followup_id: r.followup_id,
            requirement_key: r.requirement_key,
            file_name: r.file_name,
            content_type: r.content_type,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            uploaded_by_id: r.uploaded_by_id,
            created_at: r.created_at,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Followup {
    #[schema(example = "0193a5c6-3f40-7152-8c63-7d8e9f0a1b23")]
    pub id: Uuid,
    pub author: Named,
    /// `public` reaches the requester; `private` stays among agents.
    pub visibility: Visibility,
    #[schema(example = "Buenos días, el técnico pasará a las 10:00 a. m. por el piso 4.")]
    pub body: String,
    /// Written by the requester ("Actualización del usuario").
    #[schema(example = json!(false))]
    pub from_requester: bool,
    #[schema(example = json!([]))]
    pub attachments: Vec<Attachment>,
    #[schema(example = "2026-12-03T14:02:00Z")]
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = ticket_events, check_for_backend(diesel::pg::Pg))]
pub struct EventRow {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub old_value: Option<serde_json::Value>,
    pub new_value: Option<serde_json::Value>,
    pub visibility: Visibility,
    pub created_at: DateTime<Utc>,
}

/// One entry of the audit trail.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TicketEvent {
    #[schema(example = "0193a5c5-2e3f-7041-9b52-6c7d8e9f0a12")]
    pub id: Uuid,
    /// `None` for the system (e.g. an SLA rule or auto-close).
    pub actor: Option<Named>,
    /// `created`, `status`, `assignment`, `level`, `priority`, `classification`, `followup`, `attachment`, …
    #[schema(example = "level")]
    pub kind: String,
    pub old_value: Option<serde_json::Value>,
    pub new_value: Option<serde_json::Value>,
    pub visibility: Visibility,
    #[schema(example = "2026-12-03T15:40:00Z")]
    pub created_at: DateTime<Utc>,
}

/// A case as lists show it: what a queue row or "Mis solicitudes" needs. The whole case
/// (description, fields, hold, solution, allowed actions) is `GET /tickets/{number}`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TicketSummary {
    #[schema(example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")]
    pub id: Uuid,
    /// The consecutive human number, e.g. 1234.
    #[schema(example = 1042)]
    pub number: i64,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    pub service: Named,
    #[serde(rename = "type")]
    pub ticket_type: TicketType,
    pub priority: Priority,
    pub status: Status,
    #[schema(example = "La impresora del piso 4 no imprime")]
    pub subject: String,
    pub requester: Named,
    pub channel: Channel,
    #[schema(example = "2026ER004512")]
    pub external_reference: Option<String>,
    pub assigned_group: Option<Named>,
    pub assigned_agent: Option<Named>,
    /// Support level working the case: 1, 2 or 3.
    #[schema(example = 1)]
    pub level: i16,
    /// Why the case is back at work after a resolution, until it is resolved again; `survey` is
    /// "Abierto por encuesta".
    pub reopen_reason: Option<ReopenReason>,
    /// While on hold: why (`waiting_requester` is a case waiting for its requester's answer).
    pub hold_reason: Option<HoldReason>,
    #[schema(example = "2026-12-04T18:15:00Z")]
    pub resolution_due_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T15:40:00Z")]
    pub updated_at: DateTime<Utc>,
    /// Row version, for `If-Match`.
    #[schema(example = 4)]
    pub version: i32,
    /// SLA clocks; absent when no policy applies to the case.
    pub sla: Option<crate::sla::clock::SlaView>,
}

#[derive(Serialize, ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketSummary>,
    pub next_cursor: Option<String>,
}
