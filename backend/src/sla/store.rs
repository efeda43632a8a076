//! Calendars and policies in the database, and the clocks of cases: computed at registration,
//! recomputed on every change, paused while on hold.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::calendar::Calendar;
use super::catalogue::{Catalogue, PolicyRow};
use super::clock::{self, ClockInput, SlaView};
use super::policy::{self, AppliedTarget, CaseKey, Targets};
use crate::db::schema::{catalog_nodes, desks, services, sla_policies, ticket_pauses, tickets};
use crate::reference::Reference;
use crate::tickets::model::TicketRow;
use crate::tickets::state_machine::Status;

/// What measuring a case needs, loaded once for many cases.
pub struct Measure {
    pub policy: PolicyRow,
    pub targets: Targets,
    pub calendar: Calendar,
}

/// The pauses of each case, oldest first.
pub async fn pauses_of(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>>> {
    let rows: Vec<(Uuid, DateTime<Utc>, Option<DateTime<Utc>>)> = ticket_pauses::table
        .filter(ticket_pauses::ticket_id.eq_any(ids))
        .order(ticket_pauses::started_at)
        .select((ticket_pauses::ticket_id, ticket_pauses::started_at, ticket_pauses::ended_at))
        .load(conn)
        .await?;
    let mut map: HashMap<Uuid, Vec<_>> = HashMap::new();
    for (t, s, e) in rows {
        map.entry(t).or_default().push((s, e));
    }
    Ok(map)
}

/// The targets of a case and the rules they came from (see `policy::resolve`): by its priority,
/// type and level, and the service's promised resolution time when it has one.
pub fn applied_for(policy: &PolicyRow, t: &TicketRow, service_minutes: Option<i32>) -> Option<(AppliedTarget, AppliedTarget)> {
    let targets = policy.targets()?;
    Some(policy::resolve(&targets, CaseKey { priority: t.priority, ticket_type: t.ticket_type, level: t.level }, service_minutes))
}

/// The targets of a case as durations. A service's promise is shown as promised, never raised to
/// the attention target: policies and promises that would contradict each other are refused.
pub fn targets_for(policy: &PolicyRow, t: &TicketRow, service_minutes: Option<i32>) -> Option<(Duration, Duration)> {
    let (tto, ttr) = applied_for(policy, t, service_minutes)?;
    Some((Duration::minutes(tto.minutes as i64), Duration::minutes(ttr.minutes as i64)))
}

/// The services a policy measures (as their own, or as their desk's when they have none) that
/// promise a resolution time: name and business minutes.
pub async fn promises_under(conn: &mut AsyncPgConnection, policy_id: Uuid) -> QueryResult<Vec<(String, i32)>> {
    let own = services::sla_policy_id.eq(policy_id);
    let desks_own = services::sla_policy_id.is_null().and(desks::sla_policy_id.eq(policy_id));
    let rows: Vec<(String, Option<i32>)> = services::table
        .inner_join(catalog_nodes::table.on(catalog_nodes::id.eq(services::node_id)))
        .inner_join(desks::table.on(desks::id.eq(catalog_nodes::desk_id)))
        .filter(services::resolution_minutes.is_not_null())
        .filter(own.or(desks_own))
        .order(catalog_nodes::name)
        .select((catalog_nodes::name, services::resolution_minutes))
        .load(conn)
        .await?;
    Ok(rows.into_iter().filter_map(|(n, m)| Some((n, m?))).collect())
}

/// Refusals (under `sla_policy_id`) if the desk took `policy_id`: its services without a policy of
/// their own would come under it, and none may promise less than its attention targets.
pub async fn check_desk_policy(conn: &mut AsyncPgConnection, desk_id: Uuid, policy_id: Uuid) -> QueryResult<Vec<crate::error::FieldError>> {
    let Some(row) = sla_policies::table.find(policy_id).select(PolicyRow::as_select()).first(conn).await.optional()? else { return Ok(vec![]) };
    let Some(targets) = row.targets() else { return Ok(vec![]) };
    let promised: Vec<(String, Option<i32>)> = services::table
        .inner_join(catalog_nodes::table.on(catalog_nodes::id.eq(services::node_id)))
        .filter(catalog_nodes::desk_id.eq(desk_id))
        .filter(services::sla_policy_id.is_null())
        .filter(services::resolution_minutes.is_not_null())
        .order(catalog_nodes::name)
        .select((catalog_nodes::name, services::resolution_minutes))
        .load(conn)
        .await?;
    Ok(promised
        .into_iter()
        .filter_map(|(service, m)| {
            let why = policy::promise_refusal(&row.name, &targets, m?)?;
            Some(crate::error::FieldError::new("sla_policy_id", "below_attention_target", format!("service '{service}' promises {} min to resolve; {why}", m?)))
        })
        .take(1)
        .collect())
}

/// The policy that would measure a service: its own, else its desk's; with its name and targets.
pub async fn effective_policy(conn: &mut AsyncPgConnection, desk_id: Uuid, service_policy: Option<Uuid>) -> QueryResult<Option<(String, Targets)>> {
    let id = match service_policy {
        Some(id) => Some(id),
        None => desks::table.find(desk_id).select(desks::sla_policy_id).first::<Option<Uuid>>(conn).await.optional()?.flatten(),
    };
    let Some(id) = id else { return Ok(None) };
    let row: Option<PolicyRow> = sla_policies::table.find(id).select(PolicyRow::as_select()).first(conn).await.optional()?;
    Ok(row.and_then(|p| Some((p.name.clone(), p.targets()?))))
}

fn clocks<'a>(t: &TicketRow, pauses: &'a [(DateTime<Utc>, Option<DateTime<Utc>>)], tto: Duration, ttr: Duration) -> (ClockInput<'a>, ClockInput<'a>) {
    let finished = match t.status {
        Status::Resolved | Status::Closed => t.resolved_at.or(t.closed_at),
        Status::Rejected | Status::Cancelled => t.closed_at,
        _ => None,
    };
    (ClockInput { start: t.created_at, target: tto, pauses, stopped_at: t.taken_at.or(finished) }, ClockInput { start: t.created_at, target: ttr, pauses, stopped_at: finished })
}

