use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::access::{load_visible, Scope};
use super::domain::*;
use super::lists::{self, ListFilter, Sort, View};
use super::model::*;
use super::render::{render_one, summarize};
use super::state_machine::Status;
use crate::auth::CurrentUser;
use crate::db::schema::tickets;
use crate::error::responses::{Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, page_limit, paginate};
use crate::reference::Reference;
use crate::state::AppState;
use crate::users::domain::Role;

/// One case.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Ticket, headers(("ETag" = String))),
        Unauthenticated,
        NotFound))]
#[get("/tickets/{number}")]
pub async fn get_ticket(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (row, scope) = load_visible(&mut conn, &reference, &user, *number, false).await?;
    let ticket = render_one(&mut conn, &reference, row, &scope).await?;
    Ok(HttpResponse::Ok().insert_header(etag(ticket.version)).json(ticket))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TicketListQuery {
    /// `requested` ("Mis solicitudes", the default for requesters), `mine`, `my_groups`,
    /// `unassigned`, `unstaffed` (open cases waiting in a group with no available member),
    /// `all` (default for staff: every case of their desks).
    #[param(example = "my_groups")]
    pub view: Option<View>,
    /// Comma-separated statuses, e.g. `new,assigned`.
    #[param(example = "new,assigned")]
    pub status: Option<String>,
    /// Comma-separated priorities.
    #[param(example = "critical,high")]
    pub priority: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type", example = "incident")]
    pub ticket_type: Option<TicketType>,
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Option<Uuid>,
    #[param(example = "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12")]
    pub service_id: Option<Uuid>,
    #[param(minimum = 1, maximum = 3, example = 1)]
    pub level: Option<i16>,
    #[param(example = "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34")]
    pub requester_id: Option<Uuid>,
    /// Registered at or after (RFC 3339).
    #[param(example = "2026-12-01T05:00:00Z")]
    pub created_from: Option<DateTime<Utc>>,
    /// Registered before (RFC 3339).
    #[param(example = "2026-12-04T05:00:00Z")]
    pub created_to: Option<DateTime<Utc>>,
    /// Changed at or after (RFC 3339): with `sort=changed`, an incremental sync. A change is
    /// stamped with the instant its request began, so one committing while a sync reads may
    /// carry an instant just before the last one the sync saw: ask again from a minute before
    /// it, and keep each case's highest `version`.
    #[param(example = "2026-12-03T13:00:00Z")]
    pub updated_since: Option<DateTime<Utc>>,
    /// Spanish full-text search over subject, description, external reference and follow-ups
    /// (accents ignored). A case number (`6` or `#6`) finds that case first.
    #[param(example = "impresora piso 4")]
    pub q: Option<String>,
    /// Exactly this document reference (e.g. a letter's filing number).
    #[param(example = "2026ER004512")]
    pub external_reference: Option<String>,
    /// Cases back at work after a resolution for this reason: `survey` lists those reopened by
    /// an unsatisfied survey ("Abierto por encuesta").
    #[param(example = "survey")]
    pub reopen_reason: Option<ReopenReason>,
    /// `number` (newest first, default), `updated` (latest change first), `due`, `changed`
    /// (oldest change first, for sync).
    #[param(example = "updated")]
    pub sort: Option<Sort>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

fn parse_list<T: std::str::FromStr>(field: &str, raw: Option<&str>) -> AppResult<Vec<T>> {
    let Some(raw) = raw else { return Ok(vec![]) };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<T>().map_err(|_| AppError::field(field, "invalid_choice", format!("'{s}' is not a valid value"))))
        .collect()
}

/// Cases the caller may see: their requests, or the queues of their desks. Keyset pagination.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(TicketListQuery),
    responses((status = 200, body = TicketPage),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        Unauthenticated,
        Invalid))]
