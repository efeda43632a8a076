use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{Desk, DeskRow};
use crate::auth::CurrentUser;
use crate::db::schema::{desk_organizations, desk_supervisors, desks};
use crate::error::AppError;
use crate::users::domain::Role;

pub async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Desk> {
    let row: DeskRow = desks::table.find(id).select(DeskRow::as_select()).first(conn).await?;
    let mut all = with_links(conn, vec![row]).await?;
    Ok(all.remove(0))
}

/// Attaches organization and supervisor lists to desk rows (two queries for any number of desks).
pub async fn with_links(conn: &mut AsyncPgConnection, rows: Vec<DeskRow>) -> QueryResult<Vec<Desk>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let orgs: Vec<(Uuid, Uuid)> = desk_organizations::table
        .filter(desk_organizations::desk_id.eq_any(&ids))
        .select((desk_organizations::desk_id, desk_organizations::organization_id))
        .order(desk_organizations::organization_id)
        .load(conn)
        .await?;
    let sups: Vec<(Uuid, Uuid)> = desk_supervisors::table
        .filter(desk_supervisors::desk_id.eq_any(&ids))
        .select((desk_supervisors::desk_id, desk_supervisors::user_id))
        .order(desk_supervisors::user_id)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let o = orgs.iter().filter(|(d, _)| *d == r.id).map(|(_, o)| *o).collect();
            let s = sups.iter().filter(|(d, _)| *d == r.id).map(|(_, u)| *u).collect();
            Desk::from_row(r, o, s)
        })
        .collect())
}

/// Admins manage every desk; supervisors the desks they are assigned to.
pub async fn require_manager(conn: &mut AsyncPgConnection, user: &CurrentUser, desk_id: Uuid) -> Result<(), AppError> {
    match user.role() {
        Role::Admin => Ok(()),
        Role::Supervisor => {
            let assigned: bool =
                diesel::select(diesel::dsl::exists(desk_supervisors::table.filter(desk_supervisors::desk_id.eq(desk_id)).filter(desk_supervisors::user_id.eq(user.0.id))))
                    .get_result(conn)
                    .await?;
            if assigned {
                Ok(())
            } else {
                Err(AppError::Forbidden)
            }
        }
        _ => Err(AppError::Forbidden),
    }
}

/// May this user open cases on the desk? Requesters only if their organization is allowed.
pub fn usable_by(desk: &Desk, user: &CurrentUser) -> bool {
    if user.role() != Role::Requester {
        return true;
    }
    desk.active && (desk.organization_ids.is_empty() || user.0.organization_id.is_some_and(|o| desk.organization_ids.contains(&o)))
}

pub async fn replace_links(conn: &mut AsyncPgConnection, desk_id: Uuid, orgs: Option<&[Uuid]>, supervisors: Option<&[Uuid]>) -> QueryResult<()> {
    if let Some(orgs) = orgs {
        diesel::delete(desk_organizations::table.filter(desk_organizations::desk_id.eq(desk_id))).execute(conn).await?;
        let rows: Vec<_> = orgs.iter().map(|o| (desk_organizations::desk_id.eq(desk_id), desk_organizations::organization_id.eq(*o))).collect();
        diesel::insert_into(desk_organizations::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
    }
    if let Some(sups) = supervisors {
        diesel::delete(desk_supervisors::table.filter(desk_supervisors::desk_id.eq(desk_id))).execute(conn).await?;
        let rows: Vec<_> = sups.iter().map(|u| (desk_supervisors::desk_id.eq(desk_id), desk_supervisors::user_id.eq(*u))).collect();
        diesel::insert_into(desk_supervisors::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
    }
    Ok(())
}
