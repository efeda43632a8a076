use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::*;
use super::queries::{self, NewUser, UserFilter};
use crate::auth::{password, sessions, CurrentUser};
use crate::db::schema::users;
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, page_limit, paginate, Cursor, IfMatch, JsonBody};
use crate::state::AppState;
use crate::validate::{double_option, Errors};
use utoipa_actix_web::service_config::ServiceConfig;

/// The user routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_users).service(create_user).service(get_user).service(update_user).service(deactivate_user).service(set_availability);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "username": "lucia.martinez",
    "display_name": "Lucía Martínez",
    "email": "lucia.martinez@cali.gov.co",
    "role": "requester",
    "auth_source": "directory",
    "phone": "602 885 6000 ext. 2310",
    "locale": "es-CO",
    "organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56",
    "area_id": "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67",
    "location_id": "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78"
}))]
pub struct CreateUser {
    #[schema(example = "ana.torres")]
    pub username: String,
    #[schema(min_length = 1, max_length = 160, example = "Ana Torres")]
    pub display_name: String,
    /// Required for local accounts; must be absent for directory accounts.
    pub password: Option<String>,
    pub role: Role,
    /// `local` (default) or `directory`: a directory account is pre-registered (e.g. to make
    /// someone an agent before their first login) and authenticates against the directory.
    pub auth_source: Option<AuthSource>,
    pub email: Option<String>,
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    pub locale: Option<String>,
    pub organization_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "agent", "area_id": "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67", "phone": "602 885 6000 ext. 2311"}))]
pub struct UpdateUser {
    #[schema(min_length = 1, max_length = 160)]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 40, value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub locale: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub area_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub location_id: Option<Option<Uuid>>,
    /// The identity document's number; `null` clears it. Dots and spaces are dropped.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 30, value_type = Option<String>)]
    pub identity_number: Option<Option<String>>,
    /// New password (local accounts only); ends every session of the user.
    pub password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<User>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    #[param(example = "agent")]
    pub role: Option<Role>,
    #[param(example = json!(true))]
    pub active: Option<bool>,
    #[param(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Option<Uuid>,
    /// Text in the username, display name or email.
    #[param(example = "martinez")]
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A present identity number, normalized (422 naming the field when it is not one).
pub fn check_identity_number(e: &mut Errors, raw: Option<&str>) -> Option<String> {
    match raw.map(normalize_identity_number)? {
        Ok(n) => Some(n),
        Err(msg) => {
            e.add("identity_number", "invalid", msg);
            None
        }
    }
}

fn check_locale(e: &mut Errors, locale: Option<&str>) -> String {
    let l = locale.unwrap_or("es-CO");
    if !LOCALES.contains(&l) {
        e.add("locale", "invalid_choice", format!("must be one of {}", LOCALES.join(", ")));
    }
    l.to_owned()
}

/// List users (staff: agents look up the person calling; admins and supervisors manage).
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), params(UserListQuery),
    responses((status = 200, body = UserPage),
        Unauthenticated,
        Forbidden,
        Invalid))]
#[get("/users")]
pub async fn list_users(state: web::Data<AppState>, user: CurrentUser, query: web::Query<UserListQuery>) -> AppResult<web::Json<UserPage>> {
    user.require(&[Role::Admin, Role::Supervisor, Role::Agent])?;
    let q = query.into_inner();
    let filter = UserFilter {
        role: q.role,
        active: q.active,
        organization_id: q.organization_id,
        q: q.q.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        // Usernames are at most 64 characters; directory logins take up to 256.
        after: q.cursor.as_deref().map(|c| Cursor::decode_text(c, 256)).transpose()?,
        limit: page_limit(q.limit)?,
    };
    let mut conn = state.pool.get().await?;
    let rows = queries::list(&mut conn, &filter).await?;
    let (rows, next_cursor) = paginate(rows, filter.limit, |u| Cursor { key: u.username.clone(), id: u.id });
    Ok(web::Json(UserPage { items: rows.into_iter().map(User::from).collect(), next_cursor }))
}

