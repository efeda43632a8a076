//! Escalation rules: when a clock passes a rule's share of its target, the rule fires — once per
//! case, whatever the number of runners (the firing's primary key decides).
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::json;
use uuid::Uuid;

use super::clock::{self, ClockInput};
use super::policy::{ClockKind, Rule, RuleAction};
use super::store;
use crate::db::schema::{sla_rule_firings, support_groups, tickets};
use crate::error::{AppError, AppResult};
use crate::reference::Reference;
use crate::tickets::audit::NewEvent;
use crate::tickets::domain::{Priority, Visibility};
use crate::tickets::lifecycle::{self, Command, Decision, Who};
use crate::tickets::model::TicketRow;
use crate::tickets::queries as tq;
use crate::tickets::state_machine::Status;

const BATCH: i64 = 500;

/// Checks every open measured case once; returns how many rules fired.
pub async fn check(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let started = std::time::Instant::now();
    let reference = Reference::load(conn).await?;
    let mut cursor = Uuid::nil();
    let (mut checked, mut fired) = (0, 0);
    loop {
        let (last, seen, n) = check_batch(conn, &reference, cursor, now).await?;
        checked += seen;
        fired += n;
        match last {
            Some(id) => cursor = id,
            None => break,
        }
    }
    log::debug!("sla: checked {checked} open cases in {} ms, {fired} rule(s) fired", started.elapsed().as_millis());
    Ok(fired)
}

/// One batch of open cases after `cursor`, read without locks; only the cases a rule fires on are
/// locked (skipped if another runner holds them), re-checked and changed, each in its own
/// transaction — so the minute's check does not lock every open case.
/// Returns the last case read, how many were read and how many rules fired.
async fn check_batch(conn: &mut AsyncPgConnection, reference: &Reference, cursor: Uuid, now: DateTime<Utc>) -> AppResult<(Option<Uuid>, usize, usize)> {
    let rows: Vec<TicketRow> = open_measured().filter(tickets::id.gt(cursor)).order(tickets::id).limit(BATCH).select(TicketRow::as_select()).load(conn).await?;
    let Some(last) = rows.last().map(|t| t.id) else { return Ok((None, 0, 0)) };
    let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
    let pauses = store::pauses_of(conn, &ids).await?;
    let fired_before: Vec<(Uuid, Uuid)> =
        sla_rule_firings::table.filter(sla_rule_firings::ticket_id.eq_any(&ids)).select((sla_rule_firings::ticket_id, sla_rule_firings::rule_id)).load(conn).await?;
    let empty = Vec::new();
    let mut fired = 0;
    for t in &rows {
        if due_rules(reference, t, pauses.get(&t.id).unwrap_or(&empty), &fired_before, now).is_empty() {
            continue;
        }
        fired += conn.transaction(async |conn| -> AppResult<usize> { fire(conn, reference, t.id, now).await }).await?;
    }
    Ok((Some(last), rows.len(), fired))
}

fn open_measured() -> tickets::BoxedQuery<'static, diesel::pg::Pg> {
    tickets::table.filter(tickets::status.eq_any(Status::OPEN)).filter(tickets::sla_policy_id.is_not_null()).into_boxed()
}

/// The rules of the case's policy whose moment has come and that have not fired on it yet.
fn due_rules(reference: &Reference, t: &TicketRow, pauses: &[(DateTime<Utc>, Option<DateTime<Utc>>)], fired_before: &[(Uuid, Uuid)], now: DateTime<Utc>) -> Vec<(Uuid, Rule)> {
    let cat = &reference.sla;
    let Some(policy) = t.sla_policy_id.and_then(|p| cat.policy(p)) else { return vec![] };
    let Some((tto, ttr)) = store::targets_for(policy, t, reference.service_sla(t.service_id).1) else { return vec![] };
    let cal = cat.calendar_for(t.desk_id, policy);
    policy
        .rules()
        .into_iter()
        .filter_map(|rule| {
            let rule_id = rule.id?;
            if fired_before.contains(&(t.id, rule_id)) {
                return None;
            }
            let input = match rule.clock {
                ClockKind::Tto if t.taken_at.is_none() => ClockInput { start: t.created_at, target: tto, pauses, stopped_at: None },
                ClockKind::Ttr => ClockInput { start: t.created_at, target: ttr, pauses, stopped_at: None },
                ClockKind::Tto => return None,
            };
            let at = clock::instant_at_share(cal, &input, rule.at_share)?;
            (at <= now).then_some((rule_id, rule))
        })
        .collect()
}

