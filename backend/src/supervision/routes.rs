use std::collections::BTreeMap;

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::schema::{desks, group_members, support_groups, tickets, users};
use crate::error::responses::{Forbidden, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tickets::access::Scope;
use crate::tickets::model::Named;
use crate::users::domain::Role;

/// A person as availability needs them: id, name, active, role, absent until.
type Person = (Uuid, String, bool, Role, Option<DateTime<Utc>>);

/// Open cases (new, assigned, in progress, on hold) counted one way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Counts {
    #[schema(example = 34)]
    pub open: i64,
    /// Open with no agent.
    #[schema(example = 4)]
    pub unassigned: i64,
    /// The resolution clock has run past the policy's share of its target (default 75 %) but not
    /// past the target. Measured on wall-clock time between registration and the due date (see
    /// `at_risk` in the description of the overview).
    #[schema(example = 3)]
    pub at_risk: i64,
    /// The resolution due date has passed (cases on hold have none while their clock is paused).
    #[schema(example = 1)]
    pub breached: i64,
    #[schema(example = 6)]
    pub on_hold: i64,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.open += o.open;
        self.unassigned += o.unassigned;
        self.at_risk += o.at_risk;
        self.breached += o.breached;
        self.on_hold += o.on_hold;
    }
}

/// One support group of the desk and its open cases.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "group": {"id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23", "name": "Mesa de servicios - Nivel 1"},
    "level": 1,
    "active": true,
    "counts": {"open": 21, "unassigned": 3, "at_risk": 2, "breached": 1, "on_hold": 4},
    "available_members": 3,
    "member_ids": ["0193a5a4-5f60-7172-8d84-9e0f1a2b3c45", "0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"]
}))]
pub struct GroupLoad {
    pub group: Named,
    pub level: i16,
    pub active: bool,
    pub counts: Counts,
    /// Members who could be assigned a case now (active staff, not absent).
    pub available_members: i64,
    pub member_ids: Vec<Uuid>,
}

/// One person with open cases of the desk assigned, or a member of one of its groups.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "agent": {"id": "0193a5a4-5f60-7172-8d84-9e0f1a2b3c45", "name": "Carlos Rodríguez"},
    "available": true,
    "counts": {"open": 6, "unassigned": 0, "at_risk": 1, "breached": 0, "on_hold": 2}
}))]
pub struct AgentLoad {
    pub agent: Named,
    /// Could be assigned a case now: active staff, not absent.
    pub available: bool,
    pub absent_until: Option<DateTime<Utc>>,
    /// Open cases of this desk assigned to them (`unassigned` is always 0).
    pub counts: Counts,
}

/// A desk's day at a glance, for its supervisors.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeskOverview {
    pub desk: Named,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub generated_at: DateTime<Utc>,
    pub totals: Counts,
    /// Every group of the desk (inactive ones only while they hold open cases), by level then name.
    pub groups: Vec<GroupLoad>,
    /// Open cases with no group.
    pub ungrouped: Counts,
    /// Members of the desk's groups and anyone with its open cases, most open cases first.
    pub agents: Vec<AgentLoad>,
}

#[derive(QueryableByName)]
struct LoadRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    group_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    agent_id: Option<Uuid>,
    #[diesel(sql_type = BigInt)]
    open: i64,
    #[diesel(sql_type = BigInt)]
    at_risk: i64,
    #[diesel(sql_type = BigInt)]
    breached: i64,
    #[diesel(sql_type = BigInt)]
    on_hold: i64,
}

/// One pass over the desk's open cases through the partial index `tickets_due_idx`
/// (`desk_id, resolution_due_at, id WHERE` open), grouped by group and agent: the result has as
/// many rows as (group, agent) pairs, whatever the number of cases.
const LOAD_SQL: &str = "\
SELECT t.assigned_group_id AS group_id, t.assigned_agent_id AS agent_id,
       count(*) AS open,
       count(*) FILTER (WHERE t.resolution_due_at >= $2
                        AND $2 >= t.created_at + (t.resolution_due_at - t.created_at) * p.at_risk_share) AS at_risk,
       count(*) FILTER (WHERE t.resolution_due_at < $2) AS breached,
       count(*) FILTER (WHERE t.status = 'on_hold') AS on_hold
FROM tickets t
LEFT JOIN sla_policies p ON p.id = t.sla_policy_id
WHERE t.desk_id = $1 AND t.status NOT IN ('resolved', 'closed', 'rejected', 'cancelled')
GROUP BY t.assigned_group_id, t.assigned_agent_id";

