//! The delivery job: due `webhook_deliveries` rows of active webhooks are claimed in batches
//! (`FOR UPDATE SKIP LOCKED`, a lease in `locked_until`, an attempt counted), POSTed concurrently
//! and signed, and each outcome stored as soon as it is known. A runner killed mid-batch leaves
//! its rows to be claimed again when the lease ends (a receiver may then see an event twice: it
//! deduplicates on the envelope's `id`). Order is not promised, not even per webhook: a retried
//! delivery arrives after later events.
//!
//! 2xx is delivered. Anything else — another status, a 3xx (redirects are not followed, so no hop
//! escapes the SSRF guard), a timeout, a refused address — is retried with [`RETRY`]'s backoff
//! and ends `failed` after its last attempt (an admin may retry it). Every failed attempt counts
//! against its webhook; one success resets the count. A webhook with [`DISABLE_AFTER_FAILURES`]
//! failures in a row over at least [`DISABLE_AFTER`] is disabled and the admins are mailed; its
//! pending deliveries wait until an admin enables it again.
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::schema::{users, webhook_allowed_hosts, webhook_deliveries, webhooks};
use crate::jobs::{AfterFailure, RetryPolicy};
use crate::notify::MailEnv;

/// How long a claimed batch belongs to its runner: longer than a batch can take
/// (`BATCH / CONCURRENCY` rounds of at most `TIMEOUT`).
pub const LEASE: Duration = Duration::minutes(5);
/// Deliveries per claim.
pub const BATCH: i64 = 200;
/// Requests in flight at once.
pub const CONCURRENCY: usize = 16;
/// A receiver has this long to answer.
pub const TIMEOUT: StdDuration = StdDuration::from_secs(10);
/// A run stops claiming after this long, so the runner gets to its other jobs.
const RUN_BUDGET: StdDuration = StdDuration::from_secs(20);
/// Retries of one delivery: 30 s doubling to 1 h, 10 attempts (about 4.5 hours), then `failed`.
pub const RETRY: RetryPolicy = RetryPolicy { max_attempts: 10, first_delay: Duration::seconds(30), max_delay: Duration::hours(1), recurring: false };
/// Failed attempts in a row (with no success between) after which a webhook is disabled…
pub const DISABLE_AFTER_FAILURES: i32 = 10;
/// …provided they span at least this long (a burst of failures of a large backlog in one minute
/// is a short outage, not a dead receiver).
pub const DISABLE_AFTER: Duration = Duration::hours(1);
/// Longest part of a receiver's answer kept in `last_error`.
const MAX_ERROR: usize = 500;

#[derive(QueryableByName, Debug)]
struct Claimed {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    webhook_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    event_id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    event_type: String,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    payload: Value,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

/// What one attempt came to.
#[derive(Debug)]
pub struct Outcome {
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.error.is_none()
    }
}

/// The HTTP client of one run: the SSRF-guarded resolver with the admins' allowed hosts, no
/// proxy (a proxy would resolve names itself, past the guard), no redirects, a timeout.
pub fn client(allowed: Arc<HashSet<String>>) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(super::guard::GuardedResolver { allowed }))
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .connect_timeout(StdDuration::from_secs(5))
        .pool_max_idle_per_host(CONCURRENCY)
        .user_agent(concat!("Mesa-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// The hosts admins allowed.
pub async fn allowed_hosts(conn: &mut AsyncPgConnection) -> QueryResult<HashSet<String>> {
    Ok(webhook_allowed_hosts::table.select(webhook_allowed_hosts::host).load::<String>(conn).await?.into_iter().collect())
}

/// One signed POST. `now` stamps the signature.
#[allow(clippy::too_many_arguments)]
pub async fn send(
    client: &reqwest::Client,
    allowed: &HashSet<String>,
    url: &str,
    secret: &str,
    delivery_id: Uuid,
    event_type: &str,
    payload: &Value,
    now: DateTime<Utc>,
) -> Outcome {
    let fail = |status: Option<u16>, e: String| Outcome { status, error: Some(e.chars().take(MAX_ERROR).collect()) };
    let parsed = match url::Url::parse(url) {
        Ok(u) => u,
        Err(e) => return fail(None, format!("invalid URL: {e}")),
    };
    if let Err(e) = super::guard::check_literal(&parsed, allowed) {
        return fail(None, format!("refused: {e}"));
    }
    let body = serde_json::to_vec(payload).expect("a JSON value serializes");
    let signature = super::domain::signature(secret, now.timestamp(), &body);
    let sent = client
        .post(parsed)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("Mesa-Signature", signature)
        .header("Mesa-Event", event_type)
        .header("Mesa-Delivery", delivery_id.to_string())
        .body(body)
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => Outcome { status: Some(r.status().as_u16()), error: None },
        Ok(r) => {
            let status = r.status();
            let text = if status.is_redirection() {
                format!("HTTP {status}: redirects are not followed (to {:?})", r.headers().get(reqwest::header::LOCATION).and_then(|l| l.to_str().ok()).unwrap_or(""))
            } else {
                let body = r.text().await.unwrap_or_default();
                format!("HTTP {status}: {}", body.trim())
            };
            fail(Some(status.as_u16()), text)
        }
        // The chain holds the reason (a refused address, a timeout, a refused connection).
        Err(e) => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            fail(None, msg)
        }
    }
}

