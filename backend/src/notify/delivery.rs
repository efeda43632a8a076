//! The delivery job: pending outbox rows go out over SMTP in batches. A runner claims a batch
//! with a lease (`locked_until`, counting an attempt), sends it over pooled connections, and
//! marks each accepted mail `sent` right after the batch; a runner killed mid-batch leaves its
//! rows to be claimed again when the lease ends. A refused mail is retried with a growing delay
//! and ends `failed` after its last attempt (at once when the server refuses it for good).
//! When the server cannot be reached nothing is claimed: the job itself backs off.
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::stream::{self, StreamExt};
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use super::MailEnv;
use crate::db::schema::outbox;
use crate::jobs::{AfterFailure, RetryPolicy};

/// How long a claimed batch belongs to its runner.
pub const LEASE: Duration = Duration::minutes(2);
/// Mails per claim.
pub const BATCH: i64 = 50;
/// Mails sent at once over the pool.
const CONCURRENCY: usize = 8;
/// A run stops claiming after this long, so the runner gets to its other jobs.
const RUN_BUDGET: StdDuration = StdDuration::from_secs(20);

/// Retries of one mail: 1 min doubling to 1 h, 10 attempts (about 6 hours), then `failed`.
pub const RETRY: RetryPolicy = RetryPolicy { max_attempts: 10, first_delay: Duration::minutes(1), max_delay: Duration::hours(1), recurring: false };

/// How the connection to the server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: plain text (a local relay, Mailpit).
    Plain,
    /// `smtp://…?tls=starttls`: upgraded with STARTTLS, refused if the server cannot.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

/// Where mail goes: `MESA_SMTP_URL` read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// User and password (percent-decoded).
    pub credentials: Option<(String, String)>,
}

impl SmtpTarget {
    /// `smtp://[user:password@]host[:port][?tls=starttls]` or `smtps://[user:password@]host[:port]`.
    /// Default ports: 25 (plain), 587 (STARTTLS), 465 (TLS).
    pub fn parse(url: &url::Url) -> Result<SmtpTarget, String> {
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| format!("'{url}' names no host"))?.to_owned();
        let mut security = match url.scheme() {
            "smtp" => Security::Plain,
            "smtps" => Security::Tls,
            other => return Err(format!("'{other}://' is not smtp:// or smtps://")),
        };
        for (k, v) in url.query_pairs() {
            match (k.as_ref(), v.as_ref(), security) {
                ("tls", "starttls", Security::Plain) => security = Security::StartTls,
                ("tls", "none", Security::Plain) => {}
                ("tls", _, Security::Tls) => return Err("smtps:// is TLS already: drop ?tls=".into()),
                ("tls", other, _) => return Err(format!("tls={other}: use tls=starttls (or smtps:// for TLS from the start)")),
                (other, _, _) => return Err(format!("unknown parameter '{other}' (only tls=starttls)")),
            }
        }
        if url.path() != "" && url.path() != "/" {
            return Err(format!("'{}': an SMTP URL has no path", url.path()));
        }
        let decode = |s: &str| percent_decode(s).ok_or_else(|| "the user or password is not valid percent-encoded UTF-8".to_owned());
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (user, password) => Some((decode(user)?, decode(password.unwrap_or(""))?)),
        };
        let port = url.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        });
        Ok(SmtpTarget { host, port, security, credentials })
    }
}

fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s).decode_utf8().ok().map(|c| c.into_owned())
}

/// The pooled SMTP client (cheap to clone: the pool is shared).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl Mailer {
    pub fn new(t: &SmtpTarget) -> Mailer {
        let tls = |host: &str| TlsParameters::new(host.to_owned()).expect("rustls parameters with the bundled roots");
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(t.host.clone())
            .port(t.port)
            .timeout(Some(StdDuration::from_secs(15)))
            .pool_config(PoolConfig::new().max_size(CONCURRENCY as u32))
            .tls(match t.security {
                Security::Plain => Tls::None,
                Security::StartTls => Tls::Required(tls(&t.host)),
                Security::Tls => Tls::Wrapper(tls(&t.host)),
            });
        if let Some((user, password)) = &t.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Mailer { transport: builder.build() }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): vacation responders must not answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// One claimed mail.
#[derive(Clone, Debug, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg))]
pub struct Claimed {
    pub id: Uuid,
    pub to_address: String,
    pub from_address: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub message_id: String,
    pub thread_id: Option<String>,
    pub attempts: i32,
}

