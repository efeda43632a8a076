//! `GET /reports/…`: a desk's (or every supervised desk's) figures for a period, as JSON or CSV.
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use uuid::Uuid;

use super::domain::*;
use super::filter::{Filter, ReportQuery};
use super::{queries, table};
use crate::auth::CurrentUser;
use crate::db::schema::{desks, tickets};
use crate::db::DbConn;
use crate::error::responses::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{paginate, Cursor, DEFAULT_PAGE, MAX_PAGE};
use crate::state::AppState;
use crate::tickets::model::{TicketPage, TicketRow};
use crate::tickets::render::summarize;
use crate::users::domain::Role;

/// The desks a report covers: the one asked for (404 if unknown, 403 unless the caller
/// supervises it or is an admin), else every desk the caller supervises (every desk for admins).
/// Requesters and agents get 403.
pub async fn desks_for(conn: &mut AsyncPgConnection, user: &CurrentUser, desk: Option<Uuid>) -> AppResult<Vec<Uuid>> {
    if !matches!(user.role(), Role::Admin | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    match desk {
        Some(id) => {
            desks::table.find(id).select(desks::id).first::<Uuid>(conn).await?;
            crate::desks::queries::require_manager(conn, user, id).await?;
            Ok(vec![id])
        }
        None if user.role() == Role::Admin => Ok(desks::table.select(desks::id).load(conn).await?),
        None => Ok(user.1.supervised_desk_ids.clone()),
    }
}

/// CSV when `format=csv` or when `Accept` asks for `text/csv` (and `format` does not say `json`).
pub fn wants_csv(req: &HttpRequest, format: Option<&str>) -> AppResult<bool> {
    match format.map(str::trim) {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        None | Some("") => Ok(req.headers().get(header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("text/csv"))),
        Some(other) => Err(AppError::field("format", "invalid_choice", format!("'{other}' is not one of json, csv"))),
    }
}

pub fn attachment(name: String) -> ContentDisposition {
    ContentDisposition { disposition: DispositionType::Attachment, parameters: vec![DispositionParam::Filename(name)] }
}

fn answer<T: Serialize>(csv: bool, name: &str, f: &Filter, body: &T, t: impl FnOnce(&T) -> table::Table) -> HttpResponse {
    if csv {
        HttpResponse::Ok().content_type("text/csv; charset=utf-8").insert_header(attachment(format!("{name}-{}-{}.csv", f.from_day, f.to_day))).body(table::to_csv(&t(body)))
    } else {
        HttpResponse::Ok().json(body)
    }
}

pub async fn prepare<'a>(state: &'a AppState, user: &CurrentUser, q: &ReportQuery) -> AppResult<(DbConn<'a>, Filter)> {
    let parsed = q.parse()?;
    let mut conn = state.pool.get().await?;
    let desks = desks_for(&mut conn, user, parsed.desk).await?;
    Ok((conn, parsed.for_desks(desks)))
}

fn choice<T: Copy>(field: &str, raw: Option<&str>, default: T, options: &[(&str, T)]) -> AppResult<T> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => options
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| AppError::field(field, "invalid_choice", format!("'{s}' is not one of {}", options.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")))),
    }
}

/// A whole number within `range`, `default` when the parameter is absent or blank. The parameters
/// are read as text so that "ten" or "1.5" get this field's message, not the query parser's.
fn whole_number(field: &str, raw: Option<&str>, default: i64, range: std::ops::RangeInclusive<i64>) -> AppResult<i64> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| AppError::field(field, "out_of_range", format!("must be a whole number from {} to {}", range.start(), range.end()))),
    }
}

