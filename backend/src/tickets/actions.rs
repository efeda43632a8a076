//! The lifecycle actions: `POST /tickets/{number}/<action>`. Each checks its body, then goes the
//! one lifecycle path (`lifecycle`: prepare, decide, commit) in one transaction: 403 for work not
//! the caller's, 409 with the allowed actions when the state does not allow it, 412 on a stale
//! `If-Match`, 422 naming the field.
use actix_web::{patch, post, web, HttpResponse};
use chrono::Utc;
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::load_visible;
use super::domain::*;
use super::lifecycle::{self, Command, Who};
use super::model::*;
use super::state_machine::{Action, Actor};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::validate::{double_option, Errors};

/// Runs a command on the case with this number as the caller, and answers with the case.
async fn run(state: &AppState, user: &CurrentUser, number: i64, if_match: IfMatch, cmd: Command) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, user).await?;
    let now = Utc::now();
    let (saved, scope) = conn
        .transaction(async |conn| -> AppResult<(TicketRow, super::access::Scope)> {
            let (old, scope) = load_visible(conn, &reference, user, number, true).await?;
            let who = Who::of(&scope, &reference, &old).ok_or(AppError::NotFound)?;
            // A requester doing staff work is refused whatever version they read.
            let outside_state_machine = matches!(cmd, Command::Edit(_) | Command::Transfer { .. });
            if who.actor == Actor::Requester && !matches!(cmd, Command::Edit(_)) && !matches!(cmd.action(), Action::Cancel | Action::Reopen | Action::Close) {
                return Err(AppError::Forbidden);
            }
            if_match.check(old.version)?;
            // The state and the group first, so nothing is looked up for a command that cannot apply.
            if !outside_state_machine {
                lifecycle::gate(&old, cmd.action(), &who)?;
            }
            let found = lifecycle::prepare(conn, &reference, &old, &cmd).await?;
            let decision = lifecycle::decide(&old, &cmd, &found, &who, now)?;
            let saved = lifecycle::commit(conn, &reference, &old, decision, who.id, now).await?;
            Ok((saved, scope))
        })
        .await?;
    let ticket = super::render::render_one(&mut conn, &reference, saved, &scope).await?;
    Ok(HttpResponse::Ok().insert_header(etag(ticket.version)).json(ticket))
}

/// What any case action may answer besides success (not every action can give every one).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ActionErrors {
    /// Missing, expired or invalid token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// A requester attempting staff work, or an agent deciding a case of another group.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// No such case, or not the caller's to see.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
    /// Not allowed in the case's state; `allowed_actions` lists what is.
    #[response(status = 409, content_type = "application/problem+json")]
    NotAllowedNow(Problem),
    /// `If-Match` names an older version of the case.
    #[response(status = 412, content_type = "application/problem+json")]
    Stale(Problem),
    /// A field of the body is missing or wrong (named in `errors`).
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23",
    "agent_id": "0193a5a4-5f60-7172-8d84-9e0f1a2b3c45",
    "note": "Lo atiende Carlos, que está en el piso 4 esta mañana"
}))]
pub struct AssignBody {
    pub group_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "type": "incident",
    "service_id": "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12",
    "impact": "high",
    "urgency": "medium",
    "priority": "high",
    "priority_reason": "Afecta a toda la Tesorería en cierre de mes"
}))]
pub struct ClassifyBody {
    #[serde(rename = "type")]
    pub ticket_type: Option<TicketType>,
    /// Another service of the same desk.
    pub service_id: Option<Uuid>,
    pub impact: Option<Level3>,
    pub urgency: Option<Level3>,
    /// Overrides the impact × urgency matrix; needs `priority_reason`.
    pub priority: Option<Priority>,
    #[schema(max_length = 500)]
    pub priority_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "level": 2,
    "group_id": "0193a5b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b",
    "reason": "El fusor presenta daño; se requiere el especialista en impresión",
    "public": true
}))]
pub struct EscalateBody {
    /// Target level: 2 (specialist), 3 (provider); a lower level de-escalates.
    #[schema(minimum = 1, maximum = 3)]
    pub level: i16,
    /// A group of that level in the case's desk.
    pub group_id: Uuid,
    pub agent_id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The requester may read the reason in the timeline (default: agents only).
    #[serde(default)]
    pub public: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "reason": "waiting_requester",
    "note": "Por favor envíe una foto del mensaje que muestra la pantalla de la impresora",
    "public": true,
    "desist_after_days": 5
}))]
pub struct HoldBody {
    pub reason: HoldReason,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// Missing minimum data: archive as desisted after this many days without an answer.
    #[schema(minimum = 1, maximum = 90)]
    pub desist_after_days: Option<i32>,
    /// The requester may read the note, on the case and in the timeline (default: agents only).
    #[serde(default)]
    pub public: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "solution": "Se reemplazó el rodillo de arrastre y se limpió el sensor de papel; la impresora imprime con normalidad.",
    "solution_type": "Reemplazo de repuesto"
}))]
pub struct ResolveBody {
    /// The documented solution (required).
    #[schema(min_length = 1, max_length = 20000)]
    pub solution: String,
    #[schema(max_length = 60)]
    pub solution_type: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "reason": "La solicitud de mobiliario no es competencia de la mesa TIC",
    "redirected_to": "Secretaría de Gestión Administrativa - Servicios administrativos"
}))]
pub struct RejectBody {
    /// Why it is out of scope.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    /// The competent area or entity the requester should turn to.
    #[schema(max_length = 300)]
    pub redirected_to: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "El solicitante informa que el problema reapareció esta tarde"}))]
