use actix_web::{get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::domain::*;
use super::queries;
use crate::auth::CurrentUser;
use crate::db::schema::{desks, users};
use crate::error::responses::{Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::users::domain::Role;
use crate::validate::Errors;
use utoipa_actix_web::service_config::ServiceConfig;

/// The desk routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_desks).service(create_desk).service(get_desk).service(update_desk);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeskListQuery {
    /// Admins and supervisors may list inactive desks too.
    #[param(example = json!(true))]
    pub include_inactive: Option<bool>,
}

/// Supervisors of a desk must be supervisors or admins.
async fn check_supervisors(conn: &mut AsyncPgConnection, e: &mut Errors, ids: &[Uuid]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let ok: Vec<Uuid> =
        users::table.filter(users::id.eq_any(ids)).filter(users::role.eq_any([Role::Supervisor, Role::Admin])).filter(users::active.eq(true)).select(users::id).load(conn).await?;
    for (i, id) in ids.iter().enumerate() {
        if !ok.contains(id) {
            e.add(&format!("supervisor_ids.{i}"), "invalid", "must be an active supervisor or admin");
        }
    }
    Ok(())
}

fn check_settings(e: &mut Errors, timezone: Option<&str>, auto_close_hours: Option<i32>, survey_min: Option<i16>) {
    if let Some(tz) = timezone {
        if !valid_timezone(tz) {
            e.add("timezone", "invalid", "must be an IANA time zone such as America/Bogota");
        }
    }
    if let Some(h) = auto_close_hours {
        if !(1..=24 * 30).contains(&h) {
            e.add("auto_close_hours", "out_of_range", "must be between 1 and 720 hours");
        }
    }
    if let Some(m) = survey_min {
        if !(1..=5).contains(&m) {
            e.add("survey_satisfied_min", "out_of_range", "must be between 1 and 5");
        }
    }
}

/// The desks the caller may use: requesters see the active desks open to their organization.
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), params(DeskListQuery),
    responses((status = 200, body = Vec<Desk>),
        Unauthenticated))]
#[get("/desks")]
pub async fn list_desks(state: web::Data<AppState>, user: CurrentUser, query: web::Query<DeskListQuery>) -> AppResult<web::Json<Vec<Desk>>> {
    let mut conn = state.pool.get().await?;
    let include_inactive = query.include_inactive.unwrap_or(false) && matches!(user.role(), Role::Admin | Role::Supervisor);
    let mut q = desks::table.select(DeskRow::as_select()).order(desks::name).into_boxed();
    if !include_inactive {
        q = q.filter(desks::active.eq(true));
    }
    let rows = q.load(&mut conn).await?;
    let all = queries::with_links(&mut conn, rows).await?;
    Ok(web::Json(all.into_iter().filter(|d| queries::usable_by(d, &user)).collect()))
}

/// Create a desk (admins).
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), request_body = CreateDesk,
    responses((status = 201, body = Desk),
        Unauthenticated,
        Forbidden,
        (status = 409, description = "Code taken", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/desks")]
pub async fn create_desk(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateDesk>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let mut e = Errors::default();
    let code = b.code.trim().to_owned();
    if !valid_code(&code) {
        e.add("code", "invalid", "1–20 characters: A–Z, 0–9, '_' or '-'");
    }
    let name = e.text("name", &b.name, 160);
    let description = e.optional_text("description", b.description.as_deref(), 2000);
    let mailbox = e.email("mailbox", b.mailbox.as_deref());
    check_settings(&mut e, b.timezone.as_deref(), b.auto_close_hours, b.survey_satisfied_min);
    check_supervisors(&mut conn, &mut e, &b.supervisor_ids).await?;
    e.finish()?;
    let id = Uuid::now_v7();
    let desk = conn
        .transaction(async move |conn| -> Result<Desk, AppError> {
            diesel::insert_into(desks::table)
                .values((
                    desks::id.eq(id),
                    desks::code.eq(&code),
                    desks::name.eq(name),
                    desks::description.eq(description),
                    desks::mailbox.eq(mailbox),
                    desks::timezone.eq(b.timezone.unwrap_or_else(|| "America/Bogota".into())),
                    desks::auto_close_hours.eq(b.auto_close_hours.unwrap_or(48)),
                    desks::survey_satisfied_min.eq(b.survey_satisfied_min.unwrap_or(3)),
                    desks::calendar_id.eq(b.calendar_id),
                    desks::sla_policy_id.eq(b.sla_policy_id),
                    desks::require_identity_number.eq(b.require_identity_number.unwrap_or(false)),
                    desks::notifications_off.eq(b.notification_kinds.as_deref().map(notifications_off).unwrap_or_default()),
                ))
                .execute(conn)
                .await
                .map_err(|err| match AppError::from(err) {
                    AppError::Conflict { .. } => AppError::conflict("code_taken", format!("another desk uses the code {code}")),
                    other => other,
                })?;
            queries::replace_links(conn, id, Some(&b.organization_ids), Some(&b.supervisor_ids)).await?;
            Ok(queries::load(conn, id).await?)
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(desk.version)).json(desk))
}

/// One desk.
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Desk),
        Unauthenticated,
        NotFound))]
