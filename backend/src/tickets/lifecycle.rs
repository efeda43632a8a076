//! The one path every change of a case takes, whoever asks for it (an HTTP action, an SLA rule,
//! a requester's answer):
//!
//! 1. [`prepare`] reads what the decision needs from the database (is the group active and of
//!    this desk, does the agent belong to it, the desk's priority matrix, the least-loaded agent)
//!    and refuses unknown references with 422;
//! 2. [`decide`] is pure: the case, a [`Command`] with its own data, what `prepare` found, the
//!    actor and the time in; the changed case, its audit events and its SLA pause changes out
//!    ([`Decision`]), or a typed [`Refusal`];
//! 3. [`commit`] stores a decision in the caller's transaction.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use super::access::Scope;
use super::audit::{self, NewEvent};
use super::domain::*;
use super::model::TicketRow;
use super::queries;
use super::state_machine::{self, Action, Actor, Context, Status};
use crate::catalog::domain::NodeKind;
use crate::db::schema::{desks, group_members, users};
use crate::error::{AppError, AppResult, FieldError};
use crate::reference::Reference;
use crate::sla::store::PauseChange;
use crate::users::domain::Role;
use crate::validate::Errors;

/// What to do to a case, with everything the caller said.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// The actor takes the case and works on it.
    Take,
    /// Hand the case to a group of its level and/or one of the group's agents.
    Assign {
        group_id: Option<Uuid>,
        agent_id: Option<Uuid>,
        note: Option<String>,
    },
    Classify {
        ticket_type: Option<TicketType>,
        service_id: Option<Uuid>,
        /// Impact and urgency: the priority follows from the desk's matrix.
        axes: Option<(Level3, Level3)>,
        /// An explicit priority, with its reason.
        priority: Option<Priority>,
        reason: Option<String>,
    },
    /// Move the case to a group of another level; with no agent, the group's least-loaded one.
    Escalate {
        level: i16,
        group_id: Uuid,
        agent_id: Option<Uuid>,
        reason: String,
        public: bool,
    },
    Hold {
        reason: HoldReason,
        note: Option<String>,
        desist_after_days: Option<i32>,
        public: bool,
    },
    Resume,
    Resolve {
        solution: String,
        solution_type: Option<String>,
    },
    Reject {
        reason: String,
        redirected_to: Option<String>,
    },
    Cancel,
    /// Refuse a solution: by the requester (they reject it directly, with a reason) or by staff.
    Reopen {
        reason: String,
    },
    /// Accept a solution: the requester; or staff with a recorded reason where the desk allows it.
    Close {
        reason: Option<String>,
    },
    /// The requester's survey answer: satisfied closes, unsatisfied reopens ("Abierto por
    /// encuesta") with the same assignee.
    Verdict {
        satisfied: bool,
    },
    /// The acceptance delay passed without a verdict (the system): closed as accepted by silence.
    AcceptBySilence,
    /// A case on hold waiting for the requester whose `desist_at` passed (the system): desisted.
    Desist,
    /// The requester wrote on a case waiting for them: it goes back to work.
    RequesterAnswered,
    /// Correct what the case says (not a lifecycle action: it changes no status).
    Edit(Edit),
    /// Move the case to a service of another desk, routed there as a registration would be.
    Transfer {
        service_id: Uuid,
        reason: String,
    },
}

/// What an edit changes; an absent field stays as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Edit {
    pub subject: Option<String>,
    pub description: Option<String>,
    pub contact_phone: Option<Option<String>>,
    pub location_id: Option<Option<Uuid>>,
    pub area_id: Option<Option<Uuid>>,
    /// Values of the service's fields, merged into the case's (`null` removes one).
    pub fields: Option<serde_json::Map<String, Value>>,
}

/// The case's field values with an edit's merged in.
pub fn merged_fields(current: &Value, patch: &serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    let mut merged = current.as_object().cloned().unwrap_or_default();
    for (k, v) in patch {
        if v.is_null() {
            merged.remove(k);
        } else {
            merged.insert(k.clone(), v.clone());
        }
    }
    merged
}

/// Staff correct a case while it is open; the requester while nobody works it yet or while it
/// waits for them to clarify it.
pub fn may_edit(t: &TicketRow, who: &Who) -> bool {
    match who.actor {
        Actor::Staff => t.status.is_open(),
        Actor::Requester => t.status == Status::New || (t.status == Status::OnHold && t.hold_reason == Some(HoldReason::WaitingRequester)),
    }
}

fn edit(old: &TicketRow, e: &Edit, who: &Who) -> Result<Decision, Refusal> {
    if !may_edit(old, who) {
        return Err(Refusal::NotEditable { status: old.status, allowed: allowed(old, who) });
    }
    let mut t = old.clone();
    let mut events = Vec::new();
    let mut change = |field: &str, before: Value, after: Value, visibility: Visibility| {
        if before != after {
            events.push(NewEvent { kind: "edit", old_value: Some(json!({"field": field, "value": before})), new_value: Some(json!({"field": field, "value": after})), visibility });
        }
    };
    if let Some(v) = &e.subject {
        change("subject", json!(old.subject), json!(v), Visibility::Public);
        t.subject = v.clone();
    }
    if let Some(v) = &e.description {
        change("description", json!(old.description), json!(v), Visibility::Public);
        t.description = v.clone();
    }
    if let Some(v) = &e.contact_phone {
        // A phone number is personal data: the change stays among the agents.
        change("contact_phone", json!(old.contact_phone), json!(v), Visibility::Private);
        t.contact_phone = v.clone();
    }
    if let Some(v) = e.location_id {
        change("location_id", json!(old.location_id), json!(v), Visibility::Public);
        t.location_id = v;
    }
    if let Some(v) = e.area_id {
        change("area_id", json!(old.area_id), json!(v), Visibility::Public);
        t.area_id = v;
    }
    if let Some(patch) = &e.fields {
        let merged = merged_fields(&old.fields, patch);
        let before = old.fields.as_object().cloned().unwrap_or_default();
        let mut keys: Vec<&String> = before.keys().chain(merged.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            change(&format!("fields.{k}"), before.get(k).cloned().unwrap_or(Value::Null), merged.get(k).cloned().unwrap_or(Value::Null), Visibility::Public);
        }
        t.fields = Value::Object(merged);
    }
    // A no-op edit changes nothing, not even the version.
    let changed = !events.is_empty();
    Ok(Decision { ticket: if changed { t } else { old.clone() }, changed, events, pauses: vec![] })
}