pub struct Stored {
    pub policy_id: Option<Uuid>,
    pub policy_version: Option<i32>,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub response_met: Option<bool>,
    pub resolution_met: Option<bool>,
    /// Business minutes from registration until the case was taken / resolved (hold pauses,
    /// nights, weekends and holidays excluded): what reports average, set once the clock stopped.
    pub response_minutes: Option<i32>,
    pub resolution_minutes: Option<i32>,
}

/// What a case's SLA columns should hold now.
pub fn compute(cat: &Catalogue, t: &TicketRow, service: (Option<Uuid>, Option<i32>), pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)], now: DateTime<Utc>) -> Stored {
    let none = Stored {
        policy_id: None,
        policy_version: None,
        response_due_at: None,
        resolution_due_at: None,
        response_met: None,
        resolution_met: None,
        response_minutes: None,
        resolution_minutes: None,
    };
    let Some(policy) = cat.policy_for(t.desk_id, service.0) else { return none };
    let Some((tto, ttr)) = targets_for(policy, t, service.1) else { return none };
    let cal = cat.calendar_for(t.desk_id, policy);
    let (response, resolution) = clocks(t, pauses, tto, ttr);
    let response_run = response.stopped_at.map(|_| clock::elapsed(cal, &response, now));
    let resolution_run = resolution.stopped_at.map(|_| clock::elapsed(cal, &resolution, now));
    let minutes = |d: Duration| i32::try_from(d.num_minutes()).unwrap_or(i32::MAX);
    Stored {
        policy_id: Some(policy.id),
        policy_version: Some(policy.version),
        response_due_at: clock::due(cal, &response),
        resolution_due_at: clock::due(cal, &resolution),
        response_met: response_run.map(|r| r <= tto),
        resolution_met: resolution_run.map(|r| r <= ttr),
        response_minutes: response_run.map(minutes),
        resolution_minutes: resolution_run.map(minutes),
    }
}

/// Recomputes and stores a case's due dates and met flags from its whole history.
pub async fn refresh(conn: &mut AsyncPgConnection, reference: &Reference, ticket_id: Uuid, now: DateTime<Utc>) -> QueryResult<()> {
    let t: TicketRow = tickets::table.find(ticket_id).select(TicketRow::as_select()).first(conn).await?;
    let pauses = pauses_of(conn, &[ticket_id]).await?.remove(&ticket_id).unwrap_or_default();
    write(conn, ticket_id, &compute(&reference.sla, &t, reference.service_sla(t.service_id), &pauses, now)).await
}