#[get("/desks/{id}")]
pub async fn get_desk(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let desk = queries::load(&mut conn, *id).await?;
    if !queries::usable_by(&desk, &user) {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::Ok().insert_header(etag(desk.version)).json(desk))
}

/// Change a desk's settings (admins, or its supervisors; only admins change its supervisors).
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), request_body = UpdateDesk,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Desk),
        Unauthenticated,
        Forbidden,
        NotFound,
        Stale,
        Invalid))]
#[patch("/desks/{id}")]
pub async fn update_desk(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateDesk>) -> AppResult<HttpResponse> {
    let id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    queries::require_manager(&mut conn, &user, id).await?;
    if b.supervisor_ids.is_some() {
        user.require_admin()?;
    }
    let mut e = Errors::default();
    let name = b.name.as_deref().map(|n| e.text("name", n, 160));
    let description = b.description.map(|d| e.optional_text("description", d.as_deref(), 2000));
    let mailbox = b.mailbox.map(|m| e.email("mailbox", m.as_deref()));
    check_settings(&mut e, b.timezone.as_deref(), b.auto_close_hours, b.survey_satisfied_min);
    if let Some(s) = &b.supervisor_ids {
        check_supervisors(&mut conn, &mut e, s).await?;
    }
    e.finish()?;
    let desk = conn
        .transaction(async move |conn| -> Result<Desk, AppError> {
            let current: DeskRow = desks::table.find(id).select(DeskRow::as_select()).for_update().first(conn).await?;
            if_match.check(current.version)?;
            if let Some(Some(policy_id)) = b.sla_policy_id {
                let refused = crate::sla::store::check_desk_policy(conn, id, policy_id).await?;
                if !refused.is_empty() {
                    return Err(AppError::Validation(refused));
                }
            }
            diesel::update(desks::table.find(id))
                .set((
                    desks::name.eq(name.unwrap_or(current.name)),
                    desks::description.eq(description.unwrap_or(current.description)),
                    desks::mailbox.eq(mailbox.unwrap_or(current.mailbox)),
                    desks::timezone.eq(b.timezone.unwrap_or(current.timezone)),
                    desks::auto_close_hours.eq(b.auto_close_hours.unwrap_or(current.auto_close_hours)),
                    desks::survey_satisfied_min.eq(b.survey_satisfied_min.unwrap_or(current.survey_satisfied_min)),
                    desks::active.eq(b.active.unwrap_or(current.active)),
                    desks::calendar_id.eq(b.calendar_id.unwrap_or(current.calendar_id)),
                    desks::sla_policy_id.eq(b.sla_policy_id.unwrap_or(current.sla_policy_id)),
                    desks::require_identity_number.eq(b.require_identity_number.unwrap_or(current.require_identity_number)),
                    desks::notifications_off.eq(b.notification_kinds.as_deref().map(notifications_off).unwrap_or(current.notifications_off)),
                    desks::updated_at.eq(Utc::now()),
                    desks::version.eq(current.version + 1),
                ))
                .execute(conn)
                .await?;
            queries::replace_links(conn, id, b.organization_ids.as_deref(), b.supervisor_ids.as_deref()).await?;
            if b.calendar_id.is_some() || b.sla_policy_id.is_some() {
                crate::jobs::enqueue_recompute(conn, &format!("desk {id} changed its SLA settings")).await?;
            }
            Ok(queries::load(conn, id).await?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(desk.version)).json(desk))
}