impl Command {
    /// The lifecycle action the command performs (its row in the state machine).
    pub fn action(&self) -> Action {
        match self {
            Command::Take => Action::Take,
            Command::Assign { .. } => Action::Assign,
            Command::Classify { .. } => Action::Classify,
            Command::Escalate { .. } => Action::Escalate,
            Command::Hold { .. } => Action::Hold,
            Command::Resume | Command::RequesterAnswered => Action::Resume,
            Command::Resolve { .. } => Action::Resolve,
            Command::Reject { .. } => Action::Reject,
            Command::Cancel => Action::Cancel,
            Command::Reopen { .. } | Command::Verdict { satisfied: false } => Action::Reopen,
            Command::Close { .. } | Command::Verdict { satisfied: true } | Command::AcceptBySilence => Action::Close,
            // The system alone archives; refusals name the closest action.
            Command::Desist => Action::Reject,
            // Shown nowhere as an action; refusals name the state, not it.
            Command::Edit(_) | Command::Transfer { .. } => Action::Classify,
        }
    }
}

/// A support group as the decision needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub id: Uuid,
    pub level: i16,
}

/// What [`prepare`] found in the database for a command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lookups {
    /// The group the command names (checked: active, of the case's desk).
    pub group: Option<Group>,
    /// The agent the case goes to: the one named (checked), or the group's least-loaded one.
    pub agent_id: Option<Uuid>,
    /// The priority the desk's matrix gives the command's impact and urgency.
    pub matrix_priority: Option<Priority>,
    /// The desk of the service the command names (a transfer), and the service's default type.
    pub service: Option<(Uuid, TicketType)>,
}

/// Who acts, with the facts about them that decide what they may do to this case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Who {
    /// `None`: the system (an SLA rule).
    pub id: Option<Uuid>,
    pub actor: Actor,
    /// Belongs to the group the case is assigned to.
    pub in_case_group: bool,
    /// Acts on the whole desk: an admin, a supervisor, or the system.
    pub desk_wide: bool,
    /// A group of the actor in the case's desk at the case's level (where taking the case moves it).
    pub group_at_level: Option<Uuid>,
    /// The case's desk lets staff close a resolved case (with a reason); the system always may.
    pub staff_may_close: bool,
}

impl Who {
    /// An SLA rule or job: desk-wide staff without a person behind it.
    pub const SYSTEM: Who = Who { id: None, actor: Actor::Staff, in_case_group: false, desk_wide: true, group_at_level: None, staff_may_close: true };

    /// The caller's facts for this case; `None` if it is not theirs to see. Supervisors act on
    /// every desk they work (their groups' desks and those they manage).
    pub fn of(scope: &Scope, reference: &Reference, t: &TicketRow) -> Option<Who> {
        let actor = scope.actor(t)?;
        let staff = actor == Actor::Staff;
        let group_at_level =
            if staff { scope.group_ids.iter().copied().find(|g| reference.groups.get(g).is_some_and(|r| r.desk_id == t.desk_id && r.level == t.level && r.active)) } else { None };
        Some(Who {
            id: Some(scope.user_id),
            actor,
            in_case_group: staff && t.assigned_group_id.is_some_and(|g| scope.group_ids.contains(&g)),
            desk_wide: staff && (scope.role == Role::Admin || scope.role == Role::Supervisor),
            group_at_level,
            staff_may_close: reference.desks.get(&t.desk_id).is_some_and(|d| d.staff_close_allowed),
        })
    }

    fn context(&self, t: &TicketRow) -> Context {
        Context { has_agent: t.assigned_agent_id.is_some(), actor_is_assignee: self.id.is_some() && t.assigned_agent_id == self.id }
    }

    /// Taking, resolving and rejecting belong to the case's group: after an escalation or a
    /// reassignment the former agent may still write follow-ups, not decide the case.
    fn may_work(&self, t: &TicketRow, action: Action) -> bool {
        if self.actor == Actor::Requester || !matches!(action, Action::Take | Action::Resolve | Action::Reject) {
            return true;
        }
        let unowned = t.assigned_group_id.is_none();
        let assignee = self.id.is_some() && t.assigned_agent_id == self.id;
        // Taking from another group's queue at a level where the actor has a group moves it there.
        let takes_to_own_group = action == Action::Take && self.group_at_level.is_some();
        self.desk_wide || self.in_case_group || unowned || assignee || takes_to_own_group
    }
}

/// Why a command does not apply.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// Not the actor's to do (a requester doing staff work; an agent outside the case's group).
    Forbidden,
    /// Not in the case's state; what the actor may do instead.
    NotNow { status: Status, action: Action, allowed: Vec<Action> },
    /// A field of the command is wrong for this case.
    Invalid(Vec<FieldError>),
    /// The case may not be edited by the actor in its state.
    NotEditable { status: Status, allowed: Vec<Action> },
    /// Staff may not close resolved cases in this desk: the requester's verdict or the delay does.
    StaffCloseNotAllowed { allowed: Vec<Action> },
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        match r {
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::NotNow { status, action, allowed } => AppError::Conflict {
                code: "invalid_transition",
                detail: state_machine::TransitionError { status, action }.to_string(),
                allowed_actions: Some(allowed.iter().map(|a| a.to_string()).collect()),
            },
            Refusal::Invalid(errors) => AppError::Validation(errors),
            Refusal::NotEditable { status, allowed } => AppError::Conflict {
                code: "not_editable",
                detail: format!("the case may not be edited by you while it is {status}"),
                allowed_actions: Some(allowed.iter().map(|a| a.to_string()).collect()),
            },
            Refusal::StaffCloseNotAllowed { allowed } => AppError::Conflict {
                code: "staff_close_not_allowed",
                detail: "in this desk a resolved case is closed by the requester's verdict or when the acceptance delay passes".into(),
                allowed_actions: Some(allowed.iter().map(|a| a.to_string()).collect()),
            },
        }
    }
}

fn invalid(field: &str, code: &str, message: impl Into<String>) -> Refusal {
    Refusal::Invalid(vec![FieldError::new(field, code, message)])
}

/// The decided change.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The case as it must be stored (same version as read; [`commit`] bumps it).
    pub ticket: TicketRow,
    /// Whether the case itself changes (an SLA rule that only notifies changes nothing).
    pub changed: bool,
    /// Audit entries, in order.
    pub events: Vec<NewEvent>,
    /// SLA clock pauses opened or closed.
    pub pauses: Vec<PauseChange>,
}

