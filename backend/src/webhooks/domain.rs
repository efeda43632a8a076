//! What a webhook is sent and how it is signed: pure, no I/O. The event types, the event types a
//! decided change of a case causes ([`change_events`]), URL checks, and the signature.
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::tickets::audit::NewEvent;
use crate::tickets::model::TicketRow;

/// Every event type a webhook may subscribe to. `ping` is sent only by the test endpoint.
pub const EVENTS: &[&str] = &[
    "case.registered",
    "case.changed",
    "case.state_changed",
    "case.assigned",
    "case.escalated",
    "case.transferred",
    "case.followup_added",
    "case.sla_at_risk",
    "case.sla_breached",
    "survey.answered",
];
pub const PING: &str = "ping";

/// Longest URL accepted.
pub const MAX_URL: usize = 2000;

/// How long a receiver should accept a signature's timestamp (documented, not enforced here:
/// receivers refuse older ones so a captured request cannot be replayed later).
pub const REPLAY_WINDOW_SECS: i64 = 300;

/// The event types (with their own data) a decided change causes. A change may cause several
/// (taking a case changes its state and assigns it); `case.changed` is sent for a change that
/// causes none of the specific ones (an edit, a classification, a priority).
pub fn change_events(old: &TicketRow, new: &TicketRow, events: &[NewEvent]) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    let event = |kind: &str| events.iter().find(|e| e.kind == kind).and_then(|e| e.new_value.clone());
    if let Some(rule) = event("sla_rule") {
        let share = rule.get("at_share").and_then(Value::as_f64).unwrap_or(1.0);
        let kind = if share >= 1.0 { "case.sla_breached" } else { "case.sla_at_risk" };
        out.push((kind, json!({"clock": rule.get("clock"), "at_share": share, "action": rule.get("action")})));
    }
    if old.desk_id != new.desk_id || event("transfer").is_some() {
        out.push(("case.transferred", json!({"previous_desk_id": old.desk_id})));
    }
    if old.level != new.level {
        out.push(("case.escalated", json!({"previous_level": old.level})));
    } else if (old.assigned_group_id, old.assigned_agent_id) != (new.assigned_group_id, new.assigned_agent_id) && old.desk_id == new.desk_id {
        out.push(("case.assigned", json!({"previous_group_id": old.assigned_group_id, "previous_agent_id": old.assigned_agent_id})));
    }
    if old.status != new.status {
        out.push(("case.state_changed", json!({"previous_status": old.status})));
    }
    if let Some(answer) = event("survey_answered") {
        out.push(("survey.answered", json!({"survey": answer})));
    }
    let specific = out.iter().any(|(k, _)| k.starts_with("case."));
    if !specific && new.version != old.version {
        out.push(("case.changed", json!({"changes": events.iter().map(|e| e.kind).collect::<Vec<_>>()})));
    }
    out
}

/// A webhook's target as given: http or https, a host, no user or password, at most
/// [`MAX_URL`] characters. The error is the message for the `url` field.
pub fn parse_url(raw: &str) -> Result<url::Url, &'static str> {
    if raw.len() > MAX_URL {
        return Err("must be at most 2000 characters");
    }
    let u = url::Url::parse(raw.trim()).map_err(|_| "must be an absolute http:// or https:// URL")?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err("must be an http:// or https:// URL");
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err("must name a host");
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err("must not carry a user or password (the signature authenticates Mesa)");
    }
    if u.fragment().is_some() {
        return Err("must not have a #fragment");
    }
    Ok(u)
}

