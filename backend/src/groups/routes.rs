use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::domain::*;
use crate::auth::CurrentUser;
use crate::db::schema::{group_members, support_groups, users};
use crate::desks::queries::require_manager;
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{etag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::users::domain::Role;
use crate::validate::Errors;
use utoipa_actix_web::service_config::ServiceConfig;

/// The support group routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_groups).service(create_group).service(get_group).service(update_group).service(set_members);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GroupListQuery {
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Option<Uuid>,
    #[param(minimum = 1, maximum = 3, example = 1)]
    pub level: Option<i16>,
    #[param(example = json!(true))]
    pub active: Option<bool>,
}

pub async fn load_groups(conn: &mut AsyncPgConnection, rows: Vec<GroupRow>) -> QueryResult<Vec<Group>> {
    let ids: Vec<Uuid> = rows.iter().map(|g| g.id).collect();
    let members: Vec<(Uuid, Uuid)> = group_members::table
        .filter(group_members::group_id.eq_any(&ids))
        .select((group_members::group_id, group_members::user_id))
        .order(group_members::user_id)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let m = members.iter().filter(|(g, _)| *g == r.id).map(|(_, u)| *u).collect();
            Group::from_row(r, m)
        })
        .collect())
}

async fn load_group(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Group> {
    let row: GroupRow = support_groups::table.find(id).select(GroupRow::as_select()).first(conn).await?;
    Ok(load_groups(conn, vec![row]).await?.remove(0))
}

fn check_level(e: &mut Errors, level: i16) {
    if !(1..=3).contains(&level) {
        e.add("level", "out_of_range", "must be 1 (first level), 2 (specialists) or 3 (providers)");
    }
}

fn renamed_conflict(err: diesel::result::Error) -> AppError {
    match AppError::from(err) {
        AppError::Conflict { .. } => AppError::conflict("name_taken", "another group of this desk has this name"),
        other => other,
    }
}

/// Support groups, by desk, level and name (staff only).
#[utoipa::path(tag = "groups", security(("bearer_auth" = [])), params(GroupListQuery),
    responses((status = 200, body = Vec<Group>),
        Unauthenticated,
        Forbidden))]
#[get("/groups")]
pub async fn list_groups(state: web::Data<AppState>, user: CurrentUser, query: web::Query<GroupListQuery>) -> AppResult<web::Json<Vec<Group>>> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let mut q = support_groups::table.select(GroupRow::as_select()).into_boxed();
    if let Some(d) = query.desk_id {
        q = q.filter(support_groups::desk_id.eq(d));
    }
    if let Some(l) = query.level {
        q = q.filter(support_groups::level.eq(l));
    }
    if let Some(a) = query.active {
        q = q.filter(support_groups::active.eq(a));
    }
    let rows = q.order((support_groups::desk_id, support_groups::level, support_groups::name)).load(&mut conn).await?;
    Ok(web::Json(load_groups(&mut conn, rows).await?))
}

/// Create a support group (admins and the desk's supervisors).
#[utoipa::path(tag = "groups", security(("bearer_auth" = [])), request_body = CreateGroup,
    responses((status = 201, body = Group),
        Unauthenticated,
        Forbidden,
        Conflict,
        Invalid))]
#[post("/groups")]
pub async fn create_group(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateGroup>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let mut e = Errors::default();
    let name = e.text("name", &b.name, 160);
    let description = e.optional_text("description", b.description.as_deref(), 2000);
    check_level(&mut e, b.level);
    e.finish()?;
    // An unknown desk is a field error, not a 403.
    let desk_exists: bool = diesel::select(diesel::dsl::exists(crate::db::schema::desks::table.find(b.desk_id))).get_result(&mut conn).await?;
    if !desk_exists {
        return Err(AppError::field("desk_id", "unknown_reference", "no such desk"));
    }
    require_manager(&mut conn, &user, b.desk_id).await?;
    let id = Uuid::now_v7();
    diesel::insert_into(support_groups::table)
        .values((
            support_groups::id.eq(id),
            support_groups::desk_id.eq(b.desk_id),
            support_groups::name.eq(name),
            support_groups::level.eq(b.level),
            support_groups::external_provider.eq(b.external_provider),
            support_groups::description.eq(description),
        ))
        .execute(&mut conn)
        .await
        .map_err(renamed_conflict)?;
    let group = load_group(&mut conn, id).await?;
    Ok(HttpResponse::Created().insert_header(etag(group.version)).json(group))
}