/// Locks the case and fires what is still due on it now that no one else can change it.
async fn fire(conn: &mut AsyncPgConnection, reference: &Reference, ticket_id: Uuid, now: DateTime<Utc>) -> AppResult<usize> {
    let locked: Option<TicketRow> = tickets::table
        .find(ticket_id)
        .filter(tickets::status.eq_any(Status::OPEN))
        .filter(tickets::sla_policy_id.is_not_null())
        .select(TicketRow::as_select())
        .for_update()
        .skip_locked()
        .first(conn)
        .await
        .optional()?;
    let Some(t) = locked else { return Ok(0) };
    let pauses = store::pauses_of(conn, &[t.id]).await?.remove(&t.id).unwrap_or_default();
    let fired_before: Vec<(Uuid, Uuid)> =
        sla_rule_firings::table.filter(sla_rule_firings::ticket_id.eq(t.id)).select((sla_rule_firings::ticket_id, sla_rule_firings::rule_id)).load(conn).await?;
    let mut fired = 0;
    for (rule_id, rule) in due_rules(reference, &t, &pauses, &fired_before, now) {
        let inserted = diesel::insert_into(sla_rule_firings::table)
            .values((sla_rule_firings::ticket_id.eq(t.id), sla_rule_firings::rule_id.eq(rule_id), sla_rule_firings::fired_at.eq(now)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if inserted == 1 {
            apply(conn, reference, t.id, &rule, rule_id, now).await?;
            fired += 1;
        }
    }
    Ok(fired)
}

/// Carries out a rule on a locked case through the lifecycle path (actor: the system) and
/// records it in the audit trail; a rule that cannot apply (no group at the next level, already
/// at level 3, highest priority) is recorded as skipped.
async fn apply(conn: &mut AsyncPgConnection, reference: &Reference, ticket_id: Uuid, rule: &Rule, rule_id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    let old = tq::by_id(conn, ticket_id).await?;
    let reason = "sla_rule".to_owned();
    let command = match rule.action {
        RuleAction::NotifySupervisor => None,
        RuleAction::RaisePriority => {
            let raised = match old.priority {
                Priority::Low => Priority::Medium,
                Priority::Medium => Priority::High,
                Priority::High | Priority::Critical => Priority::Critical,
            };
            (raised != old.priority).then(|| Command::Classify { ticket_type: None, service_id: None, axes: None, priority: Some(raised), reason: Some(reason.clone()) })
        }
        RuleAction::Escalate | RuleAction::Reassign => {
            let level = if rule.action == RuleAction::Escalate { (old.level + 1).min(3) } else { old.level };
            let group = match rule.group_id {
                Some(g) => support_groups::table
                    .find(g)
                    .filter(support_groups::desk_id.eq(old.desk_id))
                    .filter(support_groups::active.eq(true))
                    .select((support_groups::id, support_groups::level))
                    .first::<(Uuid, i16)>(conn)
                    .await
                    .optional()?,
                None => support_groups::table
                    .filter(support_groups::desk_id.eq(old.desk_id))
                    .filter(support_groups::level.eq(level))
                    .filter(support_groups::active.eq(true))
                    .order(support_groups::name)
                    .select((support_groups::id, support_groups::level))
                    .first::<(Uuid, i16)>(conn)
                    .await
                    .optional()?,
            };
            match group {
                // A rule's group of another level moves the case's level with it: an escalation.
                Some((g, l)) if rule.action == RuleAction::Escalate || l != old.level => {
                    Some(Command::Escalate { level: l, group_id: g, agent_id: None, reason: reason.clone(), public: false })
                }
                Some((g, _)) => Some(Command::Assign { group_id: Some(g), agent_id: tq::pick_agent(conn, g).await?, note: Some(reason.clone()) }),
                None => None,
            }
        }
    };
    let decided = match &command {
        None => None,
        Some(cmd) => match lifecycle::prepare(conn, reference, &old, cmd).await {
            Ok(found) => lifecycle::decide(&old, cmd, &found, &Who::SYSTEM, now).ok(),
            Err(AppError::Validation(_)) => None,
            Err(e) => return Err(e),
        },
    };
    let applied = decided.is_some() || rule.action == RuleAction::NotifySupervisor;
    let mut decision = decided.unwrap_or_else(|| Decision { ticket: old.clone(), changed: false, events: vec![], pauses: vec![] });
    decision.events.insert(
        0,
        NewEvent {
            kind: if applied { "sla_rule" } else { "sla_rule_skipped" },
            old_value: None,
            new_value: Some(json!({"rule_id": rule_id, "action": rule.action, "clock": rule.clock, "at_share": rule.at_share})),
            visibility: Visibility::Private,
        },
    );
    lifecycle::commit(conn, reference, &old, decision, None, now).await?;
    Ok(())
}

/// Recomputes the due dates of up to `limit` cases after `cursor` (for a calendar or policy
/// change); returns the last id done and how many.
pub async fn recompute_batch(conn: &mut AsyncPgConnection, reference: &Reference, cursor: Uuid, limit: i64, now: DateTime<Utc>) -> QueryResult<(Option<Uuid>, usize)> {
    let rows: Vec<TicketRow> = tickets::table.filter(tickets::id.gt(cursor)).order(tickets::id).limit(limit).select(TicketRow::as_select()).load(conn).await?;
    let Some(last) = rows.last().map(|t| t.id) else { return Ok((None, 0)) };
    let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
    let pauses = store::pauses_of(conn, &ids).await?;
    let empty = Vec::new();
    let computed: Vec<(Uuid, store::Stored)> =
        rows.iter().map(|t| (t.id, store::compute(&reference.sla, t, reference.service_sla(t.service_id), pauses.get(&t.id).unwrap_or(&empty), now))).collect();
    write_many(conn, &computed).await?;
    Ok((Some(last), rows.len()))
}

/// One UPDATE for a whole batch (unnest of arrays), so a million cases take minutes, not hours.
async fn write_many(conn: &mut AsyncPgConnection, rows: &[(Uuid, store::Stored)]) -> QueryResult<()> {
    use diesel::sql_types::{Array, Bool, Int4, Nullable, Timestamptz, Uuid as SqlUuid};
    let ids: Vec<Uuid> = rows.iter().map(|(id, _)| *id).collect();
    let policy: Vec<Option<Uuid>> = rows.iter().map(|(_, s)| s.policy_id).collect();
    let version: Vec<Option<i32>> = rows.iter().map(|(_, s)| s.policy_version).collect();
    let response_due: Vec<Option<DateTime<Utc>>> = rows.iter().map(|(_, s)| s.response_due_at).collect();
    let resolution_due: Vec<Option<DateTime<Utc>>> = rows.iter().map(|(_, s)| s.resolution_due_at).collect();
    let response_met: Vec<Option<bool>> = rows.iter().map(|(_, s)| s.response_met).collect();
    let resolution_met: Vec<Option<bool>> = rows.iter().map(|(_, s)| s.resolution_met).collect();
    let response_minutes: Vec<Option<i32>> = rows.iter().map(|(_, s)| s.response_minutes).collect();
    let resolution_minutes: Vec<Option<i32>> = rows.iter().map(|(_, s)| s.resolution_minutes).collect();
    diesel::sql_query(
        "UPDATE tickets t SET sla_policy_id = u.p, sla_policy_version = u.v, response_due_at = u.rd, resolution_due_at = u.sd,
                response_met = u.rm, resolution_met = u.sm, response_minutes = u.rn, resolution_minutes = u.sn
         FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9) AS u(id, p, v, rd, sd, rm, sm, rn, sn) WHERE t.id = u.id",
    )
    .bind::<Array<SqlUuid>, _>(ids)
    .bind::<Array<Nullable<SqlUuid>>, _>(policy)
    .bind::<Array<Nullable<Int4>>, _>(version)
    .bind::<Array<Nullable<Timestamptz>>, _>(response_due)
    .bind::<Array<Nullable<Timestamptz>>, _>(resolution_due)
    .bind::<Array<Nullable<Bool>>, _>(response_met)
    .bind::<Array<Nullable<Bool>>, _>(resolution_met)
    .bind::<Array<Nullable<Int4>>, _>(response_minutes)
    .bind::<Array<Nullable<Int4>>, _>(resolution_minutes)
    .execute(conn)
    .await?;
    Ok(())
}
