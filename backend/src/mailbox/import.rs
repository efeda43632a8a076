//! One message into Mesa: a new case, a follow-up, or a recorded refusal — each in its own
//! transaction with the message's row in `mailbox_messages`, whose key makes a second delivery
//! of the same message (or a second run after a runner died) change nothing.
use std::sync::Arc;

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::answer::{self, Answer, Kind};
use super::classify::{classify, Class};
use super::parse::{self, Mail, MAX_SUBJECT_CHARS, MAX_TEXT_CHARS};
use super::settings::{MailboxRow, UnknownSender};
use crate::attachments::upload::check_file;
use crate::attachments::{Limits, Storage, UploadedFile};
use crate::auth::CurrentUser;
use crate::config::SecretLookup;
use crate::db::schema::{mailbox_answers, mailbox_messages, users};
use crate::error::AppError;
use crate::reference::ReferenceCache;
use crate::tickets::create::{register, CreateTicket};
use crate::tickets::domain::{Channel, Visibility};
use crate::users::domain::{AuthSource, Role};

/// What the intake job needs besides the database.
pub struct Intake {
    pub storage: Arc<Storage>,
    pub limits: Limits,
    pub max_message_bytes: usize,
    pub passwords: SecretLookup,
    /// CAs trusted for TLS besides Mozilla's roots.
    pub extra_roots: Vec<rustls_pki_types::CertificateDer<'static>>,
    pub reference: Arc<ReferenceCache>,
    /// Links in answers.
    pub public_url: String,
    /// Mesa's own sender addresses besides each desk's mailbox (mail from them is a loop).
    pub own_addresses: Vec<String>,
    /// Outgoing mail: a refusal's answer is queued in the outbox with it (`with_mail`). Without
    /// it the answer is only recorded in `mailbox_answers`.
    pub mail: Option<Arc<crate::notify::MailEnv>>,
}

impl Intake {
    pub fn new(c: &crate::config::IntakeConfig, passwords: SecretLookup, public_url: &str) -> std::io::Result<Intake> {
        Ok(Intake {
            storage: Arc::new(Storage::Local(crate::attachments::LocalDisk::new(c.attachments_dir.clone())?)),
            limits: Limits { max_file_bytes: c.attachment_max_bytes, max_files: c.attachment_max_files, max_json_bytes: crate::http::JSON_LIMIT },
            max_message_bytes: c.mailbox_max_message_bytes,
            passwords,
            extra_roots: c.mailbox_ca.clone(),
            reference: Arc::default(),
            public_url: public_url.to_owned(),
            own_addresses: Vec::new(),
            mail: None,
        })
    }

    /// Answers refusals by mail, from Mesa's sender address, which intake then also treats as its
    /// own (mail from it is a loop).
    pub fn with_mail(mut self, mail: Arc<crate::notify::MailEnv>) -> Intake {
        self.own_addresses.push(mail.from.clone());
        self.mail = Some(mail);
        self
    }

    /// The server's intake (`mesa serve`), from its configuration.
    pub fn from_config(c: &crate::config::Config) -> std::io::Result<Intake> {
        let files = crate::config::IntakeConfig {
            attachments_dir: c.attachments_dir.clone(),
            attachment_max_bytes: c.attachment_max_bytes,
            attachment_max_files: c.attachment_max_files,
            mailbox_max_message_bytes: c.mailbox_max_message_bytes,
            mailbox_ca: c.mailbox_ca.clone(),
        };
        Intake::new(&files, c.mailbox_passwords.clone(), c.public_url.as_str())
    }
}

/// The desk a mailbox belongs to.
pub struct DeskMailbox {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    /// The desk's own address (`desks.mailbox`).
    pub address: Option<String>,
    pub settings: MailboxRow,
}

/// What became of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Created {
        number: i64,
    },
    Followup {
        number: i64,
    },
    Ignored(&'static str),
    Refused(&'static str),
    Skipped(String),
    /// Already imported: nothing written.
    Duplicate,
}

impl Outcome {
    fn stored(&self) -> (&'static str, Option<String>) {
        match self {
            Outcome::Created { .. } => ("created", None),
            Outcome::Followup { .. } => ("followup", None),
            Outcome::Ignored(r) => ("ignored", Some(r.to_string())),
            Outcome::Refused(r) => ("refused", Some(r.to_string())),
            Outcome::Skipped(r) => ("skipped", Some(r.clone())),
            Outcome::Duplicate => ("duplicate", None),
        }
    }
}

/// Where a message was read from, kept with its row.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    pub uid_validity: u32,
    pub uid: u32,
}

