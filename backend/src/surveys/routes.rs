//! The survey's routes: the public page's two endpoints (token only, rate limited), the
//! requester's answer from their case, and the desk's survey definition.
use std::sync::Arc;

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::*;
use super::store::{self, RawAnswer, SurveyRow};
use super::token::LinkKey;
use crate::auth::CurrentUser;
use crate::db::schema::{desks, tickets};
use crate::error::responses::{Conflict, Forbidden, Gone, Invalid, NotFound, Stale, TooMany, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{etag, IfMatch, JsonBody};
use crate::reference::Reference;
use crate::state::AppState;
use crate::tickets::access::load_visible;
use crate::tickets::model::TicketRow;
use crate::tickets::state_machine::Status;
use crate::users::domain::Role;

/// A survey as the requester (and the case's staff) see it.
#[derive(Serialize, ToSchema)]
pub struct Survey {
    pub state: SurveyState,
    /// The case's number, subject and service.
    #[schema(example = 1042)]
    pub ticket_number: i64,
    #[schema(example = "La impresora del piso 4 no imprime")]
    pub subject: String,
    #[schema(example = "Impresoras y escáneres")]
    pub service: String,
    /// The case's status now (after an answer: `closed`, or back at work).
    pub ticket_status: Status,
    /// The solution being rated, while the case is resolved.
    #[schema(example = "Se reemplazó el rodillo de arrastre y se limpió el sensor de papel.")]
    pub solution: Option<String>,
    /// When the solution was given (the survey sent).
    #[schema(example = "2026-12-04T16:00:00Z")]
    pub sent_at: DateTime<Utc>,
    /// The answer is taken until then; past it the case closes as accepted by silence.
    #[schema(example = "2026-12-08T16:00:00Z")]
    pub expires_at: DateTime<Utc>,
    /// Whether "Was it solved?" is asked.
    #[schema(example = json!(true))]
    pub ask_solved: bool,
    pub answer: Option<SurveyAnswer>,
    /// The survey's link (what the solution mail carries): only for the requester, on their own
    /// case, while it waits for their answer.
    pub link: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"rating": 5, "satisfied": true, "solved": true, "comment": "Muy buena atención, el técnico llegó rápido", "answered_at": "2026-12-04T19:30:00Z"}))]
pub struct SurveyAnswer {
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i16,
    pub solved: Option<bool>,
    pub comment: Option<String>,
    /// Counted as satisfied (closed) or not (reopened, "Abierto por encuesta").
    pub satisfied: bool,
    pub answered_at: DateTime<Utc>,
}

/// The requester's verdict.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"rating": 5, "solved": true, "comment": "Muy buena atención, el técnico llegó rápido"}))]
pub struct SurveyAnswerInput {
    /// 1 (very unsatisfied) to 5 (very satisfied).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i64,
    /// Required when the desk asks it (`ask_solved`); refused otherwise.
    pub solved: Option<bool>,
    /// Becomes a public follow-up of the case.
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

fn render(s: &SurveyRow, t: &TicketRow, def: &Definition, reference: &Reference) -> Survey {
    Survey {
        state: s.state,
        ticket_number: t.number,
        subject: t.subject.clone(),
        service: reference.node_name(t.service_id),
        ticket_status: t.status,
        solution: t.solution.clone().filter(|_| t.status == Status::Resolved),
        sent_at: s.created_at,
        expires_at: s.expires_at,
        ask_solved: def.ask_solved,
        answer: match (s.rating, s.satisfied, s.answered_at) {
            (Some(rating), Some(satisfied), Some(answered_at)) => Some(SurveyAnswer { rating, solved: s.solved, comment: s.comment.clone(), satisfied, answered_at }),
            _ => None,
        },
        link: None,
    }
}

async fn show(conn: &mut AsyncPgConnection, reference: &Reference, s: &SurveyRow) -> AppResult<Survey> {
    let t: TicketRow = tickets::table.find(s.ticket_id).select(TicketRow::as_select()).first(conn).await?;
    let (def, _) = store::definition(conn, s.desk_id).await?;
    Ok(render(s, &t, &def, reference))
}

/// The reference data as of now, for routes without a caller (whose query would read it).
async fn current_reference(state: &AppState, conn: &mut AsyncPgConnection) -> AppResult<Arc<Reference>> {
    #[derive(QueryableByName)]
    struct Generation {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let g: Generation = diesel::sql_query("SELECT n FROM reference_generation").get_result(conn).await?;
    Ok(state.reference.get(conn, g.n).await?)
}

/// Counts the request (per address, and per survey when the token is ours) and says which
/// survey the token names: 404 for a token that is not ours, without telling why.
async fn admit(state: &AppState, conn: &mut AsyncPgConnection, req: &HttpRequest, token: &str) -> AppResult<Uuid> {
    let survey = LinkKey::from_secret(&state.config.jwt_secret).verify(token);
    let ip = crate::auth::routes::client_ip(req, state);
    super::throttle::hit(conn, super::throttle::keys(ip.as_deref(), survey)).await?;
    survey.ok_or(AppError::NotFound)
}

/// The survey of a solution, through the link the requester received (no login: the token is
/// the credential). Rate limited per client address and per survey (429 with `Retry-After`).
#[utoipa::path(tag = "surveys", params(("token" = String, Path, description = "The link's token", example = "AZOlsnwefUqfPiuMTW4akF8cjiqbPU9gcaLD1OX2Bxg")),
    responses((status = 200, body = Survey), NotFound, TooMany))]