/// The period's indicators: volumes, backlog, SLA compliance, business times to attend and to
/// resolve (mean and 90th percentile), first-contact resolution, reopen rate, escalations by
/// level, transfers, rejections, reassignments and satisfaction. See `Summary` for what each
/// figure counts.
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(ReportQuery),
    responses((status = 200, description = "The indicators; as CSV (`;`-separated, es-CO numbers) one indicator per line",
            content((Summary = "application/json"), (String = "text/csv"))),
        Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/summary")]
pub async fn report_summary(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, q: web::Query<ReportQuery>) -> AppResult<HttpResponse> {
    let csv = wants_csv(&req, q.format.as_deref())?;
    let (mut conn, f) = prepare(&state, &user, &q).await?;
    let s = queries::summary(&mut conn, &f).await?;
    Ok(answer(csv, "indicadores", &f, &s, table::summary_table))
}

/// Cases registered, resolved and closed per day, week or month, with the backlog (open cases)
/// at the end of each.
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(ReportQuery),
    responses((status = 200, description = "One row per bucket, every bucket of the period included",
            content((Volume = "application/json"), (String = "text/csv"))),
        Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/volume")]
pub async fn report_volume(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, q: web::Query<ReportQuery>) -> AppResult<HttpResponse> {
    let csv = wants_csv(&req, q.format.as_deref())?;
    let g = choice("granularity", q.granularity.as_deref(), Granularity::Day, &[("day", Granularity::Day), ("week", Granularity::Week), ("month", Granularity::Month)])?;
    let (mut conn, f) = prepare(&state, &user, &q).await?;
    let v = queries::volume(&mut conn, &f, g).await?;
    Ok(answer(csv, "volumen", &f, &v, table::volume_table))
}

/// SLA compliance (attention and resolution met) and business times of the cases resolved in
/// the period, by priority or by service.
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(ReportQuery),
    responses((status = 200, description = "One row per priority or service with resolved cases",
            content((SlaReport = "application/json"), (String = "text/csv"))),
        Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/sla")]
pub async fn report_sla(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, q: web::Query<ReportQuery>) -> AppResult<HttpResponse> {
    let csv = wants_csv(&req, q.format.as_deref())?;
    let by = choice("by", q.by.as_deref(), SlaBy::Priority, &[("priority", SlaBy::Priority), ("service", SlaBy::Service)])?;
    let (mut conn, f) = prepare(&state, &user, &q).await?;
    let s = queries::sla(&mut conn, &f, by).await?;
    Ok(answer(csv, "ans", &f, &s, table::sla_table))
}

/// How many rows the top report shows. A string, so that a bad value is 422 naming it.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopQuery {
    /// 1–100 (default 10).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100, default = 10, example = 10)]
    pub limit: Option<String>,
}

/// The services or categories with most cases registered in the period.
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(ReportQuery, TopQuery),
    responses((status = 200, description = "Most cases first",
            content((TopReport = "application/json"), (String = "text/csv"))),
        Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/top")]
pub async fn report_top(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, q: web::Query<ReportQuery>, top: web::Query<TopQuery>) -> AppResult<HttpResponse> {
    let csv = wants_csv(&req, q.format.as_deref())?;
    let by = choice("by", q.by.as_deref(), TopBy::Service, &[("service", TopBy::Service), ("category", TopBy::Category)])?;
    let limit = whole_number("limit", top.limit.as_deref(), 10, 1..=100)?;
    let (mut conn, f) = prepare(&state, &user, &q).await?;
    let t = queries::top(&mut conn, &f, by, limit).await?;
    Ok(answer(csv, "principales", &f, &t, table::top_table))
}

/// What a drill-down lists, beside the report's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseListQuery {
    /// The figure: `opened`, `resolved`, `closed`, `backlog` (open when the period ended),
    /// `attention_met`, `attention_missed`, `resolution_met`, `resolution_missed`,
    /// `first_contact`, `reopened` (of the cases resolved in the period), `escalated` or
    /// `rejected` (in the period).
    #[param(example = "resolution_missed")]
    pub measure: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Cases per page, 1–200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200, default = 50, example = 50)]
    pub limit: Option<String>,
}

/// Drill-down: the cases a report figure counts, under the same filters and period, newest
/// first (keyset pagination).
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(ReportQuery, CaseListQuery),
    responses((status = 200, body = TicketPage), Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/cases")]
pub async fn report_cases(state: web::Data<AppState>, user: CurrentUser, q: web::Query<ReportQuery>, list: web::Query<CaseListQuery>) -> AppResult<web::Json<TicketPage>> {
    let measure = match list.measure.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => return Err(AppError::field("measure", "required", "name the figure whose cases to list")),
        Some(raw) => choice("measure", Some(raw), Measure::Opened, &Measure::ALL)?,
    };
    let before = list.cursor.as_deref().map(Cursor::decode_number).transpose()?.map(|(n, _)| n);
    let limit = whole_number("limit", list.limit.as_deref(), DEFAULT_PAGE, 1..=MAX_PAGE)?;
    let (mut conn, f) = prepare(&state, &user, &q).await?;
    let ids = queries::measure_cases(&mut conn, &f, measure, before, limit + 1).await?;
    let rows: Vec<TicketRow> = tickets::table.filter(tickets::id.eq_any(&ids)).order(tickets::number.desc()).select(TicketRow::as_select()).load(&mut conn).await?;
    let (rows, next_cursor) = paginate(rows, limit, |t| Cursor { key: t.number.to_string(), id: t.id });
    let reference = state.reference(&mut conn, &user).await?;
    Ok(web::Json(TicketPage { items: summarize(&mut conn, &reference, rows).await?, next_cursor }))
}