/// The message as it goes on the wire.
pub fn build_message(m: &Claimed) -> Result<Message, String> {
    let from: Mailbox = m.from_address.parse().map_err(|e| format!("from {:?}: {e}", m.from_address))?;
    let to: Mailbox = m.to_address.parse().map_err(|e| format!("to {:?}: {e}", m.to_address))?;
    let mut b = Message::builder().from(from).to(to).subject(m.subject.clone()).message_id(Some(m.message_id.clone())).header(AutoSubmitted);
    if let Some(r) = m.reply_to.as_deref().and_then(|r| r.parse::<Mailbox>().ok()) {
        b = b.reply_to(r);
    }
    if let Some(t) = &m.thread_id {
        b = b.in_reply_to(t.clone()).references(t.clone());
    }
    b.multipart(MultiPart::alternative_plain_html(m.body_text.clone(), m.body_html.clone())).map_err(|e| e.to_string())
}

/// Claims up to `limit` due mails for [`LEASE`], counting an attempt on each.
pub async fn claim(conn: &mut AsyncPgConnection, now: DateTime<Utc>, limit: i64) -> QueryResult<Vec<Claimed>> {
    diesel::sql_query(
        "UPDATE outbox SET locked_until = $2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE state = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                      ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id, to_address, from_address, reply_to, subject, body_text, body_html, message_id, thread_id, attempts",
    )
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now + LEASE)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// Whether any mail is due (the idle runner's only statement).
async fn any_due(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outbox::table.filter(outbox::state.eq("pending")).filter(outbox::next_attempt_at.le(now)).filter(outbox::locked_until.is_null().or(outbox::locked_until.lt(now))),
    ))
    .get_result(conn)
    .await
}

/// What became of one mail.
#[derive(Debug)]
enum Outcome {
    Sent,
    /// Refused; `permanent`: the server will never take it (5xx, or it cannot be built).
    Refused {
        error: String,
        permanent: bool,
    },
}

/// Sends every due mail (batch after batch, for at most [`RUN_BUDGET`]); returns how many were
/// sent and whether more are due. Without a mailer nothing is sent.
pub async fn run(conn: &mut AsyncPgConnection, env: &MailEnv, now: DateTime<Utc>) -> anyhow::Result<(usize, bool)> {
    let Some(mailer) = &env.mailer else { return Ok((0, false)) };
    if !any_due(conn, now).await? {
        return Ok((0, false));
    }
    // Down or unreachable: claim nothing (no attempt counted), the job backs off.
    match mailer.transport.test_connection().await {
        Ok(true) => {}
        Ok(false) => anyhow::bail!("the SMTP server did not answer NOOP"),
        Err(e) => anyhow::bail!("the SMTP server cannot be reached: {e}"),
    }
    let started = std::time::Instant::now();
    let mut sent = 0;
    loop {
        let batch = claim(conn, now, BATCH).await?;
        if batch.is_empty() {
            return Ok((sent, false));
        }
        let full = batch.len() as i64 == BATCH;
        sent += send_batch(conn, mailer, batch, now).await?;
        if !full {
            return Ok((sent, false));
        }
        if started.elapsed() > RUN_BUDGET {
            return Ok((sent, true));
        }
    }
}

/// Sends a claimed batch and stores each outcome; returns how many were sent.
pub async fn send_batch(conn: &mut AsyncPgConnection, mailer: &Mailer, batch: Vec<Claimed>, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let outcomes: Vec<(Claimed, Outcome)> = stream::iter(batch)
        .map(|m| async move {
            let outcome = match build_message(&m) {
                Err(error) => Outcome::Refused { error, permanent: true },
                Ok(message) => match mailer.transport.send(message).await {
                    Ok(_) => Outcome::Sent,
                    Err(e) => Outcome::Refused { permanent: e.is_permanent(), error: e.to_string() },
                },
            };
            (m, outcome)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let sent: Vec<Uuid> = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Sent)).map(|(m, _)| m.id).collect();
    if !sent.is_empty() {
        diesel::update(outbox::table.filter(outbox::id.eq_any(&sent)))
            .set((outbox::state.eq("sent"), outbox::sent_at.eq(now), outbox::locked_until.eq(None::<DateTime<Utc>>), outbox::last_error.eq(None::<String>)))
            .execute(conn)
            .await?;
    }
    for (m, outcome) in &outcomes {
        if let Outcome::Refused { error, permanent } = outcome {
            record_refusal(conn, m, error, *permanent, now, rand::random()).await?;
        }
    }
    Ok(sent.len())
}

