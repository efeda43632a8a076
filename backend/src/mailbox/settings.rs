//! A desk's mailbox settings: `GET`/`PUT /desks/{id}/mailbox`, for the desk's managers. The
//! password is never stored nor shown: it is read from `MESA_MAILBOX_PASSWORD_<DESK CODE>`, and
//! the answer says only whether it is set.
use actix_web::{get, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::catalog::domain::NodeKind;
use crate::config::mailbox_password_variable;
use crate::db::schema::{desk_mailboxes, desks, jobs};
use crate::error::responses::{Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{etag, IfMatch, JsonBody};
use crate::reference::Reference;
use crate::state::AppState;
use crate::text_enum;
use crate::validate::Errors;

text_enum! {
    /// How the connection is protected: `tls` (IMAPS, usually port 993), `starttls` (port 143,
    /// upgraded before logging in) or `none` (only to a server on this machine: loopback).
    pub enum TlsMode { Tls => "tls", Starttls => "starttls", None => "none" }
}

text_enum! {
    /// Mail from an address no user has: `register` the sender as a requester and open the case,
    /// or `instruct`: open nothing and answer with how to reach the desk.
    pub enum UnknownSender { Register => "register", Instruct => "instruct" }
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = desk_mailboxes, check_for_backend(diesel::pg::Pg))]
pub struct MailboxRow {
    pub desk_id: Uuid,
    pub host: String,
    pub port: i32,
    pub tls_mode: TlsMode,
    pub username: String,
    pub folder: String,
    pub default_service_id: Uuid,
    pub unknown_sender: UnknownSender,
    pub enabled: bool,
    pub poll_seconds: i32,
    pub uid_validity: Option<i64>,
    pub last_uid: i64,
    pub last_polled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A desk's mailbox, as its managers see it (never its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct Mailbox {
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    #[schema(example = "imap.cali.gov.co")]
    pub host: String,
    #[schema(example = 993)]
    pub port: i32,
    pub tls_mode: TlsMode,
    #[schema(example = "mesadeservicios@cali.gov.co")]
    pub username: String,
    #[schema(example = "INBOX")]
    pub folder: String,
    /// The service of the cases mail opens (an agent classifies them later).
    #[schema(example = "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12")]
    pub default_service_id: Uuid,
    pub unknown_sender: UnknownSender,
    #[schema(example = json!(true))]
    pub enabled: bool,
    /// Seconds between two reads of the mailbox.
    #[schema(example = 60)]
    pub poll_seconds: i32,
    /// Whether the password variable is set where this answer was made; the password itself is
    /// never stored by Mesa nor shown.
    #[schema(example = json!(true))]
    pub password_configured: bool,
    /// The environment variable that holds the password, e.g. `MESA_MAILBOX_PASSWORD_TIC`.
    #[schema(example = "MESA_MAILBOX_PASSWORD_TIC")]
    pub password_variable: String,
    /// When the mailbox was last read completely.
    pub last_polled_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 2)]
    pub version: i32,
}

/// The whole settings (a `PUT` replaces them).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "host": "imap.cali.gov.co",
    "port": 993,
    "tls_mode": "tls",
    "username": "mesadeservicios@cali.gov.co",
    "folder": "INBOX",
    "default_service_id": "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12",
    "unknown_sender": "register",
    "enabled": true,
    "poll_seconds": 60
}))]
pub struct PutMailbox {
    #[schema(min_length = 1, max_length = 253, example = "imap.cali.gov.co")]
    pub host: String,
    /// Default 993 for `tls`, 143 otherwise.
    #[schema(minimum = 1, maximum = 65535)]
    pub port: Option<i32>,
    pub tls_mode: TlsMode,
    #[schema(min_length = 1, max_length = 254)]
    pub username: String,
    /// Default `INBOX`.
    #[schema(min_length = 1, max_length = 200)]
    pub folder: Option<String>,
    /// An active service of this desk asking for no form field or attachment (mail cannot fill them).
    pub default_service_id: Uuid,
    pub unknown_sender: UnknownSender,
    /// Default true.
    pub enabled: Option<bool>,
    /// Default 60.
    #[schema(minimum = 30, maximum = 86400)]
    pub poll_seconds: Option<i32>,
}

/// Checked settings, ready to store.
#[derive(Debug, PartialEq)]
pub struct Checked {
    pub host: String,
    pub port: i32,
    pub tls_mode: TlsMode,
    pub username: String,
    pub folder: String,
    pub default_service_id: Uuid,
    pub unknown_sender: UnknownSender,
    pub enabled: bool,
    pub poll_seconds: i32,
}

pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Every problem of the settings, against the desk's catalog (`reference`). Pure.
pub fn check(b: &PutMailbox, desk_id: Uuid, reference: &Reference) -> Result<Checked, AppError> {
    let mut e = Errors::default();
    let host = e.text("host", &b.host, 253);
    if host.contains(|c: char| c.is_whitespace() || c.is_control() || c == '/') {
        e.add("host", "invalid", "must be a host name or address");
    }
    if b.tls_mode == TlsMode::None && !is_loopback(&host) {
        e.add("tls_mode", "insecure", "a mailbox on another machine is read over tls or starttls; none is only for a server on this machine");
    }
    let port = b.port.unwrap_or(if b.tls_mode == TlsMode::Tls { 993 } else { 143 });
    if !(1..=65535).contains(&port) {
        e.add("port", "out_of_range", "must be between 1 and 65535");
    }
    let username = e.text("username", &b.username, 254);
    let folder = e.text("folder", b.folder.as_deref().unwrap_or("INBOX"), 200);
    if folder.contains(|c: char| c.is_control() || c == '"' || c == '\\') {
        e.add("folder", "invalid", "must not contain quotes, backslashes or control characters");
    }
    let poll_seconds = b.poll_seconds.unwrap_or(60);
    if !(30..=86_400).contains(&poll_seconds) {
        e.add("poll_seconds", "out_of_range", "must be between 30 and 86400 seconds");
    }
    match reference.nodes.get(&b.default_service_id) {
        Some(n) if n.desk_id == desk_id && n.node.active && n.node.kind == NodeKind::Service => {
            if let Some(s) = &n.node.service {
                if s.form_fields.iter().any(|f| f.required) || !s.required_attachments.is_empty() {
                    e.add("default_service_id", "needs_form", "this service asks for fields or attachments a mail cannot fill; choose one that asks for none");
                }
            }
        }
        _ => e.add("default_service_id", "unknown_reference", "must be an active service of this desk"),
    }
    e.finish()?;
    Ok(Checked {
        host,
        port,
        tls_mode: b.tls_mode,
        username,
        folder,
        default_service_id: b.default_service_id,
        unknown_sender: b.unknown_sender,
        enabled: b.enabled.unwrap_or(true),
        poll_seconds,
    })
}

pub fn render(row: MailboxRow, desk_code: &str, passwords: &crate::config::SecretLookup) -> Mailbox {
    let password_variable = mailbox_password_variable(desk_code);
    Mailbox {
        desk_id: row.desk_id,
        host: row.host,
        port: row.port,
        tls_mode: row.tls_mode,
        username: row.username,
        folder: row.folder,
        default_service_id: row.default_service_id,
        unknown_sender: row.unknown_sender,
        enabled: row.enabled,
        poll_seconds: row.poll_seconds,
        password_configured: passwords.get(&password_variable).is_some(),
        password_variable,
        last_polled_at: row.last_polled_at,
        updated_at: row.updated_at,
        version: row.version,
    }
}

/// The recurring job of a desk's mailbox: one row per desk (`unique_key`), due now when the
/// mailbox is enabled, done (not claimed) when it is disabled.
pub async fn schedule(conn: &mut AsyncPgConnection, desk_id: Uuid, enabled: bool, now: DateTime<Utc>) -> QueryResult<()> {
    let key = super::job::unique_key(desk_id);
    if enabled {
        diesel::insert_into(jobs::table)
            .values((
                jobs::id.eq(Uuid::now_v7()),
                jobs::kind.eq(crate::jobs::MAILBOX_POLL),
                jobs::unique_key.eq(&key),
                jobs::payload.eq(serde_json::json!({"desk_id": desk_id})),
                jobs::run_at.eq(now),
            ))
            .on_conflict(jobs::unique_key)
            .do_update()
            .set((
                jobs::run_at.eq(now),
                jobs::done_at.eq(None::<DateTime<Utc>>),
                jobs::failed_at.eq(None::<DateTime<Utc>>),
                jobs::attempts.eq(0),
                jobs::last_error.eq(None::<String>),
            ))
            .execute(conn)
            .await?;
    } else {
        diesel::update(jobs::table.filter(jobs::unique_key.eq(&key))).set(jobs::done_at.eq(now)).execute(conn).await?;
    }
    Ok(())
}

async fn desk_code(conn: &mut AsyncPgConnection, desk_id: Uuid) -> AppResult<String> {
    Ok(desks::table.find(desk_id).select(desks::code).first(conn).await?)
}

