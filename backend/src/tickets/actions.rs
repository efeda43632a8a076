//! The lifecycle actions: `POST /tickets/{number}/<action>`. Each checks the role and the state
//! (409 with the allowed actions when it does not apply), honours `If-Match`, and writes the
//! change and its audit entries in one transaction.
use actix_web::{post, web, HttpResponse};
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::*;
use super::model::*;
use super::queries;
use super::routes::load_visible;
use super::state_machine::{self, Action, Actor, Context};
use crate::auth::CurrentUser;
use crate::catalog::domain::NodeKind;
use crate::db::schema::{desks, group_members, users};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, IfMatch, JsonBody};
use crate::reference::Reference;
use crate::state::AppState;
use crate::users::domain::Role;
use crate::validate::Errors;

/// What an action changes beyond the status, decided once the case is locked.
type Mutate<'a> = Box<dyn for<'c> FnOnce(&'c mut AsyncPgConnection, &'c Reference, &'c mut TicketRow) -> futures_util::future::BoxFuture<'c, AppResult<()>> + Send + 'a>;

async fn perform(state: &AppState, user: &CurrentUser, number: i64, if_match: IfMatch, action: Action, note: Option<String>, mutate: Mutate<'_>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, user).await?;
    let user_id = user.0.id;
    let (saved, scope) = conn
        .transaction(async |conn| -> AppResult<(TicketRow, super::access::Scope)> {
            let (old, scope) = load_visible(conn, &reference, user, number, true).await?;
            let actor = scope.actor(&old).ok_or(AppError::NotFound)?;
            if actor == Actor::Requester && !matches!(action, Action::Cancel | Action::Reopen | Action::Close) {
                return Err(AppError::Forbidden);
            }
            if_match.check(old.version)?;
            let ctx = Context { has_agent: old.assigned_agent_id.is_some(), actor_is_assignee: old.assigned_agent_id == Some(user_id) };
            let next = state_machine::apply(old.status, action, actor, ctx).map_err(|e| AppError::Conflict {
                code: "invalid_transition",
                detail: e.to_string(),
                allowed_actions: Some(state_machine::allowed(old.status, actor, ctx).iter().map(|a| a.to_string()).collect()),
            })?;
            let mut new = old.clone();
            new.status = next;
            mutate(conn, &reference, &mut new).await?;
            let saved = queries::save(conn, &new).await?;
            queries::record(conn, saved.id, Some(user_id), queries::diff(&old, &saved, note.as_deref())).await?;
            crate::sla::store::on_transition(conn, &reference, saved.id, old.status, saved.status, Utc::now()).await?;
            Ok((queries::by_id(conn, saved.id).await?, scope))
        })
        .await?;
    let ticket = super::routes::render_one(&mut conn, &reference, saved, &scope).await?;
    Ok(HttpResponse::Ok().insert_header(etag(ticket.version)).json(ticket))
}

/// A group of the case's desk, checked; and, if given, an agent who belongs to it.
async fn check_assignee(conn: &mut AsyncPgConnection, reference: &Reference, desk_id: Uuid, group: Option<Uuid>, agent: Option<Uuid>, level: Option<i16>) -> AppResult<()> {
    let mut e = Errors::default();
    if let Some(g) = group {
        match reference.groups.get(&g) {
            Some(found) if found.active && found.desk_id == desk_id => {
                if level.is_some_and(|want| want != found.level) {
                    e.add("group_id", "wrong_level", format!("this group works at level {}", found.level));
                }
            }
            _ => e.add("group_id", "unknown_reference", "must be an active support group of the case's desk"),
        }
    }
    if let Some(a) = agent {
        let staff: Option<(Role, bool)> = users::table.find(a).select((users::role, users::active)).first(conn).await.optional()?;
        match staff {
            Some((r, true)) if r != Role::Requester => {
                if let Some(g) = group {
                    let member: bool = diesel::select(diesel::dsl::exists(group_members::table.find((g, a)))).get_result(conn).await?;
                    if !member {
                        e.add("agent_id", "not_a_member", "the agent does not belong to that group");
                    }
                }
            }
            _ => e.add("agent_id", "unknown_reference", "must be an active agent"),
        }
    }
    e.finish()
}

/// What any case action may answer besides success (not every action can give every one).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum ActionErrors {
    /// Missing, expired or invalid token.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthenticated(Problem),
    /// A requester attempting staff work.
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
pub struct AssignBody {
    pub group_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
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
pub struct EscalateBody {
    /// Target level: 2 (specialist), 3 (provider); a lower level de-escalates.
    #[schema(minimum = 1, maximum = 3)]
    pub level: i16,
    /// A group of that level in the case's desk.
    pub group_id: Uuid,
    pub agent_id: Option<Uuid>,
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldBody {
    pub reason: HoldReason,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// Missing minimum data: archive as desisted after this many days without an answer.
    #[schema(minimum = 1, maximum = 90)]
    pub desist_after_days: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    /// The documented solution (required).
    #[schema(min_length = 1, max_length = 20000)]
    pub solution: String,
    #[schema(max_length = 60)]
    pub solution_type: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
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
pub struct ReasonBody {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// Take the case: it becomes the caller's and work starts.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before acting")),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/take")]
pub async fn take(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    let me = user.0.id;
    let my_groups = user.1.group_ids.clone();
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Take,
        None,
        Box::new(move |_, reference, t| {
            Box::pin(async move {
                // Taking from another group's queue moves the case to a group of mine at the same level, if any.
                if let Some(g) = t.assigned_group_id {
                    if !my_groups.contains(&g) {
                        let mine = my_groups.iter().find(|m| reference.groups.get(m).is_some_and(|r| r.desk_id == t.desk_id && r.level == t.level));
                        if let Some(m) = mine {
                            t.assigned_group_id = Some(*m);
                        }
                    }
                }
                t.assigned_agent_id = Some(me);
                t.taken_at.get_or_insert(Utc::now());
                Ok(())
            })
        }),
    )
    .await
}

/// Assign the case to a group and/or an agent (who must then take it).
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = AssignBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/assign")]
pub async fn assign(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<AssignBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    if b.group_id.is_none() && b.agent_id.is_none() {
        return Err(AppError::Validation(vec![crate::error::FieldError::new("group_id", "required", "give a group, an agent, or both")]));
    }
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Assign,
        b.note.clone(),
        Box::new(move |conn, reference, t| {
            Box::pin(async move {
                let group = b.group_id.or(t.assigned_group_id);
                check_assignee(conn, reference, t.desk_id, b.group_id, b.agent_id, None).await?;
                if b.group_id.is_none() {
                    // An agent alone must belong to the current group.
                    check_assignee(conn, reference, t.desk_id, group, b.agent_id, None).await?;
                }
                t.assigned_group_id = group;
                t.assigned_agent_id = b.agent_id;
                Ok(())
            })
        }),
    )
    .await
}

/// Classify: type, service (same desk), impact and urgency (priority from the desk's matrix),
/// or an explicit priority with a reason.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ClassifyBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
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
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Classify,
        reason,
        Box::new(move |conn, reference, t| {
            Box::pin(async move {
                if let Some(service_id) = b.service_id {
                    match reference.nodes.get(&service_id) {
                        Some(found) if found.desk_id == t.desk_id && found.node.kind == NodeKind::Service && found.node.active => t.service_id = service_id,
                        _ => return Err(AppError::field("service_id", "unknown_reference", "must be an active service of the case's desk")),
                    }
                }
                if let Some(tt) = b.ticket_type {
                    t.ticket_type = tt;
                }
                if let (Some(i), Some(u)) = (b.impact, b.urgency) {
                    t.impact = Some(i);
                    t.urgency = Some(u);
                    let matrix: serde_json::Value = desks::table.find(t.desk_id).select(desks::priority_matrix).first(conn).await?;
                    if let Some(p) = priority_from_matrix(&matrix, i, u) {
                        t.priority = p;
                    }
                }
                if let Some(p) = b.priority {
                    t.priority = p;
                }
                Ok(())
            })
        }),
    )
    .await
}

/// Escalate to level 2 (specialists) or 3 (providers) with a reason — or de-escalate.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = EscalateBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
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
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Escalate,
        Some(reason),
        Box::new(move |conn, reference, t| {
            Box::pin(async move {
                if b.level == t.level {
                    return Err(AppError::field("level", "unchanged", format!("the case is already at level {}", t.level)));
                }
                check_assignee(conn, reference, t.desk_id, Some(b.group_id), b.agent_id, Some(b.level)).await?;
                t.level = b.level;
                t.assigned_group_id = Some(b.group_id);
                t.assigned_agent_id = match b.agent_id {
                    Some(a) => Some(a),
                    None => queries::pick_agent(conn, b.group_id).await?,
                };
                Ok(())
            })
        }),
    )
    .await
}

