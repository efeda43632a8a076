//! Outgoing mail, in three stages so a user's request pays one INSERT and SMTP never slows it:
//!
//! 1. the change of a case writes one `notifications` row in its own transaction ([`record`],
//!    called by `tickets::lifecycle::commit`, registration and follow-ups) with a snapshot of
//!    what the mail must say — never a private follow-up or note;
//! 2. the [`expand`] job turns each into one `outbox` row per recipient, rendered in the
//!    recipient's language with the desk's templates ([`templates`]), honouring the desk's kinds
//!    and the users' opt-outs, and marks the notification expanded in the same transaction;
//! 3. the [`delivery`] job sends pending outbox rows over SMTP (lettre), with a lease per row,
//!    retries with backoff and a final `failed` state. Without `MESA_SMTP_URL` rows stay pending.
//!
//! Admins watch the outbox ([`routes`]); users choose their optional kinds; desks choose which
//! kinds exist and may word them their own way.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::schema::{desks, jobs, mail_templates, notifications, outbox, tickets};
use crate::tickets::audit::NewEvent;
use crate::tickets::model::TicketRow;

pub mod delivery;
pub mod domain;
pub mod expand;
pub mod routes;
pub mod templates;

pub use domain::{Kind, Lang};
pub use routes::configure;

/// What the mail stages need from the configuration (also in `mesa worker`).
#[derive(Clone)]
pub struct MailEnv {
    /// `MESA_PUBLIC_URL`: links, and the host of every `Message-ID`.
    pub public_url: url::Url,
    /// `MESA_MAIL_FROM`: the sender when a desk has no mailbox.
    pub from: String,
    /// `None` without `MESA_SMTP_URL`: mail is expanded and stays pending in the outbox.
    pub mailer: Option<delivery::Mailer>,
    /// Signs the survey link of the solution mail (derived from `MESA_JWT_SECRET`, as the server
    /// checks it); without it the mail carries no link.
    pub survey_key: Option<crate::surveys::token::LinkKey>,
}

impl MailEnv {
    pub fn new(public_url: url::Url, from: String, smtp_url: Option<&url::Url>) -> Result<MailEnv, String> {
        let mailer = smtp_url.map(|u| delivery::SmtpTarget::parse(u).map(|t| delivery::Mailer::new(&t))).transpose()?;
        Ok(MailEnv { public_url, from, mailer, survey_key: None })
    }

    /// Survey links signed with this server secret (`MESA_JWT_SECRET`).
    pub fn with_survey_secret(mut self, secret: &[u8]) -> MailEnv {
        self.survey_key = Some(crate::surveys::token::LinkKey::from_secret(secret));
        self
    }

    pub fn from_config(c: &crate::config::Config) -> Result<MailEnv, String> {
        Ok(MailEnv::new(c.public_url.clone(), c.mail_from.clone(), c.smtp_url.as_ref())?.with_survey_secret(&c.jwt_secret))
    }

    /// The host in `Message-ID`s.
    pub fn host(&self) -> String {
        self.public_url.host_str().unwrap_or("localhost").to_owned()
    }

    /// `{public_url}` without a trailing slash.
    pub fn base_url(&self) -> String {
        self.public_url.as_str().trim_end_matches('/').to_owned()
    }
}

/// The job kinds of this module.
pub const EXPAND: &str = "mail_expand";
pub const DELIVER: &str = "mail_deliver";

