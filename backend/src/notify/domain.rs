//! What a change of a case tells whom: pure, no I/O. The kind of mail a decided change causes
//! ([`from_change`]), who receives it ([`recipients`], [`deliverable`]), and the threading
//! headers every mail of a case carries.
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::tickets::audit::NewEvent;
use crate::tickets::domain::HoldReason;
use crate::tickets::model::TicketRow;
use crate::tickets::state_machine::Status;

/// A kind of mail. Most follow a case; the `intake_*` ones are direct answers to an address and
/// `webhook_disabled` a notice to the admins (see [`super::queue_direct`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Apertura: to the requester and the case's group.
    Registered,
    /// Orden de servicio: type, service or priority changed; to the requester.
    Classified,
    /// Asignación: to the requester and the agent (or the group when no agent).
    Assigned,
    /// Segundo nivel: to the requester, the new agent or group, and the desk's supervisors.
    Escalated,
    /// A public follow-up, to the other side (the requester, or the agent / group).
    Followup,
    /// On hold, with what is asked of the requester (the note only if public); to the requester.
    OnHold,
    /// Back to work; to the requester.
    Resumed,
    /// Solución, with the solution and the satisfaction survey's link; to the requester.
    Resolved,
    /// With how (`close_reason`: the requester's acceptance or survey, silence, staff); to the requester.
    Closed,
    /// A resolved case sent back to work by the requester (`reopen_reason`: a bad survey rating or
    /// a direct refusal); to the agent (or group) and the desk's supervisors.
    Reopened,
    /// Archived: the data asked for never came; to the requester.
    Desisted,
    /// The survey of a resolution still unanswered, with its link, before the case closes by
    /// silence; to the requester.
    SurveyReminder,
    /// With the reason and where to go; to the requester.
    Rejected,
    /// To the requester and the agent.
    Cancelled,
    /// Moved to another desk; to the requester and the new group or agent.
    Transferred,
    /// An SLA rule `notify_supervisor` before the target; to the assignee and the supervisors.
    SlaAtRisk,
    /// The same at or past the target (`at_share` ≥ 1).
    SlaBreached,
    /// Direct: an incoming mail could not be turned into a case or follow-up (`reason`).
    IntakeRefused,
    /// Direct: how to write to the desk (`desk`, `portal_url`).
    IntakeInstructions,
    /// Direct, to every admin: a webhook was disabled after failing for long (`webhook_url`,
    /// `webhook_id`, `reason`).
    WebhookDisabled,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Registered,
        Kind::Classified,
        Kind::Assigned,
        Kind::Escalated,
        Kind::Followup,
        Kind::OnHold,
        Kind::Resumed,
        Kind::Resolved,
        Kind::Closed,
        Kind::Reopened,
        Kind::Desisted,
        Kind::SurveyReminder,
        Kind::Rejected,
        Kind::Cancelled,
        Kind::Transferred,
        Kind::SlaAtRisk,
        Kind::SlaBreached,
        Kind::IntakeRefused,
        Kind::IntakeInstructions,
        Kind::WebhookDisabled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Registered => "registered",
            Kind::Classified => "classified",
            Kind::Assigned => "assigned",
            Kind::Escalated => "escalated",
            Kind::Followup => "followup",
            Kind::OnHold => "on_hold",
            Kind::Resumed => "resumed",
            Kind::Resolved => "resolved",
            Kind::Closed => "closed",
            Kind::Reopened => "reopened",
            Kind::Desisted => "desisted",
            Kind::SurveyReminder => "survey_reminder",
            Kind::Rejected => "rejected",
            Kind::Cancelled => "cancelled",
            Kind::Transferred => "transferred",
            Kind::SlaAtRisk => "sla_at_risk",
            Kind::SlaBreached => "sla_breached",
            Kind::IntakeRefused => "intake_refused",
            Kind::IntakeInstructions => "intake_instructions",
            Kind::WebhookDisabled => "webhook_disabled",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Kinds a user may turn off for themselves. The others carry something the person must
    /// act on or keep (the case's number, what is asked of them, the solution, a rejection, work
    /// handed to them, a breach).
    pub fn optional(self) -> bool {
        matches!(self, Kind::Classified | Kind::Followup | Kind::Resumed | Kind::Closed | Kind::Cancelled | Kind::Transferred | Kind::SlaAtRisk)
    }

    /// Mail about a case (threaded, numbered), as opposed to a direct answer to an address.
    pub fn of_case(self) -> bool {
        !matches!(self, Kind::IntakeRefused | Kind::IntakeInstructions | Kind::WebhookDisabled)
    }
}

