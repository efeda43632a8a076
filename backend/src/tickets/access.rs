//! Who sees which cases: requesters their own; agents the cases of the desks they work in;
//! supervisors also the desks they manage; admins all. Checked on every row and every endpoint.
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::model::TicketRow;
use super::state_machine::Actor;
use crate::auth::CurrentUser;
use crate::db::schema::{desk_supervisors, group_members, support_groups};
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
    pub async fn of(conn: &mut AsyncPgConnection, user: &CurrentUser) -> QueryResult<Scope> {
        let memberships: Vec<(Uuid, Uuid)> = group_members::table
            .inner_join(support_groups::table)
            .filter(group_members::user_id.eq(user.0.id))
            .select((support_groups::id, support_groups::desk_id))
            .load(conn)
            .await?;
        let mut desk_ids: Vec<Uuid> = memberships.iter().map(|(_, d)| *d).collect();
        if user.role() == Role::Supervisor {
            let managed: Vec<Uuid> =
                desk_supervisors::table.filter(desk_supervisors::user_id.eq(user.0.id)).select(desk_supervisors::desk_id).load(conn).await?;
            desk_ids.extend(managed);
        }
        desk_ids.sort();
        desk_ids.dedup();
        Ok(Scope { user_id: user.0.id, role: user.role(), desk_ids: if user.role() == Role::Requester { vec![] } else { desk_ids }, group_ids: memberships.into_iter().map(|(g, _)| g).collect() })
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

    /// Staff see private follow-ups and events; requesters never do.
    pub fn sees_private(&self, t: &TicketRow) -> bool {
        self.works_desk(t.desk_id)
    }
}
