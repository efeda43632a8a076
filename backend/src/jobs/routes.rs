//! Admins watch the job queue and put failed jobs back in it.
use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::schema::jobs;
use crate::error::{AppError, AppResult, Problem};
use crate::http::{page_limit, paginate, Cursor};
use crate::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// The job routes (admins).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_jobs).service(retry_job);
}

/// Where a job stands. `running`: a runner holds its lease; `failed`: it used up its attempts
/// (a recurring job is still run, at its longest backoff, and returns to `pending` when it succeeds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Pending,
    Running,
    Done,
    Failed,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs)]
struct JobRow {
    id: Uuid,
    kind: String,
    unique_key: Option<String>,
    payload: Value,
    run_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
    attempts: i32,
    last_error: Option<String>,
    done_at: Option<DateTime<Utc>>,
    failed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

/// A background job.
#[derive(Serialize, ToSchema)]
pub struct Job {
    #[schema(example = "0193a5c8-5162-7374-ae85-9f0a1b2c3d45")]
    pub id: Uuid,
    #[schema(example = "sla_recompute")]
    pub kind: String,
    pub state: JobState,
    /// Whether the job runs again after each success (one row per kind, e.g. `sla_check`).
    #[schema(example = json!(true))]
    pub recurring: bool,
    /// Its own data, e.g. a recomputation's progress.
    pub payload: Value,
    /// Attempts since its last success or retry.
    #[schema(example = 1)]
    pub attempts: i32,
    /// Failures in a row after which it is marked failed.
    #[schema(example = 5)]
    pub max_attempts: i32,
    /// When it is due (again).
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub run_at: DateTime<Utc>,
    /// The end of the current runner's lease.
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub failed_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:02Z")]
    pub done_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
}

impl Job {
    fn from_row(row: JobRow, now: DateTime<Utc>) -> Self {
        let state = if row.done_at.is_some() {
            JobState::Done
        } else if row.failed_at.is_some() {
            JobState::Failed
        } else if row.locked_until.is_some_and(|l| l > now) {
            JobState::Running
        } else {
            JobState::Pending
        };
        Job {
            id: row.id,
            state,
            recurring: row.unique_key.is_some(),
            max_attempts: super::policy(&row.kind).max_attempts,
            kind: row.kind,
            payload: row.payload,
            attempts: row.attempts,
            run_at: row.run_at,
            locked_until: row.locked_until,
            last_error: row.last_error,
            failed_at: row.failed_at,
            done_at: row.done_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct JobPage {
    pub items: Vec<Job>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListQuery {
    /// Only jobs in this state (default: all).
    #[param(example = "failed")]
    pub state: Option<JobState>,
    /// Only jobs of this kind, e.g. `sla_recompute`.
    #[param(example = "sla_recompute")]
    pub kind: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List background jobs, newest first (admins), e.g. `?state=failed` for the ones that gave up.
#[utoipa::path(tag = "jobs", security(("bearer_auth" = [])), params(JobListQuery),
    responses((status = 200, body = JobPage),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json")))]
#[get("/jobs")]
pub async fn list_jobs(state: web::Data<AppState>, user: CurrentUser, query: web::Query<JobListQuery>) -> AppResult<web::Json<JobPage>> {
    user.require_admin()?;
    let q = query.into_inner();
    let limit = page_limit(q.limit)?;
    let after = q.cursor.as_deref().map(Cursor::decode_time).transpose()?;
    let now = Utc::now();
    let mut select = jobs::table.select(JobRow::as_select()).into_boxed();
    select = match q.state {
        None => select,
        Some(JobState::Done) => select.filter(jobs::done_at.is_not_null()),
        Some(JobState::Failed) => select.filter(jobs::done_at.is_null().and(jobs::failed_at.is_not_null())),
        Some(JobState::Running) => select.filter(jobs::done_at.is_null().and(jobs::failed_at.is_null()).and(jobs::locked_until.gt(now))),
        Some(JobState::Pending) => select.filter(jobs::done_at.is_null().and(jobs::failed_at.is_null()).and(jobs::locked_until.is_null().or(jobs::locked_until.le(now)))),
    };
    if let Some(kind) = q.kind {
        select = select.filter(jobs::kind.eq(kind));
    }
    if let Some((at, id)) = after {
        select = select.filter(jobs::created_at.lt(at).or(jobs::created_at.eq(at).and(jobs::id.lt(id))));
    }
    let mut conn = state.pool.get().await?;
    let rows: Vec<JobRow> = select.order((jobs::created_at.desc(), jobs::id.desc())).limit(limit + 1).load(&mut conn).await?;
    let (rows, next_cursor) = paginate(rows, limit, |j| Cursor { key: j.created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), id: j.id });
    Ok(web::Json(JobPage { items: rows.into_iter().map(|r| Job::from_row(r, now)).collect(), next_cursor }))
}

/// Put a failed job back in the queue (admins): pending, due now, its attempts counted afresh.
#[utoipa::path(tag = "jobs", security(("bearer_auth" = [])), params(("id" = Uuid, Path, description = "Job id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, description = "The job, pending again", body = Job),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The job is not failed (`job_not_failed`)", body = Problem, content_type = "application/problem+json")))]
#[post("/jobs/{id}/retry")]
pub async fn retry_job(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<Job>> {
    user.require_admin()?;
    let id = id.into_inner();
    let now = Utc::now();
    let mut conn = state.pool.get().await?;
    // One statement: of two admins retrying at once, one wins and the other gets 409. The last
    // error stays for reference until the next outcome replaces or clears it.
    let retried: Option<JobRow> = diesel::update(jobs::table.find(id).filter(jobs::failed_at.is_not_null()).filter(jobs::done_at.is_null()))
        .set((jobs::failed_at.eq(None::<DateTime<Utc>>), jobs::attempts.eq(0), jobs::run_at.eq(now)))
        .returning(JobRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?;
    match retried {
        Some(row) => Ok(web::Json(Job::from_row(row, now))),
        None => {
            let exists: bool = diesel::select(diesel::dsl::exists(jobs::table.find(id))).get_result(&mut conn).await?;
            Err(if exists { AppError::conflict("job_not_failed", "Only a failed job can be retried") } else { AppError::NotFound })
        }
    }
}