struct Row<'a> {
    key: &'a str,
    sender: Option<&'a str>,
    subject: Option<&'a str>,
    outcome: &'a Outcome,
    ticket_id: Option<Uuid>,
    followup_id: Option<Uuid>,
    notes: &'a [String],
}

/// Inserts the message's row; `false` when it is there already (the message was imported).
async fn insert_row(conn: &mut AsyncPgConnection, desk_id: Uuid, origin: Origin, r: Row<'_>) -> QueryResult<bool> {
    let (outcome, reason) = r.outcome.stored();
    let n = diesel::insert_into(mailbox_messages::table)
        .values((
            mailbox_messages::desk_id.eq(desk_id),
            mailbox_messages::message_key.eq(r.key),
            mailbox_messages::uid_validity.eq(origin.uid_validity as i64),
            mailbox_messages::uid.eq(origin.uid as i64),
            mailbox_messages::sender.eq(r.sender),
            mailbox_messages::subject.eq(r.subject.map(|s| parse::truncate(s, 500))),
            mailbox_messages::outcome.eq(outcome),
            mailbox_messages::reason.eq(reason),
            mailbox_messages::ticket_id.eq(r.ticket_id),
            mailbox_messages::followup_id.eq(r.followup_id),
            mailbox_messages::notes.eq(json!(r.notes)),
            mailbox_messages::received_at.eq(Utc::now()),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

async fn insert_answer(conn: &mut AsyncPgConnection, mail: Option<&crate::notify::MailEnv>, desk_id: Uuid, key: &str, a: &Answer) -> anyhow::Result<()> {
    diesel::insert_into(mailbox_answers::table)
        .values((
            mailbox_answers::id.eq(Uuid::now_v7()),
            mailbox_answers::desk_id.eq(desk_id),
            mailbox_answers::message_key.eq(key),
            mailbox_answers::kind.eq(a.kind.as_str()),
            mailbox_answers::to_address.eq(&a.to),
            mailbox_answers::locale.eq(&a.locale),
            mailbox_answers::vars.eq(&a.vars),
        ))
        .execute(conn)
        .await?;
    // Queued in the same transaction: the answer goes out once, with the record of the message.
    if let Some(env) = mail {
        if a.to.parse::<lettre::Address>().is_ok() {
            let lang = crate::notify::Lang::of_locale(&a.locale);
            let mut vars = a.vars.clone();
            vars["reason"] = serde_json::json!(answer::reason_text(a, lang == crate::notify::Lang::En));
            let kind = match a.kind {
                answer::Kind::UnknownSenderInstructions => crate::notify::Kind::IntakeInstructions,
                _ => crate::notify::Kind::IntakeRefused,
            };
            crate::notify::queue_direct(conn, env, desk_id, None, &a.to, lang, kind, vars).await?;
        } else {
            log::warn!("mailbox: no answer mailed to {:?}: not an address", a.to);
        }
    }
    Ok(())
}

/// What is known of a message before anything is made of it.
#[derive(Clone, Copy)]
pub struct Seen<'a> {
    pub key: &'a str,
    pub sender: Option<&'a str>,
    pub subject: Option<&'a str>,
}

/// Records a message that leads to nothing but its row (ignored, skipped, or a refusal with its
/// answer), in one transaction.
pub async fn record(
    conn: &mut AsyncPgConnection,
    mail: Option<&crate::notify::MailEnv>,
    desk_id: Uuid,
    origin: Origin,
    seen: Seen<'_>,
    outcome: Outcome,
    answer: Option<Answer>,
) -> anyhow::Result<Outcome> {
    let inserted = conn
        .transaction(async |conn| -> anyhow::Result<bool> {
            let row = Row { key: seen.key, sender: seen.sender, subject: seen.subject, outcome: &outcome, ticket_id: None, followup_id: None, notes: &[] };
            if !insert_row(conn, desk_id, origin, row).await? {
                return Ok(false);
            }
            if let Some(a) = &answer {
                insert_answer(conn, mail, desk_id, seen.key, a).await?;
            }
            Ok(true)
        })
        .await?;
    Ok(if inserted { outcome } else { Outcome::Duplicate })
}

async fn known(conn: &mut AsyncPgConnection, desk_id: Uuid, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(mailbox_messages::table.find((desk_id, key)))).get_result(conn).await
}

/// The active user with this address (compared case-insensitively); the oldest account when
/// several share it.
async fn sender(conn: &mut AsyncPgConnection, address: &str) -> QueryResult<Option<Uuid>> {
    diesel::sql_query("SELECT id FROM users WHERE lower(email) = $1 AND active ORDER BY created_at, id LIMIT 1")
        .bind::<diesel::sql_types::Text, _>(address)
        .get_result::<IdRow>(conn)
        .await
        .optional()
        .map(|r| r.map(|r| r.id))
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
}

/// The password hash of accounts registered from mail: of a random secret nobody knows (made once
/// per process, never stored in clear), so they cannot log in until an admin sets a password.
static NO_PASSWORD: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

async fn no_password() -> String {
    NO_PASSWORD
        .get_or_init(|| async {
            let secret = format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple());
            tokio::task::spawn_blocking(move || crate::auth::password::hash(&secret)).await.expect("argon2 hashing does not panic")
        })
        .await
        .clone()
}

