use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{AreaSnap, AreaWrite, OrgSnap, OrgWrite, UserSnap, UserWrite};
use crate::auth::sessions;
use crate::db::schema::{areas, organizations, users};
use crate::users::domain::{AuthSource, Role};

/// Applies wait for one another (one transaction-scoped advisory lock): two uploads of the same
/// file then see each other's rows instead of racing to create them. Dry runs take no lock.
pub async fn lock_imports(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    // 0x6d657361_696d7074: "mesaimpt", a key no other part of Mesa uses.
    diesel::sql_query("SELECT pg_advisory_xact_lock(7882824317393227124)").execute(conn).await.map(drop)
}

/// A dry run's transaction refuses writes, whatever a bug might try.
pub async fn read_only(conn: &mut AsyncPgConnection) -> QueryResult<()> {
    diesel::sql_query("SET TRANSACTION READ ONLY").execute(conn).await.map(drop)
}

pub async fn organizations(conn: &mut AsyncPgConnection) -> QueryResult<Vec<OrgSnap>> {
    use organizations::dsl as o;
    let rows: Vec<(Uuid, String, Option<String>, bool)> = o::organizations.select((o::id, o::name, o::short_name, o::active)).order(o::id).load(conn).await?;
    Ok(rows.into_iter().map(|(id, name, short_name, active)| OrgSnap { id, name, short_name, active }).collect())
}

pub async fn areas(conn: &mut AsyncPgConnection) -> QueryResult<Vec<AreaSnap>> {
    use areas::dsl as a;
    let rows: Vec<(Uuid, Uuid, String, bool)> = a::areas.select((a::id, a::organization_id, a::name, a::active)).order(a::id).load(conn).await?;
    Ok(rows.into_iter().map(|(id, organization_id, name, active)| AreaSnap { id, organization_id, name, active }).collect())
}

type UserTuple = (Uuid, String, String, Option<String>, Option<String>, Role, Option<String>, Option<Uuid>, Option<Uuid>, String, bool);

/// The stored users with these usernames.
pub async fn users_named(conn: &mut AsyncPgConnection, usernames: &[String]) -> QueryResult<Vec<UserSnap>> {
    use users::dsl as u;
    let rows: Vec<UserTuple> = u::users
        .filter(u::username.eq_any(usernames))
        .select((u::id, u::username, u::display_name, u::email, u::phone, u::role, u::identity_number, u::organization_id, u::area_id, u::locale, u::active))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, email, phone, role, identity_number, organization_id, area_id, locale, active)| UserSnap {
            id,
            username,
            display_name,
            email,
            phone,
            role,
            identity_number,
            organization_id,
            area_id,
            locale,
            active,
        })
        .collect())
}

/// Lowercased email → username, for the stored users having one of these (lowercased) emails.
pub async fn email_owners(conn: &mut AsyncPgConnection, emails: &[String]) -> QueryResult<HashMap<String, String>> {
    use diesel::dsl::sql;
    use diesel::sql_types::{Nullable, Text};
    let lower = sql::<Nullable<Text>>("lower(email)");
    let rows: Vec<(Option<String>, String)> = users::table.filter(lower.clone().eq_any(emails)).select((lower, users::username)).load(conn).await?;
    Ok(rows.into_iter().filter_map(|(e, u)| Some((e?, u))).collect())
}

pub async fn write_organizations(conn: &mut AsyncPgConnection, writes: &[OrgWrite]) -> QueryResult<()> {
    for w in writes {
        match w {
            OrgWrite::Create { name, short_name, active } => {
                diesel::insert_into(organizations::table)
                    .values((organizations::id.eq(Uuid::now_v7()), organizations::name.eq(name), organizations::short_name.eq(short_name), organizations::active.eq(active)))
                    .execute(conn)
                    .await?;
            }
            OrgWrite::Update { id, short_name, active } => {
                diesel::update(organizations::table.find(id))
                    .set((
                        organizations::short_name.eq(short_name),
                        organizations::active.eq(active),
                        organizations::updated_at.eq(Utc::now()),
                        organizations::version.eq(organizations::version + 1),
                    ))
                    .execute(conn)
                    .await?;
            }
        }
    }
    Ok(())
}

pub async fn write_areas(conn: &mut AsyncPgConnection, writes: &[AreaWrite]) -> QueryResult<()> {
    for w in writes {
        match w {
            AreaWrite::Create { organization_id, name, active } => {
                diesel::insert_into(areas::table)
                    .values((areas::id.eq(Uuid::now_v7()), areas::organization_id.eq(organization_id), areas::name.eq(name), areas::active.eq(active)))
                    .execute(conn)
                    .await?;
            }
            AreaWrite::Update { id, active } => {
                diesel::update(areas::table.find(id))
                    .set((areas::active.eq(active), areas::updated_at.eq(Utc::now()), areas::version.eq(areas::version + 1)))
                    .execute(conn)
                    .await?;
            }
        }
    }
    Ok(())
}

/// As `PATCH /users/{id}` does: a new role ends the user's access tokens; a deactivation ends
/// their sessions too.
pub async fn write_users(conn: &mut AsyncPgConnection, writes: &[UserWrite]) -> QueryResult<()> {
    for w in writes {
        match w {
            UserWrite::Create { username, values: v } => {
                diesel::insert_into(users::table)
                    .values((
                        users::id.eq(Uuid::now_v7()),
                        users::username.eq(username),
                        users::display_name.eq(&v.display_name),
                        users::email.eq(&v.email),
                        users::phone.eq(&v.phone),
                        users::role.eq(v.role),
                        users::auth_source.eq(AuthSource::Directory),
                        users::identity_number.eq(&v.identity_number),
                        users::organization_id.eq(v.organization_id),
                        users::area_id.eq(v.area_id),
                        users::locale.eq(&v.locale),
                        users::active.eq(v.active),
                    ))
                    .execute(conn)
                    .await?;
            }
            UserWrite::Update { id, before, values: v } => {
                let ends_sessions = before.active && !v.active;
                let ends_access = ends_sessions || before.role != v.role;
                diesel::update(users::table.find(id))
                    .set((
                        users::display_name.eq(&v.display_name),
                        users::email.eq(&v.email),
                        users::phone.eq(&v.phone),
                        users::role.eq(v.role),
                        users::identity_number.eq(&v.identity_number),
                        users::organization_id.eq(v.organization_id),
                        users::area_id.eq(v.area_id),
                        users::locale.eq(&v.locale),
                        users::active.eq(v.active),
                        users::updated_at.eq(Utc::now()),
                        users::version.eq(users::version + 1),
                        users::token_generation.eq(users::token_generation + i32::from(ends_access)),
                    ))
                    .execute(conn)
                    .await?;
                if ends_sessions {
                    sessions::revoke_all_for_user(conn, *id).await?;
                }
            }
        }
    }
    Ok(())
}