/// Every action the actor may take now (what `allowed_actions` shows).
pub fn allowed(t: &TicketRow, who: &Who) -> Vec<Action> {
    state_machine::allowed(t.status, who.actor, who.context(t)).into_iter().filter(|a| who.may_work(t, *a) && !closing_refused(*a, who)).collect()
}

/// Staff closing a resolved case where the desk does not let them.
fn closing_refused(action: Action, who: &Who) -> bool {
    action == Action::Close && who.actor == Actor::Staff && !who.staff_may_close
}

/// Whether the actor may attempt `action` now: the role, the state, then the group. Checked
/// before [`prepare`] reads anything, and again by [`decide`].
pub fn gate(t: &TicketRow, action: Action, who: &Who) -> Result<Status, Refusal> {
    if who.actor == Actor::Requester && !matches!(action, Action::Cancel | Action::Reopen | Action::Close) {
        return Err(Refusal::Forbidden);
    }
    let next = state_machine::apply(t.status, action, who.actor, who.context(t)).map_err(|e| Refusal::NotNow { status: e.status, action: e.action, allowed: allowed(t, who) })?;
    if !who.may_work(t, action) {
        return Err(Refusal::Forbidden);
    }
    if closing_refused(action, who) {
        return Err(Refusal::StaffCloseNotAllowed { allowed: allowed(t, who) });
    }
    Ok(next)
}

/// The decision: pure, no I/O.
pub fn decide(old: &TicketRow, cmd: &Command, found: &Lookups, who: &Who, now: DateTime<Utc>) -> Result<Decision, Refusal> {
    let mut t = old.clone();
    // The reason explaining the change, and whether the requester may read it.
    let mut note: Option<(String, bool)> = None;
    if let Command::Edit(e) = cmd {
        return edit(old, e, who);
    }
    if let Command::Transfer { service_id, reason } = cmd {
        return transfer(old, *service_id, reason, found, who);
    }
    if *cmd == Command::RequesterAnswered {
        if who.actor != Actor::Requester || old.status != Status::OnHold || old.hold_reason != Some(HoldReason::WaitingRequester) {
            return Err(Refusal::NotNow { status: old.status, action: Action::Resume, allowed: allowed(old, who) });
        }
        t.status = if old.assigned_agent_id.is_some() { Status::InProgress } else { Status::Assigned };
        clear_hold(&mut t);
        note = Some(("requester_update".to_owned(), true));
    } else if *cmd == Command::Desist {
        let due = old.desist_at.is_some_and(|d| d <= now);
        if who.id.is_some() || old.status != Status::OnHold || old.hold_reason != Some(HoldReason::WaitingRequester) || !due {
            return Err(Refusal::NotNow { status: old.status, action: Action::Reject, allowed: allowed(old, who) });
        }
        t.status = Status::Desisted;
    } else {
        match cmd {
            Command::Verdict { .. } if who.actor != Actor::Requester => return Err(Refusal::Forbidden),
            Command::AcceptBySilence if who.id.is_some() => return Err(Refusal::Forbidden),
            _ => {}
        }
        t.status = gate(old, cmd.action(), who)?;
    }
    // How a resolved case is closed, for its `status` event.
    let mut close_reason: Option<CloseReason> = None;
    match cmd {
        Command::RequesterAnswered | Command::Edit(_) | Command::Transfer { .. } => {}
        Command::Desist => t.closed_at = Some(now),
        Command::Take => {
            if let (Some(g), Some(mine)) = (t.assigned_group_id, who.group_at_level) {
                if !who.in_case_group && g != mine {
                    t.assigned_group_id = Some(mine);
                }
            }
            t.assigned_agent_id = who.id;
            t.taken_at.get_or_insert(now);
        }
        Command::Assign { group_id, agent_id, note: n } => {
            if group_id.is_none() && agent_id.is_none() {
                return Err(invalid("group_id", "required", "give a group, an agent, or both"));
            }
            if let Some(g) = group_id {
                let group = found.group.filter(|f| f.id == *g).ok_or_else(|| invalid("group_id", "unknown_reference", "must be an active support group of the case's desk"))?;
                // The level changes only by escalating, which says why and is traced as such.
                if group.level != old.level {
                    return Err(invalid("group_id", "wrong_level", format!("this group works at level {}; escalate to change the case's level", group.level)));
                }
                t.assigned_group_id = Some(group.id);
            }
            t.assigned_agent_id = *agent_id;
            note = n.clone().map(|n| (n, true));
        }
        Command::Classify { ticket_type, service_id, axes, priority, reason } => {
            if let Some(s) = service_id {
                t.service_id = *s;
            }
            if let Some(tt) = ticket_type {
                t.ticket_type = *tt;
            }
            if let Some((i, u)) = axes {
                t.impact = Some(*i);
                t.urgency = Some(*u);
                if let Some(p) = found.matrix_priority {
                    t.priority = p;
                }
            }
            if let Some(p) = priority {
                if reason.is_none() {
                    return Err(invalid("priority_reason", "required", "say why the priority differs from the matrix"));
                }
                t.priority = *p;
            }
            note = reason.clone().map(|r| (r, true));
        }
        Command::Escalate { level, group_id, agent_id, reason, public } => {
            if *level == old.level {
                return Err(invalid("level", "unchanged", format!("the case is already at level {}", old.level)));
            }
            let group = found.group.filter(|f| f.id == *group_id).ok_or_else(|| invalid("group_id", "unknown_reference", "must be an active support group of the case's desk"))?;
            if group.level != *level {
                return Err(invalid("group_id", "wrong_level", format!("this group works at level {}", group.level)));
            }
            t.level = group.level;
            t.assigned_group_id = Some(group.id);
            t.assigned_agent_id = agent_id.or(found.agent_id);
            note = Some((reason.clone(), *public));
        }
        Command::Hold { reason, note: n, desist_after_days, public } => {
            t.hold_reason = Some(*reason);
            t.hold_note = n.clone();
            t.hold_note_public = *public && n.is_some();
            t.desist_at = desist_after_days.map(|d| now + Duration::days(d as i64));
            note = n.clone().map(|n| (n, *public));
        }
        Command::Resume => clear_hold(&mut t),
        Command::Resolve { solution, solution_type } => {
            t.solution = Some(solution.clone());
            t.solution_type = solution_type.clone();
            t.resolved_at = Some(now);
            t.reopen_reason = None;
            clear_hold(&mut t);
            if t.assigned_agent_id.is_none() {
                t.assigned_agent_id = who.id;
            }
        }
        Command::Reject { reason, redirected_to } => {
            t.rejection_reason = Some(reason.clone());
            t.redirected_to = redirected_to.clone();
            t.closed_at = Some(now);
        }
        Command::Cancel => t.closed_at = Some(now),
        Command::Close { reason } => {
            t.closed_at = Some(now);
            if who.actor == Actor::Staff {
                // Staff close only with a reason on record (e.g. accepted by phone).
                let r = reason.clone().ok_or_else(|| invalid("reason", "required", "say why the case is closed without the requester's verdict"))?;
                close_reason = Some(CloseReason::Staff);
                note = Some((r, true));
            } else {
                close_reason = Some(CloseReason::Accepted);
                note = reason.clone().map(|r| (r, true));
            }
        }
        Command::AcceptBySilence => {
            t.closed_at = Some(now);
            close_reason = Some(CloseReason::Silence);
        }
        Command::Verdict { satisfied: true } => {
            t.closed_at = Some(now);
            close_reason = Some(CloseReason::Survey);
        }
        Command::Verdict { satisfied: false } => reopen(&mut t, ReopenReason::Survey),
        Command::Reopen { reason } => {
            reopen(&mut t, if who.actor == Actor::Requester { ReopenReason::Requester } else { ReopenReason::Staff });
            note = Some((reason.clone(), true));
        }
    }
    let mut events = diff(old, &t, note.as_ref().map(|(n, public)| (n.as_str(), *public)));
    // The closing's or reopening's cause goes on its status event (the mails hang on it).
    if let Some(status) = events.iter_mut().find(|e| e.kind == "status").and_then(|e| e.new_value.as_mut()) {
        if let Some(c) = close_reason {
            status["close_reason"] = json!(c);
        }
        if old.status == Status::Resolved && t.status != Status::Closed {
            status["reopen_reason"] = json!(t.reopen_reason);
        }
    }
    let pauses = crate::sla::store::pause_changes(old.status, t.status);
    Ok(Decision { ticket: t, changed: true, events, pauses })
}