/// A requester account for an unknown sender (desk policy `register`): a local account nobody
/// can log in to yet (an admin sets its password), named from the address so parallel imports
/// of the same sender meet on the same row.
async fn register_sender(conn: &mut AsyncPgConnection, address: &str, name: Option<&str>) -> QueryResult<Uuid> {
    let password_hash = no_password().await;
    let local: String = address.split('@').next().unwrap_or("").chars().filter(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')).take(40).collect::<String>().to_lowercase();
    let hash: String = Sha256::digest(address.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect();
    let username = format!("{}-{hash}", if local.is_empty() { "correo" } else { &local });
    diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::username.eq(&username),
            users::display_name.eq(name.map(|n| parse::truncate(n, 160)).unwrap_or_else(|| address.to_owned())),
            users::email.eq(address),
            users::role.eq(Role::Requester),
            users::auth_source.eq(AuthSource::Local),
            users::password_hash.eq(&password_hash),
            users::locale.eq("es-CO"),
        ))
        .on_conflict(users::username)
        .do_nothing()
        .execute(conn)
        .await?;
    users::table.filter(users::username.eq(&username)).select(users::id).first(conn).await
}

/// The attachments that pass the upload checks, and a note for each that does not.
fn accept_files(mail: &Mail, limits: &Limits) -> (Vec<UploadedFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for a in &mail.attachments {
        let shown = if a.name.is_empty() { "(sin nombre)".to_owned() } else { a.name.clone() };
        if files.len() >= limits.max_files {
            notes.push(format!("{shown}: more than {} files in one message", limits.max_files));
            continue;
        }
        match check_file("file", &a.name, a.bytes.clone(), limits) {
            Ok(f) => files.push(f),
            Err(why) => notes.push(format!("{shown}: {why}")),
        }
    }
    (files, notes)
}

/// The text of a case or follow-up, with what was left out noted at its end.
fn text_with_notes(text: &str, notes: &[String]) -> String {
    let mut out = text.trim().to_owned();
    if out.is_empty() {
        out = "(mensaje sin texto)".into();
    }
    if !notes.is_empty() {
        out.push_str("\n\n[Adjuntos no importados / attachments not imported]\n");
        out.push_str(&notes.iter().map(|n| format!("- {n}")).collect::<Vec<_>>().join("\n"));
    }
    parse::truncate(&out, MAX_TEXT_CHARS)
}

/// A refusal of the registration or follow-up path that the sender can be told about; anything
/// else (the database failing) is the run's error.
fn refusal(e: &AppError) -> Option<(&'static str, Kind)> {
    match e {
        AppError::NotFound | AppError::Forbidden => Some(("not_allowed", Kind::ReplyNotAllowed)),
        AppError::Conflict { code: "case_closed", .. } => Some(("case_closed", Kind::ReplyClosed)),
        AppError::Validation(_) | AppError::Conflict { .. } => Some(("invalid", Kind::RegistrationRefused)),
        _ => None,
    }
}