#[get("/surveys/{token}")]
pub async fn get_public(state: web::Data<AppState>, req: HttpRequest, token: web::Path<String>) -> AppResult<web::Json<Survey>> {
    let mut conn = state.pool.get().await?;
    let id = admit(&state, &mut conn, &req, &token).await?;
    let reference = current_reference(&state, &mut conn).await?;
    let s: SurveyRow = super::store::SurveyRow::query(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    Ok(web::Json(show(&mut conn, &reference, &s).await?))
}

/// Answer the survey through its link, once: satisfied closes the case; unsatisfied (by default a
/// rating of 2 or less, or "not solved") sends it back to work as "reopened by survey" with the
/// same assignee, the comment as a public follow-up. A survey already answered is 409, an expired
/// or withdrawn one 410; nothing changes then.
#[utoipa::path(tag = "surveys", params(("token" = String, Path, description = "The link's token", example = "AZOlsnwefUqfPiuMTW4akF8cjiqbPU9gcaLD1OX2Bxg")), request_body = SurveyAnswerInput,
    responses((status = 200, body = Survey), NotFound, Conflict, Gone, Invalid, TooMany))]
#[post("/surveys/{token}")]
pub async fn answer_public(state: web::Data<AppState>, req: HttpRequest, token: web::Path<String>, body: JsonBody<SurveyAnswerInput>) -> AppResult<web::Json<Survey>> {
    let mut conn = state.pool.get().await?;
    let id = admit(&state, &mut conn, &req, &token).await?;
    let reference = current_reference(&state, &mut conn).await?;
    let b = body.0;
    let now = Utc::now();
    let (s, _) = conn
        .transaction(async |conn| -> AppResult<(SurveyRow, TicketRow)> {
            store::answer(conn, &reference, id, RawAnswer { rating: b.rating, solved: b.solved, comment: b.comment.as_deref() }, now).await
        })
        .await?;
    Ok(web::Json(show(&mut conn, &reference, &s).await?))
}

/// The case's latest survey, for the case page: the requester's and the case's staff.
#[utoipa::path(tag = "surveys", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Survey), Unauthenticated, NotFound))]
#[get("/tickets/{number}/survey")]
pub async fn get_case_survey(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<web::Json<Survey>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (t, _) = load_visible(&mut conn, &reference, &user, *number, false).await?;
    let s = store::latest_of(&mut conn, t.id).await?.ok_or(AppError::NotFound)?;
    let mut view = show(&mut conn, &reference, &s).await?;
    if t.requester_id == user.0.id && s.state == SurveyState::Pending {
        view.link = Some(super::url_for(&state.config, s.id));
    }
    Ok(web::Json(view))
}

/// Answer the case's pending survey from the case page (the requester only; as through the
/// link). Another requester's case is 404, as everywhere.
#[utoipa::path(tag = "surveys", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)), request_body = SurveyAnswerInput,
    responses((status = 200, body = Survey), Unauthenticated, Forbidden, NotFound, Conflict, Gone, Invalid))]
#[post("/tickets/{number}/survey")]
pub async fn answer_case_survey(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, body: JsonBody<SurveyAnswerInput>) -> AppResult<web::Json<Survey>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let b = body.0;
    let now = Utc::now();
    let (s, _) = conn
        .transaction(async |conn| -> AppResult<(SurveyRow, TicketRow)> {
            let (t, scope) = load_visible(conn, &reference, &user, *number, true).await?;
            // Only the person who asked gives the verdict.
            if t.requester_id != user.0.id || scope.actor(&t).is_none() {
                return Err(AppError::Forbidden);
            }
            let latest = store::latest_of(conn, t.id).await?.ok_or(AppError::NotFound)?;
            store::answer(conn, &reference, latest.id, RawAnswer { rating: b.rating, solved: b.solved, comment: b.comment.as_deref() }, now).await
        })
        .await?;
    Ok(web::Json(show(&mut conn, &reference, &s).await?))
}