#[get("/tickets")]
pub async fn list_tickets(state: web::Data<AppState>, user: CurrentUser, query: web::Query<TicketListQuery>) -> AppResult<web::Json<TicketPage>> {
    let q = query.into_inner();
    let default_view = if user.role() == Role::Requester { View::Requested } else { View::All };
    let sort = q.sort.unwrap_or(Sort::Number);
    let filter = ListFilter {
        view: q.view.unwrap_or(default_view),
        statuses: parse_list::<Status>("status", q.status.as_deref())?,
        priorities: parse_list::<Priority>("priority", q.priority.as_deref())?,
        ticket_type: q.ticket_type,
        desk_id: q.desk_id,
        service_id: q.service_id,
        level: q.level,
        requester_id: q.requester_id,
        created_from: q.created_from,
        created_to: q.created_to,
        updated_since: q.updated_since,
        q: q.q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty() && s.chars().count() <= 200),
        external_reference: q.external_reference.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        reopen_reason: q.reopen_reason,
        unstaffed_groups: vec![],
        sort,
        after: q.cursor.as_deref().map(|c| lists::After::decode(sort, c)).transpose()?,
        limit: page_limit(q.limit)?,
    };
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let scope = Scope::of(&user, &reference);
    let mut filter = filter;
    if filter.view == View::Unstaffed {
        filter.unstaffed_groups = unstaffed_groups(&mut conn, &reference, &scope).await?;
    }
    let every_desk: Vec<Uuid> = if scope.is_admin() && filter.q.is_some() { reference.desks.keys().copied().collect() } else { vec![] };
    let rows = lists::list(&mut conn, &scope, &filter, &every_desk).await?;
    let (rows, next_cursor) = paginate(rows, filter.limit, |t| lists::cursor_of(sort, t));
    Ok(web::Json(TicketPage { items: summarize(&mut conn, &reference, rows).await?, next_cursor }))
}

/// Open cases per queue, for the agent workspace.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"mine": 7, "my_groups": 18, "unassigned": 4, "requested": 2, "unstaffed": 1}))]
pub struct QueueCounts {
    pub mine: i64,
    pub my_groups: i64,
    pub unassigned: i64,
    /// My own open requests.
    pub requested: i64,
    /// Supervisors and admins: open cases of their desks waiting without an agent in a group with
    /// no available member (`view=unstaffed`); absent for others.
    pub unstaffed: Option<i64>,
}

/// The groups of the desks the caller sees with no member who could be assigned a case now.
async fn unstaffed_groups(conn: &mut AsyncPgConnection, reference: &Reference, scope: &Scope) -> AppResult<Vec<Uuid>> {
    let groups: Vec<Uuid> = reference.groups.iter().filter(|(_, g)| scope.works_desk(g.desk_id)).map(|(id, _)| *id).collect();
    if groups.is_empty() || scope.role == Role::Requester {
        return Ok(vec![]);
    }
    Ok(diesel::select(crate::db::unstaffed_groups(groups)).get_result(conn).await?)
}

/// Counts of open cases in the caller's queues.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])),
    responses((status = 200, body = QueueCounts),
        Unauthenticated))]
#[get("/tickets/queues")]
pub async fn queue_counts(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<QueueCounts>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let scope = Scope::of(&user, &reference);
    let open = Status::OPEN;
    // As the lists: cases of a desk the caller no longer works are not counted.
    let mut mine_q = tickets::table.filter(tickets::assigned_agent_id.eq(scope.user_id)).filter(tickets::status.eq_any(open)).into_boxed();
    if let Some(desks) = scope.in_desks() {
        mine_q = mine_q.filter(desks);
    }
    let mine = mine_q.count().get_result(&mut conn).await?;
    let my_groups = tickets::table.filter(tickets::assigned_group_id.eq_any(scope.group_ids.clone())).filter(tickets::status.eq_any(open)).count().get_result(&mut conn).await?;
    let mut unassigned_q = tickets::table.filter(tickets::assigned_agent_id.is_null()).filter(tickets::status.eq_any(open)).into_boxed();
    if !scope.is_admin() {
        unassigned_q = unassigned_q.filter(tickets::desk_id.eq_any(scope.desk_ids.clone()));
    }
    // As a single case: a secretariat's team counts its organizations' cases only.
    if let Some(rule) = scope.organization_rule() {
        unassigned_q = unassigned_q.filter(rule);
    }
    let unassigned = unassigned_q.count().get_result(&mut conn).await?;
    let requested = tickets::table.filter(tickets::requester_id.eq(scope.user_id)).filter(tickets::status.eq_any(open)).count().get_result(&mut conn).await?;
    // Derived, not stored: whatever left the case without an agent (registration, an absence, a
    // reassignment), it is counted while its group has nobody to take it.
    let unstaffed = if matches!(scope.role, Role::Supervisor | Role::Admin) {
        let groups = unstaffed_groups(&mut conn, &reference, &scope).await?;
        if groups.is_empty() {
            Some(0)
        } else {
            Some(
                tickets::table
                    .filter(tickets::assigned_group_id.eq_any(groups))
                    .filter(tickets::assigned_agent_id.is_null())
                    .filter(crate::db::ticket_is_open(tickets::status))
                    .count()
                    .get_result(&mut conn)
                    .await?,
            )
        }
    } else {
        None
    };
    Ok(web::Json(QueueCounts { mine, my_groups, unassigned, requested, unstaffed }))
}
