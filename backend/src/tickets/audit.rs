//! The audit trail: every change of a case as events, written with the change.

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

use super::domain::*;
use crate::db::schema::{ticket_events, tickets};

#[derive(Clone, Debug)]
pub struct NewEvent {
    pub kind: &'static str,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub visibility: Visibility,
}

impl NewEvent {
    /// The case changes hands: a level change (escalation), a transfer to another desk, or an
    /// agent replaced by another. Such a case was not resolved at the first contact.
    pub fn is_hand_over(&self) -> bool {
        let agent = |v: &Option<Value>| v.as_ref().and_then(|v| v.get("agent_id")).is_some_and(|a| !a.is_null());
        matches!(self.kind, "level" | "transfer") || (self.kind == "assignment" && agent(&self.old_value) && agent(&self.new_value))
    }
}

/// Writes a change's events, and marks the case handed over when one of them says so (the
/// reports' first-contact figure reads that flag).
pub async fn record(conn: &mut AsyncPgConnection, ticket_id: Uuid, actor: Option<Uuid>, events: Vec<NewEvent>) -> QueryResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    if events.iter().any(NewEvent::is_hand_over) {
        diesel::update(tickets::table.find(ticket_id).filter(tickets::handed_over.eq(false))).set(tickets::handed_over.eq(true)).execute(conn).await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(kind: &'static str, old: Option<Value>, new: Option<Value>) -> NewEvent {
        NewEvent { kind, old_value: old, new_value: new, visibility: Visibility::Public }
    }

    #[test]
    fn hand_overs_are_level_changes_transfers_and_agent_to_agent_assignments() {
        let agent = |id: Option<&str>| Some(json!({"group_id": "g", "agent_id": id}));
        assert!(event("level", Some(json!({"level": 1})), Some(json!({"level": 2}))).is_hand_over());
        assert!(event("transfer", None, None).is_hand_over());
        assert!(event("assignment", agent(Some("a")), agent(Some("b"))).is_hand_over());
        // Routing to a first agent, taking an unassigned case, or releasing one is not.
        assert!(!event("assignment", None, agent(Some("a"))).is_hand_over());
        assert!(!event("assignment", agent(None), agent(Some("a"))).is_hand_over());
        assert!(!event("assignment", agent(Some("a")), agent(None)).is_hand_over());
        assert!(!event("status", None, None).is_hand_over());
    }
}
