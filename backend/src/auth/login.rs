//! The login decision: local account first, then the directory; identical answers for unknown
//! users and wrong passwords.
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::directory::{self, DirectoryError, DirectoryUser};
use super::password;
use crate::db::schema::users;
use crate::error::AppError;
use crate::organizations::queries as org_queries;
use crate::state::AppState;
use crate::users::domain::{normalize_username, AuthSource, Role, UserRow};

pub const INVALID_CREDENTIALS: AppError = AppError::Unauthenticated { code: "invalid_credentials", detail: "The username or the password is wrong" };

/// Why a login failed, for the log only: the client always gets `invalid_credentials`.
#[derive(Debug)]
pub enum Refusal {
    UnknownUser,
    WrongPassword,
    Inactive,
    DirectoryDisabled,
    LocalAccountShadowed,
}

pub enum Outcome {
    Success(Box<UserRow>),
    Refused(Refusal),
}

pub async fn authenticate(state: &AppState, login: &str, password: &str) -> Result<Outcome, AppError> {
    let key = normalize_username(login);
    let local: Option<UserRow> = {
        let mut conn = state.pool.get().await?;
        users::table.filter(users::username.eq(&key)).filter(users::auth_source.eq(AuthSource::Local)).select(UserRow::as_select()).first(&mut conn).await.optional()?
    };

    if let Some(user) = local {
        let ok = check_password(password, user.password_hash.clone()).await;
        return Ok(match (ok, user.active) {
            (false, _) => Outcome::Refused(Refusal::WrongPassword),
            (true, false) => Outcome::Refused(Refusal::Inactive),
            (true, true) => Outcome::Success(Box::new(user)),
        });
    }

    let Some(ldap) = &state.config.ldap else {
        check_password(password, None).await;
        return Ok(Outcome::Refused(Refusal::UnknownUser));
    };
    match directory::authenticate(ldap, login, password).await {
        Ok(found) => {
            let mut conn = state.pool.get().await?;
            sync_directory_user(&mut conn, &found).await
        }
        Err(DirectoryError::InvalidCredentials) => Ok(Outcome::Refused(Refusal::WrongPassword)),
        Err(DirectoryError::Disabled) => Ok(Outcome::Refused(Refusal::DirectoryDisabled)),
        Err(DirectoryError::Unavailable(why)) => {
            log::warn!("directory unavailable during login: {why}");
            Err(AppError::Unavailable { code: "directory_unavailable", detail: "The directory (Active Directory / LDAP) cannot be reached; try again later".into() })
        }
    }
}

/// argon2 is CPU-bound: keep it off the async workers. `None` still spends the time.
async fn check_password(password: &str, hash: Option<String>) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => password::verify(&password, &h),
        None => {
            password::verify_dummy(&password);
            false
        }
    })
    .await
    .unwrap_or(false)
}

/// Creates or refreshes the local copy of a directory account; the directory is the truth for
/// identity and contact data, Mesa for the role and the active flag.
async fn sync_directory_user(conn: &mut AsyncPgConnection, found: &DirectoryUser) -> Result<Outcome, AppError> {
    let found = found.clone();
    conn.transaction(async move |conn| -> Result<Outcome, AppError> {
        let username = normalize_username(&found.username);
        let organization_id = match found.company.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => Some(org_queries::find_or_create_organization(conn, name).await?),
            None => None,
        };
        let area_id = match (organization_id, found.department.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (Some(org), Some(name)) => Some(org_queries::find_or_create_area(conn, org, name).await?),
            _ => None,
        };
        let existing: Option<UserRow> = users::table.filter(users::username.eq(&username)).select(UserRow::as_select()).for_update().first(conn).await.optional()?;
        let display_name = found.display_name.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| username.clone());
        let now = Utc::now();
        let user = match existing {
            Some(u) if u.auth_source == AuthSource::Local => return Ok(Outcome::Refused(Refusal::LocalAccountShadowed)),
            Some(u) if !u.active => return Ok(Outcome::Refused(Refusal::Inactive)),
            Some(u) => {
                diesel::update(users::table.find(u.id))
                    .set((
                        users::display_name.eq(&display_name),
                        users::email.eq(found.email.clone().or(u.email.clone())),
                        users::phone.eq(found.phone.clone().or(u.phone.clone())),
                        users::identity_number.eq(found.identity_number.clone().or(u.identity_number.clone())),
                        users::organization_id.eq(organization_id.or(u.organization_id)),
                        users::area_id.eq(area_id.or(u.area_id)),
                        users::directory_dn.eq(&found.dn),
                        users::last_login_at.eq(now),
                        users::updated_at.eq(now),
                        users::version.eq(users::version + 1),
                    ))
                    .returning(UserRow::as_returning())
                    .get_result(conn)
                    .await?
            }
            None => {
                diesel::insert_into(users::table)
                    .values((
                        users::id.eq(Uuid::now_v7()),
                        users::username.eq(&username),
                        users::display_name.eq(&display_name),
                        users::email.eq(&found.email),
                        users::phone.eq(&found.phone),
                        users::identity_number.eq(&found.identity_number),
                        users::role.eq(Role::Requester),
                        users::auth_source.eq(AuthSource::Directory),
                        users::directory_dn.eq(&found.dn),
                        users::organization_id.eq(organization_id),
                        users::area_id.eq(area_id),
                        users::last_login_at.eq(now),
                    ))
                    .returning(UserRow::as_returning())
                    .get_result(conn)
                    .await?
            }
        };
        Ok(Outcome::Success(Box::new(user)))
    })
    .await
}

pub async fn touch_last_login(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::last_login_at.eq(Utc::now())).execute(conn).await?;
    Ok(())
}