/// The open cases of one desk counted by group and by agent: at risk, breached, unassigned.
///
/// Supervisors of the desk and admins; others get 403, an unknown desk 404. Counts are computed
/// on each call (one aggregate over the desk's open cases): the page polls it.
/// `at_risk` compares the wall-clock time since registration with the policy's share of the time
/// until the due date, so at night or over a weekend it can differ from a case's own badge, which
/// counts business time.
#[utoipa::path(tag = "supervision", security(("bearer_auth" = [])), params(("id" = Uuid, Path, description = "Desk", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = DeskOverview),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/desks/{id}/overview")]
pub async fn desk_overview(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<DeskOverview>> {
    let desk_id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let desk_name: String = desks::table.find(desk_id).select(desks::name).first(&mut conn).await?;
    crate::desks::queries::require_manager(&mut conn, &user, desk_id).await?;
    let now = Utc::now();
    let rows: Vec<LoadRow> = diesel::sql_query(LOAD_SQL).bind::<SqlUuid, _>(desk_id).bind::<Timestamptz, _>(now).load(&mut conn).await?;

    let groups: Vec<(Uuid, String, i16, bool)> = support_groups::table
        .filter(support_groups::desk_id.eq(desk_id))
        .select((support_groups::id, support_groups::name, support_groups::level, support_groups::active))
        .load(&mut conn)
        .await?;
    let group_ids: Vec<Uuid> = groups.iter().map(|g| g.0).collect();
    let members: Vec<(Uuid, Uuid)> =
        group_members::table.filter(group_members::group_id.eq_any(&group_ids)).select((group_members::group_id, group_members::user_id)).load(&mut conn).await?;
    let mut people: Vec<Uuid> = members.iter().map(|m| m.1).chain(rows.iter().filter_map(|r| r.agent_id)).collect();
    people.sort();
    people.dedup();
    let people_rows: Vec<Person> =
        users::table.filter(users::id.eq_any(&people)).select((users::id, users::display_name, users::active, users::role, users::absent_until)).load(&mut conn).await?;
    let available = |u: &Person| u.2 && u.3 != Role::Requester && u.4.is_none_or(|a| a <= now);

    let mut totals = Counts::default();
    let mut ungrouped = Counts::default();
    let mut by_group: BTreeMap<Uuid, Counts> = BTreeMap::new();
    let mut by_agent: BTreeMap<Uuid, Counts> = BTreeMap::new();
    for r in &rows {
        let c = Counts { open: r.open, unassigned: if r.agent_id.is_none() { r.open } else { 0 }, at_risk: r.at_risk, breached: r.breached, on_hold: r.on_hold };
        totals.add(&c);
        match r.group_id {
            Some(g) => by_group.entry(g).or_default().add(&c),
            None => ungrouped.add(&c),
        }
        if let Some(a) = r.agent_id {
            by_agent.entry(a).or_default().add(&c);
        }
    }
    let mut group_loads: Vec<GroupLoad> = groups
        .into_iter()
        .filter_map(|(gid, name, level, active)| {
            let counts = by_group.get(&gid).copied().unwrap_or_default();
            if !active && counts.open == 0 {
                return None;
            }
            let member_ids: Vec<Uuid> = members.iter().filter(|m| m.0 == gid).map(|m| m.1).collect();
            let available_members = people_rows.iter().filter(|u| member_ids.contains(&u.0) && available(u)).count() as i64;
            Some(GroupLoad { group: Named { id: gid, name }, level, active, counts, available_members, member_ids })
        })
        .collect();
    group_loads.sort_by(|a, b| (a.level, &a.group.name).cmp(&(b.level, &b.group.name)));
    let mut agents: Vec<AgentLoad> = people_rows
        .iter()
        .map(|u| AgentLoad {
            agent: Named { id: u.0, name: u.1.clone() },
            available: available(u),
            absent_until: u.4.filter(|a| *a > now),
            counts: by_agent.get(&u.0).copied().unwrap_or_default(),
        })
        .collect();
    agents.sort_by(|a, b| b.counts.open.cmp(&a.counts.open).then_with(|| a.agent.name.cmp(&b.agent.name)));
    Ok(web::Json(DeskOverview { desk: Named { id: desk_id, name: desk_name }, generated_at: now, totals, groups: group_loads, ungrouped, agents }))
}

/// A member of a support group as assignment shows them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user": {"id": "0193a5a4-5f60-7172-8d84-9e0f1a2b3c45", "name": "Carlos Rodríguez"}, "available": true, "open_cases": 6}))]
pub struct GroupMember {
    pub user: Named,
    /// Could be assigned a case now: active staff, not absent.
    pub available: bool,
    pub absent_until: Option<DateTime<Utc>>,
    /// Open cases assigned to them, in any desk.
    pub open_cases: i64,
}

/// The members of a group, available ones first, with their open cases: whom to assign or
/// escalate a case to. Staff who work the group's desk and admins; others 403, an unknown group
/// 404.
#[utoipa::path(tag = "supervision", security(("bearer_auth" = [])), params(("id" = Uuid, Path, description = "Support group", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Vec<GroupMember>),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/groups/{id}/members")]
pub async fn list_group_members(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<Vec<GroupMember>>> {
    let group_id = id.into_inner();
    let mut conn = state.pool.get().await?;
    let desk_id: Uuid = support_groups::table.find(group_id).select(support_groups::desk_id).first(&mut conn).await?;
    let reference = state.reference(&mut conn, &user).await?;
    if !Scope::of(&user, &reference).works_desk(desk_id) {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now();
    let rows: Vec<Person> = group_members::table
        .inner_join(users::table.on(users::id.eq(group_members::user_id)))
        .filter(group_members::group_id.eq(group_id))
        .select((users::id, users::display_name, users::active, users::role, users::absent_until))
        .load(&mut conn)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.0).collect();
    // Through `tickets_agent_queue_idx` (agent, due, id WHERE open): a range per member.
    let loads: Vec<(Option<Uuid>, i64)> = tickets::table
        .filter(tickets::assigned_agent_id.eq_any(&ids))
        .filter(crate::db::ticket_is_open(tickets::status))
        .group_by(tickets::assigned_agent_id)
        .select((tickets::assigned_agent_id, diesel::dsl::count_star()))
        .load(&mut conn)
        .await?;
    let mut members: Vec<GroupMember> = rows
        .into_iter()
        .filter(|r| r.3 != Role::Requester)
        .map(|(uid, name, active, _, absent)| GroupMember {
            open_cases: loads.iter().find(|l| l.0 == Some(uid)).map_or(0, |l| l.1),
            available: active && absent.is_none_or(|a| a <= now),
            absent_until: absent.filter(|a| *a > now),
            user: Named { id: uid, name },
        })
        .collect();
    members.sort_by(|a, b| b.available.cmp(&a.available).then(a.open_cases.cmp(&b.open_cases)).then_with(|| a.user.name.cmp(&b.user.name)));
    Ok(web::Json(members))
}