/// Back to work after a resolution, with the same assignee; the resolution clock runs again
/// (the `resolved` pause closes).
fn reopen(t: &mut TicketRow, why: ReopenReason) {
    t.reopen_count += 1;
    t.resolved_at = None;
    t.solution = None;
    t.solution_type = None;
    t.reopen_reason = Some(why);
}

fn clear_hold(t: &mut TicketRow) {
    t.hold_reason = None;
    t.hold_note = None;
    t.hold_note_public = false;
    t.desist_at = None;
}

/// A transfer: the case leaves its desk for a service of another one and is routed there as a
/// registration is (the service's group for the requester's organization, its least-loaded
/// agent, the group's level); its clocks are then measured by the new desk's calendar and policy.
fn transfer(old: &TicketRow, service_id: Uuid, reason: &str, found: &Lookups, who: &Who) -> Result<Decision, Refusal> {
    if who.actor != Actor::Staff {
        return Err(Refusal::Forbidden);
    }
    if !old.status.is_open() {
        return Err(Refusal::NotEditable { status: old.status, allowed: allowed(old, who) });
    }
    let (desk_id, default_type) = found.service.ok_or_else(|| invalid("service_id", "unknown_reference", "must be an active service"))?;
    if desk_id == old.desk_id {
        return Err(invalid("service_id", "same_desk", "the service is of the case's own desk: classify the case instead"));
    }
    let mut t = old.clone();
    t.desk_id = desk_id;
    t.service_id = service_id;
    t.ticket_type = default_type;
    t.assigned_group_id = found.group.map(|g| g.id);
    t.assigned_agent_id = found.agent_id;
    t.level = found.group.map(|g| g.level).unwrap_or(1);
    // Routed like a registration: the new desk's agent must take it.
    t.status = if t.assigned_group_id.is_some() { Status::Assigned } else { Status::New };
    clear_hold(&mut t);
    let mut events = vec![NewEvent {
        kind: "transfer",
        old_value: Some(json!({"desk_id": old.desk_id, "service_id": old.service_id})),
        new_value: Some(json!({"desk_id": desk_id, "service_id": service_id, "reason": reason})),
        visibility: Visibility::Public,
    }];
    events.extend(diff(old, &t, None));
    let pauses = crate::sla::store::pause_changes(old.status, t.status);
    Ok(Decision { ticket: t, changed: true, events, pauses })
}

/// The audit entries for what changed between two versions of a case. The reason (`note`)
/// goes on the status or level change it explains; a private one is marked so requesters read
/// the change without it.
pub fn diff(old: &TicketRow, new: &TicketRow, note: Option<(&str, bool)>) -> Vec<NewEvent> {
    let mut events = Vec::new();
    let public = Visibility::Public;
    let mut note = note;
    let mut with_note = |mut v: Value| {
        if let Some((n, public)) = note.take() {
            v["reason"] = json!(n);
            if !public {
                v["reason_visibility"] = json!(Visibility::Private);
            }
        }
        v
    };
    if old.status != new.status {
        let mut value = json!({"status": new.status});
        if let Some(r) = new.hold_reason.filter(|_| new.status == Status::OnHold) {
            value["hold_reason"] = json!(r);
        }
        events.push(NewEvent { kind: "status", old_value: Some(json!({"status": old.status})), new_value: Some(with_note(value)), visibility: public });
    }
    if old.level != new.level {
        events.push(NewEvent { kind: "level", old_value: Some(json!({"level": old.level})), new_value: Some(with_note(json!({"level": new.level}))), visibility: public });
    }
    if (old.assigned_group_id, old.assigned_agent_id) != (new.assigned_group_id, new.assigned_agent_id) {
        events.push(NewEvent {
            kind: "assignment",
            old_value: Some(json!({"group_id": old.assigned_group_id, "agent_id": old.assigned_agent_id})),
            new_value: Some(json!({"group_id": new.assigned_group_id, "agent_id": new.assigned_agent_id})),
            visibility: public,
        });
    }
    if old.priority != new.priority {
        events.push(NewEvent {
            kind: "priority",
            old_value: Some(json!({"priority": old.priority})),
            new_value: Some(with_note(json!({"priority": new.priority}))),
            visibility: public,
        });
    }
    if (old.ticket_type, old.service_id, old.impact, old.urgency) != (new.ticket_type, new.service_id, new.impact, new.urgency) {
        events.push(NewEvent {
            kind: "classification",
            old_value: Some(json!({"type": old.ticket_type, "service_id": old.service_id, "impact": old.impact, "urgency": old.urgency})),
            new_value: Some(json!({"type": new.ticket_type, "service_id": new.service_id, "impact": new.impact, "urgency": new.urgency})),
            visibility: public,
        });
    }
    if old.solution != new.solution && new.solution.is_some() {
        events.push(NewEvent { kind: "solution", old_value: None, new_value: Some(json!({"text": new.solution, "solution_type": new.solution_type})), visibility: public });
    }
    if old.rejection_reason != new.rejection_reason && new.rejection_reason.is_some() {
        events.push(NewEvent {
            kind: "rejection",
            old_value: None,
            new_value: Some(json!({"reason": new.rejection_reason, "redirected_to": new.redirected_to})),
            visibility: public,
        });
    }
    events
}

