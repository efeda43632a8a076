//! Surveys in the database: the desk's definition, the survey every resolution sends (written by
//! `tickets::lifecycle::commit`), and the requester's answer through the lifecycle.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::domain::*;
use crate::db::schema::{desks, surveys, tickets};
use crate::error::{AppError, AppResult};
use crate::reference::Reference;
use crate::tickets::audit::NewEvent;
use crate::tickets::domain::Visibility;
use crate::tickets::lifecycle::{self, Command, Lookups, Who};
use crate::tickets::model::TicketRow;
use crate::tickets::state_machine::{Actor, Status};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = surveys, check_for_backend(diesel::pg::Pg))]
pub struct SurveyRow {
    pub id: Uuid,
    pub ticket_id: Uuid,
    pub requester_id: Uuid,
    pub desk_id: Uuid,
    pub service_id: Uuid,
    pub group_id: Option<Uuid>,
    pub agent_id: Option<Uuid>,
    pub state: SurveyState,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub rating: Option<i16>,
    pub solved: Option<bool>,
    pub comment: Option<String>,
    pub satisfied: Option<bool>,
}

type DefinitionColumns = (i32, Option<i16>, i16, bool, Vec<i32>, bool, i32);

/// The desk's survey definition and its version (the desk's).
pub async fn definition(conn: &mut AsyncPgConnection, desk_id: Uuid) -> QueryResult<(Definition, i32)> {
    let (hours, days, satisfied_min, ask_solved, reminder_hours, staff_close_allowed, version): DefinitionColumns = desks::table
        .find(desk_id)
        .select((
            desks::auto_close_hours,
            desks::auto_close_business_days,
            desks::survey_satisfied_min,
            desks::survey_ask_solved,
            desks::survey_reminder_hours,
            desks::staff_close_allowed,
            desks::version,
        ))
        .first(conn)
        .await?;
    let delay = match days {
        Some(d) => Delay { unit: DelayUnit::BusinessDays, amount: d as i32 },
        None => Delay { unit: DelayUnit::Hours, amount: hours },
    };
    Ok((Definition { ask_solved, satisfied_min, delay, reminder_hours, staff_close_allowed }, version))
}

/// What a change of a case does to its surveys, in the change's transaction (called by
/// `lifecycle::commit`): a resolution sends a new survey, expiring at the desk's deadline (an
/// older one still pending is withdrawn); leaving `resolved` otherwise than by a verdict or the
/// delay withdraws the pending one. Returns the audit entries to record with the change.
pub async fn on_case_change(conn: &mut AsyncPgConnection, reference: &Reference, old: &TicketRow, new: &TicketRow, now: DateTime<Utc>) -> QueryResult<Vec<NewEvent>> {
    let mut events = Vec::new();
    let resolved_now = new.status == Status::Resolved && old.status != Status::Resolved;
    if (old.status == Status::Resolved && new.status != Status::Resolved) || resolved_now {
        diesel::update(surveys::table.filter(surveys::ticket_id.eq(old.id)).filter(surveys::state.eq(SurveyState::Pending)))
            .set((surveys::state.eq(SurveyState::Withdrawn), surveys::ended_at.eq(now)))
            .execute(conn)
            .await?;
    }
    if resolved_now {
        let (def, _) = definition(conn, new.desk_id).await?;
        let expires_at = deadline(def.delay, reference.sla.desk_calendar(new.desk_id), now);
        let id = Uuid::now_v7();
        diesel::insert_into(surveys::table)
            .values((
                surveys::id.eq(id),
                surveys::ticket_id.eq(new.id),
                surveys::requester_id.eq(new.requester_id),
                surveys::desk_id.eq(new.desk_id),
                surveys::service_id.eq(new.service_id),
                surveys::group_id.eq(new.assigned_group_id),
                surveys::agent_id.eq(new.assigned_agent_id),
                surveys::state.eq(SurveyState::Pending),
                surveys::created_at.eq(now),
                surveys::expires_at.eq(expires_at),
            ))
            .execute(conn)
            .await?;
        // The solution mail carries this survey's link (`surveys::link_for`).
        events.push(NewEvent { kind: "survey", old_value: None, new_value: Some(json!({"survey_id": id, "expires_at": expires_at})), visibility: Visibility::Public });
    }
    Ok(events)
}

/// The survey, locked for this transaction.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SurveyRow>> {
    surveys::table.find(id).select(SurveyRow::as_select()).for_update().first(conn).await.optional()
}

