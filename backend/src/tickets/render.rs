//! Cases as the API shows them: names, allowed actions and live SLA clocks.
use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::access::Scope;
use super::model::*;
use super::state_machine::Status;
use crate::error::AppResult;
use crate::reference::Reference;

/// Names of the people, groups and services the rows mention (one query, for the people).
pub struct Names<'r> {
    users: HashMap<Uuid, String>,
    reference: &'r Reference,
}

impl<'r> Names<'r> {
    pub async fn load(conn: &mut AsyncPgConnection, reference: &'r Reference, rows: &[TicketRow], extra_users: &[Uuid]) -> QueryResult<Names<'r>> {
        let mut user_ids: Vec<Uuid> = rows.iter().flat_map(|t| [Some(t.requester_id), t.assigned_agent_id]).flatten().collect();
        user_ids.extend_from_slice(extra_users);
        user_ids.sort();
        user_ids.dedup();
        Ok(Names { users: reference.user_names(conn, &user_ids).await?, reference })
    }

    /// When the names are already known (a case just registered).
    pub fn known(reference: &'r Reference, users: impl IntoIterator<Item = (Uuid, String)>) -> Names<'r> {
        Names { users: users.into_iter().collect(), reference }
    }

    pub fn user(&self, id: Uuid) -> super::model::Named {
        super::model::Named { id, name: self.users.get(&id).cloned().unwrap_or_default() }
    }

    pub fn service(&self, id: Uuid) -> super::model::Named {
        super::model::Named { id, name: self.reference.node_name(id) }
    }

    pub fn group(&self, id: Uuid) -> super::model::Named {
        super::model::Named { id, name: self.reference.group_name(id) }
    }

    pub fn to_summary(&self, t: TicketRow) -> TicketSummary {
        TicketSummary {
            id: t.id,
            number: t.number,
            desk_id: t.desk_id,
            service: self.service(t.service_id),
            ticket_type: t.ticket_type,
            priority: t.priority,
            status: t.status,
            subject: t.subject,
            requester: self.user(t.requester_id),
            channel: t.channel,
            external_reference: t.external_reference,
            assigned_group: t.assigned_group_id.map(|g| self.group(g)),
            assigned_agent: t.assigned_agent_id.map(|u| self.user(u)),
            level: t.level,
            reopen_reason: t.reopen_reason,
            hold_reason: t.hold_reason.filter(|_| t.status == Status::OnHold),
            resolution_due_at: t.resolution_due_at,
            created_at: t.created_at,
            updated_at: t.updated_at,
            version: t.version,
            sla: None,
        }
    }

    pub fn to_api(&self, t: TicketRow, scope: &Scope) -> Ticket {
        let allowed_actions = super::lifecycle::Who::of(scope, self.reference, &t).map(|who| super::lifecycle::allowed(&t, &who)).unwrap_or_default();
        // A hold's note reaches the requester only when the agent made it public.
        let note_readable = t.hold_note_public || scope.sees_private(&t);
        let hold_note = t.hold_note.filter(|_| note_readable);
        Ticket {
            id: t.id,
            number: t.number,
            desk_id: t.desk_id,
            service: self.service(t.service_id),
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
            requester_email: None,
            created_by_id: t.created_by_id,
            channel: t.channel,
            external_reference: t.external_reference,
            assigned_group: t.assigned_group_id.map(|g| self.group(g)),
            assigned_agent: t.assigned_agent_id.map(|u| self.user(u)),
            level: t.level,
            fields: t.fields,
            hold: t.hold_reason.filter(|_| t.status == Status::OnHold).map(|reason| Hold { reason, note: hold_note, desist_at: t.desist_at }),
            rejection: t.rejection_reason.map(|reason| Rejection { reason, redirected_to: t.redirected_to }),
            solution: t.solution.map(|text| Solution { text, solution_type: t.solution_type }),
            reopen_count: t.reopen_count,
            reopen_reason: t.reopen_reason,
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

/// Cases as lists show them: names and live SLA clocks.
pub async fn summarize(conn: &mut AsyncPgConnection, reference: &Reference, rows: Vec<TicketRow>) -> AppResult<Vec<TicketSummary>> {
    let names = Names::load(conn, reference, &rows, &[]).await?;
    let mut clocks = crate::sla::store::views(conn, reference, &rows, Utc::now()).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let sla = clocks.remove(&r.id);
            TicketSummary { sla, ..names.to_summary(r) }
        })
        .collect())
}

/// A case as the API shows it: names, allowed actions and live SLA clocks.
pub async fn render_one(conn: &mut AsyncPgConnection, reference: &Reference, row: TicketRow, scope: &Scope) -> AppResult<Ticket> {
    let rows = std::slice::from_ref(&row);
    let names = Names::load(conn, reference, rows, &[]).await?;
    let sla = crate::sla::store::views(conn, reference, rows, Utc::now()).await?.remove(&row.id);
    let requester_email = if scope.sees_private(&row) {
        use crate::db::schema::users;
        diesel_async::RunQueryDsl::first::<Option<String>>(users::table.find(row.requester_id).select(users::email), conn).await.optional()?.flatten()
    } else {
        None
    };
    Ok(Ticket { sla, requester_email, ..names.to_api(row, scope) })
}
