//! Time-based work in a Postgres queue. Any number of runners (inside `mesa serve`, or
//! `mesa worker`) claim jobs with `FOR UPDATE SKIP LOCKED` and a lease; a runner that dies leaves
//! its job to be claimed again when the lease ends, and long jobs save their progress as they go.
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::schema::jobs;
use crate::db::DbPool;
use crate::sla;

pub const SLA_CHECK: &str = "sla_check";
pub const SLA_RECOMPUTE: &str = "sla_recompute";
/// How long a claimed job belongs to its runner before another may take it.
pub const LEASE: Duration = Duration::seconds(120);
const SLA_CHECK_EVERY: Duration = Duration::seconds(60);
const RECOMPUTE_CHUNK: i64 = 5_000;

#[derive(QueryableByName, Debug)]
pub struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub payload: Value,
}

/// Makes sure the recurring jobs exist (idempotent, safe from several instances).
pub async fn ensure_recurring(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::insert_into(jobs::table)
        .values((jobs::id.eq(Uuid::now_v7()), jobs::kind.eq(SLA_CHECK), jobs::unique_key.eq(SLA_CHECK)))
        .on_conflict(jobs::unique_key)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// Queues a recomputation of every case's due dates (after a calendar or policy change).
pub async fn enqueue_recompute(conn: &mut AsyncPgConnection, reason: &str) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(jobs::table)
        .values((jobs::id.eq(id), jobs::kind.eq(SLA_RECOMPUTE), jobs::payload.eq(json!({"cursor": Uuid::nil(), "done": 0, "reason": reason}))))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Takes the oldest due job nobody holds, for `LEASE`.
pub async fn claim(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<Option<Claimed>> {
    diesel::sql_query(
        "UPDATE jobs SET locked_until = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                     ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + LEASE)
    .get_result(conn)
    .await
    .optional()
}

/// Claims and runs one job; `Ok(None)` when nothing is due.
pub async fn run_one(pool: &DbPool, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    let mut conn = pool.get().await?;
    let Some(job) = claim(&mut conn, now).await? else { return Ok(None) };
    let result = match job.kind.as_str() {
        SLA_CHECK => run_sla_check(&mut conn, &job, now).await,
        SLA_RECOMPUTE => run_recompute(&mut conn, &job, now, None).await.map(|_| ()),
        other => Err(anyhow::anyhow!("unknown job kind {other}")),
    };
    if let Err(e) = &result {
        log::warn!("job {} ({}) failed: {e:#}", job.id, job.kind);
        diesel::update(jobs::table.find(job.id))
            .set((jobs::last_error.eq(format!("{e:#}")), jobs::locked_until.eq(None::<DateTime<Utc>>), jobs::run_at.eq(now + Duration::seconds(30))))
            .execute(&mut conn)
            .await?;
    }
    Ok(Some(job.kind))
}

async fn run_sla_check(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
    let fired = sla::rules::check(conn, now).await?;
    if fired > 0 {
        log::info!("sla: {fired} escalation rule(s) fired");
    }
    diesel::update(jobs::table.find(job.id))
        .set((jobs::run_at.eq(now + SLA_CHECK_EVERY), jobs::locked_until.eq(None::<DateTime<Utc>>), jobs::last_error.eq(None::<String>)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Recomputes due dates chunk by chunk; each chunk commits with the job's new cursor, so a crash
/// loses at most one chunk's work and nothing is done twice past a committed cursor.
/// `max_chunks` stops early (tests simulate a runner dying mid-job).
pub async fn run_recompute(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>, max_chunks: Option<usize>) -> anyhow::Result<bool> {
    let mut cursor: Uuid = job.payload.get("cursor").and_then(|c| c.as_str()).and_then(|c| c.parse().ok()).unwrap_or(Uuid::nil());
    let mut done = job.payload.get("done").and_then(Value::as_u64).unwrap_or(0);
    let chunk = job.payload.get("chunk").and_then(Value::as_i64).unwrap_or(RECOMPUTE_CHUNK);
    let started = std::time::Instant::now();
    let mut chunks = 0;
    let reference = crate::reference::Reference::load(conn).await?;
    loop {
        if max_chunks.is_some_and(|m| chunks >= m) {
            return Ok(false);
        }
        let id = job.id;
        let finished = conn
            .transaction(async |conn| -> QueryResult<bool> {
                let (last, n) = sla::rules::recompute_batch(conn, &reference, cursor, chunk, now).await?;
                match last {
                    Some(l) => {
                        cursor = l;
                        done += n as u64;
                        let mut payload = job.payload.clone();
                        payload["cursor"] = json!(cursor);
                        payload["done"] = json!(done);
                        diesel::update(jobs::table.find(id)).set((jobs::payload.eq(payload), jobs::locked_until.eq(Utc::now() + LEASE))).execute(conn).await?;
                        Ok(false)
                    }
                    None => {
                        diesel::update(jobs::table.find(id)).set((jobs::done_at.eq(Utc::now()), jobs::locked_until.eq(None::<DateTime<Utc>>))).execute(conn).await?;
                        Ok(true)
                    }
                }
            })
            .await?;
        chunks += 1;
        if done > 0 && (done % 100_000 < chunk as u64 || finished) {
            let secs = started.elapsed().as_secs_f64().max(0.001);
            log::info!("sla recompute: {done} cases done ({:.0}/s in this run)", (done as f64) / secs);
        }
        if finished {
            return Ok(true);
        }
    }
}

/// The runner loop of `mesa serve` and `mesa worker`: runs due jobs, sleeps when idle.
pub async fn run_forever(pool: DbPool) {
    let mut idle = StdDuration::from_millis(200);
    match pool.get().await {
        Ok(mut conn) => {
            if let Err(e) = ensure_recurring(&mut conn).await {
                log::warn!("jobs: {e}");
            }
        }
        Err(e) => log::warn!("jobs: {e}"),
    }
    loop {
        match run_one(&pool, Utc::now()).await {
            Ok(Some(_)) => idle = StdDuration::from_millis(200),
            Ok(None) => {
                tokio::time::sleep(idle).await;
                idle = (idle * 2).min(StdDuration::from_secs(5));
            }
            Err(e) => {
                log::warn!("jobs: {e:#}");
                tokio::time::sleep(StdDuration::from_secs(5)).await;
            }
        }
    }
}