/// A desk's mailbox settings (its supervisors and admins). 404 when it has none.
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Mailbox),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/desks/{id}/mailbox")]
pub async fn get_mailbox(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let id = *id;
    let mut conn = state.pool.get().await?;
    crate::desks::queries::require_manager(&mut conn, &user, id).await?;
    let code = desk_code(&mut conn, id).await?;
    let row: MailboxRow = desk_mailboxes::table.find(id).select(MailboxRow::as_select()).first(&mut conn).await?;
    let mailbox = render(row, &code, &state.config.mailbox_passwords);
    Ok(HttpResponse::Ok().insert_header(etag(mailbox.version)).json(mailbox))
}

/// Set a desk's mailbox (its supervisors and admins): the IMAP server and account, the folder,
/// the service of mail-opened cases and what to do with unknown senders. Enabled, it is read
/// every `poll_seconds` by the job runner. Send `If-Match` to refuse overwriting a newer version.
#[utoipa::path(tag = "desks", security(("bearer_auth" = [])), request_body = PutMailbox,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Mailbox),
        Unauthenticated,
        Forbidden,
        NotFound,
        Stale,
        Invalid))]
#[put("/desks/{id}/mailbox")]
pub async fn put_mailbox(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<PutMailbox>) -> AppResult<HttpResponse> {
    let id = *id;
    let mut conn = state.pool.get().await?;
    crate::desks::queries::require_manager(&mut conn, &user, id).await?;
    let code = desk_code(&mut conn, id).await?;
    let reference = state.reference(&mut conn, &user).await?;
    let c = check(&body.0, id, &reference)?;
    let now = Utc::now();
    let row = conn
        .transaction(async |conn| -> AppResult<MailboxRow> {
            let current: Option<MailboxRow> = desk_mailboxes::table.find(id).select(MailboxRow::as_select()).for_update().first(conn).await.optional()?;
            if let Some(cur) = &current {
                if_match.check(cur.version)?;
            } else if if_match.0.is_some() {
                return Err(AppError::PreconditionFailed);
            }
            // Another server, account or folder: its UIDs mean nothing here, read it from the start
            // (the Message-ID dedupe keeps anything already imported from coming in twice).
            let same_place = current
                .as_ref()
                .is_some_and(|cur| (cur.host.as_str(), cur.port, cur.username.as_str(), cur.folder.as_str()) == (c.host.as_str(), c.port, c.username.as_str(), c.folder.as_str()));
            let (uid_validity, last_uid) = match (&current, same_place) {
                (Some(cur), true) => (cur.uid_validity, cur.last_uid),
                _ => (None, 0),
            };
            let values = (
                desk_mailboxes::host.eq(&c.host),
                desk_mailboxes::port.eq(c.port),
                desk_mailboxes::tls_mode.eq(c.tls_mode),
                desk_mailboxes::username.eq(&c.username),
                desk_mailboxes::folder.eq(&c.folder),
                desk_mailboxes::default_service_id.eq(c.default_service_id),
                desk_mailboxes::unknown_sender.eq(c.unknown_sender),
                desk_mailboxes::enabled.eq(c.enabled),
                desk_mailboxes::poll_seconds.eq(c.poll_seconds),
                desk_mailboxes::uid_validity.eq(uid_validity),
                desk_mailboxes::last_uid.eq(last_uid),
                desk_mailboxes::updated_at.eq(now),
            );
            let row = match current {
                Some(cur) => {
                    diesel::update(desk_mailboxes::table.find(id))
                        .set((values, desk_mailboxes::version.eq(cur.version + 1)))
                        .returning(MailboxRow::as_returning())
                        .get_result(conn)
                        .await?
                }
                None => diesel::insert_into(desk_mailboxes::table).values((desk_mailboxes::desk_id.eq(id), values)).returning(MailboxRow::as_returning()).get_result(conn).await?,
            };
            schedule(conn, id, c.enabled, now).await?;
            Ok(row)
        })
        .await?;
    let mailbox = render(row, &code, &state.config.mailbox_passwords);
    Ok(HttpResponse::Ok().insert_header(etag(mailbox.version)).json(mailbox))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["127.0.0.1", "localhost", "::1", "[::1]", "127.5.0.1", "LOCALHOST"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["imap.cali.gov.co", "10.0.0.1", "localhost.evil.com", ""] {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn enums_spell_as_stored() {
        for m in TlsMode::ALL {
            assert_eq!(serde_json::to_value(m).unwrap(), serde_json::json!(m.as_str()));
        }
        for u in UnknownSender::ALL {
            assert_eq!(serde_json::to_value(u).unwrap(), serde_json::json!(u.as_str()));
        }
    }
}