/// The two languages mails are written in; a user's locale `en…` reads English, any other Spanish.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    pub fn of_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Es
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The mail a decided change causes, with what it must say (never a private text): `None` when
/// the change is not one people are told about (an edit, a requester's own answer…).
pub fn from_change(old: &TicketRow, new: &TicketRow, events: &[NewEvent]) -> Option<(Kind, Value)> {
    let has = |kind: &str| events.iter().any(|e| e.kind == kind);
    // A reason the requester may read: the one on the status or level change, unless private.
    let public_reason = || {
        events
            .iter()
            .filter(|e| matches!(e.kind, "status" | "level" | "priority"))
            .filter_map(|e| e.new_value.as_ref())
            .find(|v| v.get("reason").is_some())
            .filter(|v| v.get("reason_visibility").and_then(Value::as_str) != Some("private"))
            .and_then(|v| v.get("reason").cloned())
            .unwrap_or(Value::Null)
    };
    if let Some(rule) = events.iter().find(|e| e.kind == "sla_rule").and_then(|e| e.new_value.as_ref()) {
        if rule.get("action").and_then(Value::as_str) == Some("notify_supervisor") {
            let share = rule.get("at_share").and_then(Value::as_f64).unwrap_or(1.0);
            let kind = if share >= 1.0 { Kind::SlaBreached } else { Kind::SlaAtRisk };
            return Some((kind, json!({"clock": rule.get("clock"), "at_share": share})));
        }
    }
    if let Some(t) = events.iter().find(|e| e.kind == "transfer").and_then(|e| e.new_value.as_ref()) {
        return Some((Kind::Transferred, json!({"from_desk_id": old.desk_id, "to_desk_id": new.desk_id, "reason": t.get("reason")})));
    }
    if old.level != new.level {
        return Some((Kind::Escalated, json!({"level": new.level, "previous_level": old.level, "reason": public_reason()})));
    }
    if old.status != new.status {
        match new.status {
            Status::OnHold => {
                let note = if new.hold_note_public { new.hold_note.clone() } else { None };
                return Some((Kind::OnHold, json!({"hold_reason": new.hold_reason.map(HoldReason::as_str), "note": note, "desist_at": new.desist_at})));
            }
            Status::Resolved => {
                // The survey this resolution sent (`surveys::store::on_case_change`): its link is
                // written when the mail is, from the survey's id.
                let survey_id = events.iter().find(|e| e.kind == "survey").and_then(|e| e.new_value.as_ref()).and_then(|v| v.get("survey_id").cloned());
                return Some((Kind::Resolved, json!({"solution": new.solution, "solution_type": new.solution_type, "survey_id": survey_id})));
            }
            Status::Closed => {
                let how = events.iter().find(|e| e.kind == "status").and_then(|e| e.new_value.as_ref()).and_then(|v| v.get("close_reason").cloned());
                return Some((Kind::Closed, json!({"close_reason": how})));
            }
            Status::Desisted => return Some((Kind::Desisted, json!({}))),
            _ if old.status == Status::Resolved && new.reopen_reason.is_some() => {
                return Some((Kind::Reopened, json!({"reopen_reason": new.reopen_reason, "reason": public_reason()})));
            }
            Status::Rejected => return Some((Kind::Rejected, json!({"reason": new.rejection_reason, "redirected_to": new.redirected_to}))),
            Status::Cancelled => return Some((Kind::Cancelled, json!({}))),
            _ if old.status == Status::OnHold => return Some((Kind::Resumed, json!({}))),
            _ => {}
        }
    }
    if (new.assigned_agent_id, new.assigned_group_id) != (old.assigned_agent_id, old.assigned_group_id) {
        return Some((Kind::Assigned, json!({"previous_agent_id": old.assigned_agent_id})));
    }
    if has("classification") || has("priority") {
        return Some((Kind::Classified, json!({"reason": if old.priority != new.priority { public_reason() } else { Value::Null }})));
    }
    None
}

/// How a recipient relates to the case (templates may word the mail for each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Requester,
    Agent,
    Supervisor,
}

/// The people around a case when the mail is expanded.
#[derive(Clone, Debug, Default)]
pub struct CaseFacts {
    pub requester_id: Uuid,
    pub agent_id: Option<Uuid>,
    /// Members of the case's group.
    pub group_members: Vec<Uuid>,
    pub supervisors: Vec<Uuid>,
}

