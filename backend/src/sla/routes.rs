use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::catalogue::{spec_from_parts, CalendarRow, HolidayDoc, IntervalDoc, PolicyRow};
use super::holidays::Holiday;
use super::policy::{self, Rule, Targets};
use crate::auth::CurrentUser;
use crate::db::schema::{calendars, sla_policies};
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::{etag, IfMatch, JsonBody};
use crate::jobs;
use crate::state::AppState;
use crate::users::domain::Role;
use utoipa_actix_web::service_config::ServiceConfig;

/// The calendar and policy routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_calendars)
        .service(create_calendar)
        .service(get_calendar)
        .service(update_calendar)
        .service(list_holidays)
        .service(list_policies)
        .service(create_policy)
        .service(get_policy)
        .service(update_policy);
}

#[derive(Serialize, ToSchema)]
pub struct BusinessCalendar {
    #[schema(example = "0193a5a8-93a4-75b6-a1c8-3c4d5e6f7089")]
    pub id: Uuid,
    #[schema(example = "Horario Alcaldía de Cali")]
    pub name: String,
    /// IANA zone, e.g. `America/Bogota`.
    #[schema(example = "America/Bogota")]
    pub timezone: String,
    /// 24×7: every instant is working time and there are no holidays.
    #[schema(example = json!(false))]
    pub always_open: bool,
    /// `CO`: Colombian national holidays are computed (fixed, moved to Monday, Easter-based).
    #[schema(example = "CO")]
    pub country: Option<String>,
    #[schema(example = json!([
        {"weekday": "mon", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "tue", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "wed", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "thu", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "fri", "start": "07:30:00", "end": "17:00:00"}
    ]))]
    pub intervals: Vec<IntervalDoc>,
    /// Extra days off of this calendar.
    #[schema(example = json!([{"date": "2026-12-24", "name": "Nochebuena (decreto de la Alcaldía)"}]))]
    pub extra_holidays: Vec<HolidayDoc>,
    /// National holidays this calendar works anyway.
    #[schema(example = json!([]))]
    pub removed_holidays: Vec<NaiveDate>,
    #[schema(example = 1)]
    pub version: i32,
}

impl From<CalendarRow> for BusinessCalendar {
    fn from(r: CalendarRow) -> Self {
        BusinessCalendar {
            intervals: r.intervals(),
            extra_holidays: r.extra(),
            removed_holidays: r.removed(),
            id: r.id,
            name: r.name,
            timezone: r.timezone,
            always_open: r.always_open,
            country: r.country,
            version: r.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Horario Alcaldía de Cali",
    "timezone": "America/Bogota",
    "country": "CO",
    "always_open": false,
    "intervals": [
        {"weekday": "mon", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "tue", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "wed", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "thu", "start": "07:30:00", "end": "17:00:00"},
        {"weekday": "fri", "start": "07:30:00", "end": "17:00:00"}
    ],
    "extra_holidays": [{"date": "2026-12-24", "name": "Nochebuena (decreto de la Alcaldía)"}],
    "removed_holidays": []
}))]
pub struct CalendarInput {
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Default `America/Bogota`.
    pub timezone: Option<String>,
    #[serde(default)]
    pub always_open: bool,
    /// `CO` or absent.
    pub country: Option<String>,
    #[serde(default)]
    pub intervals: Vec<IntervalDoc>,
    #[serde(default)]
    pub extra_holidays: Vec<HolidayDoc>,
    #[serde(default)]
    pub removed_holidays: Vec<NaiveDate>,
}

fn check_calendar(b: &CalendarInput) -> AppResult<()> {
    let mut errors = Vec::new();
    if b.name.trim().is_empty() || b.name.chars().count() > 120 {
        errors.push(FieldError::new("name", "required", "1 to 120 characters"));
    }
    match spec_from_parts(b.timezone.as_deref().unwrap_or("America/Bogota"), b.always_open, b.country.clone(), &b.intervals, &b.extra_holidays, &b.removed_holidays) {
        Err((field, message)) => errors.push(FieldError::new(field, "invalid", message)),
        Ok(spec) => {
            if let Err(problems) = spec.validate() {
                errors.extend(problems.into_iter().map(|(f, m)| FieldError::new(f, "invalid", m)));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn name_taken(e: diesel::result::Error) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { .. } => AppError::conflict("name_taken", "another one has this name"),
        other => other,
    }
}

/// Business calendars (staff).
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])),
    responses((status = 200, body = Vec<BusinessCalendar>),
        Unauthenticated,
        Forbidden))]
