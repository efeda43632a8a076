//! The time-based side of the verdict, run by the job queue (`jobs`) with an explicit `now`:
//! acceptance by silence, reminders, desisted archival. Each case is locked (`SKIP LOCKED`) and
//! re-checked before it changes, so any number of runners close or archive each case once.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::domain::{due_reminder, SurveyState};
use crate::db::schema::{desks, survey_reminders, surveys, tickets};
use crate::error::{AppError, AppResult};
use crate::reference::Reference;
use crate::tickets::audit::{self, NewEvent};
use crate::tickets::domain::{HoldReason, Visibility};
use crate::tickets::lifecycle::{self, Command, Lookups, Who};
use crate::tickets::model::TicketRow;
use crate::tickets::state_machine::Status;

const BATCH: i64 = 200;

/// Closes the cases whose survey expired unanswered, as accepted by silence (the `status`
/// event's `close_reason` is `silence`); returns how many.
pub async fn close_expired(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let reference = Reference::load(conn).await?;
    let mut closed = 0;
    loop {
        let due: Vec<Uuid> = surveys::table
            .filter(surveys::state.eq(SurveyState::Pending))
            .filter(surveys::expires_at.le(now))
            .order(surveys::expires_at)
            .limit(BATCH)
            .select(surveys::id)
            .load(conn)
            .await?;
        let mut handled = 0;
        for id in &due {
            match conn.transaction(async |conn| -> AppResult<Option<bool>> { close_one(conn, &reference, *id, now).await }).await? {
                Some(true) => {
                    closed += 1;
                    handled += 1;
                }
                Some(false) => handled += 1,
                None => {}
            }
        }
        // Surveys another runner holds are left to it: stop once a batch changed nothing here.
        if due.len() < BATCH as usize || handled == 0 {
            return Ok(closed);
        }
    }
}

/// `None`: another runner has it, or it is no longer due; `Some(closed)` otherwise.
async fn close_one(conn: &mut AsyncPgConnection, reference: &Reference, survey_id: Uuid, now: DateTime<Utc>) -> AppResult<Option<bool>> {
    // The case first, then its survey (the order of every change of a case); a case another
    // request holds is left for the next run.
    let Some(ticket_id) = surveys::table.find(survey_id).select(surveys::ticket_id).first::<Uuid>(conn).await.optional()? else { return Ok(None) };
    let Some(old) = tickets::table.find(ticket_id).select(TicketRow::as_select()).for_update().skip_locked().first::<TicketRow>(conn).await.optional()? else {
        return Ok(None);
    };
    let due: Option<Uuid> = surveys::table
        .find(survey_id)
        .filter(surveys::state.eq(SurveyState::Pending))
        .filter(surveys::expires_at.le(now))
        .select(surveys::id)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    if due.is_none() {
        return Ok(None);
    }
    let (state, closes) = if old.status == Status::Resolved { (SurveyState::Expired, true) } else { (SurveyState::Withdrawn, false) };
    diesel::update(surveys::table.find(survey_id)).set((surveys::state.eq(state), surveys::ended_at.eq(now))).execute(conn).await?;
    if !closes {
        return Ok(Some(false));
    }
    let decision = lifecycle::decide(&old, &Command::AcceptBySilence, &Lookups::default(), &Who::SYSTEM, now)?;
    lifecycle::commit(conn, reference, &old, decision, None, now).await?;
    Ok(Some(true))
}

/// Archives as desisted the cases on hold waiting for the requester whose `desist_at` passed;
/// returns how many.
pub async fn archive_desisted(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let reference = Reference::load(conn).await?;
    let mut archived = 0;
    loop {
        let due: Vec<Uuid> = desist_due(now).order(tickets::desist_at).limit(BATCH).select(tickets::id).load(conn).await?;
        let before = archived;
        for id in &due {
            let done = conn
                .transaction(async |conn| -> AppResult<bool> {
                    let locked: Option<TicketRow> = tickets::table
                        .find(*id)
                        .filter(tickets::status.eq(Status::OnHold))
                        .filter(tickets::desist_at.le(now))
                        .select(TicketRow::as_select())
                        .for_update()
                        .skip_locked()
                        .first(conn)
                        .await
                        .optional()?;
                    let Some(old) = locked else { return Ok(false) };
                    match lifecycle::decide(&old, &Command::Desist, &Lookups::default(), &Who::SYSTEM, now) {
                        Ok(decision) => {
                            lifecycle::commit(conn, &reference, &old, decision, None, now).await?;
                            Ok(true)
                        }
                        // Another hold reason (not waiting for the requester): left on hold.
                        Err(lifecycle::Refusal::NotNow { .. }) => Ok(false),
                        Err(e) => Err(AppError::from(e)),
                    }
                })
                .await?;
            archived += done as usize;
        }
        // Cases another runner holds are left to it.
        if due.len() < BATCH as usize || archived == before {
            return Ok(archived);
        }
    }
}

