//! The recurring job of each enabled desk mailbox (`mailbox_poll`, one per desk): read the
//! messages above the last UID seen, import each in its own transaction, then mark it `\Seen`.
//! The last UID is stored after each message, so a runner that dies loses nothing and imports
//! nothing twice; a message that cannot be read is recorded as skipped and passed, never retried
//! for ever.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::imap::{Folder, Server};
use super::import::{import, record, DeskMailbox, Intake, Origin, Outcome, Seen};
use super::settings::MailboxRow;
use crate::config::mailbox_password_variable;
use crate::db::schema::{desk_mailboxes, desks, jobs};

pub fn unique_key(desk_id: Uuid) -> String {
    format!("mailbox:{desk_id}")
}

/// How many of each outcome a run had.
#[derive(Debug, Default, PartialEq)]
pub struct Tally {
    pub created: usize,
    pub followups: usize,
    pub ignored: usize,
    pub refused: usize,
    pub skipped: usize,
    pub duplicates: usize,
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        match o {
            Outcome::Created { .. } => self.created += 1,
            Outcome::Followup { .. } => self.followups += 1,
            Outcome::Ignored(_) => self.ignored += 1,
            Outcome::Refused(_) => self.refused += 1,
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::Duplicate => self.duplicates += 1,
        }
    }
}

/// Reads the desk's mailbox once. `Ok(None)`: the mailbox is gone or disabled (the job ends).
pub async fn poll(conn: &mut AsyncPgConnection, intake: &Intake, desk_id: Uuid) -> anyhow::Result<Option<(Tally, i32)>> {
    let found: Option<(MailboxRow, String, String, Option<String>)> = desk_mailboxes::table
        .inner_join(desks::table)
        .filter(desk_mailboxes::desk_id.eq(desk_id))
        .select((MailboxRow::as_select(), desks::code, desks::name, desks::mailbox))
        .first(conn)
        .await
        .optional()?;
    let Some((settings, code, name, address)) = found else { return Ok(None) };
    if !settings.enabled {
        return Ok(None);
    }
    let variable = mailbox_password_variable(&code);
    let password = intake.passwords.get(&variable).ok_or_else(|| anyhow::anyhow!("no password for the mailbox of desk {code}: set {variable}"))?;
    let port = u16::try_from(settings.port)?;
    let server = Server { host: &settings.host, port, tls: settings.tls_mode, username: &settings.username, password: &password, extra_roots: &intake.extra_roots };
    let mut folder = Folder::open(&server, &settings.folder).await?;
    let every = settings.poll_seconds;
    let desk = DeskMailbox { id: desk_id, code, name, address, settings };
    let result = read(conn, intake, &desk, &mut folder).await;
    folder.logout().await;
    let tally = result?;
    diesel::update(desk_mailboxes::table.find(desk_id)).set(desk_mailboxes::last_polled_at.eq(Utc::now())).execute(conn).await?;
    Ok(Some((tally, every)))
}

async fn read(conn: &mut AsyncPgConnection, intake: &Intake, desk: &DeskMailbox, folder: &mut Folder) -> anyhow::Result<Tally> {
    let validity = folder.uid_validity;
    let mut last = desk.settings.last_uid;
    if desk.settings.uid_validity != Some(validity as i64) {
        // First read, or the folder was rebuilt: its UIDs start over.
        last = 0;
        diesel::update(desk_mailboxes::table.find(desk.id)).set((desk_mailboxes::uid_validity.eq(validity as i64), desk_mailboxes::last_uid.eq(0))).execute(conn).await?;
    }
    let after = u32::try_from(last).unwrap_or(u32::MAX);
    let uids = folder.uids_after(after).await?;
    let mut tally = Tally::default();
    if uids.is_empty() {
        return Ok(tally);
    }
    let sizes = folder.sizes(&uids).await?;
    for (uid, size) in sizes {
        let origin = Origin { uid_validity: validity, uid };
        let outcome = if size as usize > intake.max_message_bytes {
            // Not even downloaded.
            log::warn!("mailbox {}: UID {uid} skipped: {size} bytes is over the limit", desk.code);
            record(conn, None, desk.id, origin, Seen { key: &format!("uid:{validity}:{uid}"), sender: None, subject: None }, Outcome::Skipped("too_large".into()), None).await?
        } else {
            match folder.fetch(uid).await? {
                Some(raw) => match import(conn, intake, desk, origin, &raw).await {
                    Ok(o) => o,
                    // The database still answers: the fault is this message's, which is recorded
                    // and passed rather than retried for ever. Otherwise the run fails here and
                    // the message is read again by the next one.
                    Err(e) => {
                        let key = super::parse::hash_key(&raw);
                        let seen = Seen { key: &key, sender: None, subject: None };
                        match record(conn, None, desk.id, origin, seen, Outcome::Skipped("import_failed".into()), None).await {
                            Ok(o) => {
                                log::error!("mailbox {}: UID {uid} could not be imported, skipped: {e:#}", desk.code);
                                o
                            }
                            Err(_) => return Err(e),
                        }
                    }
                },
                // Deleted meanwhile.
                None => Outcome::Skipped("gone".into()),
            }
        };
        tally.add(&outcome);
        // Imported (or recorded): never read again, also if marking it seen fails.
        diesel::update(desk_mailboxes::table.find(desk.id)).set(desk_mailboxes::last_uid.eq(uid as i64)).execute(conn).await?;
        folder.mark_seen(uid).await?;
    }
    Ok(tally)
}

/// After a successful run: due again in `every` seconds, any run of failures ended.
pub async fn reschedule(conn: &mut AsyncPgConnection, job_id: Uuid, now: DateTime<Utc>, every: Option<i32>) -> QueryResult<()> {
    match every {
        Some(secs) => {
            diesel::update(jobs::table.find(job_id))
                .set((
                    jobs::run_at.eq(now + Duration::seconds(secs as i64)),
                    jobs::locked_until.eq(None::<DateTime<Utc>>),
                    jobs::last_error.eq(None::<String>),
                    jobs::attempts.eq(0),
                    jobs::failed_at.eq(None::<DateTime<Utc>>),
                ))
                .execute(conn)
                .await?
        }
        // Disabled or gone: done until the settings enable it again.
        None => diesel::update(jobs::table.find(job_id)).set((jobs::done_at.eq(now), jobs::locked_until.eq(None::<DateTime<Utc>>))).execute(conn).await?,
    };
    Ok(())
}
