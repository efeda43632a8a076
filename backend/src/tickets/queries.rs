use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Value};
use uuid::Uuid;

use super::access::Scope;
use super::domain::*;
use super::model::*;
use super::state_machine::{self, Context, Status};
use crate::db::schema::{catalog_nodes, support_groups, ticket_events, tickets, users};
use crate::http::Cursor;

pub async fn by_number(conn: &mut AsyncPgConnection, number: i64, for_update: bool) -> QueryResult<TicketRow> {
    let q = tickets::table.filter(tickets::number.eq(number)).select(TicketRow::as_select());
    if for_update {
        q.for_update().first(conn).await
    } else {
        q.first(conn).await
    }
}

pub async fn by_id(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<TicketRow> {
    tickets::table.find(id).select(TicketRow::as_select()).first(conn).await
}

/// Writes every mutable column of a case and bumps its version.
pub async fn save(conn: &mut AsyncPgConnection, t: &TicketRow) -> QueryResult<TicketRow> {
    diesel::update(tickets::table.find(t.id))
        .set((
            tickets::service_id.eq(t.service_id),
            tickets::ticket_type.eq(t.ticket_type),
            tickets::priority.eq(t.priority),
            tickets::impact.eq(t.impact),
            tickets::urgency.eq(t.urgency),
            tickets::status.eq(t.status),
            tickets::assigned_group_id.eq(t.assigned_group_id),
            tickets::assigned_agent_id.eq(t.assigned_agent_id),
            tickets::level.eq(t.level),
            tickets::hold_reason.eq(t.hold_reason),
            tickets::hold_note.eq(&t.hold_note),
            tickets::desist_at.eq(t.desist_at),
            tickets::rejection_reason.eq(&t.rejection_reason),
            tickets::redirected_to.eq(&t.redirected_to),
            tickets::solution.eq(&t.solution),
            tickets::solution_type.eq(&t.solution_type),
            tickets::reopen_count.eq(t.reopen_count),
            tickets::response_due_at.eq(t.response_due_at),
            tickets::resolution_due_at.eq(t.resolution_due_at),
            tickets::taken_at.eq(t.taken_at),
            tickets::resolved_at.eq(t.resolved_at),
            tickets::closed_at.eq(t.closed_at),
            tickets::updated_at.eq(Utc::now()),
            tickets::version.eq(t.version + 1),
        ))
        .returning(TicketRow::as_returning())
        .get_result(conn)
        .await
}

pub struct NewEvent {
    pub kind: &'static str,
    pub old_value: Option<Value>,
    pub new_value: Option<Value>,
    pub visibility: Visibility,
}

pub async fn record(conn: &mut AsyncPgConnection, ticket_id: Uuid, actor: Option<Uuid>, events: Vec<NewEvent>) -> QueryResult<()> {
    if events.is_empty() {
        return Ok(());
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

/// The audit entries for what changed between two versions of a case. `note` (a reason) is
/// attached to the status or level change it explains.
pub fn diff(old: &TicketRow, new: &TicketRow, note: Option<&str>) -> Vec<NewEvent> {
    let mut events = Vec::new();
    let public = Visibility::Public;
    let with_note = |mut v: Value| {
        if let Some(n) = note {
            v["reason"] = json!(n);
        }
        v
    };
    let mut note_used = false;
    if old.status != new.status {
        let mut value = json!({"status": new.status});
        if let Some(r) = new.hold_reason.filter(|_| new.status == Status::OnHold) {
            value["hold_reason"] = json!(r);
        }
        events.push(NewEvent { kind: "status", old_value: Some(json!({"status": old.status})), new_value: Some(with_note(value)), visibility: public });
        note_used = true;
    }
    if old.level != new.level {
        events.push(NewEvent {
            kind: "level",
            old_value: Some(json!({"level": old.level})),
            new_value: Some(if note_used { json!({"level": new.level}) } else { with_note(json!({"level": new.level})) }),
            visibility: public,
        });
        note_used = true;
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
        let v = json!({"priority": new.priority});
        events.push(NewEvent { kind: "priority", old_value: Some(json!({"priority": old.priority})), new_value: Some(if note_used { v } else { with_note(v) }), visibility: public });
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
        events.push(NewEvent { kind: "rejection", old_value: None, new_value: Some(json!({"reason": new.rejection_reason, "redirected_to": new.redirected_to})), visibility: public });
    }
    events
}

/// The available member of `group` with the fewest open cases (absent agents skipped). Loads are
/// counted up to 200: beyond that every agent is simply full, and counting on costs milliseconds.
pub async fn pick_agent(conn: &mut AsyncPgConnection, group: Uuid) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Pick {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let pick: Option<Pick> = diesel::sql_query(
        "SELECT u.id FROM group_members m JOIN users u ON u.id = m.user_id
         WHERE m.group_id = $1 AND u.active AND u.role <> 'requester' AND (u.absent_until IS NULL OR u.absent_until <= now())
         ORDER BY (SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.assigned_agent_id = u.id AND t.status IN ('assigned', 'in_progress', 'on_hold') LIMIT 200) open_cases), u.username
         LIMIT 1",
    )
    .bind::<diesel::sql_types::Uuid, _>(group)
    .get_result(conn)
    .await
    .optional()?;
    Ok(pick.map(|p| p.id))
}

/// Names of the people, groups and services the rows mention (three queries for any page).
pub struct Names {
    users: HashMap<Uuid, String>,
    groups: HashMap<Uuid, String>,
    services: HashMap<Uuid, String>,
}

impl Names {
    pub async fn load(conn: &mut AsyncPgConnection, rows: &[TicketRow], extra_users: &[Uuid]) -> QueryResult<Names> {
        let mut user_ids: Vec<Uuid> = rows.iter().flat_map(|t| [Some(t.requester_id), t.assigned_agent_id]).flatten().collect();
        user_ids.extend_from_slice(extra_users);
        let group_ids: Vec<Uuid> = rows.iter().filter_map(|t| t.assigned_group_id).collect();
        let service_ids: Vec<Uuid> = rows.iter().map(|t| t.service_id).collect();
        Ok(Names {
            users: users::table.filter(users::id.eq_any(&user_ids)).select((users::id, users::display_name)).load::<(Uuid, String)>(conn).await?.into_iter().collect(),
            groups: support_groups::table
                .filter(support_groups::id.eq_any(&group_ids))
                .select((support_groups::id, support_groups::name))
                .load::<(Uuid, String)>(conn)
                .await?
                .into_iter()
                .collect(),
            services: catalog_nodes::table
                .filter(catalog_nodes::id.eq_any(&service_ids))
                .select((catalog_nodes::id, catalog_nodes::name))
                .load::<(Uuid, String)>(conn)
                .await?
                .into_iter()
                .collect(),
        })
    }

    pub fn user(&self, id: Uuid) -> super::model::Named {
        super::model::Named { id, name: self.users.get(&id).cloned().unwrap_or_default() }
    }

    pub fn to_api(&self, t: TicketRow, scope: &Scope) -> Ticket {
        let actor = scope.actor(&t);
        let ctx = Context { has_agent: t.assigned_agent_id.is_some(), actor_is_assignee: t.assigned_agent_id == Some(scope.user_id) };
        let allowed_actions = actor.map(|a| state_machine::allowed(t.status, a, ctx)).unwrap_or_default();
        Ticket {
            id: t.id,
            number: t.number,
            desk_id: t.desk_id,
            service: super::model::Named { id: t.service_id, name: self.services.get(&t.service_id).cloned().unwrap_or_default() },
            ticket_type: t.ticket_type,
            priority: t.priority,
            impact: t.impact,
            urgency: t.urgency,
            status: t.status,
            subject: t.subject,
            description: t.description,
            contact_phone: t.contact_phone,
            location_id: t.location_id,
            area_id: t.area_id,
            organization_id: t.organization_id,
            requester: self.user(t.requester_id),
            created_by_id: t.created_by_id,
            channel: t.channel,
            assigned_group: t.assigned_group_id.map(|g| super::model::Named { id: g, name: self.groups.get(&g).cloned().unwrap_or_default() }),
            assigned_agent: t.assigned_agent_id.map(|u| self.user(u)),
            level: t.level,
            fields: t.fields,
            hold: t.hold_reason.filter(|_| t.status == Status::OnHold).map(|reason| Hold { reason, note: t.hold_note, desist_at: t.desist_at }),
            rejection: t.rejection_reason.map(|reason| Rejection { reason, redirected_to: t.redirected_to }),
            solution: t.solution.map(|text| Solution { text, solution_type: t.solution_type }),
            reopen_count: t.reopen_count,
            response_due_at: t.response_due_at,
            resolution_due_at: t.resolution_due_at,
            taken_at: t.taken_at,
            resolved_at: t.resolved_at,
            closed_at: t.closed_at,
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version,
            allowed_actions,
            sla: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Cases I requested ("Mis solicitudes").
    Requested,
    /// Assigned to me.
    Mine,
    /// Assigned to one of my groups.
    MyGroups,
    /// Open cases with no agent, in my desks.
    Unassigned,
    /// Everything I may see.
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first (default).
    Number,
    /// Most recently changed first.
    Updated,
    /// Soonest resolution due date first; cases without one last.
    Due,
}

pub struct ListFilter {
    pub view: View,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub ticket_type: Option<TicketType>,
    pub desk_id: Option<Uuid>,
    pub service_id: Option<Uuid>,
    pub level: Option<i16>,
    pub requester_id: Option<Uuid>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    pub q: Option<String>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: i64,
}

const OPEN: [Status; 4] = [Status::New, Status::Assigned, Status::InProgress, Status::OnHold];

pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope, f: &ListFilter) -> QueryResult<Vec<TicketRow>> {
    let mut q = tickets::table.select(TicketRow::as_select()).into_boxed();
    // Visibility first: nothing outside it can appear whatever the filters.
    q = match (f.view, scope.is_admin()) {
        (View::Requested, _) => q.filter(tickets::requester_id.eq(scope.user_id)),
        (_, true) => q,
        (_, false) => q.filter(tickets::desk_id.eq_any(scope.desk_ids.clone()).or(tickets::requester_id.eq(scope.user_id))),
    };
    q = match f.view {
        View::Mine => q.filter(tickets::assigned_agent_id.eq(scope.user_id)),
        View::MyGroups => q.filter(tickets::assigned_group_id.eq_any(scope.group_ids.clone())),
        View::Unassigned => q.filter(tickets::assigned_agent_id.is_null()).filter(tickets::status.eq_any(OPEN)),
        View::Requested | View::All => q,
    };
    if !f.statuses.is_empty() {
        q = q.filter(tickets::status.eq_any(f.statuses.clone()));
    }
    if !f.priorities.is_empty() {
        q = q.filter(tickets::priority.eq_any(f.priorities.clone()));
    }
    if let Some(t) = f.ticket_type {
        q = q.filter(tickets::ticket_type.eq(t));
    }
    if let Some(d) = f.desk_id {
        q = q.filter(tickets::desk_id.eq(d));
    }
    if let Some(s) = f.service_id {
        q = q.filter(tickets::service_id.eq(s));
    }
    if let Some(l) = f.level {
        q = q.filter(tickets::level.eq(l));
    }
    if let Some(r) = f.requester_id {
        q = q.filter(tickets::requester_id.eq(r));
    }
    if let Some(from) = f.created_from {
        q = q.filter(tickets::created_at.ge(from));
    }
    if let Some(to) = f.created_to {
        q = q.filter(tickets::created_at.lt(to));
    }
    if let Some(text) = &f.q {
        // Subject and description, plus follow-ups the caller may read (private ones only for staff).
        let followups = if scope.role == crate::users::domain::Role::Requester {
            "SELECT ticket_id FROM followups WHERE visibility = 'public' AND search @@ websearch_to_tsquery('mesa_es', "
        } else {
            "SELECT ticket_id FROM followups WHERE search @@ websearch_to_tsquery('mesa_es', "
        };
        q = q.filter(
            sql::<Bool>("tickets.id IN (SELECT id FROM tickets WHERE search @@ websearch_to_tsquery('mesa_es', ")
                .bind::<Text, _>(text.clone())
                .sql(") UNION ")
                .sql(followups)
                .bind::<Text, _>(text.clone())
                .sql("))"),
        );
    }
    match f.sort {
        Sort::Number => {
            if let Some(c) = &f.after {
                let n: i64 = c.key.parse().unwrap_or(i64::MAX);
                q = q.filter(tickets::number.lt(n));
            }
            q.order(tickets::number.desc()).limit(f.limit + 1).load(conn).await
        }
        Sort::Updated => {
            if let Some(c) = &f.after {
                let at: DateTime<Utc> = c.key.parse().unwrap_or_else(|_| Utc::now());
                q = q.filter(tickets::updated_at.lt(at).or(tickets::updated_at.eq(at).and(tickets::id.lt(c.id))));
            }
            q.order((tickets::updated_at.desc(), tickets::id.desc())).limit(f.limit + 1).load(conn).await
        }
        Sort::Due => {
            if let Some(c) = &f.after {
                q = match c.key.parse::<DateTime<Utc>>() {
                    Ok(due) => q.filter(
                        tickets::resolution_due_at
                            .gt(due)
                            .or(tickets::resolution_due_at.eq(due).and(tickets::id.gt(c.id)))
                            .or(tickets::resolution_due_at.is_null()),
                    ),
                    Err(_) => q.filter(tickets::resolution_due_at.is_null().and(tickets::id.gt(c.id))),
                };
            }
            q.order((tickets::resolution_due_at.asc().nulls_last(), tickets::id.asc())).limit(f.limit + 1).load(conn).await
        }
    }
}

pub fn cursor_of(sort: Sort, t: &TicketRow) -> Cursor {
    let key = match sort {
        Sort::Number => t.number.to_string(),
        Sort::Updated => t.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        Sort::Due => t.resolution_due_at.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)).unwrap_or_default(),
    };
    Cursor { key, id: t.id }
}