#[get("/calendars")]
pub async fn list_calendars(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<Vec<BusinessCalendar>>> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let rows: Vec<CalendarRow> = calendars::table.order(calendars::name).select(CalendarRow::as_select()).load(&mut conn).await?;
    Ok(web::Json(rows.into_iter().map(Into::into).collect()))
}

/// Create a business calendar (admins).
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), request_body = CalendarInput,
    responses((status = 201, body = BusinessCalendar),
        Unauthenticated,
        Forbidden,
        Conflict,
        Invalid))]
#[post("/calendars")]
pub async fn create_calendar(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CalendarInput>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    check_calendar(&b)?;
    let mut conn = state.pool.get().await?;
    let row: CalendarRow = diesel::insert_into(calendars::table)
        .values((
            calendars::id.eq(Uuid::now_v7()),
            calendars::name.eq(b.name.trim()),
            calendars::timezone.eq(b.timezone.unwrap_or_else(|| "America/Bogota".into())),
            calendars::always_open.eq(b.always_open),
            calendars::country.eq(b.country),
            calendars::intervals.eq(serde_json::to_value(&b.intervals).expect("json")),
            calendars::extra_holidays.eq(serde_json::to_value(&b.extra_holidays).expect("json")),
            calendars::removed_holidays.eq(serde_json::to_value(&b.removed_holidays).expect("json")),
        ))
        .returning(CalendarRow::as_returning())
        .get_result(&mut conn)
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Created().insert_header(etag(row.version)).json(BusinessCalendar::from(row)))
}

/// One business calendar.
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = BusinessCalendar),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/calendars/{id}")]
pub async fn get_calendar(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let row: CalendarRow = calendars::table.find(*id).select(CalendarRow::as_select()).first(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(BusinessCalendar::from(row)))
}

/// Replace a calendar (admins). Every case's due dates are then recomputed by a background job.
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), request_body = CalendarInput,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = BusinessCalendar),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/calendars/{id}")]
pub async fn update_calendar(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<CalendarInput>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    check_calendar(&b)?;
    let id = *id;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction(async |conn| -> AppResult<CalendarRow> {
            let current: CalendarRow = calendars::table.find(id).select(CalendarRow::as_select()).for_update().first(conn).await?;
            if_match.check(current.version)?;
            let row = diesel::update(calendars::table.find(id))
                .set((
                    calendars::name.eq(b.name.trim()),
                    calendars::timezone.eq(b.timezone.clone().unwrap_or_else(|| "America/Bogota".into())),
                    calendars::always_open.eq(b.always_open),
                    calendars::country.eq(b.country.clone()),
                    calendars::intervals.eq(serde_json::to_value(&b.intervals).expect("json")),
                    calendars::extra_holidays.eq(serde_json::to_value(&b.extra_holidays).expect("json")),
                    calendars::removed_holidays.eq(serde_json::to_value(&b.removed_holidays).expect("json")),
                    calendars::updated_at.eq(Utc::now()),
                    calendars::version.eq(current.version + 1),
                ))
                .returning(CalendarRow::as_returning())
                .get_result(conn)
                .await
                .map_err(name_taken)?;
            jobs::enqueue_recompute(conn, &format!("calendar {id} changed")).await?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(BusinessCalendar::from(row)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// Default: the current year.
    #[param(minimum = 1984, maximum = 2200, example = 2026)]
    pub year: Option<i32>,
}

/// The calendar's holidays of a year, with their names (national ones computed, plus the
/// calendar's own, minus the ones it works).
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), HolidayQuery),
    responses((status = 200, body = Vec<Holiday>),
        Unauthenticated,
        NotFound,
        Invalid))]
