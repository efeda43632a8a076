//! Who sees which cases: requesters their own; agents the cases of the desks they work in;
//! supervisors also the desks they manage; admins all. Checked on every row and every endpoint.
//!
//! Where a service is routed by organization (each secretariat's own first-level team), an agent
//! whose groups in a desk are all such first-level teams sees that desk's cases of their teams'
//! organizations only, plus the cases assigned to them or their groups and their own requests.
//! Supervisors, admins and agents of any other group of the desk keep the whole desk.
use diesel::OptionalExtension;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::lists::{DeskIn, OrganizationRule};
use super::model::TicketRow;
use super::state_machine::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
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
    /// Desks the user works only for some organizations, and those organizations.
    pub restriction: Option<Restriction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restriction {
    pub desk_ids: Vec<Uuid>,
    pub organization_ids: Vec<Uuid>,
}

/// The desks where an agent is confined to their teams' organizations. `groups`: the agent's
/// groups as (group, desk, level); `route_organizations`: the organizations routed to a group.
/// Pure.
pub fn restriction(groups: &[(Uuid, Uuid, i16)], route_organizations: impl Fn(Uuid) -> Option<Vec<Uuid>>) -> Option<Restriction> {
    let mut desks: Vec<Uuid> = groups.iter().map(|g| g.1).collect();
    desks.sort();
    desks.dedup();
    let mut r = Restriction { desk_ids: vec![], organization_ids: vec![] };
    for desk in desks {
        let mut orgs = Vec::new();
        // Every group of the agent in this desk must be an organization's first-level team.
        let confined = groups.iter().filter(|g| g.1 == desk).all(|&(group, _, level)| match route_organizations(group) {
            Some(o) if level == 1 && !o.is_empty() => {
                orgs.extend(o);
                true
            }
            _ => false,
        });
        if confined {
            r.desk_ids.push(desk);
            r.organization_ids.extend(orgs);
        }
    }
    r.organization_ids.sort();
    r.organization_ids.dedup();
    (!r.desk_ids.is_empty()).then_some(r)
}

impl Scope {
    /// Desks come from the groups the user belongs to (and, for supervisors, the desks they manage).
    pub fn of(user: &CurrentUser, reference: &Reference) -> Scope {
        let role = user.role();
        let groups: Vec<(Uuid, Uuid, i16)> =
            if role == Role::Requester { vec![] } else { user.1.group_ids.iter().filter_map(|g| reference.groups.get(g).map(|r| (*g, r.desk_id, r.level))).collect() };
        let mut desk_ids: Vec<Uuid> = groups.iter().map(|g| g.1).collect();
        if role == Role::Supervisor {
            desk_ids.extend_from_slice(&user.1.supervised_desk_ids);
        }
        desk_ids.sort();
        desk_ids.dedup();
        let restriction = if role == Role::Agent { restriction(&groups, |g| reference.route_organizations.get(&g).cloned()) } else { None };
        Scope { user_id: user.0.id, role, desk_ids, group_ids: user.1.group_ids.clone(), restriction }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// May work this desk's cases (some of them, if the desk is restricted: see `works`).
    pub fn works_desk(&self, desk_id: Uuid) -> bool {
        self.is_admin() || (self.role != Role::Requester && self.desk_ids.contains(&desk_id))
    }

    /// May work this case: its desk, and in a restricted desk one of the user's organizations or
    /// a case assigned to the user or their groups.
    pub fn works(&self, t: &TicketRow) -> bool {
        if !self.works_desk(t.desk_id) {
            return false;
        }
        match &self.restriction {
            Some(r) if r.desk_ids.contains(&t.desk_id) => {
                t.organization_id.is_some_and(|o| r.organization_ids.contains(&o))
                    || t.assigned_agent_id == Some(self.user_id)
                    || t.assigned_group_id.is_some_and(|g| self.group_ids.contains(&g))
            }
            _ => true,
        }
    }

    pub fn can_see(&self, t: &TicketRow) -> bool {
        t.requester_id == self.user_id || self.works(t)
    }

    /// How the user acts on the case; `None` if it is not theirs to see.
    pub fn actor(&self, t: &TicketRow) -> Option<Actor> {
        if self.works(t) {
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

    /// The organization rule of `works` for lists and counts of desk cases; `None` when the user
    /// works their desks whole (every supervisor, admin and most agents: their queries are as
    /// before).
    pub fn organization_rule(&self) -> Option<OrganizationRule> {
        self.restriction.as_ref().map(|r| OrganizationRule {
            desk_ids: r.desk_ids.clone(),
            organization_ids: r.organization_ids.clone(),
            user_id: self.user_id,
            group_ids: self.group_ids.clone(),
        })
    }

    /// Staff see private follow-ups and events; requesters never do.
    pub fn sees_private(&self, t: &TicketRow) -> bool {
        self.works(t)
    }
}

/// The case with this number if the caller may see it; 404 otherwise (numbers reveal nothing).
pub async fn load_visible(conn: &mut AsyncPgConnection, reference: &Reference, user: &CurrentUser, number: i64, for_update: bool) -> AppResult<(TicketRow, Scope)> {
    let scope = Scope::of(user, reference);
    let row = super::queries::by_number(conn, number, for_update).await.optional()?.filter(|t| scope.can_see(t)).ok_or(AppError::NotFound)?;
    Ok((row, scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confined_only_where_every_group_is_an_organizations_first_level_team() {
        let (desk_a, desk_b) = (Uuid::now_v7(), Uuid::now_v7());
        let (team_hacienda, team_salud, specialists, team_b) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let (hacienda, salud) = (Uuid::now_v7(), Uuid::now_v7());
        let routes = |g: Uuid| {
            if g == team_hacienda || g == team_b {
                Some(vec![hacienda])
            } else if g == team_salud {
                Some(vec![salud])
            } else {
                None
            }
        };
        // One secretariat's team: that organization only.
        assert_eq!(restriction(&[(team_hacienda, desk_a, 1)], routes), Some(Restriction { desk_ids: vec![desk_a], organization_ids: vec![hacienda] }));
        // Two teams: both organizations.
        let two = restriction(&[(team_hacienda, desk_a, 1), (team_salud, desk_a, 1)], routes).unwrap();
        assert_eq!(two.organization_ids.len(), 2);
        // Also in a group that is not a routed team (the desk's general first level, specialists): the whole desk.
        assert_eq!(restriction(&[(team_hacienda, desk_a, 1), (specialists, desk_a, 2)], routes), None);
        assert_eq!(restriction(&[(specialists, desk_a, 1)], routes), None);
        // A routed group of level 2 is not a first-level team.
        assert_eq!(restriction(&[(team_hacienda, desk_a, 2)], routes), None);
        // Desk by desk.
        assert_eq!(restriction(&[(specialists, desk_a, 2), (team_b, desk_b, 1)], routes), Some(Restriction { desk_ids: vec![desk_b], organization_ids: vec![hacienda] }));
    }
}
