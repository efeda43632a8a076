//! The audit trail: every change of a case as events, written with the change.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::domain::*;
use crate::db::schema::ticket_events;

#[derive(Clone, Debug)]
pub struct NewEvent {
    pub kind: &'static str,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub visibility: Visibility,
}

pub async fn record(conn: &mut AsyncPgConnection, ticket_id: Uuid, actor: Option<Uuid>, events: Vec<NewEvent>) -> QueryResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows: Vec<_> = events
        .into_iter()
        .map(|e| {
            (
                ticket_events::id.eq(Uuid::now_v7()),
                ticket_events::ticket_id.eq(ticket_id),
                ticket_events::actor_id.eq(actor),
                ticket_events::kind.eq(e.kind),
                ticket_events::old_value.eq(e.old_value),
                ticket_events::new_value.eq(e.new_value),
                ticket_events::visibility.eq(e.visibility.as_str()),
                ticket_events::created_at.eq(now),
            )
        })
        .collect();
    diesel::insert_into(ticket_events::table).values(rows).execute(conn).await?;
    Ok(())
}