/// Who a kind of mail goes to, before anyone's address, activity or preferences are known; the
/// actor is not told about their own change (but a requester gets the receipt of the case they
/// registered). In order, without repeats.
pub fn recipients(kind: Kind, facts: &CaseFacts, actor: Option<Uuid>, data: &Value) -> Vec<(Uuid, Role)> {
    let mut out: Vec<(Uuid, Role)> = Vec::new();
    let requester = || vec![(facts.requester_id, Role::Requester)];
    // The agent working the case, or the whole group while nobody is.
    let workers = || match facts.agent_id {
        Some(a) => vec![(a, Role::Agent)],
        None => facts.group_members.iter().map(|m| (*m, Role::Agent)).collect(),
    };
    let supervisors = || facts.supervisors.iter().map(|s| (*s, Role::Supervisor)).collect::<Vec<_>>();
    let lists: Vec<Vec<(Uuid, Role)>> = match kind {
        Kind::Registered => vec![requester(), facts.group_members.iter().map(|m| (*m, Role::Agent)).collect()],
        Kind::Classified | Kind::OnHold | Kind::Resumed | Kind::Resolved | Kind::Closed | Kind::Desisted | Kind::SurveyReminder | Kind::Rejected => vec![requester()],
        Kind::Reopened => vec![workers(), supervisors()],
        Kind::Assigned | Kind::Transferred => vec![requester(), workers()],
        Kind::Escalated => vec![requester(), workers(), supervisors()],
        Kind::Cancelled => vec![requester(), facts.agent_id.map(|a| (a, Role::Agent)).into_iter().collect()],
        Kind::Followup => {
            if data.get("from_requester").and_then(Value::as_bool).unwrap_or(false) {
                vec![workers()]
            } else {
                vec![requester()]
            }
        }
        Kind::SlaAtRisk | Kind::SlaBreached => vec![workers(), supervisors()],
        Kind::IntakeRefused | Kind::IntakeInstructions | Kind::WebhookDisabled => vec![],
    };
    let mut seen = HashSet::new();
    for (id, role) in lists.into_iter().flatten() {
        // Apertura is the requester's receipt with the number, also when they registered it.
        let own_receipt = kind == Kind::Registered && role == Role::Requester;
        if (Some(id) != actor || own_receipt) && seen.insert(id) {
            out.push((id, role));
        }
    }
    out
}

/// A person as delivery needs them.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
    pub locale: String,
    /// Optional kinds they turned off.
    pub opted_out: Vec<String>,
}

/// Whether a recipient gets this kind: active, with an address, and not opted out of it.
pub fn deliverable(kind: Kind, p: &Person) -> bool {
    p.active && p.email.as_deref().is_some_and(|e| e.contains('@')) && !(kind.optional() && p.opted_out.iter().any(|k| k == kind.as_str()))
}

/// `<mesa.{number}.{id}@{host}>`: one mail of a case.
pub fn message_id(number: Option<i64>, id: Uuid, host: &str) -> String {
    match number {
        Some(n) => format!("<mesa.{n}.{}@{host}>", id.simple()),
        None => format!("<mesa.mail.{}@{host}>", id.simple()),
    }
}

/// `<mesa.{number}@{host}>`: the case's thread root, which every mail of it answers.
pub fn thread_id(number: i64, host: &str) -> String {
    format!("<mesa.{number}@{host}>")
}

/// `[Mesa #N] …`: the number the incoming side recognises, whatever a desk's template says.
pub fn numbered_subject(number: Option<i64>, rendered: &str) -> String {
    // One line: a template's stray newline must not break the header.
    let line = rendered.split_whitespace().collect::<Vec<_>>().join(" ");
    match number {
        Some(n) => {
            let prefix = format!("[Mesa #{n}]");
            if line.starts_with(&prefix) {
                line
            } else {
                format!("{prefix} {line}")
            }
        }
        None => line,
    }
}

