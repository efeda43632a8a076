use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{AuthSource, Role, UserRow};
use crate::db::schema::users;
use crate::http::Cursor;

pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub auth_source: AuthSource,
    pub password_hash: Option<String>,
    pub locale: String,
    pub organization_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

pub async fn insert(conn: &mut AsyncPgConnection, u: NewUser) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::username.eq(u.username),
            users::display_name.eq(u.display_name),
            users::email.eq(u.email),
            users::phone.eq(u.phone),
            users::role.eq(u.role),
            users::auth_source.eq(u.auth_source),
            users::password_hash.eq(u.password_hash),
            users::locale.eq(u.locale),
            users::organization_id.eq(u.organization_id),
            users::area_id.eq(u.area_id),
            users::location_id.eq(u.location_id),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

/// Creates a local user or, when the username exists, updates its password, role and names
/// (`mesa user create` and the demo seed are re-runnable).
pub async fn upsert_local(conn: &mut AsyncPgConnection, u: NewUser) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::username.eq(&u.username),
            users::display_name.eq(&u.display_name),
            users::email.eq(&u.email),
            users::phone.eq(&u.phone),
            users::role.eq(u.role),
            users::auth_source.eq(AuthSource::Local),
            users::password_hash.eq(&u.password_hash),
            users::locale.eq(&u.locale),
            users::organization_id.eq(u.organization_id),
            users::area_id.eq(u.area_id),
            users::location_id.eq(u.location_id),
        ))
        .on_conflict(users::username)
        .do_update()
        .set((
            users::display_name.eq(&u.display_name),
            users::email.eq(&u.email),
            users::role.eq(u.role),
            users::auth_source.eq(AuthSource::Local),
            users::password_hash.eq(&u.password_hash),
            users::organization_id.eq(u.organization_id),
            users::area_id.eq(u.area_id),
            users::active.eq(true),
            users::updated_at.eq(Utc::now()),
            users::version.eq(users::version + 1),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
}

pub struct UserFilter {
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub organization_id: Option<Uuid>,
    pub q: Option<String>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// Users by username (unique, so the keyset is the username alone).
pub async fn list(conn: &mut AsyncPgConnection, f: &UserFilter) -> QueryResult<Vec<UserRow>> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(role) = f.role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(active) = f.active {
        query = query.filter(users::active.eq(active));
    }
    if let Some(org) = f.organization_id {
        query = query.filter(users::organization_id.eq(org));
    }
    if let Some(q) = &f.q {
        let pattern = format!("%{}%", q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        query = query.filter(users::username.ilike(pattern.clone()).or(users::display_name.ilike(pattern.clone())).or(users::email.ilike(pattern)));
    }
    if let Some(c) = &f.after {
        query = query.filter(users::username.gt(c.key.clone()));
    }
    query.order(users::username).limit(f.limit + 1).load(conn).await
}
