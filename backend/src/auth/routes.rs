use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::login::{self as login_flow, Outcome, INVALID_CREDENTIALS};
use super::sessions::{self, Rotation};
use super::throttle::{self, ThrottleKeys};
use super::CurrentUser;
use crate::db::schema::users;
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::users::domain::{User, UserRow, LOCALES};
use utoipa_actix_web::service_config::ServiceConfig;

/// The authentication routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(me).service(update_me);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "maria.gomez", "password": "Clave-Segura-2026"}))]
pub struct LoginRequest {
    /// `nombre.apellido`, `DOMINIO\nombre.apellido` or `nombre.apellido@dominio`.
    #[schema(min_length = 1, max_length = 256, example = "maria.gomez")]
    pub username: String,
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "fTyaQeLwW2yNHi86S1xtfo-QobLD1OX2BxgpOktcbX4"}))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"refresh_token": "fTyaQeLwW2yNHi86S1xtfo-QobLD1OX2BxgpOktcbX4"}))]
pub struct LogoutRequest {
    pub refresh_token: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzYTVhMyJ9.c2lnbmF0dXJh",
    "token_type": "Bearer",
    "expires_in": 900,
    "refresh_token": "fTyaQeLwW2yNHi86S1xtfo-QobLD1OX2BxgpOktcbX4",
    "refresh_expires_in": 1209600,
    "user": {
        "id": "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34",
        "username": "lucia.martinez",
        "display_name": "Lucía Martínez",
        "email": "lucia.martinez@cali.gov.co",
        "role": "requester",
        "auth_source": "directory",
        "active": true,
        "locale": "es-CO",
        "phone": "602 885 6000 ext. 2310",
        "identity_number": "52123456",
        "organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56",
        "area_id": "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67",
        "location_id": "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78",
        "last_login_at": "2026-12-03T13:15:00Z",
        "created_at": "2026-03-02T13:00:00Z",
        "updated_at": "2026-12-03T13:15:00Z",
        "version": 3
    }
}))]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Opaque; single use: every refresh returns a new one.
    pub refresh_token: String,
    /// Seconds until the refresh token expires.
    pub refresh_expires_in: u64,
    pub user: User,
}

const INVALID_REFRESH: AppError = AppError::Unauthenticated { code: "invalid_refresh_token", detail: "The refresh token is unknown, expired or revoked" };

/// The client address the limits count (the proxy's `X-Forwarded-For` only when trusted).
pub fn client_ip(req: &HttpRequest, state: &AppState) -> Option<String> {
    if state.config.trust_forwarded_for {
        req.connection_info().realip_remote_addr().map(str::to_owned)
    } else {
        req.peer_addr().map(|a| a.ip().to_string())
    }
}