#[get("/calendars/{id}/holidays")]
pub async fn list_holidays(state: web::Data<AppState>, _user: CurrentUser, id: web::Path<Uuid>, query: web::Query<HolidayQuery>) -> AppResult<web::Json<Vec<Holiday>>> {
    let year = query.year.unwrap_or_else(|| Utc::now().year());
    if !(1984..=2200).contains(&year) {
        return Err(AppError::field("year", "out_of_range", "must be between 1984 and 2200"));
    }
    let mut conn = state.pool.get().await?;
    let row: CalendarRow = calendars::table.find(*id).select(CalendarRow::as_select()).first(&mut conn).await?;
    Ok(web::Json(row.spec().holidays(year)))
}

#[derive(Serialize, ToSchema)]
pub struct SlaPolicy {
    #[schema(example = "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a")]
    pub id: Uuid,
    #[schema(example = "ANS Mesa TIC")]
    pub name: String,
    #[schema(example = "0193a5a8-93a4-75b6-a1c8-3c4d5e6f7089")]
    pub calendar_id: Option<Uuid>,
    pub targets: Targets,
    #[schema(example = 0.75)]
    pub at_risk_share: f64,
    #[schema(example = json!([
        {"clock": "ttr", "at_share": 0.8, "action": "notify_supervisor"},
        {"clock": "ttr", "at_share": 1.0, "action": "escalate", "group_id": "0193a5b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b"}
    ]))]
    pub rules: Vec<Rule>,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = 2)]
    pub version: i32,
}

impl TryFrom<PolicyRow> for SlaPolicy {
    type Error = AppError;
    fn try_from(p: PolicyRow) -> Result<Self, AppError> {
        Ok(SlaPolicy {
            targets: p.targets().ok_or_else(|| AppError::Internal(anyhow::anyhow!("policy {} has unreadable targets", p.id)))?,
            rules: p.rules(),
            id: p.id,
            name: p.name,
            calendar_id: p.calendar_id,
            at_risk_share: p.at_risk_share,
            active: p.active,
            version: p.version,
        })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "ANS Mesa TIC",
    "calendar_id": "0193a5a8-93a4-75b6-a1c8-3c4d5e6f7089",
    "at_risk_share": 0.75,
    "active": true,
    "targets": {
        "critical": {"tto_minutes": 60, "ttr_minutes": 240},
        "high": {"tto_minutes": 120, "ttr_minutes": 480},
        "medium": {"tto_minutes": 300, "ttr_minutes": 1080},
        "low": {"tto_minutes": 1080, "ttr_minutes": 2700},
        "overrides": [{"ticket_type": "request", "priority": "low", "tto_minutes": 1080, "ttr_minutes": 4320}]
    },
    "rules": [
        {"clock": "ttr", "at_share": 0.8, "action": "notify_supervisor"},
        {"clock": "ttr", "at_share": 1.0, "action": "escalate", "group_id": "0193a5b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b"}
    ]
}))]
pub struct PolicyInput {
    pub name: String,
    /// Absent: the desk's calendar.
    pub calendar_id: Option<Uuid>,
    pub targets: Targets,
    /// Default 0.75.
    pub at_risk_share: Option<f64>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    pub active: Option<bool>,
}

fn prepare_policy(b: &mut PolicyInput) -> AppResult<f64> {
    let share = b.at_risk_share.unwrap_or(0.75);
    let mut errors = policy::validate(&b.targets, share, &b.rules);
    if b.name.trim().is_empty() {
        errors.insert(0, FieldError::new("name", "required", "must not be empty"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    for r in &mut b.rules {
        r.id.get_or_insert_with(Uuid::now_v7);
    }
    Ok(share)
}

/// SLA policies (staff).
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])),
    responses((status = 200, body = Vec<SlaPolicy>),
        Unauthenticated,
        Forbidden))]
#[get("/sla-policies")]
pub async fn list_policies(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<Vec<SlaPolicy>>> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let rows: Vec<PolicyRow> = sla_policies::table.order(sla_policies::name).select(PolicyRow::as_select()).load(&mut conn).await?;
    Ok(web::Json(rows.into_iter().map(SlaPolicy::try_from).collect::<Result<_, _>>()?))
}

