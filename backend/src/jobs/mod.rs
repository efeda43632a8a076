//! Time-based work in a Postgres queue. Any number of runners (inside `mesa serve`, or
//! `mesa worker`) claim jobs with `FOR UPDATE SKIP LOCKED` and a lease; a runner that dies leaves
//! its job to be claimed again when the lease ends, and long jobs save their progress as they go.
//! A job that fails is retried with a growing delay ([`retry`]) and, past its kind's attempts,
//! marked failed with its last error until an admin retries it ([`routes`]).
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Integer, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::schema::jobs;
use crate::db::DbPool;
use crate::notify::{self, MailEnv};
use crate::sla;

pub mod retry;
pub mod routes;

pub use retry::{AfterFailure, RetryPolicy};

pub const SLA_CHECK: &str = "sla_check";
pub const SLA_RECOMPUTE: &str = "sla_recompute";
/// One per enabled desk mailbox (`crate::mailbox::job`), recurring every `poll_seconds`.
pub const MAILBOX_POLL: &str = "mailbox_poll";
/// The kinds this build runs. A runner claims only these, so during a rolling upgrade an older
/// instance leaves a newer kind to the instances that know it instead of failing it.
/// Closes the cases whose survey expired unanswered (accepted by silence).
pub const SURVEY_AUTO_CLOSE: &str = "survey_auto_close";
/// Records the survey reminders that fell due.
pub const SURVEY_REMINDERS: &str = "survey_reminders";
/// Archives as desisted the cases on hold for missing data past their `desist_at`.
pub const DESIST_ARCHIVE: &str = "desist_archive";
pub const KINDS: &[&str] =
    &[SLA_CHECK, SLA_RECOMPUTE, notify::EXPAND, notify::DELIVER, MAILBOX_POLL, SURVEY_AUTO_CLOSE, SURVEY_REMINDERS, DESIST_ARCHIVE, crate::webhooks::DELIVER];
/// The jobs that run every minute, each one row (`unique_key` = its kind).
pub const RECURRING: &[&str] = &[SLA_CHECK, SURVEY_AUTO_CLOSE, SURVEY_REMINDERS, DESIST_ARCHIVE];
/// How often the mail jobs look for work when they found none.
const MAIL_EVERY: Duration = Duration::seconds(5);

/// What some kinds need besides the database. A runner without a part leaves the kinds that
/// need it to the runners that have it (as with an unknown kind).
#[derive(Clone, Default)]
pub struct Services {
    /// Outgoing mail: public URL, sender, SMTP (`mail_expand`, `mail_deliver`).
    pub mail: Option<std::sync::Arc<MailEnv>>,
    /// Mailbox intake: storage, limits, passwords (`mailbox_poll`).
    pub intake: Option<std::sync::Arc<crate::mailbox::Intake>>,
}

impl Services {
    fn kinds(&self) -> Vec<&'static str> {
        KINDS
            .iter()
            .copied()
            .filter(|k| match *k {
                MAILBOX_POLL => self.intake.is_some(),
                // Webhooks need mail too: a webhook disabled for failing is told to the admins.
                notify::EXPAND | notify::DELIVER | crate::webhooks::DELIVER => self.mail.is_some(),
                _ => true,
            })
            .collect()
    }
}
/// How long a claimed job belongs to its runner before another may take it.
pub const LEASE: Duration = Duration::seconds(120);
const SLA_CHECK_EVERY: Duration = Duration::seconds(60);
const RECOMPUTE_CHUNK: i64 = 5_000;

/// The retry schedule of each kind.
pub fn policy(kind: &str) -> RetryPolicy {
    match kind {
        // Escalations must not stop for good because the database hiccuped: after five failures
        // in a row (about 7 minutes) the check is flagged failed for admins and keeps running
        // every ~10 minutes, back to every minute after its first success.
        SLA_CHECK => RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(10), recurring: true },
        // Mail never stops: an unreachable SMTP server backs the delivery off (30 s doubling to
        // 5 min) without touching the mails, which wait pending; admins see the job failed.
        notify::EXPAND | notify::DELIVER => RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(5), recurring: true },
        // Webhook deliveries retry each row on its own schedule (`webhooks::delivery::RETRY`);
        // the job fails only when the database does, and never stops.
        crate::webhooks::DELIVER => RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(5), recurring: true },
        // A mailbox that cannot be read (server down, wrong password) is flagged failed for admins
        // after five tries in a row and keeps being tried every ~10 minutes, so intake resumes by
        // itself once the cause is gone.
        MAILBOX_POLL => RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(10), recurring: true },
        // Closing, reminding and archiving wait for the next run when the database hiccups; like
        // the SLA check they never stop, and are flagged for admins after five failures in a row.
        SURVEY_AUTO_CLOSE | SURVEY_REMINDERS | DESIST_ARCHIVE => {
            RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(10), recurring: true }
        }
        // Eight attempts over about an hour; past that, an admin retries once the cause is fixed.
        _ => RetryPolicy { max_attempts: 8, first_delay: Duration::seconds(30), max_delay: Duration::minutes(30), recurring: false },
    }
}