/// The case's latest survey.
pub async fn latest_of(conn: &mut AsyncPgConnection, ticket_id: Uuid) -> QueryResult<Option<SurveyRow>> {
    surveys::table.filter(surveys::ticket_id.eq(ticket_id)).order((surveys::created_at.desc(), surveys::id.desc())).select(SurveyRow::as_select()).first(conn).await.optional()
}

/// A survey that can no longer be answered: 409 once answered, 410 once expired or withdrawn.
pub fn refuse_unless_open(s: &SurveyRow, now: DateTime<Utc>) -> AppResult<()> {
    match s.state {
        SurveyState::Answered => Err(AppError::conflict("survey_already_answered", "this survey was already answered; nothing was changed")),
        SurveyState::Withdrawn => {
            Err(AppError::Gone { code: "survey_withdrawn", detail: "the case left this resolution behind (a newer survey or another decision replaced it)".into() })
        }
        SurveyState::Expired => Err(AppError::Gone { code: "survey_expired", detail: "the time to answer ended and the case was closed as accepted".into() }),
        SurveyState::Pending if s.expires_at <= now => Err(AppError::Gone { code: "survey_expired", detail: "the time to answer has ended".into() }),
        SurveyState::Pending => Ok(()),
    }
}

/// The requester's verdict, in the caller's transaction: the survey (locked) is answered once,
/// the case closes or reopens through the lifecycle ("Abierto por encuesta", the same assignee,
/// the resolution clock running again), and the comment becomes a public follow-up. Returns
/// the survey and the case as stored.
pub async fn answer(conn: &mut AsyncPgConnection, reference: &Reference, survey_id: Uuid, raw: RawAnswer<'_>, now: DateTime<Utc>) -> AppResult<(SurveyRow, TicketRow)> {
    // The case before its survey: the order every change of a case takes (the lifecycle's hook
    // updates the survey while the case is locked), so two answers cannot deadlock.
    let ticket_id: Uuid = surveys::table.find(survey_id).select(surveys::ticket_id).first(conn).await.optional()?.ok_or(AppError::NotFound)?;
    let old: TicketRow = tickets::table.find(ticket_id).select(TicketRow::as_select()).for_update().first(conn).await?;
    let survey = lock(conn, survey_id).await?.ok_or(AppError::NotFound)?;
    refuse_unless_open(&survey, now)?;
    let (def, _) = definition(conn, survey.desk_id).await?;
    let a = Answer::parse(&def, raw.rating, raw.solved, raw.comment).map_err(AppError::Validation)?;
    let satisfied = is_satisfied(&def, a.rating, a.solved);
    // Answered before the case changes, so the lifecycle's hook finds nothing pending to withdraw.
    let saved_survey: SurveyRow = diesel::update(surveys::table.find(survey.id))
        .set((
            surveys::state.eq(SurveyState::Answered),
            surveys::answered_at.eq(now),
            surveys::ended_at.eq(now),
            surveys::rating.eq(a.rating),
            surveys::solved.eq(a.solved),
            surveys::comment.eq(&a.comment),
            surveys::satisfied.eq(satisfied),
        ))
        .returning(SurveyRow::as_returning())
        .get_result(conn)
        .await?;
    let who = Who { id: Some(old.requester_id), actor: Actor::Requester, in_case_group: false, desk_wide: false, group_at_level: None, staff_may_close: false };
    let mut decision = lifecycle::decide(&old, &Command::Verdict { satisfied }, &Lookups::default(), &who, now)?;
    decision.events.insert(
        0,
        NewEvent {
            kind: "survey_answered",
            old_value: None,
            // The answer as `GET /tickets/{number}/survey` shows it (webhooks send it as is).
            new_value: Some(json!({
                "survey_id": survey.id, "rating": saved_survey.rating, "solved": saved_survey.solved, "comment": saved_survey.comment,
                "satisfied": saved_survey.satisfied, "answered_at": saved_survey.answered_at,
            })),
            visibility: Visibility::Public,
        },
    );
    let saved = lifecycle::commit(conn, reference, &old, decision, Some(old.requester_id), now).await?;
    if let Some(c) = &a.comment {
        crate::tickets::followups::insert(conn, old.id, old.requester_id, c, Visibility::Public, now).await?;
    }
    Ok((saved_survey, saved))
}

/// The answer as the client sent it (checked by [`Answer::parse`] against the desk's definition).
pub struct RawAnswer<'a> {
    pub rating: i64,
    pub solved: Option<bool>,
    pub comment: Option<&'a str>,
}

impl SurveyRow {
    pub async fn query(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<SurveyRow>> {
        surveys::table.find(id).select(SurveyRow::as_select()).first(conn).await.optional()
    }
}
