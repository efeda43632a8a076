//! Who is calling: login (local argon2id or directory), tokens, throttling, and the `CurrentUser` extractor.
pub mod directory;
pub mod login;
pub mod password;
pub mod routes;
pub mod sessions;
pub mod throttle;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::LocalBoxFuture;

use crate::db::schema::users;
use crate::error::AppError;
use crate::state::AppState;
use crate::users::domain::{Role, UserRow};

/// The authenticated caller, loaded fresh from the database on every request so that a
/// deactivated account, a changed role or a new group membership takes effect at once, and an
/// access token whose `token_generation` is no longer the user's (logout, password reset, role
/// change, deactivation) is refused in that same query.
#[derive(Clone, Debug)]
pub struct CurrentUser(pub UserRow, pub Memberships);

/// What the caller's query also reads, so that working out their access costs no more round trips.
#[derive(Clone, Debug, Default)]
pub struct Memberships {
    /// Support groups the user belongs to.
    pub group_ids: Vec<uuid::Uuid>,
    /// Desks the user supervises.
    pub supervised_desk_ids: Vec<uuid::Uuid>,
    /// `reference_generation` when the request started (see `crate::reference`).
    pub reference_generation: i64,
    /// The API token the caller came with (`None`: a login token, or no request).
    pub api_token_id: Option<uuid::Uuid>,
}

pub(crate) const INVALID_TOKEN: AppError = AppError::Unauthenticated { code: "invalid_token", detail: "The access token is missing, expired or invalid" };

impl CurrentUser {
    pub fn role(&self) -> Role {
        self.0.role
    }

    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        self.require(&[Role::Admin])
    }
}

/// The caller, their groups and supervised desks, and the reference data's generation.
type Caller = (UserRow, Vec<uuid::Uuid>, Vec<uuid::Uuid>, i64);

async fn load_caller(state: &AppState, user_id: uuid::Uuid) -> Result<Option<Caller>, AppError> {
    let mut conn = state.pool.get().await?;
    Ok(caller(&mut conn, user_id).await?)
}

async fn caller(conn: &mut diesel_async::AsyncPgConnection, user_id: uuid::Uuid) -> QueryResult<Option<Caller>> {
    use crate::db::{current_reference_generation, user_group_ids, user_supervised_desk_ids};
    users::table
        .find(user_id)
        .select((UserRow::as_select(), user_group_ids(users::id), user_supervised_desk_ids(users::id), current_reference_generation()))
        .first(conn)
        .await
        .optional()
}

impl CurrentUser {
    /// A person Mesa acts for without a request (the sender of a mail), loaded as a request
    /// would load them: `None` when there is no such active user.
    pub async fn acting_as(conn: &mut diesel_async::AsyncPgConnection, user_id: uuid::Uuid) -> QueryResult<Option<CurrentUser>> {
        Ok(caller(conn, user_id).await?.filter(|(u, ..)| u.active).map(|(u, group_ids, supervised_desk_ids, reference_generation)| {
            CurrentUser(u, Memberships { group_ids, supervised_desk_ids, reference_generation, api_token_id: None })
        }))
    }
}

/// The credential of `Authorization: Bearer …`, if any.
pub fn bearer_token(headers: &header::HeaderMap) -> Option<String> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer "))).map(|t| t.trim().to_owned())
}

impl CurrentUser {
    /// Whether the caller came with an API token rather than a login.
    pub fn via_api_token(&self) -> bool {
        self.1.api_token_id.is_some()
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // An API token was checked (scope included) by `api_tokens::auth::authenticate`.
        if let Some(user) = req.extensions().get::<CurrentUser>().cloned() {
            return Box::pin(async move { Ok(user) });
        }
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req.headers());
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("AppState not registered")))?;
            let token = token.ok_or(INVALID_TOKEN)?;
            // An API token the middleware did not take (an operation that declares no scope) is
            // never a login token.
            if token.starts_with(crate::api_tokens::TOKEN_PREFIX) {
                return Err(INVALID_TOKEN);
            }
            let claims = state.jwt.verify(&token).map_err(|_| INVALID_TOKEN)?;
            // The request's first statement, a read: when its connection turns out broken (the
            // server went away after the pool's open-socket check), nothing has been written, so it
            // is tried once more on a fresh connection before the request answers 503.
            let user = match load_caller(&state, claims.sub).await {
                Err(AppError::Unavailable { code: "database_unavailable", .. }) => load_caller(&state, claims.sub).await?,
                other => other?,
            };
            match user {
                // A stale generation: the user logged out, or their password, role or active
                // flag changed after this token was issued.
                Some((u, group_ids, supervised_desk_ids, reference_generation)) if u.active && u.token_generation == claims.generation => {
                    Ok(CurrentUser(u, Memberships { group_ids, supervised_desk_ids, reference_generation, api_token_id: None }))
                }
                _ => Err(INVALID_TOKEN),
            }
        })
    }
}

impl AppState {
    /// The reference data, at least as new as the caller's request. Here rather than in `state`,
    /// which knows nothing of callers.
    pub async fn reference(&self, conn: &mut diesel_async::AsyncPgConnection, user: &CurrentUser) -> diesel::QueryResult<std::sync::Arc<crate::reference::Reference>> {
        self.reference.get(conn, user.1.reference_generation).await
    }
}
