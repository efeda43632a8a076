//! The case row: read, lock, save, and the pieces of a write the search and the assignment need.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::*;
use super::model::*;
use crate::db::schema::tickets;
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

/// Writes every mutable column of a case and bumps its version — only over the version `t` was
/// read at (`None` when another change came first).
pub async fn save(conn: &mut AsyncPgConnection, t: &TicketRow, now: DateTime<Utc>) -> QueryResult<Option<TicketRow>> {
    diesel::update(tickets::table.find(t.id).filter(tickets::version.eq(t.version)))
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
            tickets::hold_note_public.eq(t.hold_note_public),
            tickets::desist_at.eq(t.desist_at),
            tickets::rejection_reason.eq(&t.rejection_reason),
            tickets::redirected_to.eq(&t.redirected_to),
            tickets::solution.eq(&t.solution),
            tickets::solution_type.eq(&t.solution_type),
            tickets::reopen_count.eq(t.reopen_count),
            tickets::reopen_reason.eq(t.reopen_reason),
            tickets::response_due_at.eq(t.response_due_at),
            tickets::resolution_due_at.eq(t.resolution_due_at),
            tickets::taken_at.eq(t.taken_at),
            tickets::resolved_at.eq(t.resolved_at),
            tickets::closed_at.eq(t.closed_at),
            tickets::updated_at.eq(now),
            tickets::version.eq(t.version + 1),
        ))
        .returning(TicketRow::as_returning())
        .get_result(conn)
        .await
        .optional()
}

/// Writes what a case says and where it belongs (an edit, a transfer): desk, subject,
/// description, contact, location, area, fields.
pub async fn save_content(conn: &mut AsyncPgConnection, t: &TicketRow) -> QueryResult<()> {
    diesel::update(tickets::table.find(t.id))
        .set((
            tickets::desk_id.eq(t.desk_id),
            tickets::subject.eq(&t.subject),
            tickets::description.eq(&t.description),
            tickets::contact_phone.eq(&t.contact_phone),
            tickets::location_id.eq(t.location_id),
            tickets::area_id.eq(t.area_id),
            tickets::fields.eq(&t.fields),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a follow-up's words to its case's search vector (weight C if public, D if private); the
/// `tickets_words` trigger spells them for the desk too (migration 000015). `followup_words` adds
/// them only while the case's words stay within a tsvector's limit (migration 000016): past it
/// the follow-up is stored but not searchable, instead of failing.
pub async fn index_followup(conn: &mut AsyncPgConnection, ticket_id: Uuid, body: &str, visibility: Visibility) -> QueryResult<()> {
    let weight = if visibility == Visibility::Private { "D" } else { "C" };
    diesel::sql_query("UPDATE tickets SET followup_search = followup_words(search, followup_search, setweight(to_tsvector('mesa_es', $1), $2::\"char\")) WHERE id = $3")
        .bind::<Text, _>(body)
        .bind::<Text, _>(weight)
        .bind::<diesel::sql_types::Uuid, _>(ticket_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The available member of `group` with the fewest open cases (absent agents skipped; the SQL
/// function `pick_agent`, migrations 000013 and 000018). It takes a per-group advisory lock held
/// until the transaction ends: call it inside the transaction that stores the assignment, so a
/// concurrent pick in the same group waits and then counts this one.
pub async fn pick_agent(conn: &mut AsyncPgConnection, group: Uuid) -> QueryResult<Option<Uuid>> {
    #[derive(QueryableByName)]
    struct Pick {
        #[diesel(sql_type = diesel::sql_types::Uuid)]
        id: Uuid,
    }
    let pick: Option<Pick> = diesel::sql_query("SELECT id FROM pick_agent($1)").bind::<diesel::sql_types::Uuid, _>(group).get_result(conn).await.optional()?;
    Ok(pick.map(|p| p.id))
}