/// A refused mail: retried later with backoff, or `failed` after its last attempt (or at once
/// when the refusal is permanent).
pub async fn record_refusal(conn: &mut AsyncPgConnection, m: &Claimed, error: &str, permanent: bool, now: DateTime<Utc>, jitter: f64) -> QueryResult<()> {
    let target = outbox::table.find(m.id);
    let outcome = if permanent { AfterFailure::GiveUp { next_run: None } } else { RETRY.after_failure(m.attempts, now, jitter) };
    match outcome {
        AfterFailure::Retry { at } => {
            log::warn!("mail {} to {}: attempt {} failed, next at {at}: {error}", m.id, m.to_address, m.attempts);
            diesel::update(target).set((outbox::last_error.eq(error), outbox::locked_until.eq(None::<DateTime<Utc>>), outbox::next_attempt_at.eq(at))).execute(conn).await?;
        }
        AfterFailure::GiveUp { .. } => {
            log::error!("mail {} to {}: failed after {} attempt(s): {error}", m.id, m.to_address, m.attempts);
            diesel::update(target)
                .set((outbox::state.eq("failed"), outbox::failed_at.eq(now), outbox::last_error.eq(error), outbox::locked_until.eq(None::<DateTime<Utc>>)))
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Rows whose runners kept dying before recording any outcome are failed instead of claimed
/// again (as abandoned jobs are).
pub async fn fail_abandoned(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::state.eq("pending"))
            .filter(outbox::attempts.ge(RETRY.max_attempts))
            .filter(outbox::locked_until.is_not_null().and(outbox::locked_until.lt(now))),
    )
    .set((
        outbox::state.eq("failed"),
        outbox::failed_at.eq(now),
        outbox::locked_until.eq(None::<DateTime<Utc>>),
        outbox::last_error.eq("abandoned: its runners stopped before finishing it"),
    ))
    .execute(conn)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &str) -> Result<SmtpTarget, String> {
        SmtpTarget::parse(&url::Url::parse(s).unwrap())
    }

    #[test]
    fn smtp_urls_and_their_defaults() {
        assert_eq!(target("smtp://mailpit:1025").unwrap(), SmtpTarget { host: "mailpit".into(), port: 1025, security: Security::Plain, credentials: None });
        assert_eq!(target("smtp://relay.cali.gov.co").unwrap().port, 25);
        let t = target("smtp://mesa%40cali.gov.co:p%25ss%3Aw@relay.cali.gov.co?tls=starttls").unwrap();
        assert_eq!((t.port, t.security), (587, Security::StartTls));
        assert_eq!(t.credentials, Some(("mesa@cali.gov.co".into(), "p%ss:w".into())));
        let t = target("smtps://u:p@smtp.gmail.com").unwrap();
        assert_eq!((t.port, t.security, t.credentials.is_some()), (465, Security::Tls, true));
        for bad in ["smtp://h?tls=maybe", "smtps://h?tls=starttls", "smtp://h?user=x", "smtp://h/path"] {
            assert!(target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_message_carries_the_threading_and_auto_submitted_headers() {
        let m = Claimed {
            id: Uuid::now_v7(),
            to_address: "lucia@cali.gov.co".into(),
            from_address: "\"Mesa TIC\" <mesa@cali.gov.co>".into(),
            reply_to: Some("mesadeservicios@cali.gov.co".into()),
            subject: "[Mesa #12] Caso registrado: Impresora".into(),
            body_text: "Hola".into(),
            body_html: "<p>Hola</p>".into(),
            message_id: "<mesa.12.abc@mesa.cali.gov.co>".into(),
            thread_id: Some("<mesa.12@mesa.cali.gov.co>".into()),
            attempts: 1,
        };
        let raw = String::from_utf8(build_message(&m).unwrap().formatted()).unwrap();
        for h in [
            "Message-ID: <mesa.12.abc@mesa.cali.gov.co>",
            "In-Reply-To: <mesa.12@mesa.cali.gov.co>",
            "References: <mesa.12@mesa.cali.gov.co>",
            "Auto-Submitted: auto-generated",
            "Reply-To: mesadeservicios@cali.gov.co",
            "Subject: [Mesa #12] Caso registrado: Impresora",
        ] {
            assert!(raw.contains(h), "{h} in\n{raw}");
        }
        assert!(build_message(&Claimed { to_address: "nobody".into(), ..m }).is_err());
    }
}