/// Imports one message read from the desk's mailbox.
pub async fn import(conn: &mut AsyncPgConnection, intake: &Intake, desk: &DeskMailbox, origin: Origin, raw: &[u8]) -> anyhow::Result<Outcome> {
    if raw.len() > intake.max_message_bytes {
        return record(conn, intake.mail.as_deref(), desk.id, origin, Seen { key: &parse::hash_key(raw), sender: None, subject: None }, Outcome::Skipped("too_large".into()), None)
            .await;
    }
    let mail = match parse::parse(raw) {
        Ok(m) => m,
        Err(why) => {
            log::warn!("mailbox {}: UID {} skipped: {}", desk.code, origin.uid, why.as_str());
            return record(
                conn,
                intake.mail.as_deref(),
                desk.id,
                origin,
                Seen { key: &parse::hash_key(raw), sender: None, subject: None },
                Outcome::Skipped(why.as_str().into()),
                None,
            )
            .await;
        }
    };
    if known(conn, desk.id, &mail.key).await? {
        return Ok(Outcome::Duplicate);
    }
    let mut own: Vec<String> = intake.own_addresses.iter().map(|a| a.to_lowercase()).collect();
    own.extend(desk.address.iter().map(|a| a.to_lowercase()));
    if desk.settings.username.contains('@') {
        own.push(desk.settings.username.to_lowercase());
    }
    let from = mail.facts.from.clone();
    let subject = mail.facts.subject.clone();
    let cx = answer::Context { desk_name: &desk.name, portal_url: &intake.public_url, subject: &subject, message_id: mail.facts.message_id.as_deref() };
    let class = classify(&mail.facts, &own);
    let (number, address) = match (&class, &from) {
        (Class::Ignore(why), _) => {
            return record(
                conn,
                intake.mail.as_deref(),
                desk.id,
                origin,
                Seen { key: &mail.key, sender: from.as_deref(), subject: Some(&subject) },
                Outcome::Ignored(why.as_str()),
                None,
            )
            .await
        }
        (Class::NoSender, _) | (_, None) => {
            log::warn!("mailbox {}: UID {} skipped: no sender", desk.code, origin.uid);
            return record(
                conn,
                intake.mail.as_deref(),
                desk.id,
                origin,
                Seen { key: &mail.key, sender: None, subject: Some(&subject) },
                Outcome::Skipped("no_sender".into()),
                None,
            )
            .await;
        }
        (Class::Reply { number }, Some(a)) => (Some(*number), a.clone()),
        (Class::New, Some(a)) => (None, a.clone()),
    };
    let user_id = sender(conn, &address).await?;
    if user_id.is_none() {
        // Only a new case may register its sender; a stranger's reply is refused like any other.
        let instruct = desk.settings.unknown_sender == UnknownSender::Instruct;
        if number.is_some() || instruct {
            let (reason, kind) = if number.is_some() { ("not_allowed", Kind::ReplyNotAllowed) } else { ("unknown_sender", Kind::UnknownSenderInstructions) };
            let a = answer::answer(kind, &address, None, number, Some(reason), &cx);
            return record(
                conn,
                intake.mail.as_deref(),
                desk.id,
                origin,
                Seen { key: &mail.key, sender: Some(&address), subject: Some(&subject) },
                Outcome::Refused(reason),
                Some(a),
            )
            .await;
        }
    }
    let (files, notes) = accept_files(&mail, &intake.limits);
    // Files go to storage first; if the transaction then fails they are removed again.
    let mut keys = Vec::new();
    for f in &files {
        match intake.storage.put(&f.bytes).await {
            Ok(k) => keys.push(k),
            Err(e) => {
                cleanup(intake, &keys).await;
                return Err(anyhow::anyhow!("storing an attachment: {e}"));
            }
        }
    }
    let result = conn
        .transaction(async |conn| -> anyhow::Result<(Outcome, Option<Answer>)> {
            let uid = match user_id {
                Some(u) => u,
                None => register_sender(conn, &address, mail.sender_name.as_deref()).await?,
            };
            let user: CurrentUser = CurrentUser::acting_as(conn, uid).await?.ok_or_else(|| anyhow::anyhow!("the sender's account {uid} is gone"))?;
            let reference = intake.reference.get(conn, user.1.reference_generation).await?;
            let locale = user.0.locale.clone();
            let attempt = conn
                .transaction(async |conn| -> Result<(Outcome, Option<Uuid>, Option<Uuid>), AppError> {
                    match number {
                        Some(n) => {
                            let body = text_with_notes(&parse::strip_quoted(&mail.text), &notes);
                            let (f, t) = crate::tickets::followups::write(conn, &reference, &user, n, &body, Visibility::Public, &files, &keys).await?;
                            Ok((Outcome::Followup { number: n }, Some(t.id), Some(f.id)))
                        }
                        None => {
                            let subject = if subject.trim().is_empty() { "(sin asunto)".to_owned() } else { parse::truncate(subject.trim(), MAX_SUBJECT_CHARS) };
                            let body = CreateTicket {
                                service_id: desk.settings.default_service_id,
                                subject,
                                description: text_with_notes(&mail.text, &notes),
                                contact_phone: None,
                                location_id: None,
                                area_id: None,
                                organization_id: None,
                                ticket_type: None,
                                fields: serde_json::Map::new(),
                                requester_id: None,
                                channel: None,
                                external_reference: None,
                                identity_number: None,
                            };
                            let t = register(conn, &reference, &user, body, &files, &keys, Some(Channel::Email)).await?;
                            Ok((Outcome::Created { number: t.number }, Some(t.id), None))
                        }
                    }
                })
                .await;
            let (outcome, ticket_id, followup_id, answer) = match attempt {
                Ok((o, t, f)) => (o, t, f, None),
                Err(e) => match refusal(&e) {
                    Some((reason, kind)) => {
                        let kind = if number.is_none() { Kind::RegistrationRefused } else { kind };
                        let why: Value = json!(e.problem().errors);
                        log::info!("mailbox {}: UID {} from {address} refused ({reason}): {e} {why}", desk.code, origin.uid);
                        (Outcome::Refused(reason), None, None, Some(answer::answer(kind, &address, Some(&locale), number, Some(reason), &cx)))
                    }
                    None => return Err(anyhow::anyhow!("{e}")),
                },
            };
            let row = Row { key: &mail.key, sender: Some(&address), subject: Some(&subject), outcome: &outcome, ticket_id, followup_id, notes: &notes };
            if !insert_row(conn, desk.id, origin, row).await? {
                // Imported meanwhile by another runner: undo this one.
                return Err(anyhow::Error::new(AlreadyImported));
            }
            if let Some(a) = &answer {
                insert_answer(conn, intake.mail.as_deref(), desk.id, &mail.key, a).await?;
            }
            Ok((outcome, answer))
        })
        .await;
    match result {
        Ok((outcome, _)) => {
            if !matches!(outcome, Outcome::Created { .. } | Outcome::Followup { .. }) {
                cleanup(intake, &keys).await;
            }
            Ok(outcome)
        }
        Err(e) => {
            cleanup(intake, &keys).await;
            if e.is::<AlreadyImported>() {
                Ok(Outcome::Duplicate)
            } else {
                Err(e)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("already imported")]
struct AlreadyImported;

async fn cleanup(intake: &Intake, keys: &[String]) {
    for k in keys {
        if let Err(e) = intake.storage.delete(k).await {
            log::warn!("could not remove orphan attachment {k}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_end_the_text_and_empty_mail_says_so() {
        assert_eq!(text_with_notes("  ", &[]), "(mensaje sin texto)");
        let t = text_with_notes("Hola", &["virus.exe: its content is an executable".into()]);
        assert!(t.starts_with("Hola\n\n[Adjuntos no importados"));
        assert!(t.ends_with("- virus.exe: its content is an executable"));
        assert_eq!(text_with_notes(&"a".repeat(30_000), &[]).chars().count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn refusals_are_told_and_faults_are_not() {
        assert_eq!(refusal(&AppError::NotFound), Some(("not_allowed", Kind::ReplyNotAllowed)));
        assert_eq!(refusal(&AppError::Forbidden), Some(("not_allowed", Kind::ReplyNotAllowed)));
        assert_eq!(refusal(&AppError::conflict("case_closed", "closed")), Some(("case_closed", Kind::ReplyClosed)));
        assert_eq!(refusal(&AppError::field("identity_number", "required", "x")).map(|r| r.0), Some("invalid"));
        assert_eq!(refusal(&AppError::database_unavailable()), None);
        assert_eq!(refusal(&AppError::Internal(anyhow::anyhow!("x"))), None);
    }
}
