//! Who sees which cases: requesters their own; agents the cases of the desks they work in;
//! supervisors also the desks they manage; admins all. Checked on every row and every endpoint.
use uuid::Uuid;

use super::model::TicketRow;
use super::queries::DeskIn;
use super::state_machine::Actor;
use crate::auth::CurrentUser;
use crate::reference::Reference;
use crate::users::domain::Role;

#[derive(Clone, Debug)]
pub struct Scope {
    pub user_id: Uuid,
    pub role: Role,
    /// Desks whose cases the user works (staff only).
    pub desk_ids: Vec<Uuid>,
    /// Groups the user belongs to.
    pub group_ids: Vec<Uuid>,
}

impl Scope {
    /// Desks come from the groups the user belongs to (and, for supervisors, the desks they manage).
    pub fn of(user: &CurrentUser, reference: &Reference) -> Scope {
        let role = user.role();
        let mut desk_ids: Vec<Uuid> = if role == Role::Requester { vec![] } else { user.1.group_ids.iter().filter_map(|g| reference.groups.get(g)).map(|g| g.desk_id).collect() };
        if role == Role::Supervisor {
            desk_ids.extend_from_slice(&user.1.supervised_desk_ids);
        }
        desk_ids.sort();
        desk_ids.dedup();
        Scope { user_id: user.0.id, role, desk_ids, group_ids: user.1.group_ids.clone() }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// May work this desk's cases.
    pub fn works_desk(&self, desk_id: Uuid) -> bool {
        self.is_admin() || (self.role != Role::Requester && self.desk_ids.contains(&desk_id))
    }

    pub fn can_see(&self, t: &TicketRow) -> bool {
        t.requester_id == self.user_id || self.works_desk(t.desk_id)
    }

    /// How the user acts on the case; `None` if it is not theirs to see.
    pub fn actor(&self, t: &TicketRow) -> Option<Actor> {
        if self.works_desk(t.desk_id) {
            Some(Actor::Staff)
        } else if t.requester_id == self.user_id {
            Some(Actor::Requester)
        } else {
            None
        }
    }

    /// `works_desk` as a condition for lists and counts (`None`: admins, no condition). The desks
    /// come from the cached reference data (the user's groups), so it is a plain `desk_id` test on
    /// the rows an index gives, no subquery.
    pub fn in_desks(&self) -> Option<DeskIn> {
        match self.role {
            Role::Admin => None,
            Role::Requester => Some(DeskIn(vec![])),
            _ => Some(DeskIn(self.desk_ids.clone())),
        }
    }

    /// Staff see private follow-ups and events; requesters never do.
    pub fn sees_private(&self, t: &TicketRow) -> bool {
        self.works_desk(t.desk_id)
    }
}