/// Create a user (admins): a local account with a password, or a directory account registered ahead of its first login.
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), request_body = CreateUser,
    responses((status = 201, body = User),
        Unauthenticated,
        Forbidden,
        (status = 409, description = "Username taken", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/users")]
pub async fn create_user(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateUser>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    let mut e = Errors::default();
    let username = normalize_username(&b.username);
    if let Err(msg) = validate_username(&username) {
        e.add("username", "invalid", msg);
    }
    let display_name = e.text("display_name", &b.display_name, 160);
    let email = e.email("email", b.email.as_deref());
    let phone = e.optional_text("phone", b.phone.as_deref(), 40);
    let locale = check_locale(&mut e, b.locale.as_deref());
    let auth_source = b.auth_source.unwrap_or(AuthSource::Local);
    let password = match (auth_source, &b.password) {
        (AuthSource::Local, None) => {
            e.add("password", "required", "is required for local accounts");
            None
        }
        (AuthSource::Local, Some(p)) => {
            if let Err(msg) = password::check_strength(p) {
                e.add("password", "weak", msg);
            }
            Some(p.clone())
        }
        (AuthSource::Directory, Some(_)) => {
            e.add("password", "not_allowed", "directory accounts authenticate against the directory");
            None
        }
        (AuthSource::Directory, None) => None,
    };
    e.finish()?;
    let password_hash = match password {
        Some(p) => Some(tokio::task::spawn_blocking(move || password::hash(&p)).await.map_err(anyhow::Error::from)?),
        None => None,
    };
    let mut conn = state.pool.get().await?;
    let row = queries::insert(
        &mut conn,
        NewUser {
            username,
            display_name,
            email,
            phone,
            role: b.role,
            auth_source,
            password_hash,
            locale,
            organization_id: b.organization_id,
            area_id: b.area_id,
            location_id: b.location_id,
        },
    )
    .await
    .map_err(|err| match AppError::from(err) {
        AppError::Conflict { .. } => AppError::conflict("username_taken", "Another user has this username"),
        other => other,
    })?;
    Ok(HttpResponse::Created().insert_header(etag(row.version)).json(User::from(row)))
}

/// One user (staff, or the user themself).
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = User),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/users/{id}")]
pub async fn get_user(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    if user.0.id != *id {
        user.require(&[Role::Admin, Role::Supervisor, Role::Agent])?;
    }
    let mut conn = state.pool.get().await?;
    let row: UserRow = users::table.find(*id).select(UserRow::as_select()).first(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(User::from(row)))
}

/// Change a user (admins): role, active flag, contact data, organization, password.
/// Deactivating or resetting the password ends the user's sessions; changing the role ends their
/// access tokens (the sessions refresh into tokens with the new role).
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), request_body = UpdateUser,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = User),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 409, description = "E.g. an admin removing their own admin role", body = Problem, content_type = "application/problem+json"),
        Stale,
        Invalid))]