/// One support group with its members (staff only).
#[utoipa::path(tag = "groups", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Group),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/groups/{id}")]
pub async fn get_group(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let group = load_group(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(group.version)).json(group))
}

/// Change a support group (admins and the desk's supervisors).
#[utoipa::path(tag = "groups", security(("bearer_auth" = [])), request_body = UpdateGroup,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Group),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/groups/{id}")]
pub async fn update_group(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateGroup>) -> AppResult<HttpResponse> {
    let id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let current: GroupRow = support_groups::table.find(id).select(GroupRow::as_select()).first(&mut conn).await?;
    require_manager(&mut conn, &user, current.desk_id).await?;
    if_match.check(current.version)?;
    let mut e = Errors::default();
    let name = b.name.as_deref().map(|n| e.text("name", n, 160));
    let description = b.description.map(|d| e.optional_text("description", d.as_deref(), 2000));
    if let Some(l) = b.level {
        check_level(&mut e, l);
    }
    e.finish()?;
    diesel::update(support_groups::table.find(id).filter(support_groups::version.eq(current.version)))
        .set((
            support_groups::name.eq(name.unwrap_or(current.name)),
            support_groups::level.eq(b.level.unwrap_or(current.level)),
            support_groups::external_provider.eq(b.external_provider.unwrap_or(current.external_provider)),
            support_groups::description.eq(description.unwrap_or(current.description)),
            support_groups::active.eq(b.active.unwrap_or(current.active)),
            support_groups::updated_at.eq(Utc::now()),
            support_groups::version.eq(current.version + 1),
        ))
        .execute(&mut conn)
        .await
        .map_err(renamed_conflict)
        .and_then(|n| if n == 0 { Err(AppError::PreconditionFailed) } else { Ok(n) })?;
    let group = load_group(&mut conn, id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(group.version)).json(group))
}

/// Replace a group's members (admins and the desk's supervisors). Members must be active staff.
#[utoipa::path(tag = "groups", security(("bearer_auth" = [])), request_body = SetMembers, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Group),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
#[put("/groups/{id}/members")]
pub async fn set_members(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<SetMembers>) -> AppResult<web::Json<Group>> {
    let id = *id;
    let ids = body.0.user_ids;
    let mut conn = state.pool.get().await?;
    let desk_id: Uuid = support_groups::table.find(id).select(support_groups::desk_id).first(&mut conn).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    let staff: Vec<Uuid> =
        users::table.filter(users::id.eq_any(&ids)).filter(users::role.ne(Role::Requester)).filter(users::active.eq(true)).select(users::id).load(&mut conn).await?;
    let mut e = Errors::default();
    for (i, u) in ids.iter().enumerate() {
        if !staff.contains(u) {
            e.add(&format!("user_ids.{i}"), "invalid", "must be an active agent, supervisor or admin");
        }
    }
    e.finish()?;
    conn.transaction(async move |conn| -> QueryResult<()> {
        diesel::delete(group_members::table.filter(group_members::group_id.eq(id))).execute(conn).await?;
        let rows: Vec<_> = ids.iter().map(|u| (group_members::group_id.eq(id), group_members::user_id.eq(*u))).collect();
        diesel::insert_into(group_members::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
        Ok(())
    })
    .await?;
    Ok(web::Json(load_group(&mut conn, id).await?))
}