/// Put the case on hold (its SLA clock stops) waiting for the requester, a third party or a provider.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = HoldBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
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
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Hold,
        note.clone(),
        Box::new(move |_, _, t| {
            Box::pin(async move {
                t.hold_reason = Some(b.reason);
                t.hold_note = note;
                t.desist_at = b.desist_after_days.map(|d| Utc::now() + Duration::days(d as i64));
                Ok(())
            })
        }),
    )
    .await
}

/// Resume work on a case on hold.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/resume")]
pub async fn resume(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Resume,
        None,
        Box::new(|_, _, t| {
            Box::pin(async move {
                t.hold_reason = None;
                t.hold_note = None;
                t.desist_at = None;
                Ok(())
            })
        }),
    )
    .await
}

/// Resolve with a documented solution; the requester then accepts (close) or refuses (reopen).
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ResolveBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/resolve")]
pub async fn resolve(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<ResolveBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let solution = e.text("solution", &b.solution, 20_000);
    let solution_type = e.optional_text("solution_type", b.solution_type.as_deref(), 60);
    e.finish()?;
    let me = user.0.id;
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Resolve,
        None,
        Box::new(move |_, _, t| {
            Box::pin(async move {
                t.solution = Some(solution);
                t.solution_type = solution_type;
                t.resolved_at = Some(Utc::now());
                t.hold_reason = None;
                t.hold_note = None;
                t.desist_at = None;
                t.assigned_agent_id.get_or_insert(me);
                Ok(())
            })
        }),
    )
    .await
}