#[patch("/users/{id}")]
pub async fn update_user(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateUser>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    let id = *id;
    if id == user.0.id && (b.active == Some(false) || b.role.is_some_and(|r| r != Role::Admin)) {
        return Err(AppError::conflict("own_admin_account", "You cannot deactivate or demote your own account"));
    }
    let mut e = Errors::default();
    let display_name = b.display_name.as_deref().map(|n| e.text("display_name", n, 160));
    let email = b.email.map(|v| e.email("email", v.as_deref()));
    let phone = b.phone.map(|v| e.optional_text("phone", v.as_deref(), 40));
    let locale = b.locale.as_deref().map(|l| check_locale(&mut e, Some(l)));
    let identity_number = b.identity_number.map(|v| check_identity_number(&mut e, v.as_deref()));
    if let Some(p) = &b.password {
        if let Err(msg) = password::check_strength(p) {
            e.add("password", "weak", msg);
        }
    }
    e.finish()?;
    let password_hash = match b.password {
        Some(p) => Some(tokio::task::spawn_blocking(move || password::hash(&p)).await.map_err(anyhow::Error::from)?),
        None => None,
    };
    let mut conn = state.pool.get().await?;
    let row: UserRow = conn
        .transaction(async move |conn| -> Result<UserRow, AppError> {
            let current: UserRow = users::table.find(id).select(UserRow::as_select()).for_update().first(conn).await?;
            if_match.check(current.version)?;
            if password_hash.is_some() && current.auth_source == AuthSource::Directory {
                return Err(AppError::field("password", "not_allowed", "directory accounts change their password in the directory"));
            }
            let ends_sessions = password_hash.is_some() || (b.active == Some(false) && current.active);
            // Access tokens carry the role: a new one ends them too, but not the sessions,
            // which refresh into tokens with the new role.
            let ends_access = ends_sessions || b.role.is_some_and(|r| r != current.role);
            let row: UserRow = diesel::update(users::table.find(id))
                .set((
                    users::display_name.eq(display_name.unwrap_or(current.display_name)),
                    users::email.eq(email.unwrap_or(current.email)),
                    users::phone.eq(phone.unwrap_or(current.phone)),
                    users::role.eq(b.role.unwrap_or(current.role)),
                    users::active.eq(b.active.unwrap_or(current.active)),
                    users::locale.eq(locale.unwrap_or(current.locale)),
                    users::organization_id.eq(b.organization_id.unwrap_or(current.organization_id)),
                    users::area_id.eq(b.area_id.unwrap_or(current.area_id)),
                    users::location_id.eq(b.location_id.unwrap_or(current.location_id)),
                    users::identity_number.eq(identity_number.unwrap_or(current.identity_number)),
                    users::password_hash.eq(password_hash.or(current.password_hash)),
                    users::updated_at.eq(Utc::now()),
                    users::version.eq(current.version + 1),
                    users::token_generation.eq(current.token_generation + i32::from(ends_access)),
                ))
                .returning(UserRow::as_returning())
                .get_result(conn)
                .await?;
            if ends_sessions {
                sessions::revoke_all_for_user(conn, id).await?;
            }
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(User::from(row)))
}

/// Deactivate a user (admins). Users are never deleted: cases keep pointing at them.
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Deactivated and logged out"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
#[delete("/users/{id}")]
pub async fn deactivate_user(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = *id;
    if id == user.0.id {
        return Err(AppError::conflict("own_admin_account", "You cannot deactivate your own account"));
    }
    let mut conn = state.pool.get().await?;
    conn.transaction(async move |conn| -> Result<(), AppError> {
        let n = diesel::update(users::table.find(id))
            .set((
                users::active.eq(false),
                users::updated_at.eq(Utc::now()),
                users::version.eq(users::version + 1),
                // So that a reactivation does not bring back the tokens issued before.
                users::token_generation.eq(users::token_generation + 1),
            ))
            .execute(conn)
            .await?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        sessions::revoke_all_for_user(conn, id).await?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark an agent absent until a date, or available again (the agent, admins, supervisors).
#[utoipa::path(tag = "users", security(("bearer_auth" = [])), request_body = SetAvailability, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = User),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 409, description = "The user is a requester, who has no availability (`not_staff`)", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[put("/users/{id}/availability")]
pub async fn set_availability(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<SetAvailability>) -> AppResult<web::Json<User>> {
    let id = *id;
    if id != user.0.id {
        user.require(&[Role::Admin, Role::Supervisor])?;
    }
    let b = body.0;
    let mut e = Errors::default();
    let note = e.optional_text("note", b.note.as_deref(), 300);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let target: UserRow = users::table.find(id).select(UserRow::as_select()).first(&mut conn).await?;
    if target.role == Role::Requester {
        return Err(AppError::conflict("not_staff", "only agents, supervisors and admins have an availability"));
    }
    let row: UserRow = diesel::update(users::table.find(id))
        .set((users::absent_until.eq(b.absent_until), users::absence_note.eq(note), users::updated_at.eq(Utc::now())))
        .returning(UserRow::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(web::Json(row.into()))
}
