//! Signed webhooks with an outbox (issue 20, item 2):
//!
//! 1. a change of a case writes one `webhook_deliveries` row per subscribed active webhook in the
//!    change's own transaction ([`record_change`], called by `tickets::lifecycle::commit`; case
//!    registration and public follow-ups call [`record`]), so a change that rolls back leaves no
//!    delivery and a committed one cannot lose its delivery;
//! 2. the [`delivery`] job POSTs them, signed ([`domain::signature`]), through the SSRF
//!    [`guard`], retrying with backoff; a webhook failing for long is disabled and the admins
//!    are mailed;
//! 3. admins manage webhooks, the allowed hosts and the delivery log ([`routes`]).
//!
//! The body is an envelope `{id, type, occurred_at, data}`; for a case event, `data.ticket` is the
//! case as `GET /api/v1/tickets/{number}` shows it to an admin, rendered when the change is
//! written: a snapshot of that moment, which is what a receiver expects (rendering it at delivery
//! would show a later state under an older event, or the same state twice).
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::db::schema::{jobs, webhook_deliveries, webhooks};
use crate::error::AppResult;
use crate::reference::Reference;
use crate::tickets::audit::NewEvent;
use crate::tickets::model::TicketRow;

pub mod delivery;
pub mod domain;
pub mod guard;
pub mod routes;

pub use domain::EVENTS;
pub use routes::configure;

/// The job kind that delivers (recurring, like the mail jobs).
pub const DELIVER: &str = "webhook_deliver";

/// Makes sure the recurring delivery job exists (idempotent, safe from several instances).
pub async fn ensure_job(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::insert_into(jobs::table)
        .values((jobs::id.eq(Uuid::now_v7()), jobs::kind.eq(DELIVER), jobs::unique_key.eq(DELIVER)))
        .on_conflict(jobs::unique_key)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// The envelope every delivery's body is.
pub fn envelope(event_id: Uuid, event_type: &str, occurred_at: DateTime<Utc>, data: Value) -> Value {
    json!({"id": event_id, "type": event_type, "occurred_at": occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true), "data": data})
}

/// Queues the events a decided change causes, in the caller's transaction
/// (`tickets::lifecycle::commit`; `new` is the case as stored).
pub async fn record_change(conn: &mut AsyncPgConnection, reference: &Reference, old: &TicketRow, new: &TicketRow, events: &[NewEvent], now: DateTime<Utc>) -> AppResult<()> {
    let types = domain::change_events(old, new, events);
    record(conn, reference, new, &types, now).await
}

/// Queues events of a case (each with its own data, merged with `ticket`) for the active webhooks
/// subscribed to them, in the caller's transaction. Nothing is read or rendered when no webhook
/// wants them ([`Reference::webhooks_want`]), so such a change pays no query.
pub async fn record(conn: &mut AsyncPgConnection, reference: &Reference, ticket: &TicketRow, types: &[(&'static str, Value)], now: DateTime<Utc>) -> AppResult<()> {
    if types.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = types.iter().map(|(t, _)| *t).collect();
    if !reference.webhooks_want(&names) {
        return Ok(());
    }
    let subscribers: Vec<(Uuid, Vec<String>)> =
        webhooks::table.filter(webhooks::active.eq(true)).filter(webhooks::events.overlaps_with(&names)).select((webhooks::id, webhooks::events)).load(conn).await?;
    if subscribers.is_empty() {
        return Ok(());
    }
    let rendered = crate::tickets::render::render_one(conn, reference, ticket.clone(), &system_scope()).await?;
    let rendered = serde_json::to_value(rendered).map_err(|e| anyhow::anyhow!("rendering case {}: {e}", ticket.number))?;
    let mut rows = Vec::new();
    for (event_type, extra) in types {
        let mut data = json!({"ticket": rendered});
        if let (Value::Object(d), Value::Object(e)) = (&mut data, extra) {
            d.extend(e.clone());
        }
        let event_id = Uuid::now_v7();
        let payload = envelope(event_id, event_type, now, data);
        for (webhook_id, events) in &subscribers {
            if events.iter().any(|e| e == event_type) {
                rows.push((
                    webhook_deliveries::id.eq(Uuid::now_v7()),
                    webhook_deliveries::webhook_id.eq(*webhook_id),
                    webhook_deliveries::event_id.eq(event_id),
                    webhook_deliveries::event_type.eq(*event_type),
                    webhook_deliveries::payload.eq(payload.clone()),
                    webhook_deliveries::next_attempt_at.eq(now),
                    webhook_deliveries::created_at.eq(now),
                ));
            }
        }
    }
    diesel::insert_into(webhook_deliveries::table).values(rows).execute(conn).await?;
    Ok(())
}

/// The case as an admin reads it: every field, private ones included (webhooks are set up by
/// admins for their own integrations).
fn system_scope() -> crate::tickets::access::Scope {
    crate::tickets::access::Scope { user_id: Uuid::nil(), role: crate::users::domain::Role::Admin, desk_ids: vec![], group_ids: vec![], restriction: None }
}