/// `Mesa-Signature`'s value: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// A new secret: 32 random bytes, hex, prefixed so it is recognisable in a vault (`whsec_`).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("whsec_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::audit::NewEvent;
    use crate::tickets::domain::Visibility;
    use crate::tickets::state_machine::Status;

    fn case() -> TicketRow {
        use crate::tickets::domain::{Channel, Priority, TicketType};
        let now = chrono::Utc::now();
        let id = uuid::Uuid::now_v7;
        TicketRow {
            id: id(),
            number: 1,
            desk_id: id(),
            service_id: id(),
            ticket_type: TicketType::Incident,
            priority: Priority::Medium,
            impact: None,
            urgency: None,
            status: Status::Assigned,
            subject: "s".into(),
            description: "d".into(),
            contact_phone: None,
            location_id: None,
            area_id: None,
            organization_id: None,
            requester_id: id(),
            created_by_id: id(),
            channel: Channel::Portal,
            assigned_group_id: Some(id()),
            assigned_agent_id: None,
            level: 1,
            fields: json!({}),
            hold_reason: None,
            hold_note: None,
            external_reference: None,
            hold_note_public: false,
            reopen_reason: None,
            desist_at: None,
            rejection_reason: None,
            redirected_to: None,
            solution: None,
            solution_type: None,
            reopen_count: 0,
            response_due_at: None,
            resolution_due_at: None,
            taken_at: None,
            resolved_at: None,
            closed_at: None,
            created_at: now,
            updated_at: now,
            version: 3,
            sla_policy_id: None,
            sla_policy_version: None,
            response_met: None,
            resolution_met: None,
        }
    }

    fn kinds(v: &[(&'static str, Value)]) -> Vec<&'static str> {
        v.iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn a_known_signature_vector() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(signature("whsec_test", 1_700_000_000, br#"{"a":1}"#), "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
    }

    #[test]
    fn urls_are_http_with_a_host_and_no_credentials() {
        assert!(parse_url("https://hooks.example.org/mesa?x=1").is_ok());
        assert!(parse_url("http://127.0.0.1:9000/").is_ok(), "the SSRF guard, not the parser, decides on addresses");
        for bad in [
            "ftp://example.org/",
            "file:///etc/passwd",
            "https://user:pw@example.org/",
            "https://user@example.org/",
            "not a url",
            "/relative",
            "https://example.org/#frag",
            "gopher://x",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        assert!(parse_url(&format!("https://example.org/{}", "a".repeat(MAX_URL))).is_err());
    }

    #[test]
    fn secrets_are_random_and_long() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 6 + 64);
    }

    #[test]
    fn a_change_causes_its_specific_events() {
        let old = case();
        let mut taken = old.clone();
        taken.status = Status::InProgress;
        taken.assigned_agent_id = Some(uuid::Uuid::now_v7());
        taken.version += 1;
        assert_eq!(kinds(&change_events(&old, &taken, &[])), ["case.assigned", "case.state_changed"]);

        let mut escalated = old.clone();
        escalated.level = 2;
        escalated.assigned_group_id = Some(uuid::Uuid::now_v7());
        escalated.version += 1;
        let e = change_events(&old, &escalated, &[]);
        assert_eq!(kinds(&e), ["case.escalated"]);
        assert_eq!(e[0].1["previous_level"], 1);

        let mut edited = old.clone();
        edited.subject = "otro".into();
        edited.version += 1;
        let edit = NewEvent { kind: "edit", old_value: None, new_value: None, visibility: Visibility::Public };
        assert_eq!(change_events(&old, &edited, &[edit]), [("case.changed", json!({"changes": ["edit"]}))]);
        assert!(change_events(&old, &old, &[]).is_empty(), "no change, no event");

        let rule = |share: f64| NewEvent {
            kind: "sla_rule",
            old_value: None,
            new_value: Some(json!({"at_share": share, "clock": "resolution", "action": "notify_supervisor"})),
            visibility: Visibility::Private,
        };
        assert_eq!(kinds(&change_events(&old, &old, &[rule(0.8)])), ["case.sla_at_risk"]);
        assert_eq!(kinds(&change_events(&old, &old, &[rule(1.0)])), ["case.sla_breached"]);

        let mut moved = old.clone();
        moved.desk_id = uuid::Uuid::now_v7();
        moved.assigned_group_id = Some(uuid::Uuid::now_v7());
        moved.version += 1;
        assert_eq!(kinds(&change_events(&old, &moved, &[])), ["case.transferred"], "a transfer is not also an assignment");

        let mut closed = old.clone();
        closed.status = Status::Closed;
        closed.version += 1;
        let answered = NewEvent { kind: "survey_answered", old_value: None, new_value: Some(json!({"rating": 5})), visibility: Visibility::Public };
        assert_eq!(kinds(&change_events(&old, &closed, &[answered])), ["case.state_changed", "survey.answered"]);
    }
}