/// An event as a requester may read it: a private reason is left out.
pub fn redact_for_requester(value: &mut Value) {
    if value.get("reason_visibility").and_then(Value::as_str) == Some(Visibility::Private.as_str()) {
        if let Some(o) = value.as_object_mut() {
            o.remove("reason");
            o.remove("reason_visibility");
        }
    }
}

/// Reads what the decision needs and checks the references the command names (422 naming the
/// field when one is unknown). Writes nothing.
pub async fn prepare(conn: &mut AsyncPgConnection, reference: &Reference, t: &TicketRow, cmd: &Command) -> AppResult<Lookups> {
    let mut found = Lookups::default();
    match cmd {
        Command::Assign { group_id, agent_id, .. } => {
            found.group = check_group(reference, t.desk_id, *group_id, "group_id")?;
            // An agent alone must belong to the case's current group.
            let group = group_id.or(t.assigned_group_id);
            check_agent(conn, group, *agent_id).await?;
            found.agent_id = *agent_id;
        }
        Command::Escalate { group_id, agent_id, .. } => {
            found.group = check_group(reference, t.desk_id, Some(*group_id), "group_id")?;
            check_agent(conn, Some(*group_id), *agent_id).await?;
            found.agent_id = match agent_id {
                Some(a) => Some(*a),
                None => queries::pick_agent(conn, *group_id).await?,
            };
        }
        Command::Classify { service_id, axes, .. } => {
            if let Some(service_id) = service_id {
                match reference.nodes.get(service_id) {
                    Some(n) if n.desk_id == t.desk_id && n.node.kind == NodeKind::Service && n.node.active => {}
                    _ => return Err(AppError::field("service_id", "unknown_reference", "must be an active service of the case's desk")),
                }
            }
            if let Some((i, u)) = axes {
                let matrix: Value = desks::table.find(t.desk_id).select(desks::priority_matrix).first(conn).await?;
                found.matrix_priority = priority_from_matrix(&matrix, *i, *u);
            }
        }
        Command::Transfer { service_id, .. } => {
            let service = match reference.nodes.get(service_id) {
                Some(n) if n.node.kind == NodeKind::Service && n.node.active && reference.desks.get(&n.desk_id).is_some_and(|d| d.active) => n,
                _ => return Err(AppError::field("service_id", "unknown_reference", "must be an active service of an active desk")),
            };
            let detail = service.node.service.as_ref().ok_or_else(|| AppError::field("service_id", "not_a_service", "must be a service"))?;
            found.service = Some((service.desk_id, detail.default_type));
            // Routing as at registration: by the requester's organization, then the least-loaded agent.
            if let Some(g) = detail.responsible_group_for(t.organization_id) {
                found.group = check_group(reference, service.desk_id, Some(g), "service_id")?;
                found.agent_id = queries::pick_agent(conn, g).await?;
            }
        }
        Command::Edit(Edit { fields: Some(patch), .. }) => {
            let form = reference.nodes.get(&t.service_id).and_then(|n| n.node.service.as_ref()).map(|s| s.form_fields.as_slice()).unwrap_or_default();
            // Checked as registration checks them: the merged values must satisfy the service's form.
            let problems = crate::catalog::form::validate_values("fields", form, &merged_fields(&t.fields, patch));
            if !problems.is_empty() {
                return Err(AppError::Validation(problems));
            }
        }
        _ => {}
    }
    Ok(found)
}

/// An active group of the desk.
pub fn check_group(reference: &Reference, desk_id: Uuid, group: Option<Uuid>, field: &str) -> AppResult<Option<Group>> {
    let Some(g) = group else { return Ok(None) };
    match reference.groups.get(&g) {
        Some(found) if found.active && found.desk_id == desk_id => Ok(Some(Group { id: g, level: found.level })),
        _ => Err(AppError::field(field, "unknown_reference", "must be an active support group of the case's desk")),
    }
}

/// An active agent, who belongs to `group` when there is one.
async fn check_agent(conn: &mut AsyncPgConnection, group: Option<Uuid>, agent: Option<Uuid>) -> AppResult<()> {
    let Some(a) = agent else { return Ok(()) };
    let mut e = Errors::default();
    let staff: Option<(Role, bool)> = users::table.find(a).select((users::role, users::active)).first(conn).await.optional()?;
    match staff {
        Some((r, true)) if r != Role::Requester => {
            if let Some(g) = group {
                let member: bool = diesel::select(diesel::dsl::exists(group_members::table.find((g, a)))).get_result(conn).await?;
                if !member {
                    e.add("agent_id", "not_a_member", "the agent does not belong to that group");
                }
            }
        }
        _ => e.add("agent_id", "unknown_reference", "must be an active agent"),
    }
    e.finish()
}

