//! The life of a case, as a pure function of (status, action, who, context). No I/O.
use serde::Serialize;
use utoipa::ToSchema;

use crate::text_enum;

text_enum! {
    pub enum Status {
        New => "new",
        Assigned => "assigned",
        InProgress => "in_progress",
        OnHold => "on_hold",
        Resolved => "resolved",
        Closed => "closed",
        Rejected => "rejected",
        Cancelled => "cancelled",
        /// On hold for missing data the requester never completed: archived (the seeds'
        /// "archivada, considerada desistida"). Only the desisted-archival job sets it.
        Desisted => "desisted",
    }
}

impl Status {
    /// The statuses of a case still being worked (SQL: `ticket_is_open`, migration 000013).
    pub const OPEN: [Status; 4] = [Status::New, Status::Assigned, Status::InProgress, Status::OnHold];

    /// Still being worked (counts for an agent's load and for SLA clocks).
    pub fn is_open(self) -> bool {
        Status::OPEN.contains(&self)
    }
}

text_enum! {
    pub enum Action {
        Take => "take",
        Assign => "assign",
        Classify => "classify",
        Escalate => "escalate",
        Hold => "hold",
        Resume => "resume",
        Resolve => "resolve",
        Reject => "reject",
        Cancel => "cancel",
        Reopen => "reopen",
        Close => "close",
    }
}

/// Who acts, relative to the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The person the case is for.
    Requester,
    /// An agent, supervisor or admin who may work the desk's cases.
    Staff,
}

/// Facts about the case that some transitions depend on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// An agent is assigned.
    pub has_agent: bool,
    /// The acting staff member is that agent.
    pub actor_is_assignee: bool,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error, Serialize, ToSchema)]
#[error("{action} is not allowed while the case is {status}")]
pub struct TransitionError {
    pub status: Status,
    pub action: Action,
}

/// The status after `action`, or why it does not apply.
pub fn apply(status: Status, action: Action, actor: Actor, ctx: Context) -> Result<Status, TransitionError> {
    use Action as A;
    use Actor::*;
    use Status as S;
    let refused = Err(TransitionError { status, action });
    let next = match (actor, action, status) {
        // Agents start work by taking a case (it becomes theirs).
        (Staff, A::Take, S::New | S::Assigned) => S::InProgress,
        (Staff, A::Take, S::InProgress) if !ctx.actor_is_assignee => S::InProgress,
        // Assigning hands the case over: the new assignee must take it.
        (Staff, A::Assign, S::New | S::Assigned | S::InProgress) => S::Assigned,
        (Staff, A::Classify, s) if s.is_open() => s,
        (Staff, A::Escalate, S::New | S::Assigned | S::InProgress) => S::Assigned,
        (Staff, A::Hold, S::Assigned | S::InProgress) => S::OnHold,
        (Staff, A::Resume, S::OnHold) => {
            if ctx.has_agent {
                S::InProgress
            } else {
                S::Assigned
            }
        }
        (Staff, A::Resolve, S::Assigned | S::InProgress | S::OnHold) => S::Resolved,
        (Staff, A::Reject, S::New | S::Assigned | S::InProgress | S::OnHold) => S::Rejected,
        // The requester may withdraw a case nobody works on yet.
        (Requester, A::Cancel, S::New | S::Assigned) => S::Cancelled,
        // A solution is accepted (closed) or refused (reopened), by either side.
        (_, A::Reopen, S::Resolved) => {
            if ctx.has_agent {
                S::InProgress
            } else {
                S::Assigned
            }
        }
        (_, A::Close, S::Resolved) => S::Closed,
        _ => return refused,
    };
    Ok(next)
}