pub async fn write(conn: &mut AsyncPgConnection, ticket_id: Uuid, s: &Stored) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::sla_policy_id.eq(s.policy_id),
            tickets::sla_policy_version.eq(s.policy_version),
            tickets::response_due_at.eq(s.response_due_at),
            tickets::resolution_due_at.eq(s.resolution_due_at),
            tickets::response_met.eq(s.response_met),
            tickets::resolution_met.eq(s.resolution_met),
            tickets::response_minutes.eq(s.response_minutes),
            tickets::resolution_minutes.eq(s.resolution_minutes),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A pause of a case's SLA clocks that a status change opens or closes (`on_hold`, `resolved`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseChange {
    Open(&'static str),
    Close(&'static str),
}

/// The pauses a status change closes and opens (pure): the clocks stop while a case is on hold
/// or waits for its requester to accept a solution.
pub fn pause_changes(old: Status, new: Status) -> Vec<PauseChange> {
    let mut changes = Vec::new();
    for (status, reason) in [(Status::OnHold, "on_hold"), (Status::Resolved, "resolved")] {
        if old == status && new != status {
            changes.push(PauseChange::Close(reason));
        }
    }
    for (status, reason) in [(Status::OnHold, "on_hold"), (Status::Resolved, "resolved")] {
        if old != status && new == status {
            changes.push(PauseChange::Open(reason));
        }
    }
    changes
}

/// Stores the pause changes a decision made (the clocks are then refreshed with [`refresh`]).
pub async fn apply_pauses(conn: &mut AsyncPgConnection, ticket_id: Uuid, changes: &[PauseChange], now: DateTime<Utc>) -> QueryResult<()> {
    for change in changes {
        match *change {
            PauseChange::Close(reason) => {
                diesel::update(
                    ticket_pauses::table.filter(ticket_pauses::ticket_id.eq(ticket_id)).filter(ticket_pauses::reason.eq(reason)).filter(ticket_pauses::ended_at.is_null()),
                )
                .set(ticket_pauses::ended_at.eq(now))
                .execute(conn)
                .await?;
            }
            PauseChange::Open(reason) => {
                diesel::insert_into(ticket_pauses::table)
                    .values((ticket_pauses::id.eq(Uuid::now_v7()), ticket_pauses::ticket_id.eq(ticket_id), ticket_pauses::reason.eq(reason), ticket_pauses::started_at.eq(now)))
                    .execute(conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Live clocks for a page of cases (one query, for the pauses, whatever the page size).
pub async fn views(conn: &mut AsyncPgConnection, reference: &Reference, rows: &[TicketRow], now: DateTime<Utc>) -> QueryResult<HashMap<Uuid, SlaView>> {
    let measured: Vec<&TicketRow> = rows.iter().filter(|t| t.sla_policy_id.is_some()).collect();
    if measured.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = measured.iter().map(|t| t.id).collect();
    let pauses = pauses_of(conn, &ids).await?;
    Ok(measured.into_iter().filter_map(|t| Some((t.id, view(reference, t, pauses.get(&t.id).map(Vec::as_slice).unwrap_or_default(), now)?))).collect())
}

/// The clocks of one case, given its pauses.
pub fn view(reference: &Reference, t: &TicketRow, pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)], now: DateTime<Utc>) -> Option<SlaView> {
    let cat = &reference.sla;
    let policy = t.sla_policy_id.and_then(|p| cat.policy(p))?;
    let (response_rule, resolution_rule) = applied_for(policy, t, reference.service_sla(t.service_id).1)?;
    let (tto, ttr) = (Duration::minutes(response_rule.minutes as i64), Duration::minutes(resolution_rule.minutes as i64));
    let cal = cat.calendar_for(t.desk_id, policy);
    let (response, resolution) = clocks(t, pauses, tto, ttr);
    Some(SlaView {
        policy_id: policy.id,
        policy_version: t.sla_policy_version.unwrap_or(policy.version),
        response: clock::view(cal, &response, now, policy.at_risk_share),
        resolution: clock::view(cal, &resolution, now, policy.at_risk_share),
        response_rule,
        resolution_rule,
    })
}

#[cfg(test)]
mod pause_tests {
    use super::*;

    #[test]
    fn pauses_follow_hold_and_resolution() {
        use PauseChange::*;
        assert_eq!(pause_changes(Status::InProgress, Status::OnHold), [Open("on_hold")]);
        assert_eq!(pause_changes(Status::OnHold, Status::Resolved), [Close("on_hold"), Open("resolved")]);
        assert_eq!(pause_changes(Status::Resolved, Status::InProgress), [Close("resolved")]);
        assert_eq!(pause_changes(Status::Resolved, Status::Closed), [Close("resolved")]);
        assert!(pause_changes(Status::Assigned, Status::InProgress).is_empty());
        assert!(pause_changes(Status::OnHold, Status::OnHold).is_empty());
    }
}