/// Stores a decision in the caller's transaction: the case (only over the version it was
/// decided on: 412 otherwise), its audit events, its SLA pauses and clocks.
///
/// This is the single place a change of a case is written. Whatever must happen with every
/// change is added here, from the decided `events`, so an HTTP action and an SLA rule can never
/// differ in what they leave: a resolution's satisfaction survey (`surveys::store::on_case_change`)
/// and the change's mail notification (`notify::record_change`, one row expanded and sent later by
/// the jobs) and the webhooks' outbox rows (`webhooks::record_change`, delivered by their job).
pub async fn commit(conn: &mut AsyncPgConnection, reference: &Reference, old: &TicketRow, decision: Decision, actor_id: Option<Uuid>, now: DateTime<Utc>) -> AppResult<TicketRow> {
    let Decision { ticket, changed, mut events, pauses } = decision;
    let saved = if changed {
        // What the case says is written only when edited (a description may be large).
        if (ticket.desk_id, &ticket.subject, &ticket.description, &ticket.contact_phone, ticket.location_id, ticket.area_id, &ticket.fields)
            != (old.desk_id, &old.subject, &old.description, &old.contact_phone, old.location_id, old.area_id, &old.fields)
        {
            queries::save_content(conn, &ticket).await?;
        }
        let saved = queries::save(conn, &ticket, now).await?.ok_or(AppError::PreconditionFailed)?;
        crate::sla::store::apply_pauses(conn, old.id, &pauses, now).await?;
        crate::sla::store::refresh(conn, reference, old.id, now).await?;
        // A resolution sends its survey; leaving `resolved` withdraws a pending one.
        events.extend(crate::surveys::store::on_case_change(conn, reference, old, &saved, now).await?);
        saved
    } else {
        ticket
    };
    crate::notify::record_change(conn, old, &saved, &events, actor_id, now).await?;
    let stored = if changed { queries::by_id(conn, saved.id).await? } else { saved };
    // The webhooks' outbox rows, rendered from the case as stored now (`webhooks::record`).
    crate::webhooks::record_change(conn, reference, old, &stored, &events, now).await?;
    audit::record(conn, old.id, actor_id, events).await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(status: Status) -> TicketRow {
        let now = Utc::now();
        TicketRow {
            id: Uuid::now_v7(),
            number: 1,
            desk_id: Uuid::now_v7(),
            service_id: Uuid::now_v7(),
            ticket_type: TicketType::Incident,
            priority: Priority::Medium,
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
            channel: Channel::Portal,
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
            version: 3,
            sla_policy_id: None,
            sla_policy_version: None,
            response_met: None,
            resolution_met: None,
        }
    }

    fn member(id: Uuid) -> Who {
        Who { id: Some(id), actor: Actor::Staff, in_case_group: true, desk_wide: false, group_at_level: None, staff_may_close: false }
    }

    fn outsider(id: Uuid) -> Who {
        Who { id: Some(id), actor: Actor::Staff, in_case_group: false, desk_wide: false, group_at_level: None, staff_may_close: false }
    }

    fn requester(t: &TicketRow) -> Who {
        Who { id: Some(t.requester_id), actor: Actor::Requester, in_case_group: false, desk_wide: false, group_at_level: None, staff_may_close: false }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-24T15:00:00Z".parse().unwrap()
    }

    fn go(t: &TicketRow, cmd: Command, found: Lookups, who: Who) -> Decision {
        decide(t, &cmd, &found, &who, now()).unwrap_or_else(|e| panic!("{cmd:?}: {e:?}"))
    }

    fn kinds(d: &Decision) -> Vec<&'static str> {
        d.events.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn take_makes_the_case_mine_and_starts_the_attention_clock() {
        let t = case(Status::Assigned);
        let me = Uuid::now_v7();
        let d = go(&t, Command::Take, Lookups::default(), member(me));
        assert_eq!((d.ticket.status, d.ticket.assigned_agent_id, d.ticket.taken_at), (Status::InProgress, Some(me), Some(now())));
        assert_eq!(kinds(&d), ["status", "assignment"]);
        assert_eq!(d.ticket.version, t.version, "commit bumps the version, not the decision");
    }

    #[test]
    fn taking_from_another_groups_queue_moves_it_to_mine_at_the_same_level() {
        let t = case(Status::Assigned);
        let mine = Uuid::now_v7();
        let who = Who { group_at_level: Some(mine), ..outsider(Uuid::now_v7()) };
        assert_eq!(go(&t, Command::Take, Lookups::default(), who).ticket.assigned_group_id, Some(mine));
        // Without a group at that level, an agent outside the case's group may not take it.
        assert_eq!(decide(&t, &Command::Take, &Lookups::default(), &outsider(Uuid::now_v7()), now()).unwrap_err(), Refusal::Forbidden);
        // Supervisors and admins may; the case stays in its group.
        let boss = Who { desk_wide: true, ..outsider(Uuid::now_v7()) };
        assert_eq!(go(&t, Command::Take, Lookups::default(), boss).ticket.assigned_group_id, t.assigned_group_id);
    }

    #[test]
    fn after_an_escalation_the_former_agent_follows_up_but_does_not_decide() {
        let mut t = case(Status::InProgress);
        let former = Uuid::now_v7();
        t.assigned_agent_id = Some(former);
        let n2 = Group { id: Uuid::now_v7(), level: 2 };
        let specialist = Uuid::now_v7();
        let cmd = Command::Escalate { level: 2, group_id: n2.id, agent_id: None, reason: "Tarjeta madre".into(), public: false };
        let d = go(&t, cmd, Lookups { group: Some(n2), agent_id: Some(specialist), ..Lookups::default() }, member(former));
        assert_eq!((d.ticket.level, d.ticket.assigned_group_id, d.ticket.assigned_agent_id, d.ticket.status), (2, Some(n2.id), Some(specialist), Status::Assigned));
        let after = d.ticket;
        let former_now = outsider(former);
        for cmd in [Command::Take, Command::Resolve { solution: "x".into(), solution_type: None }, Command::Reject { reason: "x".into(), redirected_to: None }] {
            assert_eq!(decide(&after, &cmd, &Lookups::default(), &former_now, now()).unwrap_err(), Refusal::Forbidden, "{cmd:?}");
        }
        assert_eq!(allowed(&after, &former_now), [Action::Assign, Action::Classify, Action::Escalate, Action::Hold]);
        // The new group's agent may.
        assert_eq!(allowed(&after, &member(specialist)), [Action::Take, Action::Assign, Action::Classify, Action::Escalate, Action::Hold, Action::Resolve, Action::Reject]);
    }

    #[test]
    fn an_escalation_reason_is_private_unless_marked_public() {
        let t = case(Status::InProgress);
        let n2 = Group { id: Uuid::now_v7(), level: 2 };
        let found = Lookups { group: Some(n2), ..Lookups::default() };
        for public in [false, true] {
            let d = go(&t, Command::Escalate { level: 2, group_id: n2.id, agent_id: None, reason: "Interno".into(), public }, found.clone(), member(Uuid::now_v7()));
            assert_eq!(kinds(&d), ["status", "level", "assignment"]);
            let mut status = d.events[0].new_value.clone().unwrap();
            assert_eq!(status["reason"], "Interno");
            redact_for_requester(&mut status);
            assert_eq!(status.get("reason").is_some(), public, "{status}");
            assert_eq!(status["status"], "assigned");
        }
    }

    #[test]
    fn escalation_needs_a_group_of_the_new_level() {
        let t = case(Status::InProgress);
        let n3 = Group { id: Uuid::now_v7(), level: 3 };
        let found = Lookups { group: Some(n3), ..Lookups::default() };
        let who = member(Uuid::now_v7());
        let wrong = decide(&t, &Command::Escalate { level: 2, group_id: n3.id, agent_id: None, reason: "x".into(), public: false }, &found, &who, now()).unwrap_err();
        assert!(matches!(&wrong, Refusal::Invalid(e) if e[0].code == "wrong_level"), "{wrong:?}");
        let same = decide(&t, &Command::Escalate { level: 1, group_id: n3.id, agent_id: None, reason: "x".into(), public: false }, &found, &who, now()).unwrap_err();
        assert!(matches!(&same, Refusal::Invalid(e) if e[0].code == "unchanged"), "{same:?}");
    }

    #[test]
    fn assignment_keeps_the_level_equal_to_the_groups() {
        let t = case(Status::InProgress);
        let who = member(Uuid::now_v7());
        let same_level = Group { id: Uuid::now_v7(), level: 1 };
        let agent = Uuid::now_v7();
        let d = go(&t, Command::Assign { group_id: Some(same_level.id), agent_id: Some(agent), note: None }, Lookups { group: Some(same_level), ..Lookups::default() }, who);
        assert_eq!((d.ticket.status, d.ticket.assigned_group_id, d.ticket.assigned_agent_id, d.ticket.level), (Status::Assigned, Some(same_level.id), Some(agent), 1));
        let n2 = Group { id: Uuid::now_v7(), level: 2 };
        let r = decide(&t, &Command::Assign { group_id: Some(n2.id), agent_id: None, note: None }, &Lookups { group: Some(n2), ..Lookups::default() }, &who, now()).unwrap_err();
        assert!(matches!(&r, Refusal::Invalid(e) if e[0].field == "group_id" && e[0].code == "wrong_level"), "{r:?}");
        let r = decide(&t, &Command::Assign { group_id: None, agent_id: None, note: None }, &Lookups::default(), &who, now()).unwrap_err();
        assert!(matches!(&r, Refusal::Invalid(e) if e[0].field == "group_id"), "{r:?}");
    }

    #[test]
    fn classify_takes_the_matrix_or_an_explicit_priority_with_a_reason() {
        let t = case(Status::New);
        let who = member(Uuid::now_v7());
        let cmd = Command::Classify { ticket_type: Some(TicketType::Request), service_id: None, axes: Some((Level3::High, Level3::High)), priority: None, reason: None };
        let d = go(&t, cmd, Lookups { matrix_priority: Some(Priority::Critical), ..Lookups::default() }, who);
        assert_eq!((d.ticket.priority, d.ticket.ticket_type, d.ticket.status), (Priority::Critical, TicketType::Request, Status::New));
        assert_eq!(kinds(&d), ["priority", "classification"]);
        let cmd = Command::Classify { ticket_type: None, service_id: None, axes: None, priority: Some(Priority::Low), reason: None };
        assert!(matches!(decide(&t, &cmd, &Lookups::default(), &who, now()), Err(Refusal::Invalid(_))));
        let cmd = Command::Classify { ticket_type: None, service_id: None, axes: None, priority: Some(Priority::Low), reason: Some("Hay reemplazo".into()) };
        let d = go(&t, cmd, Lookups::default(), who);
        assert_eq!(d.events[0].new_value.as_ref().unwrap()["reason"], "Hay reemplazo");
    }

    #[test]
    fn hold_pauses_the_clock_and_resume_restarts_it() {
        let mut t = case(Status::InProgress);
        t.assigned_agent_id = Some(Uuid::now_v7());
        let who = member(Uuid::now_v7());
        let cmd = Command::Hold { reason: HoldReason::WaitingRequester, note: Some("Falta la placa".into()), desist_after_days: Some(3), public: false };
        let d = go(&t, cmd, Lookups::default(), who);
        assert_eq!((d.ticket.status, d.ticket.desist_at, d.ticket.hold_note_public), (Status::OnHold, Some(now() + Duration::days(3)), false));
        assert_eq!(d.pauses, [PauseChange::Open("on_hold")]);
        assert_eq!(d.events[0].new_value.as_ref().unwrap()["reason_visibility"], "private");
        let held = d.ticket;
        let d = go(&held, Command::Resume, Lookups::default(), who);
        assert_eq!((d.ticket.status, d.ticket.hold_reason, d.ticket.desist_at), (Status::InProgress, None, None));
        assert_eq!(d.pauses, [PauseChange::Close("on_hold")]);
        // The requester answering resumes it too; an agent cannot "answer".
        assert_eq!(go(&held, Command::RequesterAnswered, Lookups::default(), requester(&held)).ticket.status, Status::InProgress);
        assert!(matches!(decide(&held, &Command::RequesterAnswered, &Lookups::default(), &who, now()), Err(Refusal::NotNow { .. })));
    }

    #[test]
    fn resolve_reopen_close() {
        let t = case(Status::InProgress);
        let me = Uuid::now_v7();
        let d = go(&t, Command::Resolve { solution: "Cambio de fuente".into(), solution_type: Some("on_site".into()) }, Lookups::default(), member(me));
        assert_eq!((d.ticket.status, d.ticket.resolved_at, d.ticket.assigned_agent_id), (Status::Resolved, Some(now()), Some(me)));
        assert_eq!(kinds(&d), ["status", "assignment", "solution"]);
        assert_eq!(d.pauses, [PauseChange::Open("resolved")]);
        let resolved = d.ticket;
        let r = requester(&resolved);
        let d = go(&resolved, Command::Reopen { reason: "Sigue igual".into() }, Lookups::default(), r);
        assert_eq!((d.ticket.status, d.ticket.reopen_count, d.ticket.solution.clone()), (Status::InProgress, 1, None));
        assert_eq!(d.pauses, [PauseChange::Close("resolved")]);
        let d = go(&resolved, Command::Close { reason: None }, Lookups::default(), r);
        assert_eq!((d.ticket.status, d.ticket.closed_at), (Status::Closed, Some(now())));
    }

    #[test]
    fn reject_and_cancel_end_the_case() {
        let t = case(Status::Assigned);
        let d = go(&t, Command::Reject { reason: "No es TI".into(), redirected_to: Some("Mantenimiento".into()) }, Lookups::default(), member(Uuid::now_v7()));
        assert_eq!((d.ticket.status, d.ticket.closed_at), (Status::Rejected, Some(now())));
        assert_eq!(kinds(&d), ["status", "rejection"]);
        let d = go(&t, Command::Cancel, Lookups::default(), requester(&t));
        assert_eq!(d.ticket.status, Status::Cancelled);
    }

    #[test]
    fn refusals_are_typed() {
        let t = case(Status::Closed);
        let who = member(Uuid::now_v7());
        assert_eq!(
            decide(&t, &Command::Resume, &Lookups::default(), &who, now()).unwrap_err(),
            Refusal::NotNow { status: Status::Closed, action: Action::Resume, allowed: vec![] }
        );
        let open = case(Status::Assigned);
        assert_eq!(decide(&open, &Command::Take, &Lookups::default(), &requester(&open), now()).unwrap_err(), Refusal::Forbidden);
        match AppError::from(decide(&open, &Command::Resume, &Lookups::default(), &who, now()).unwrap_err()) {
            AppError::Conflict { code, allowed_actions, .. } => {
                assert_eq!(code, "invalid_transition");
                assert_eq!(allowed_actions.unwrap(), ["take", "assign", "classify", "escalate", "hold", "resolve", "reject"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn edits_record_every_changed_field_and_a_no_op_changes_nothing() {
        let mut t = case(Status::New);
        t.fields = json!({"placa_equipo": "PC-1", "cantidad": 2});
        t.contact_phone = Some("3001".into());
        let r = requester(&t);
        let e = Edit {
            subject: Some("Nuevo asunto".into()),
            description: Some(t.description.clone()),
            contact_phone: Some(None),
            fields: Some(serde_json::from_value(json!({"placa_equipo": "PC-2", "cantidad": null})).unwrap()),
            ..Edit::default()
        };
        let d = go(&t, Command::Edit(e), Lookups::default(), r);
        assert!(d.changed);
        assert_eq!((d.ticket.subject.as_str(), d.ticket.contact_phone.clone(), d.ticket.fields.clone()), ("Nuevo asunto", None, json!({"placa_equipo": "PC-2"})));
        let changes: Vec<(String, Visibility)> = d.events.iter().map(|e| (e.new_value.as_ref().unwrap()["field"].as_str().unwrap().to_owned(), e.visibility)).collect();
        assert_eq!(
            changes,
            [
                ("subject".to_owned(), Visibility::Public),
                ("contact_phone".to_owned(), Visibility::Private),
                ("fields.cantidad".to_owned(), Visibility::Public),
                ("fields.placa_equipo".to_owned(), Visibility::Public)
            ]
        );
        assert_eq!(d.events[0].old_value, Some(json!({"field": "subject", "value": "s"})));
        let same = Edit { subject: Some(t.subject.clone()), fields: Some(serde_json::from_value(json!({"cantidad": 2})).unwrap()), ..Edit::default() };
        let d = go(&t, Command::Edit(same), Lookups::default(), r);
        assert!(!d.changed && d.events.is_empty());
    }

    #[test]
    fn who_may_edit_when() {
        let staff = member(Uuid::now_v7());
        for status in Status::ALL {
            let t = case(*status);
            assert_eq!(may_edit(&t, &staff), status.is_open(), "{status}");
            assert_eq!(may_edit(&t, &requester(&t)), *status == Status::New, "{status}");
        }
        let mut waiting = case(Status::OnHold);
        waiting.hold_reason = Some(HoldReason::WaitingRequester);
        assert!(may_edit(&waiting, &requester(&waiting)));
        let t = case(Status::Assigned);
        let r = decide(&t, &Command::Edit(Edit { subject: Some("x".into()), ..Edit::default() }), &Lookups::default(), &requester(&t), now()).unwrap_err();
        assert!(matches!(r, Refusal::NotEditable { status: Status::Assigned, .. }), "{r:?}");
    }

    #[test]
    fn a_transfer_routes_the_case_in_its_new_desk() {
        let mut t = case(Status::OnHold);
        t.level = 2;
        t.hold_reason = Some(HoldReason::WaitingThirdParty);
        t.assigned_agent_id = Some(Uuid::now_v7());
        let (desk, service) = (Uuid::now_v7(), Uuid::now_v7());
        let group = Group { id: Uuid::now_v7(), level: 1 };
        let agent = Uuid::now_v7();
        let found = Lookups { group: Some(group), agent_id: Some(agent), matrix_priority: None, service: Some((desk, TicketType::Request)) };
        let d = go(&t, Command::Transfer { service_id: service, reason: "Es de mantenimiento".into() }, found.clone(), member(Uuid::now_v7()));
        let x = &d.ticket;
        assert_eq!(
            (x.desk_id, x.service_id, x.assigned_group_id, x.assigned_agent_id, x.level, x.status, x.hold_reason),
            (desk, service, Some(group.id), Some(agent), 1, Status::Assigned, None)
        );
        assert_eq!(kinds(&d), ["transfer", "status", "level", "assignment", "classification"]);
        assert_eq!(d.pauses, [PauseChange::Close("on_hold")]);
        // Not to the same desk, not by the requester, not once the case is over.
        let same = Lookups { service: Some((t.desk_id, TicketType::Incident)), ..found.clone() };
        assert!(matches!(decide(&t, &Command::Transfer { service_id: service, reason: "x".into() }, &same, &member(Uuid::now_v7()), now()), Err(Refusal::Invalid(_))));
        assert_eq!(decide(&t, &Command::Transfer { service_id: service, reason: "x".into() }, &found, &requester(&t), now()).unwrap_err(), Refusal::Forbidden);
        let over = case(Status::Closed);
        assert!(matches!(decide(&over, &Command::Transfer { service_id: service, reason: "x".into() }, &found, &member(Uuid::now_v7()), now()), Err(Refusal::NotEditable { .. })));
    }

    #[test]
    fn the_system_acts_desk_wide() {
        let t = case(Status::Assigned);
        let d = go(&t, Command::Resolve { solution: "x".into(), solution_type: None }, Lookups::default(), Who::SYSTEM);
        assert_eq!(d.ticket.assigned_agent_id, None, "no person to credit");
    }
}