pub struct ReasonBody {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Take the case: it becomes the caller's and work starts. Agents take the cases of their groups
/// (from another group's queue at a level where they have a group, the case moves to that group);
/// supervisors and admins any case of their desks.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before acting", example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/take")]
pub async fn take(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    run(&state, &user, *number, if_match, Command::Take).await
}

/// Assign the case to a group of its level and/or an agent (who must then take it). To change
/// the level, escalate.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = AssignBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/assign")]
pub async fn assign(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<AssignBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    if b.group_id.is_none() && b.agent_id.is_none() {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("group_id", "required", "give a group, an agent, or both")]));
    }
    run(&state, &user, *number, if_match, Command::Assign { group_id: b.group_id, agent_id: b.agent_id, note: b.note }).await
}

/// Classify: type, service (same desk), impact and urgency (priority from the desk's matrix),
/// or an explicit priority with a reason.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ClassifyBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/classify")]
pub async fn classify(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<ClassifyBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let reason = e.optional_text("priority_reason", b.priority_reason.as_deref(), 500);
    if b.priority.is_some() && reason.is_none() {
        e.add("priority_reason", "required", "say why the priority differs from the matrix");
    }
    if b.impact.is_some() != b.urgency.is_some() {
        e.add(if b.impact.is_some() { "urgency" } else { "impact" }, "required", "impact and urgency go together");
    }
    e.finish()?;
    let cmd = Command::Classify { ticket_type: b.ticket_type, service_id: b.service_id, axes: b.impact.zip(b.urgency), priority: b.priority, reason };
    run(&state, &user, *number, if_match, cmd).await
}

/// Escalate to level 2 (specialists) or 3 (providers) with a reason — or de-escalate. The case
/// then belongs to the new group. The reason is for the agents unless `public` is true.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = EscalateBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/escalate")]
pub async fn escalate(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<EscalateBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let reason = e.text("reason", &b.reason, 2000);
    if !(1..=3).contains(&b.level) {
        e.add("level", "out_of_range", "must be 1, 2 or 3");
    }
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Escalate { level: b.level, group_id: b.group_id, agent_id: b.agent_id, reason, public: b.public }).await
}

/// Put the case on hold (its SLA clock stops) waiting for the requester, a third party or a
/// provider. The note is for the agents unless `public` is true.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = HoldBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/hold")]
pub async fn hold(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<HoldBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let note = e.optional_text("note", b.note.as_deref(), 2000);
    if b.desist_after_days.is_some_and(|d| !(1..=90).contains(&d)) {
        e.add("desist_after_days", "out_of_range", "must be between 1 and 90 days");
    }
    if b.desist_after_days.is_some() && b.reason != HoldReason::WaitingRequester {
        e.add("desist_after_days", "not_allowed", "only cases waiting for the requester are archived as desisted");
    }
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Hold { reason: b.reason, note, desist_after_days: b.desist_after_days, public: b.public }).await
}

/// Resume work on a case on hold.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/resume")]
pub async fn resume(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    run(&state, &user, *number, if_match, Command::Resume).await
}

/// Resolve with a documented solution; the requester then accepts (close) or refuses (reopen).
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ResolveBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/resolve")]
pub async fn resolve(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<ResolveBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let solution = e.text("solution", &b.solution, 20_000);
    let solution_type = e.optional_text("solution_type", b.solution_type.as_deref(), 60);
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Resolve { solution, solution_type }).await
}