/// A desk's satisfaction survey: what is asked, what counts as unsatisfied, the acceptance delay,
/// the reminders, whether staff may close a resolved case.
#[derive(Serialize, ToSchema)]
pub struct SurveyDefinition {
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    /// The rating (1–5) and a free comment are always asked; "Was it solved?" when true.
    #[schema(example = json!(true))]
    pub ask_solved: bool,
    /// Lowest satisfied rating: below it (default: 2 or less) the case reopens. The desk's
    /// `survey_satisfied_min`.
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub satisfied_min_rating: i16,
    /// How long the requester has; then the case closes as accepted by silence.
    pub acceptance_delay: Delay,
    /// Reminders, in hours before the deadline.
    #[schema(example = json!([24]))]
    pub reminder_hours_before: Vec<i32>,
    /// Staff may close a resolved case with a recorded reason (e.g. accepted by phone).
    #[schema(example = json!(false))]
    pub staff_may_close: bool,
    /// The desk's row version, for `If-Match`.
    #[schema(example = 1)]
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "ask_solved": true,
    "satisfied_min_rating": 4,
    "acceptance_delay": {"unit": "hours", "amount": 48},
    "reminder_hours_before": [24],
    "staff_may_close": false
}))]
pub struct SurveyDefinitionInput {
    pub ask_solved: bool,
    #[schema(minimum = 1, maximum = 5)]
    pub satisfied_min_rating: i16,
    pub acceptance_delay: Delay,
    #[schema(max_items = 5)]
    pub reminder_hours_before: Vec<i32>,
    pub staff_may_close: bool,
}

fn definition_view(desk_id: Uuid, d: Definition, version: i32) -> SurveyDefinition {
    SurveyDefinition {
        desk_id,
        ask_solved: d.ask_solved,
        satisfied_min_rating: d.satisfied_min,
        acceptance_delay: d.delay,
        reminder_hours_before: d.reminder_hours,
        staff_may_close: d.staff_close_allowed,
        version,
    }
}

/// The desk's survey definition (staff).
#[utoipa::path(tag = "surveys", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = SurveyDefinition, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound))]
#[get("/desks/{id}/survey")]
pub async fn get_definition(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    if user.role() == Role::Requester {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.pool.get().await?;
    let (d, version) = store::definition(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(version)).json(definition_view(*id, d, version)))
}

/// Replace the desk's survey definition (admins and the desk's supervisors). Applies to the
/// surveys sent from then on; the ones pending keep their deadline.
#[utoipa::path(tag = "surveys", security(("bearer_auth" = [])), request_body = SurveyDefinitionInput,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "The desk's ETag (row version)", example = "\"4\"")),
    responses((status = 200, body = SurveyDefinition, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Stale, Invalid))]
#[put("/desks/{id}/survey")]
pub async fn put_definition(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<SurveyDefinitionInput>,
) -> AppResult<HttpResponse> {
    let id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    crate::desks::queries::require_manager(&mut conn, &user, id).await?;
    let problems = check(b.acceptance_delay, b.satisfied_min_rating, &b.reminder_hours_before);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let (d, version) = conn
        .transaction(async |conn| -> AppResult<(Definition, i32)> {
            let current: i32 = desks::table.find(id).select(desks::version).for_update().first(conn).await?;
            if_match.check(current)?;
            let hours = (b.acceptance_delay.unit == DelayUnit::Hours).then_some(b.acceptance_delay.amount);
            let days = (b.acceptance_delay.unit == DelayUnit::BusinessDays).then_some(b.acceptance_delay.amount as i16);
            let mut reminders = b.reminder_hours_before.clone();
            reminders.sort_unstable();
            reminders.dedup();
            diesel::update(desks::table.find(id))
                .set((
                    desks::auto_close_business_days.eq(days),
                    desks::survey_satisfied_min.eq(b.satisfied_min_rating),
                    desks::survey_ask_solved.eq(b.ask_solved),
                    desks::survey_reminder_hours.eq(reminders),
                    desks::staff_close_allowed.eq(b.staff_may_close),
                    desks::updated_at.eq(Utc::now()),
                    desks::version.eq(current + 1),
                ))
                .execute(conn)
                .await?;
            // In hours, the delay is the desk's `auto_close_hours`; in business days that stays as it was.
            if let Some(h) = hours {
                diesel::update(desks::table.find(id)).set(desks::auto_close_hours.eq(h)).execute(conn).await?;
            }
            Ok(store::definition(conn, id).await?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(version)).json(definition_view(id, d, version)))
}