fn desist_due(now: DateTime<Utc>) -> tickets::BoxedQuery<'static, diesel::pg::Pg> {
    tickets::table.filter(tickets::status.eq(Status::OnHold)).filter(tickets::desist_at.le(now)).filter(tickets::hold_reason.eq(HoldReason::WaitingRequester)).into_boxed()
}

/// Records the survey reminders that fell due (one row per survey and offset; the reminder mail
/// hangs on it) with a `survey_reminder` entry in the case's audit trail; returns how many.
/// Also forgets the public endpoints' old rate-limit counters.
pub async fn record_reminders(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> AppResult<usize> {
    super::throttle::purge(conn, now).await?;
    type Pending = (Uuid, Uuid, DateTime<Utc>, DateTime<Utc>, Vec<i32>);
    let pending: Vec<Pending> = surveys::table
        .inner_join(desks::table.on(desks::id.eq(surveys::desk_id)))
        .filter(surveys::state.eq(SurveyState::Pending))
        .filter(surveys::expires_at.gt(now))
        .select((surveys::id, surveys::ticket_id, surveys::created_at, surveys::expires_at, desks::survey_reminder_hours))
        .load(conn)
        .await?;
    if pending.is_empty() {
        return Ok(0);
    }
    let ids: Vec<Uuid> = pending.iter().map(|p| p.0).collect();
    let recorded: Vec<(Uuid, i32)> =
        survey_reminders::table.filter(survey_reminders::survey_id.eq_any(&ids)).select((survey_reminders::survey_id, survey_reminders::hours_before)).load(conn).await?;
    let mut count = 0;
    for (id, ticket_id, sent_at, expires_at, hours) in pending {
        let mine: Vec<i32> = recorded.iter().filter(|r| r.0 == id).map(|r| r.1).collect();
        let Some((h, due_at)) = due_reminder(&hours, sent_at, expires_at, now, &mine) else { continue };
        let done = conn
            .transaction(async |conn| -> QueryResult<bool> {
                // The case, then its survey (the order of every change of a case): a case another
                // request holds waits for the next run, an answer given meanwhile ends it here.
                let locked = tickets::table.find(ticket_id).select(tickets::id).for_update().skip_locked().first::<Uuid>(conn).await.optional()?;
                let still_pending =
                    surveys::table.find(id).filter(surveys::state.eq(SurveyState::Pending)).select(surveys::id).for_update().first::<Uuid>(conn).await.optional()?;
                if locked.is_none() || still_pending.is_none() {
                    return Ok(false);
                }
                // The key decides: with several runners, one records it.
                let inserted = diesel::insert_into(survey_reminders::table)
                    .values((survey_reminders::survey_id.eq(id), survey_reminders::hours_before.eq(h), survey_reminders::due_at.eq(due_at), survey_reminders::recorded_at.eq(now)))
                    .on_conflict_do_nothing()
                    .execute(conn)
                    .await?;
                if inserted == 1 {
                    let event = NewEvent {
                        kind: "survey_reminder",
                        old_value: None,
                        new_value: Some(json!({"survey_id": id, "hours_before": h, "expires_at": expires_at})),
                        visibility: Visibility::Public,
                    };
                    audit::record(conn, ticket_id, None, vec![event]).await?;
                    // Mailed to the requester with the survey's link (written when the mail is).
                    let ticket = crate::tickets::queries::by_id(conn, ticket_id).await?;
                    crate::notify::record(conn, crate::notify::Kind::SurveyReminder, &ticket, None, json!({"survey_id": id, "expires_at": expires_at}), now).await?;
                }
                Ok(inserted == 1)
            })
            .await?;
        count += done as usize;
    }
    Ok(count)
}