/// Reject as out of scope, saying why and where the requester should turn.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = RejectBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/reject")]
pub async fn reject(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<RejectBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let reason = e.text("reason", &b.reason, 2000);
    let redirected_to = e.optional_text("redirected_to", b.redirected_to.as_deref(), 300);
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Reject { reason, redirected_to }).await
}

/// Withdraw one's own case before anyone works on it.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/cancel")]
pub async fn cancel(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    run(&state, &user, *number, if_match, Command::Cancel).await
}

/// Refuse a solution, saying why: the case goes back to work with the same assignee (its
/// `reopen_reason` says who refused it: `requester` or `staff`).
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ReasonBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/reopen")]
pub async fn reopen(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<ReasonBody>) -> AppResult<HttpResponse> {
    let mut e = Errors::default();
    let reason = e.text("reason", &body.0.reason, 2000);
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Reopen { reason }).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "El solicitante confirmó por teléfono que quedó solucionado"}))]
pub struct CloseBody {
    /// Required from staff: why the case is closed without the requester's verdict (e.g.
    /// "accepted by phone"). Optional for the requester.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: Option<String>,
}

/// Accept the solution and close the case: the requester; or staff with a `reason` on record
/// where the desk allows it (409 `staff_close_not_allowed` otherwise). A case reopened by an
/// unsatisfied survey is not resolved, so it cannot be closed until a new resolution (409).
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body(content = Option<CloseBody>, description = "Optional for the requester"),
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/close")]
pub async fn close(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, payload: web::Bytes) -> AppResult<HttpResponse> {
    let reason = if payload.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let b: CloseBody = crate::http::parse_json(&payload)?;
        let mut e = Errors::default();
        let reason = e.optional_text("reason", b.reason.as_deref(), 2000);
        e.finish()?;
        reason
    };
    run(&state, &user, *number, if_match, Command::Close { reason }).await
}

/// Changes to what a case says; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "La impresora del piso 4 no imprime (toda la Tesorería)", "contact_phone": "602 885 6000 ext. 1421"}))]
pub struct EditTicket {
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 40, value_type = Option<String>)]
    pub contact_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub location_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub area_id: Option<Option<Uuid>>,
    /// Values of the service's extra fields, by key, merged into the case's (`null` removes one);
    /// the result is checked against the service's form as at registration.
    pub fields: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Correct a case: subject, description, contact phone, location, area, the service's fields.
/// Staff while it is open; the requester while it is `new` or on hold waiting for them. Every
/// changed field is an audit entry with its old and new value; an edit that changes nothing
/// leaves the case (and its version) as it was. `If-Match` is required (428 without it).
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), request_body = EditTicket,
    params(("number" = i64, Path, example = 1042), ("If-Match" = String, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Ticket, headers(("ETag" = String))), ActionErrors,
        (status = 428, description = "`If-Match` is missing", body = Problem, content_type = "application/problem+json")))]
#[patch("/tickets/{number}")]
pub async fn edit_ticket(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<EditTicket>) -> AppResult<HttpResponse> {
    if if_match.0.is_none() {
        return Err(AppError::Status(actix_web::http::StatusCode::PRECONDITION_REQUIRED));
    }
    let b = body.0;
    let mut e = Errors::default();
    let subject = b.subject.as_deref().map(|s| e.text("subject", s, 200));
    let description = b.description.as_deref().map(|s| e.text("description", s, 20_000));
    let contact_phone = b.contact_phone.map(|p| e.optional_text("contact_phone", p.as_deref(), 40));
    e.finish()?;
    let cmd = Command::Edit(lifecycle::Edit { subject, description, contact_phone, location_id: b.location_id, area_id: b.area_id, fields: b.fields });
    run(&state, &user, *number, if_match, cmd).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"service_id": "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12", "reason": "El caso es de impresión, no de equipos de cómputo"}))]
pub struct TransferBody {
    /// A service of another desk.
    pub service_id: Uuid,
    /// Why the case belongs there.
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Transfer the case to a service of another desk: it is routed there as a registration would
/// be (the service's group for the requester's organization, its least-loaded agent, that
/// group's level) and measured by the new desk's calendar and policy. The new desk's agents see
/// it from then on, the old desk's no longer do; the timeline keeps what they wrote. For cases
/// that leave Mesa altogether, reject with a redirection.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = TransferBody,
    params(("number" = i64, Path, example = 1042), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/transfer")]
pub async fn transfer(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<TransferBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let reason = e.text("reason", &b.reason, 2000);
    e.finish()?;
    run(&state, &user, *number, if_match, Command::Transfer { service_id: b.service_id, reason }).await
}