fn check_login_fields(body: &LoginRequest) -> AppResult<()> {
    let mut errors = Vec::new();
    if body.username.trim().is_empty() {
        errors.push(FieldError::new("username", "required", "is required"));
    } else if body.username.chars().count() > 256 {
        errors.push(FieldError::new("username", "too_long", "must be at most 256 characters"));
    }
    if body.password.is_empty() {
        errors.push(FieldError::new("password", "required", "is required"));
    } else if body.password.chars().count() > 1024 {
        errors.push(FieldError::new("password", "too_long", "must be at most 1024 characters"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

async fn token_response(state: &AppState, user: UserRow, family: Option<sessions::IssuedRefresh>) -> AppResult<TokenResponse> {
    let issued = match family {
        Some(r) => r,
        None => {
            let mut conn = state.pool.get().await?;
            sessions::issue(&mut conn, user.id, state.config.refresh_token_ttl).await?
        }
    };
    let now = Utc::now();
    Ok(TokenResponse {
        access_token: state.jwt.issue(user.id, user.role, user.token_generation, now.timestamp()),
        token_type: "Bearer".into(),
        expires_in: state.jwt.ttl.as_secs(),
        refresh_token: issued.token,
        refresh_expires_in: (issued.expires_at - now).num_seconds().max(0) as u64,
        user: user.into(),
    })
}

/// Log in with a local account or the directory (Active Directory / LDAP) account.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Unknown user or wrong password (indistinguishable)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing username or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "The directory cannot be reached", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(state: web::Data<AppState>, req: HttpRequest, body: JsonBody<LoginRequest>) -> AppResult<web::Json<TokenResponse>> {
    let body = body.0;
    check_login_fields(&body)?;
    let keys = ThrottleKeys::new(&body.username, client_ip(&req, &state));
    {
        let mut conn = state.pool.get().await?;
        throttle::reserve(&mut conn, &keys, &state.config.login_throttle).await?;
    }
    let outcome = match login_flow::authenticate(&state, &body.username, &body.password).await {
        Ok(outcome) => outcome,
        Err(e) => {
            // No verdict on the password: the attempt does not count.
            if let Err(why) = release_reservation(&state, &keys).await {
                log::warn!("could not release a login reservation: {why}");
            }
            return Err(e);
        }
    };
    match outcome {
        Outcome::Success(user) => {
            let mut conn = state.pool.get().await?;
            throttle::succeeded(&mut conn, &keys).await?;
            login_flow::touch_last_login(&mut conn, user.id).await?;
            drop(conn);
            log::info!("login ok user={} source={}", user.username, user.auth_source);
            Ok(web::Json(token_response(&state, *user, None).await?))
        }
        Outcome::Refused(why) => {
            // Already counted by the reservation.
            log::info!("login refused key={} reason={why:?}", keys.user);
            Err(INVALID_CREDENTIALS)
        }
    }
}

async fn release_reservation(state: &AppState, keys: &ThrottleKeys) -> AppResult<()> {
    let mut conn = state.pool.get().await?;
    Ok(throttle::release(&mut conn, keys).await?)
}

/// Exchange a refresh token for new tokens. The old refresh token stops working: presenting it
/// again within 30 seconds (parallel refreshes, e.g. several tabs) returns the same new refresh
/// token, later it revokes every token of that login.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, body: JsonBody<RefreshRequest>) -> AppResult<web::Json<TokenResponse>> {
    let mut conn = state.pool.get().await?;
    match sessions::rotate(&mut conn, &body.0.refresh_token, state.config.refresh_token_ttl, &state.config.jwt_secret).await? {
        Rotation::Rotated { user, refresh: issued } => {
            if !user.active {
                sessions::revoke_all_for_user(&mut conn, user.id).await?;
                return Err(INVALID_REFRESH);
            }
            drop(conn);
            Ok(web::Json(token_response(&state, *user, Some(issued)).await?))
        }
        Rotation::Reused => {
            log::warn!("refresh token reuse detected; family revoked");
            Err(INVALID_REFRESH)
        }
        Rotation::Invalid => Err(INVALID_REFRESH),
    }
}

/// Log out: revokes the refresh token and every token rotated from the same login, and ends the
/// user's access tokens (those of their other sessions too, which get new ones by refreshing).
#[utoipa::path(
    tag = "auth",
    request_body = LogoutRequest,
    responses(
        (status = 204, description = "Logged out (also for unknown tokens)"),
        (status = 422, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, body: JsonBody<LogoutRequest>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    sessions::revoke(&mut conn, &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The logged-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer_auth" = [])),
    responses(
        (status = 200, description = "The caller", body = User),
        (status = 401, description = "Missing, expired or invalid token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn me(user: CurrentUser) -> web::Json<User> {
    web::Json(user.0.into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"phone": "310 555 1234", "locale": "es-CO", "identity_number": "52123456"}))]
pub struct UpdateMe {
    /// `es-CO` or `en`.
    pub locale: Option<String>,
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    /// One's identity document number (a desk may require it to register cases). Dots and
    /// spaces are dropped.
    #[schema(max_length = 30)]
    pub identity_number: Option<String>,
}

/// Change one's own preferences (language, contact phone) and identity number.
#[utoipa::path(
    tag = "auth",
    security(("bearer_auth" = [])),
    request_body = UpdateMe,
    responses(
        (status = 200, description = "Updated", body = User),
        (status = 401, description = "Missing, expired or invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/me")]
pub async fn update_me(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<UpdateMe>) -> AppResult<web::Json<User>> {
    let body = body.0;
    if let Some(l) = &body.locale {
        if !LOCALES.contains(&l.as_str()) {
            return Err(AppError::field("locale", "invalid_choice", format!("must be one of {}", LOCALES.join(", "))));
        }
    }
    if let Some(p) = &body.phone {
        if p.chars().count() > 40 {
            return Err(AppError::field("phone", "too_long", "must be at most 40 characters"));
        }
    }
    let mut e = crate::validate::Errors::default();
    let identity_number = crate::users::routes::check_identity_number(&mut e, body.identity_number.as_deref());
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let row: UserRow = diesel::update(users::table.find(user.0.id))
        .set((
            users::identity_number.eq(identity_number.or(user.0.identity_number.clone())),
            users::locale.eq(body.locale.unwrap_or(user.0.locale.clone())),
            users::phone.eq(body.phone.or(user.0.phone.clone())),
            users::updated_at.eq(Utc::now()),
            users::version.eq(users::version + 1),
        ))
        .returning(UserRow::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(web::Json(row.into()))
}