/// Reject as out of scope, saying why and where the requester should turn.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = RejectBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/reject")]
pub async fn reject(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<RejectBody>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let reason = e.text("reason", &b.reason, 2000);
    let redirected_to = e.optional_text("redirected_to", b.redirected_to.as_deref(), 300);
    e.finish()?;
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Reject,
        None,
        Box::new(move |_, _, t| {
            Box::pin(async move {
                t.rejection_reason = Some(reason);
                t.redirected_to = redirected_to;
                t.closed_at = Some(Utc::now());
                Ok(())
            })
        }),
    )
    .await
}

/// Withdraw one's own case before anyone works on it.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/cancel")]
pub async fn cancel(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Cancel,
        None,
        Box::new(|_, _, t| {
            Box::pin(async move {
                t.closed_at = Some(Utc::now());
                Ok(())
            })
        }),
    )
    .await
}

/// Refuse a solution: the case goes back to work.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])), request_body = ReasonBody,
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/reopen")]
pub async fn reopen(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch, body: JsonBody<ReasonBody>) -> AppResult<HttpResponse> {
    let mut e = Errors::default();
    let reason = e.text("reason", &body.0.reason, 2000);
    e.finish()?;
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Reopen,
        Some(reason),
        Box::new(|_, _, t| {
            Box::pin(async move {
                t.reopen_count += 1;
                t.resolved_at = None;
                t.solution = None;
                t.solution_type = None;
                Ok(())
            })
        }),
    )
    .await
}

/// Accept the solution and close the case.
#[utoipa::path(tag = "ticket actions", security(("bearer_auth" = [])),
    params(("number" = i64, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, body = Ticket), ActionErrors))]
#[post("/tickets/{number}/close")]
pub async fn close(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, if_match: IfMatch) -> AppResult<HttpResponse> {
    perform(
        &state,
        &user,
        *number,
        if_match,
        Action::Close,
        None,
        Box::new(|_, _, t| {
            Box::pin(async move {
                t.closed_at = Some(Utc::now());
                Ok(())
            })
        }),
    )
    .await
}