/// Words for the codes a mail shows.
pub fn label(lang: Lang, code: &str) -> String {
    let (es, en) = match code {
        "critical" => ("Crítica", "Critical"),
        "high" => ("Alta", "High"),
        "medium" => ("Media", "Medium"),
        "low" => ("Baja", "Low"),
        "incident" => ("Incidente", "Incident"),
        "request" => ("Requerimiento", "Request"),
        "new" => ("Nuevo", "New"),
        "assigned" => ("Asignado", "Assigned"),
        "in_progress" => ("En curso", "In progress"),
        "on_hold" => ("En espera", "On hold"),
        "resolved" => ("Resuelto", "Resolved"),
        "closed" => ("Cerrado", "Closed"),
        "rejected" => ("Rechazado", "Rejected"),
        "cancelled" => ("Cancelado", "Cancelled"),
        "waiting_requester" => ("Esperando información del solicitante", "Waiting for the requester's information"),
        "waiting_third_party" => ("Esperando a un tercero", "Waiting for a third party"),
        "waiting_provider" => ("Esperando al proveedor", "Waiting for the provider"),
        "tto" => ("tiempo de atención", "time to attend"),
        "ttr" => ("tiempo de solución", "time to resolve"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Es => es.to_owned(),
        Lang::En => en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tickets::domain::Visibility;
    use chrono::Utc;

    fn case(status: Status) -> TicketRow {
        let now = Utc::now();
        TicketRow {
            id: Uuid::now_v7(),
            number: 7,
            desk_id: Uuid::now_v7(),
            service_id: Uuid::now_v7(),
            ticket_type: crate::tickets::domain::TicketType::Incident,
            priority: crate::tickets::domain::Priority::Medium,
            impact: None,
            urgency: None,
            status,
            subject: "s".into(),
            description: "d".into(),
            contact_phone: None,
            location_id: None,
            area_id: None,
            organization_id: None,
            requester_id: Uuid::now_v7(),
            created_by_id: Uuid::now_v7(),
            channel: crate::tickets::domain::Channel::Portal,
            assigned_group_id: Some(Uuid::now_v7()),
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
            version: 1,
            sla_policy_id: None,
            sla_policy_version: None,
            response_met: None,
            resolution_met: None,
        }
    }

    fn ev(kind: &'static str, new_value: Value) -> NewEvent {
        NewEvent { kind, old_value: None, new_value: Some(new_value), visibility: Visibility::Public }
    }

    #[test]
    fn a_private_hold_note_or_escalation_reason_never_reaches_the_snapshot() {
        let old = case(Status::InProgress);
        let mut held = old.clone();
        held.status = Status::OnHold;
        held.hold_reason = Some(HoldReason::WaitingRequester);
        held.hold_note = Some("Nota interna".into());
        let (kind, data) = from_change(&old, &held, &[ev("status", json!({"status": "on_hold"}))]).unwrap();
        assert_eq!((kind, &data["note"]), (Kind::OnHold, &Value::Null));
        held.hold_note_public = true;
        assert_eq!(from_change(&old, &held, &[]).unwrap().1["note"], "Nota interna");

        let mut up = old.clone();
        up.level = 2;
        up.status = Status::Assigned;
        let private = [ev("status", json!({"status": "assigned", "reason": "Secreto", "reason_visibility": "private"})), ev("level", json!({"level": 2}))];
        let (kind, data) = from_change(&old, &up, &private).unwrap();
        assert_eq!((kind, &data["reason"]), (Kind::Escalated, &Value::Null));
        let public = [ev("status", json!({"status": "assigned", "reason": "Requiere especialista"}))];
        assert_eq!(from_change(&old, &up, &public).unwrap().1["reason"], "Requiere especialista");
    }

    #[test]
    fn each_change_maps_to_one_kind() {
        let old = case(Status::Assigned);
        let mut t = old.clone();
        t.status = Status::Resolved;
        t.solution = Some("Cambio de fuente".into());
        assert_eq!(from_change(&old, &t, &[]).unwrap(), (Kind::Resolved, json!({"solution": "Cambio de fuente", "solution_type": null, "survey_id": null})));
        t = old.clone();
        t.status = Status::Rejected;
        t.rejection_reason = Some("No es TI".into());
        assert_eq!(from_change(&old, &t, &[]).unwrap().0, Kind::Rejected);
        // Taking a case: the requester learns who works on it.
        t = old.clone();
        t.status = Status::InProgress;
        t.assigned_agent_id = Some(Uuid::now_v7());
        assert_eq!(from_change(&old, &t, &[ev("assignment", json!({}))]).unwrap().0, Kind::Assigned);
        // The agent already assigned starting work tells nobody.
        let mut mine = old.clone();
        mine.assigned_agent_id = Some(Uuid::now_v7());
        let mut started = mine.clone();
        started.status = Status::InProgress;
        assert_eq!(from_change(&mine, &started, &[ev("status", json!({}))]), None);
        // Classification.
        t = old.clone();
        t.priority = crate::tickets::domain::Priority::High;
        assert_eq!(
            from_change(&old, &t, &[ev("priority", json!({"priority": "high", "reason": "Afecta a todos"}))]).unwrap(),
            (Kind::Classified, json!({"reason": "Afecta a todos"}))
        );
        // Resume from hold.
        let mut held = old.clone();
        held.status = Status::OnHold;
        assert_eq!(from_change(&held, &old, &[]).unwrap().0, Kind::Resumed);
        // An edit says nothing.
        assert_eq!(from_change(&old, &old, &[ev("edit", json!({"field": "subject"}))]), None);
        // SLA notify rules: at risk before the target, breached at it.
        let rule = |share: f64| [ev("sla_rule", json!({"action": "notify_supervisor", "at_share": share, "clock": "ttr"}))];
        assert_eq!(from_change(&old, &old, &rule(0.75)).unwrap().0, Kind::SlaAtRisk);
        assert_eq!(from_change(&old, &old, &rule(1.0)).unwrap().0, Kind::SlaBreached);
        // A transfer.
        t = old.clone();
        t.desk_id = Uuid::now_v7();
        assert_eq!(from_change(&old, &t, &[ev("transfer", json!({"reason": "Mantenimiento"}))]).unwrap().0, Kind::Transferred);
    }

    #[test]
    fn recipients_by_kind_never_the_actor() {
        let (req, agent, m1, m2, boss) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let facts = CaseFacts { requester_id: req, agent_id: Some(agent), group_members: vec![agent, m1, m2], supervisors: vec![boss, agent] };
        let ids = |kind, actor, data: Value| recipients(kind, &facts, actor, &data).into_iter().map(|(id, _)| id).collect::<Vec<_>>();
        assert_eq!(ids(Kind::Registered, Some(req), json!({})), [req, agent, m1, m2], "the requester's receipt");
        assert_eq!(ids(Kind::Registered, Some(agent), json!({})), [req, m1, m2], "an agent registering on someone's behalf");
        assert_eq!(ids(Kind::Assigned, Some(m1), json!({})), [req, agent]);
        assert_eq!(ids(Kind::Escalated, None, json!({})), [req, agent, boss]);
        assert_eq!(ids(Kind::Followup, Some(agent), json!({"from_requester": false})), [req]);
        assert_eq!(ids(Kind::Followup, Some(req), json!({"from_requester": true})), [agent]);
        assert_eq!(ids(Kind::Resolved, Some(agent), json!({})), [req]);
        assert_eq!(ids(Kind::SlaBreached, None, json!({})), [agent, boss]);
        assert_eq!(ids(Kind::Cancelled, Some(req), json!({})), [agent]);
        // Nobody working it: the group hears.
        let unstaffed = CaseFacts { agent_id: None, ..facts.clone() };
        assert_eq!(recipients(Kind::SlaAtRisk, &unstaffed, None, &json!({})).len(), 4);
        assert_eq!(recipients(Kind::Followup, &unstaffed, Some(req), &json!({"from_requester": true})).len(), 3);
    }

    #[test]
    fn opt_outs_apply_to_optional_kinds_only() {
        let p = Person {
            id: Uuid::now_v7(),
            name: "A".into(),
            email: Some("a@x.gov.co".into()),
            active: true,
            locale: "es-CO".into(),
            opted_out: vec!["followup".into(), "resolved".into()],
        };
        assert!(!deliverable(Kind::Followup, &p));
        assert!(deliverable(Kind::Resolved, &p), "a mandatory kind cannot be turned off");
        assert!(!deliverable(Kind::Resolved, &Person { active: false, ..p.clone() }));
        assert!(!deliverable(Kind::Resolved, &Person { email: None, ..p.clone() }));
        assert!(!deliverable(Kind::Resolved, &Person { email: Some("nobody".into()), ..p }));
    }

    #[test]
    fn threading_headers_and_subjects() {
        let id = Uuid::parse_str("0190a5c4-0000-7000-8000-000000000001").unwrap();
        assert_eq!(message_id(Some(1234), id, "mesa.cali.gov.co"), "<mesa.1234.0190a5c4000070008000000000000001@mesa.cali.gov.co>");
        assert_eq!(thread_id(1234, "mesa.cali.gov.co"), "<mesa.1234@mesa.cali.gov.co>");
        assert!(message_id(None, id, "h").starts_with("<mesa.mail."));
        assert_eq!(numbered_subject(Some(12), "Caso\nregistrado"), "[Mesa #12] Caso registrado");
        assert_eq!(numbered_subject(Some(12), "[Mesa #12] Ya numerado"), "[Mesa #12] Ya numerado");
        assert_eq!(numbered_subject(None, "Instrucciones"), "Instrucciones");
    }

    #[test]
    fn kinds_and_languages_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Lang::of_locale("es-CO"), Lang::Es);
        assert_eq!(Lang::of_locale("en-US"), Lang::En);
        assert_eq!(Lang::of_locale(""), Lang::Es);
        assert_eq!(label(Lang::En, "high"), "High");
    }
}
