use diesel::prelude::*;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{Area, Location, Organization};
use crate::db::schema::{areas, locations, organizations};
use crate::http::Cursor;

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// The organization with this name (case-insensitive), created if new — for directory logins,
/// whose `company` attribute names it.
pub async fn find_or_create_organization(conn: &mut AsyncPgConnection, name: &str) -> QueryResult<Uuid> {
    let row: IdRow = diesel::sql_query(
        "WITH ins AS (INSERT INTO organizations (id, name) VALUES ($1, $2) ON CONFLICT (lower(name)) DO NOTHING RETURNING id) \
         SELECT id FROM ins UNION ALL SELECT id FROM organizations WHERE lower(name) = lower($2) LIMIT 1",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<Text, _>(name)
    .get_result(conn)
    .await?;
    Ok(row.id)
}

pub async fn find_or_create_area(conn: &mut AsyncPgConnection, organization_id: Uuid, name: &str) -> QueryResult<Uuid> {
    let row: IdRow = diesel::sql_query(
        "WITH ins AS (INSERT INTO areas (id, organization_id, name) VALUES ($1, $2, $3) \
           ON CONFLICT (organization_id, lower(name)) DO NOTHING RETURNING id) \
         SELECT id FROM ins UNION ALL SELECT id FROM areas WHERE organization_id = $2 AND lower(name) = lower($3) LIMIT 1",
    )
    .bind::<SqlUuid, _>(Uuid::now_v7())
    .bind::<SqlUuid, _>(organization_id)
    .bind::<Text, _>(name)
    .get_result(conn)
    .await?;
    Ok(row.id)
}

pub struct ListFilter {
    pub active: Option<bool>,
    pub q: Option<String>,
    pub organization_id: Option<Uuid>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

fn like_pattern(q: &str) -> String {
    format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

pub async fn list_organizations(conn: &mut AsyncPgConnection, f: &ListFilter) -> QueryResult<Vec<Organization>> {
    use organizations::dsl as o;
    let mut query = o::organizations.select(Organization::as_select()).into_boxed();
    if let Some(active) = f.active {
        query = query.filter(o::active.eq(active));
    }
    if let Some(q) = &f.q {
        query = query.filter(o::name.ilike(like_pattern(q)).or(o::short_name.ilike(like_pattern(q))));
    }
    if let Some(c) = &f.after {
        query = query.filter(o::name.gt(c.key.clone()).or(o::name.eq(c.key.clone()).and(o::id.gt(c.id))));
    }
    query.order((o::name, o::id)).limit(f.limit + 1).load(conn).await
}

pub async fn list_areas(conn: &mut AsyncPgConnection, f: &ListFilter) -> QueryResult<Vec<Area>> {
    use areas::dsl as a;
    let mut query = a::areas.select(Area::as_select()).into_boxed();
    if let Some(active) = f.active {
        query = query.filter(a::active.eq(active));
    }
    if let Some(org) = f.organization_id {
        query = query.filter(a::organization_id.eq(org));
    }
    if let Some(q) = &f.q {
        query = query.filter(a::name.ilike(like_pattern(q)));
    }
    if let Some(c) = &f.after {
        query = query.filter(a::name.gt(c.key.clone()).or(a::name.eq(c.key.clone()).and(a::id.gt(c.id))));
    }
    query.order((a::name, a::id)).limit(f.limit + 1).load(conn).await
}

pub async fn list_locations(conn: &mut AsyncPgConnection, f: &ListFilter) -> QueryResult<Vec<Location>> {
    use locations::dsl as l;
    let mut query = l::locations.select(Location::as_select()).into_boxed();
    if let Some(active) = f.active {
        query = query.filter(l::active.eq(active));
    }
    if let Some(org) = f.organization_id {
        query = query.filter(l::organization_id.eq(org));
    }
    if let Some(q) = &f.q {
        query = query.filter(l::name.ilike(like_pattern(q)).or(l::address.ilike(like_pattern(q))));
    }
    if let Some(c) = &f.after {
        query = query.filter(l::name.gt(c.key.clone()).or(l::name.eq(c.key.clone()).and(l::id.gt(c.id))));
    }
    query.order((l::name, l::id)).limit(f.limit + 1).load(conn).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