#[derive(QueryableByName, Debug)]
pub struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    pub payload: Value,
    /// This attempt's number: 1 for the first run, reset after a success or an admin's retry.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// Makes sure the recurring jobs exist (idempotent, safe from several instances).
pub async fn ensure_recurring(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    for kind in RECURRING {
        diesel::insert_into(jobs::table)
            .values((jobs::id.eq(Uuid::now_v7()), jobs::kind.eq(*kind), jobs::unique_key.eq(*kind)))
            .on_conflict(jobs::unique_key)
            .do_nothing()
            .execute(conn)
            .await?;
    }
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

/// Takes the oldest due job of a known kind nobody holds, for `LEASE`.
pub async fn claim(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<Option<Claimed>> {
    claim_of(conn, now, KINDS).await
}

/// [`claim`] among `kinds`.
pub async fn claim_of(conn: &mut AsyncPgConnection, now: DateTime<Utc>, kinds: &[&str]) -> QueryResult<Option<Claimed>> {
    // The `done_at`/`failed_at` predicate is the partial index's, word for word.
    diesel::sql_query(
        "UPDATE jobs SET locked_until = $2, attempts = attempts + 1
         WHERE id = (SELECT id FROM jobs
                     WHERE done_at IS NULL AND (failed_at IS NULL OR unique_key IS NOT NULL)
                       AND run_at <= $1 AND (locked_until IS NULL OR locked_until < $1) AND kind = ANY($3)
                     ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, payload, attempts",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + LEASE)
    .bind::<Array<Text>, _>(kinds)
    .get_result(conn)
    .await
    .optional()
}

/// Claims and runs one job of the kinds that need nothing but the database; `Ok(None)` when
/// nothing is due.
pub async fn run_one(pool: &DbPool, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    run_one_with(pool, &Services::default(), now).await
}

/// Claims and runs one job of the kinds `services` allow; `Ok(None)` when nothing is due.
pub async fn run_one_with(pool: &DbPool, services: &Services, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    let mut conn = pool.get().await?;
    let Some(job) = claim_of(&mut conn, now, &services.kinds()).await? else { return Ok(None) };
    let policy = policy(&job.kind);
    let result = if policy.abandoned(job.attempts) {
        Err(anyhow::anyhow!("abandoned: its runners stopped {} times before finishing it", job.attempts - 1))
    } else {
        match job.kind.as_str() {
            SLA_CHECK => run_sla_check(&mut conn, &job, now).await,
            SLA_RECOMPUTE => run_recompute(&mut conn, &job, now, None).await.map(|_| ()),
            notify::EXPAND | notify::DELIVER | crate::webhooks::DELIVER => match &services.mail {
                Some(env) => run_mail(&mut conn, &job, env, now).await,
                None => Err(anyhow::anyhow!("this runner has no mail settings")),
            },
            MAILBOX_POLL => match &services.intake {
                Some(intake) => run_mailbox(&mut conn, intake, &job, now).await,
                None => Err(anyhow::anyhow!("this runner has no mailbox intake")),
            },
            SURVEY_AUTO_CLOSE => run_survey_job(&mut conn, &job, now).await,
            SURVEY_REMINDERS => run_survey_job(&mut conn, &job, now).await,
            DESIST_ARCHIVE => run_survey_job(&mut conn, &job, now).await,
            other => Err(anyhow::anyhow!("no runner for job kind {other}")),
        }
    };
    if let Err(e) = &result {
        record_failure(&mut conn, &job, &policy, now, &format!("{e:#}"), rand::random()).await?;
    }
    Ok(Some(job.kind))
}

/// Stores a failed attempt: the error, and either the next run (with backoff) or the failed
/// state. `jitter` is a number in [0, 1) (see [`RetryPolicy::delay`]).
pub async fn record_failure(conn: &mut AsyncPgConnection, job: &Claimed, policy: &RetryPolicy, now: DateTime<Utc>, error: &str, jitter: f64) -> QueryResult<AfterFailure> {
    let outcome = policy.after_failure(job.attempts, now, jitter);
    let unlocked = (jobs::last_error.eq(error), jobs::locked_until.eq(None::<DateTime<Utc>>));
    let target = jobs::table.find(job.id);
    match outcome {
        AfterFailure::Retry { at } => {
            log::warn!("job {} ({}) failed attempt {} of {}, next at {at}: {error}", job.id, job.kind, job.attempts, policy.max_attempts);
            diesel::update(target).set((unlocked, jobs::run_at.eq(at))).execute(conn).await?;
        }
        AfterFailure::GiveUp { next_run } => {
            log::error!("job {} ({}) failed after {} attempts: {error}", job.id, job.kind, job.attempts);
            // A recurring job keeps the time it first failed, so admins see how long it has been,
            // and its next run; a one-off job's `run_at` stays as it was.
            diesel::sql_query("UPDATE jobs SET last_error = $2, locked_until = NULL, failed_at = coalesce(failed_at, $3), run_at = coalesce($4, run_at) WHERE id = $1")
                .bind::<SqlUuid, _>(job.id)
                .bind::<Text, _>(error)
                .bind::<Timestamptz, _>(now)
                .bind::<diesel::sql_types::Nullable<Timestamptz>, _>(next_run)
                .execute(conn)
                .await?;
        }
    }
    Ok(outcome)
}

async fn run_mailbox(conn: &mut AsyncPgConnection, intake: &crate::mailbox::Intake, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
    let desk_id: Uuid = job.payload.get("desk_id").and_then(|d| d.as_str()).and_then(|d| d.parse().ok()).ok_or_else(|| anyhow::anyhow!("payload: no desk_id"))?;
    let polled = crate::mailbox::job::poll(conn, intake, desk_id).await?;
    if let Some((tally, _)) = &polled {
        if *tally != Default::default() {
            log::info!("mailbox of desk {desk_id}: {tally:?}");
        }
    }
    crate::mailbox::job::reschedule(conn, job.id, now, polled.map(|p| p.1)).await?;
    Ok(())
}

async fn run_sla_check(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
    let fired = sla::rules::check(conn, now).await?;
    if fired > 0 {
        log::info!("sla: {fired} escalation rule(s) fired");
    }
    reschedule(conn, job, now).await
}

/// The recurring jobs of the requester's verdict (`surveys::jobs`).
async fn run_survey_job(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
    let (what, n) = match job.kind.as_str() {
        SURVEY_AUTO_CLOSE => ("case(s) closed as accepted by silence", crate::surveys::jobs::close_expired(conn, now).await),
        SURVEY_REMINDERS => ("survey reminder(s) due", crate::surveys::jobs::record_reminders(conn, now).await),
        _ => ("case(s) archived as desisted", crate::surveys::jobs::archive_desisted(conn, now).await),
    };
    let n = n.map_err(|e| anyhow::anyhow!("{}: {e}", job.kind))?;
    if n > 0 {
        log::info!("{}: {n} {what}", job.kind);
    }
    reschedule(conn, job, now).await
}

/// A recurring job's success: due again in a minute, any run of failures over.
async fn reschedule(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>) -> anyhow::Result<()> {
    diesel::update(jobs::table.find(job.id))
        // A success ends any run of failures.
        .set((
            jobs::run_at.eq(now + SLA_CHECK_EVERY),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::last_error.eq(None::<String>),
            jobs::attempts.eq(0),
            jobs::failed_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A mail or webhook job's run: expands notifications, delivers the outbox or the webhooks' deliveries, then comes back in
/// `MAIL_EVERY` (at once when it stopped with work left).
async fn run_mail(conn: &mut AsyncPgConnection, job: &Claimed, env: &MailEnv, now: DateTime<Utc>) -> anyhow::Result<()> {
    let more = if job.kind == notify::EXPAND {
        notify::expand::run(conn, env, now).await?;
        false
    } else if job.kind == crate::webhooks::DELIVER {
        crate::webhooks::delivery::run(conn, env, now).await?.1
    } else {
        notify::delivery::fail_abandoned(conn, now).await?;
        notify::delivery::run(conn, env, now).await?.1
    };
    diesel::update(jobs::table.find(job.id))
        .set((
            jobs::run_at.eq(if more { now } else { now + MAIL_EVERY }),
            jobs::locked_until.eq(None::<DateTime<Utc>>),
            jobs::last_error.eq(None::<String>),
            jobs::attempts.eq(0),
            jobs::failed_at.eq(None::<DateTime<Utc>>),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Recomputes due dates chunk by chunk; each chunk commits with the job's new cursor, so a crash
/// loses at most one chunk's work and nothing is done twice past a committed cursor.
/// `max_chunks` stops early (tests simulate a runner dying mid-job).
pub async fn run_recompute(conn: &mut AsyncPgConnection, job: &Claimed, now: DateTime<Utc>, max_chunks: Option<usize>) -> anyhow::Result<bool> {
    let (mut cursor, mut done, chunk) = recompute_progress(&job.payload)?;
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

/// Where a recomputation stands: its cursor (the last case done), how many are done, and its chunk
/// size. A payload that says something else is an error (the job fails) rather than a silent
/// restart from the first case.
fn recompute_progress(payload: &Value) -> anyhow::Result<(Uuid, u64, i64)> {
    let cursor = match payload.get("cursor") {
        None => Uuid::nil(),
        Some(c) => c.as_str().and_then(|c| c.parse().ok()).ok_or_else(|| anyhow::anyhow!("payload: cursor {c} is not a case id"))?,
    };
    let done = match payload.get("done") {
        None => 0,
        Some(d) => d.as_u64().ok_or_else(|| anyhow::anyhow!("payload: done {d} is not a count"))?,
    };
    let chunk = match payload.get("chunk") {
        None => RECOMPUTE_CHUNK,
        Some(c) => c.as_i64().filter(|c| (1..=100_000).contains(c)).ok_or_else(|| anyhow::anyhow!("payload: chunk {c} is not between 1 and 100000"))?,
    };
    Ok((cursor, done, chunk))
}

/// The runner loop of `mesa serve` and `mesa worker`: runs due jobs, sleeps when idle.
pub async fn run_forever(pool: DbPool, services: Services) {
    let mut idle = StdDuration::from_millis(200);
    match pool.get().await {
        Ok(mut conn) => {
            if let Err(e) = ensure_recurring(&mut conn).await {
                log::warn!("jobs: {e}");
            }
            if let Err(e) = notify::ensure_jobs(&mut conn).await {
                log::warn!("jobs: {e}");
            }
            if let Err(e) = crate::webhooks::ensure_job(&mut conn).await {
                log::warn!("jobs: {e}");
            }
        }
        Err(e) => log::warn!("jobs: {e}"),
    }
    loop {
        match run_one_with(&pool, &services, Utc::now()).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recompute_progress_reads_or_refuses_its_payload() {
        let id = Uuid::now_v7();
        assert_eq!(recompute_progress(&json!({})).unwrap(), (Uuid::nil(), 0, RECOMPUTE_CHUNK));
        assert_eq!(recompute_progress(&json!({"cursor": id, "done": 7, "chunk": 2, "reason": "x"})).unwrap(), (id, 7, 2));
        for bad in [json!({"cursor": "garbage"}), json!({"cursor": 5}), json!({"done": -1}), json!({"chunk": 0}), json!({"chunk": "many"})] {
            assert!(recompute_progress(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_kind_run_here_has_a_bounded_policy_and_the_check_never_stops() {
        for kind in KINDS {
            let p = policy(kind);
            assert!(p.max_attempts >= 1 && p.first_delay > Duration::zero() && p.max_delay >= p.first_delay, "{kind}");
        }
        assert!(policy(SLA_CHECK).recurring);
        for kind in RECURRING {
            assert!(policy(kind).recurring && KINDS.contains(kind), "{kind}");
        }
        assert!(!policy(SLA_RECOMPUTE).recurring);
        assert!(policy(MAILBOX_POLL).recurring);
        assert_eq!(
            Services::default().kinds(),
            vec![SLA_CHECK, SLA_RECOMPUTE, SURVEY_AUTO_CLOSE, SURVEY_REMINDERS, DESIST_ARCHIVE],
            "without mail settings or intake their kinds are left to others"
        );
    }
}