/// Makes sure the two recurring mail jobs exist (idempotent, safe from several instances).
pub async fn ensure_jobs(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    for kind in [EXPAND, DELIVER] {
        diesel::insert_into(jobs::table)
            .values((jobs::id.eq(Uuid::now_v7()), jobs::kind.eq(kind), jobs::unique_key.eq(kind)))
            .on_conflict(jobs::unique_key)
            .do_nothing()
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Adds what every mail of the change shows as it is now (the case may change again before the
/// notification is expanded) to the kind's own data; the kind's own keys win.
fn snapshot(t: &TicketRow, mut data: Value) -> Value {
    if let Value::Object(map) = &mut data {
        for (k, v) in [
            ("group_id", json!(t.assigned_group_id)),
            ("agent_id", json!(t.assigned_agent_id)),
            ("status", json!(t.status)),
            ("priority", json!(t.priority)),
            ("type", json!(t.ticket_type)),
            ("level", json!(t.level)),
            ("service_id", json!(t.service_id)),
        ] {
            map.entry(k).or_insert(v);
        }
    }
    data
}

/// Writes the notification a decided change causes, if any, in the caller's transaction
/// (`tickets::lifecycle::commit` calls it for every change of a case).
pub async fn record_change(conn: &mut AsyncPgConnection, old: &TicketRow, new: &TicketRow, events: &[NewEvent], actor: Option<Uuid>, now: DateTime<Utc>) -> QueryResult<()> {
    match domain::from_change(old, new, events) {
        Some((kind, data)) => record(conn, kind, new, actor, data, now).await,
        None => Ok(()),
    }
}

/// The data of a case's `registered` notification, which `register_ticket()` writes with the
/// case itself (completing the agent it picks).
pub fn registered_data(t: &TicketRow) -> Value {
    snapshot(t, json!({}))
}

/// Writes one notification of a case.
pub async fn record(conn: &mut AsyncPgConnection, kind: Kind, t: &TicketRow, actor: Option<Uuid>, data: Value, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(Uuid::now_v7()),
            notifications::kind.eq(kind.as_str()),
            notifications::ticket_id.eq(t.id),
            notifications::desk_id.eq(t.desk_id),
            notifications::actor_id.eq(actor),
            notifications::data.eq(snapshot(t, data)),
            notifications::created_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A public follow-up: mailed to the other side (the requester, or whoever works the case).
/// Never called for a private one.
pub async fn record_followup(conn: &mut AsyncPgConnection, t: &TicketRow, author: Uuid, followup_id: Uuid, body: &str, now: DateTime<Utc>) -> QueryResult<()> {
    let data = json!({"followup_id": followup_id, "followup": body, "from_requester": author == t.requester_id});
    record(conn, Kind::Followup, t, Some(author), data, now).await
}

/// Queues a notice to one admin now, rendered with the built-in template (it concerns no desk,
/// so no desk's wording applies): `webhook_disabled`. Sent by the delivery job like any other.
pub async fn queue_admin(conn: &mut AsyncPgConnection, env: &MailEnv, to_address: &str, lang: Lang, kind: Kind, vars: Value) -> anyhow::Result<Uuid> {
    let to: lettre::Address = to_address.parse().map_err(|e| anyhow::anyhow!("to_address {to_address:?}: {e}"))?;
    let mut ctx = serde_json::Map::new();
    ctx.insert("lang".into(), json!(lang.as_str()));
    ctx.insert("kind".into(), json!(kind.as_str()));
    ctx.insert("desk".into(), json!("Mesa"));
    ctx.insert("public_url".into(), json!(env.base_url()));
    if let Value::Object(given) = vars {
        for (k, v) in given {
            if templates::VARIABLES.contains(&k.as_str()) {
                ctx.insert(k, v);
            }
        }
    }
    let ctx = templates::complete(ctx);
    let key = format!("builtin.{}.{}", kind.as_str(), lang.as_str());
    let rendered = templates::Renderer::default().render(&key, &templates::builtin(kind, lang), &ctx).map_err(|e| anyhow::anyhow!("template {}: {}", e.field, e.message))?;
    let id = Uuid::now_v7();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(id),
            outbox::kind.eq(kind.as_str()),
            outbox::to_address.eq(to.to_string()),
            outbox::from_address.eq(&env.from),
            outbox::locale.eq(lang.as_str()),
            outbox::subject.eq(rendered.subject),
            outbox::body_text.eq(rendered.text),
            outbox::body_html.eq(rendered.html),
            outbox::message_id.eq(domain::message_id(None, id, &env.host())),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

/// Queues one mail to one address now, rendered (for answers that are no case's change, such as
/// the mailbox intake's "your mail could not be processed": kinds `intake_refused` with `reason`,
/// `intake_instructions`). `vars` fill the template's variables (`templates::VARIABLES`; others
/// are ignored); `desk`, `public_url`, `number`, `subject` and `url` are filled from the desk and
/// the case when not given. With a case, the mail is threaded and numbered like the case's
/// others. Sent by the delivery job like any other; returns the outbox row's id.
#[allow(clippy::too_many_arguments)]
pub async fn queue_direct(
    conn: &mut AsyncPgConnection,
    env: &MailEnv,
    desk_id: Uuid,
    ticket_id: Option<Uuid>,
    to_address: &str,
    lang: Lang,
    kind: Kind,
    vars: Value,
) -> anyhow::Result<Uuid> {
    let to: lettre::Address = to_address.parse().map_err(|e| anyhow::anyhow!("to_address {to_address:?}: {e}"))?;
    let (desk_name, mailbox): (String, Option<String>) = desks::table.find(desk_id).select((desks::name, desks::mailbox)).first(conn).await?;
    let case: Option<(i64, String)> = match ticket_id {
        Some(id) => Some(tickets::table.find(id).select((tickets::number, tickets::subject)).first(conn).await?),
        None => None,
    };
    let mut ctx = serde_json::Map::new();
    ctx.insert("lang".into(), json!(lang.as_str()));
    ctx.insert("kind".into(), json!(kind.as_str()));
    ctx.insert("desk".into(), json!(desk_name));
    ctx.insert("public_url".into(), json!(env.base_url()));
    if let Some((number, subject)) = &case {
        ctx.insert("number".into(), json!(number));
        ctx.insert("subject".into(), json!(subject));
        ctx.insert("url".into(), json!(format!("{}/tickets/{number}", env.base_url())));
    }
    if let Value::Object(given) = vars {
        for (k, v) in given {
            if templates::VARIABLES.contains(&k.as_str()) {
                ctx.insert(k, v);
            }
        }
    }
    let ctx = templates::complete(ctx);
    let custom: Option<(String, String, String)> = mail_templates::table
        .find((desk_id, kind.as_str(), lang.as_str()))
        .select((mail_templates::subject, mail_templates::body_text, mail_templates::body_html))
        .first(conn)
        .await
        .optional()?;
    let (key, parts) = match custom {
        Some((subject, text, html)) => (format!("{desk_id}.{}.{}", kind.as_str(), lang.as_str()), templates::Parts { subject, text, html }),
        None => (format!("builtin.{}.{}", kind.as_str(), lang.as_str()), templates::builtin(kind, lang)),
    };
    let rendered = templates::Renderer::default().render(&key, &parts, &ctx).map_err(|e| anyhow::anyhow!("template {}: {}", e.field, e.message))?;
    let id = Uuid::now_v7();
    let number = case.as_ref().map(|(n, _)| *n);
    let host = env.host();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(id),
            outbox::kind.eq(kind.as_str()),
            outbox::ticket_id.eq(ticket_id),
            outbox::ticket_number.eq(number),
            outbox::desk_id.eq(desk_id),
            outbox::to_address.eq(to.to_string()),
            outbox::from_address.eq(expand::sender(&desk_name, mailbox.as_deref(), &env.from)),
            outbox::reply_to.eq(mailbox),
            outbox::locale.eq(lang.as_str()),
            outbox::subject.eq(domain::numbered_subject(number, &rendered.subject)),
            outbox::body_text.eq(rendered.text),
            outbox::body_html.eq(rendered.html),
            outbox::message_id.eq(domain::message_id(number, id, &host)),
            outbox::thread_id.eq(number.map(|n| domain::thread_id(n, &host))),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}