/// Claims one batch of due deliveries of active webhooks.
async fn claim(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<Vec<Claimed>> {
    diesel::sql_query(
        "UPDATE webhook_deliveries d SET locked_until = $2, attempts = d.attempts + 1, last_attempt_at = $1
         WHERE d.id IN (SELECT x.id FROM webhook_deliveries x JOIN webhooks w ON w.id = x.webhook_id
                        WHERE x.state = 'pending' AND x.next_attempt_at <= $1 AND (x.locked_until IS NULL OR x.locked_until < $1) AND w.active
                        ORDER BY x.next_attempt_at, x.id LIMIT $3 FOR UPDATE OF x SKIP LOCKED)
         RETURNING d.id, d.webhook_id, d.event_id, d.event_type, d.payload, d.attempts",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + LEASE)
    .bind::<BigInt, _>(BATCH)
    .load(conn)
    .await
}

/// Delivers due deliveries until none is left or the run's budget is spent. Returns how many
/// were delivered and whether work was left.
pub async fn run(conn: &mut AsyncPgConnection, mail: &MailEnv, now: DateTime<Utc>) -> anyhow::Result<(usize, bool)> {
    let started = std::time::Instant::now();
    let allowed = Arc::new(allowed_hosts(conn).await?);
    let client = client(allowed.clone())?;
    let mut delivered = 0;
    loop {
        let batch = claim(conn, now).await?;
        if batch.is_empty() {
            return Ok((delivered, false));
        }
        let ids: Vec<Uuid> = batch.iter().map(|c| c.webhook_id).collect::<HashSet<_>>().into_iter().collect();
        let targets: HashMap<Uuid, (String, String)> = webhooks::table
            .filter(webhooks::id.eq_any(&ids))
            .select((webhooks::id, webhooks::url, webhooks::secret))
            .load::<(Uuid, String, String)>(conn)
            .await?
            .into_iter()
            .map(|(i, u, s)| (i, (u, s)))
            .collect();
        let results: Vec<(Claimed, Outcome)> = stream::iter(batch)
            .map(|c| {
                let (client, allowed, target) = (&client, &allowed, targets.get(&c.webhook_id));
                async move {
                    let outcome = match target {
                        Some((url, secret)) => send(client, allowed, url, secret, c.id, &c.event_type, &c.payload, Utc::now()).await,
                        None => Outcome { status: None, error: Some("the webhook is gone".into()) },
                    };
                    (c, outcome)
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        // Successes are stored together (one statement per status code, one per webhook), so a
        // healthy receiver costs a few statements per batch rather than two per delivery;
        // failures one by one after them (a failure after a success in the batch still counts).
        let mut ok: HashMap<u16, Vec<Uuid>> = HashMap::new();
        let mut healthy: HashSet<Uuid> = HashSet::new();
        let mut failed = Vec::new();
        for (c, outcome) in results {
            if outcome.delivered() {
                ok.entry(outcome.status.unwrap_or(200)).or_default().push(c.id);
                healthy.insert(c.webhook_id);
            } else {
                log::warn!("webhook {} delivery {} (event {} {}) attempt {}: {}", c.webhook_id, c.id, c.event_id, c.event_type, c.attempts, outcome.error.as_deref().unwrap_or(""));
                failed.push((c, outcome));
            }
        }
        for (status, ids) in &ok {
            delivered += ids.len();
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(ids)))
                .set((
                    webhook_deliveries::state.eq("delivered"),
                    webhook_deliveries::delivered_at.eq(now),
                    webhook_deliveries::locked_until.eq(None::<DateTime<Utc>>),
                    webhook_deliveries::last_status_code.eq(i32::from(*status)),
                    webhook_deliveries::last_error.eq(None::<String>),
                ))
                .execute(conn)
                .await?;
        }
        if !healthy.is_empty() {
            let ids: Vec<Uuid> = healthy.into_iter().collect();
            diesel::update(webhooks::table.filter(webhooks::id.eq_any(&ids)).filter(webhooks::consecutive_failures.ne(0).or(webhooks::failing_since.is_not_null())))
                .set((webhooks::consecutive_failures.eq(0), webhooks::failing_since.eq(None::<DateTime<Utc>>)))
                .execute(conn)
                .await?;
        }
        for (c, outcome) in failed {
            store_failure(conn, mail, &c, &outcome, now, rand::random()).await?;
        }
        if started.elapsed() > RUN_BUDGET {
            return Ok((delivered, true));
        }
    }
}

/// Stores one failed attempt, and its webhook's run of failures (disabling it when due).
async fn store_failure(conn: &mut AsyncPgConnection, mail: &MailEnv, c: &Claimed, o: &Outcome, now: DateTime<Utc>, jitter: f64) -> anyhow::Result<()> {
    let row = webhook_deliveries::table.find(c.id);
    let status = o.status.map(i32::from);
    let (state, next) = match RETRY.after_failure(c.attempts, now, jitter) {
        AfterFailure::Retry { at } => ("pending", at),
        AfterFailure::GiveUp { .. } => ("failed", now),
    };
    diesel::update(row)
        .set((
            webhook_deliveries::state.eq(state),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::locked_until.eq(None::<DateTime<Utc>>),
            webhook_deliveries::last_status_code.eq(status),
            webhook_deliveries::last_error.eq(o.error.as_deref()),
        ))
        .execute(conn)
        .await?;
    // The run of failures started when the count left zero (`failing_since`).
    let (failures, since): (i32, Option<DateTime<Utc>>) = diesel::sql_query(
        "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
                failing_since = CASE WHEN consecutive_failures = 0 OR failing_since IS NULL THEN $2 ELSE failing_since END
         WHERE id = $1 RETURNING consecutive_failures, failing_since",
    )
    .bind::<diesel::sql_types::Uuid, _>(c.webhook_id)
    .bind::<Timestamptz, _>(now)
    .get_result::<FailureRun>(conn)
    .await
    .optional()?
    .map(|r| (r.consecutive_failures, r.failing_since))
    .unwrap_or((0, None));
    if failures >= DISABLE_AFTER_FAILURES && since.is_some_and(|s| now - s >= DISABLE_AFTER) {
        let reason = format!("{failures} failed attempts in a row since {}; last: {}", since.map(|s| s.to_rfc3339()).unwrap_or_default(), o.error.as_deref().unwrap_or(""));
        disable(conn, mail, c.webhook_id, &reason, now).await?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct FailureRun {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    consecutive_failures: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<Timestamptz>)]
    failing_since: Option<DateTime<Utc>>,
}

/// Disables an active webhook and mails every active admin with an address, in one transaction
/// (the `UPDATE … WHERE active` lets exactly one runner do it).
async fn disable(conn: &mut AsyncPgConnection, mail: &MailEnv, webhook_id: Uuid, reason: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    use diesel_async::AsyncConnection;
    let reason: String = reason.chars().take(MAX_ERROR + 200).collect();
    conn.transaction(async |conn| -> anyhow::Result<()> {
        let url: Option<String> = diesel::update(webhooks::table.find(webhook_id).filter(webhooks::active.eq(true)))
            .set((
                webhooks::active.eq(false),
                webhooks::disabled_at.eq(now),
                webhooks::disabled_reason.eq(&reason),
                webhooks::updated_at.eq(now),
                webhooks::version.eq(webhooks::version + 1),
            ))
            .returning(webhooks::url)
            .get_result(conn)
            .await
            .optional()?;
        let Some(url) = url else { return Ok(()) };
        log::error!("webhook {webhook_id} ({url}) disabled: {reason}");
        let admins: Vec<(String, String)> = users::table
            .filter(users::role.eq(crate::users::domain::Role::Admin))
            .filter(users::active.eq(true))
            .filter(users::email.is_not_null())
            .select((users::email.assume_not_null(), users::locale))
            .load(conn)
            .await?;
        for (address, locale) in admins {
            let vars = json!({"webhook_url": url, "webhook_id": webhook_id, "reason": reason});
            crate::notify::queue_admin(conn, mail, &address, crate::notify::Lang::of_locale(&locale), crate::notify::Kind::WebhookDisabled, vars).await?;
        }
        Ok(())
    })
    .await
}