/// Create an SLA policy (admins): targets per priority, more specific ones per type and level
/// (`targets.overrides`: the most specific wins), a calendar, escalation rules.
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), request_body = PolicyInput,
    responses((status = 201, body = SlaPolicy),
        Unauthenticated,
        Forbidden,
        Conflict,
        Invalid))]
#[post("/sla-policies")]
pub async fn create_policy(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<PolicyInput>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut b = body.0;
    let share = prepare_policy(&mut b)?;
    let mut conn = state.pool.get().await?;
    let row: PolicyRow = diesel::insert_into(sla_policies::table)
        .values((
            sla_policies::id.eq(Uuid::now_v7()),
            sla_policies::name.eq(b.name.trim()),
            sla_policies::calendar_id.eq(b.calendar_id),
            sla_policies::targets.eq(serde_json::to_value(&b.targets).expect("json")),
            sla_policies::at_risk_share.eq(share),
            sla_policies::rules.eq(serde_json::to_value(&b.rules).expect("json")),
            sla_policies::active.eq(b.active.unwrap_or(true)),
        ))
        .returning(PolicyRow::as_returning())
        .get_result(&mut conn)
        .await
        .map_err(name_taken)?;
    let policy = SlaPolicy::try_from(row)?;
    Ok(HttpResponse::Created().insert_header(etag(policy.version)).json(policy))
}

/// One SLA policy.
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = SlaPolicy),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/sla-policies/{id}")]
pub async fn get_policy(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require(&[Role::Agent, Role::Supervisor, Role::Admin])?;
    let mut conn = state.pool.get().await?;
    let row: PolicyRow = sla_policies::table.find(*id).select(PolicyRow::as_select()).first(&mut conn).await?;
    let policy = SlaPolicy::try_from(row)?;
    Ok(HttpResponse::Ok().insert_header(etag(policy.version)).json(policy))
}

/// Replace an SLA policy (admins). Its version increases; open cases are re-measured by a job.
/// Refused (422, naming the target) when an attention target would exceed the resolution time
/// promised by a service the policy measures.
#[utoipa::path(tag = "sla", security(("bearer_auth" = [])), request_body = PolicyInput,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = SlaPolicy),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/sla-policies/{id}")]
pub async fn update_policy(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<PolicyInput>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut b = body.0;
    let share = prepare_policy(&mut b)?;
    let id = *id;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction(async |conn| -> AppResult<PolicyRow> {
            let current: PolicyRow = sla_policies::table.find(id).select(PolicyRow::as_select()).for_update().first(conn).await?;
            if_match.check(current.version)?;
            // Services promising less than an attention target would show a resolution before attention is due.
            let refused = policy::check_promises(&b.targets, super::store::promises_under(conn, id).await?.iter().map(|(n, m)| (n.as_str(), *m)));
            if !refused.is_empty() {
                return Err(AppError::Validation(refused));
            }
            let row = diesel::update(sla_policies::table.find(id))
                .set((
                    sla_policies::name.eq(b.name.trim()),
                    sla_policies::calendar_id.eq(b.calendar_id),
                    sla_policies::targets.eq(serde_json::to_value(&b.targets).expect("json")),
                    sla_policies::at_risk_share.eq(share),
                    sla_policies::rules.eq(serde_json::to_value(&b.rules).expect("json")),
                    sla_policies::active.eq(b.active.unwrap_or(current.active)),
                    sla_policies::updated_at.eq(Utc::now()),
                    sla_policies::version.eq(current.version + 1),
                ))
                .returning(PolicyRow::as_returning())
                .get_result(conn)
                .await
                .map_err(name_taken)?;
            jobs::enqueue_recompute(conn, &format!("policy {id} changed")).await?;
            Ok(row)
        })
        .await?;
    let policy = SlaPolicy::try_from(row)?;
    Ok(HttpResponse::Ok().insert_header(etag(policy.version)).json(policy))
}
