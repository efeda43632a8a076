//! Who sees which cases: requesters their own; agents the cases of the desks they work in;
//! supervisors also the desks they manage; admins all. Checked on every row and every endpoint.
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use uuid::Uuid;

use super::model::TicketRow;
use super::state_machine::Actor;
use crate::auth::CurrentUser;
use crate::db::schema::tickets;
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
        let mut desk_ids: Vec<Uuid> = if role == Role::Requester {
            vec![]
        } else {
            user.1.group_ids.iter().filter_map(|g| reference.groups.get(g)).map(|g| g.desk_id).collect()
        };
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

    /// `works_desk` as SQL, for lists and counts: the desks come from the cached reference
    /// data, so the condition is a plain `desk_id` comparison checked on the rows an index gives
    /// (no subquery). Admins: no condition.
    pub fn in_desks(&self) -> Box<dyn BoxableExpression<tickets::table, Pg, SqlType = Bool>> {
        if self.is_admin() {
            Box::new(diesel::dsl::sql::<Bool>("TRUE"))
        } else if self.role == Role::Requester {
            Box::new(diesel::dsl::sql::<Bool>("FALSE"))
        } else {
            match self.desk_ids.as_slice() {
                // `= $1` when there is one desk, the usual case, as the queue views do for groups.
                [one] => Box::new(tickets::desk_id.eq(*one)),
                many => Box::new(tickets::desk_id.eq_any(many.to_vec())),
            }
        }
    }

    /// Staff see private follow-ups and events; requesters never do.
    pub fn sees_private(&self, t: &TicketRow) -> bool {
        self.works_desk(t.desk_id)
    }
}