/// Every action `actor` may take now, in a stable order.
pub fn allowed(status: Status, actor: Actor, ctx: Context) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|a| apply(status, *a, actor, ctx).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use Status as S;

    const NO_AGENT: Context = Context { has_agent: false, actor_is_assignee: false };
    const OTHER_AGENT: Context = Context { has_agent: true, actor_is_assignee: false };
    const MINE: Context = Context { has_agent: true, actor_is_assignee: true };

    /// The whole table, written out: every (actor, status) pair and the actions it allows.
    /// Anything not listed must be refused.
    fn expected(actor: Actor, status: Status, ctx: Context) -> Vec<(Action, Status)> {
        let resume_or_reopen = if ctx.has_agent { S::InProgress } else { S::Assigned };
        match (actor, status) {
            (Actor::Staff, S::New) => vec![(A::Take, S::InProgress), (A::Assign, S::Assigned), (A::Classify, S::New), (A::Escalate, S::Assigned), (A::Reject, S::Rejected)],
            (Actor::Staff, S::Assigned) => vec![
                (A::Take, S::InProgress),
                (A::Assign, S::Assigned),
                (A::Classify, S::Assigned),
                (A::Escalate, S::Assigned),
                (A::Hold, S::OnHold),
                (A::Resolve, S::Resolved),
                (A::Reject, S::Rejected),
            ],
            (Actor::Staff, S::InProgress) => {
                let mut v = vec![];
                if !ctx.actor_is_assignee {
                    v.push((A::Take, S::InProgress));
                }
                v.extend([
                    (A::Assign, S::Assigned),
                    (A::Classify, S::InProgress),
                    (A::Escalate, S::Assigned),
                    (A::Hold, S::OnHold),
                    (A::Resolve, S::Resolved),
                    (A::Reject, S::Rejected),
                ]);
                v
            }
            (Actor::Staff, S::OnHold) => vec![(A::Classify, S::OnHold), (A::Resume, resume_or_reopen), (A::Resolve, S::Resolved), (A::Reject, S::Rejected)],
            (_, S::Resolved) => vec![(A::Reopen, resume_or_reopen), (A::Close, S::Closed)],
            (Actor::Requester, S::New | S::Assigned) => vec![(A::Cancel, S::Cancelled)],
            _ => vec![],
        }
    }

    #[test]
    fn every_combination_matches_the_table() {
        for actor in [Actor::Requester, Actor::Staff] {
            for ctx in [NO_AGENT, OTHER_AGENT, MINE] {
                for status in Status::ALL {
                    let table = expected(actor, *status, ctx);
                    for action in Action::ALL {
                        let want = table.iter().find(|(a, _)| a == action).map(|(_, s)| *s);
                        let got = apply(*status, *action, actor, ctx).ok();
                        assert_eq!(got, want, "{actor:?} {action} in {status} with {ctx:?}");
                    }
                    let allowed_actions: Vec<Action> = table.iter().map(|(a, _)| *a).collect();
                    let mut sorted = allowed_actions.clone();
                    sorted.sort_by_key(|a| Action::ALL.iter().position(|x| x == a));
                    assert_eq!(allowed(*status, actor, ctx), sorted);
                }
            }
        }
    }

    #[test]
    fn terminal_states_allow_nothing() {
        for s in [S::Closed, S::Rejected, S::Cancelled, S::Desisted] {
            for actor in [Actor::Requester, Actor::Staff] {
                assert!(allowed(s, actor, OTHER_AGENT).is_empty(), "{s}");
            }
        }
    }

    #[test]
    fn the_seeds_workflow_walks_through() {
        // register → take → escalate 2 → escalate 3 → hold → resume → resolve → reopen → resolve → close
        let steps = [
            (Actor::Staff, A::Take, S::InProgress),
            (Actor::Staff, A::Escalate, S::Assigned),
            (Actor::Staff, A::Take, S::InProgress),
            (Actor::Staff, A::Escalate, S::Assigned),
            (Actor::Staff, A::Take, S::InProgress),
            (Actor::Staff, A::Hold, S::OnHold),
            (Actor::Staff, A::Resume, S::InProgress),
            (Actor::Staff, A::Resolve, S::Resolved),
            (Actor::Requester, A::Reopen, S::InProgress),
            (Actor::Staff, A::Resolve, S::Resolved),
            (Actor::Requester, A::Close, S::Closed),
        ];
        let mut s = S::Assigned;
        for (actor, action, want) in steps {
            s = apply(s, action, actor, OTHER_AGENT).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(s, want, "after {action}");
        }
    }

    #[test]
    fn open_states() {
        let open: Vec<_> = Status::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&S::New, &S::Assigned, &S::InProgress, &S::OnHold]);
    }
}
