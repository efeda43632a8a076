//! `/api-tokens`: people create tokens for themselves, admins also for another account (an
//! integration's own user); the secret is answered once; lists show only its first characters.
use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::scopes::{grantable, SCOPES};
use crate::auth::CurrentUser;
use crate::db::schema::{api_tokens, users};
use crate::error::responses::{Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{page_limit, paginate, Cursor, JsonBody};
use crate::state::AppState;
use crate::users::domain::Role;
use crate::validate::Errors;
use utoipa_actix_web::service_config::ServiceConfig;

/// The API token routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_token).service(list_tokens).service(list_scopes).service(get_token).service(revoke_token);
}

const MAX_NAME: usize = 100;
const MAX_NETWORKS: usize = 50;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Gestión documental — radicación",
    "scopes": ["tickets:read", "tickets:write", "users:read"],
    "expires_at": "2027-12-31T23:59:59Z",
    "allowed_networks": ["10.20.0.0/16"]
}))]
pub struct CreateApiToken {
    /// What the token is for, e.g. `Gestión documental — radicación`.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// At least one of `tickets:read`, `tickets:write`, `catalog:read`, `catalog:write`,
    /// `kb:read`, `kb:write`, `reports:read`, `users:read`, `profile:read`, `profile:write`, `admin`; only
    /// those the acting user's role could use.
    #[schema(min_items = 1, example = json!(["tickets:read", "tickets:write"]))]
    pub scopes: Vec<String>,
    /// When the token stops working (in the future); none: until revoked.
    pub expires_at: Option<DateTime<Utc>>,
    /// Networks (CIDR, or single addresses) the token may be used from; empty: anywhere.
    #[schema(max_items = 50, example = json!(["10.20.0.0/16"]))]
    pub allowed_networks: Option<Vec<String>>,
    /// The user the token acts as (admins only; default: the caller).
    pub user_id: Option<Uuid>,
}

/// An API token as lists show it: never the secret, only its first characters.
#[derive(Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
pub struct ApiToken {
    #[schema(example = "0193a5ad-e8f9-7a0b-b61d-8192a3b4c5de")]
    pub id: Uuid,
    /// The user it acts as.
    #[schema(example = "0193a5ae-f90a-7b1c-872e-92a3b4c5d6ef")]
    pub user_id: Uuid,
    /// That user's display name.
    #[schema(example = "Integración Gestión Documental")]
    #[diesel(select_expression = users::display_name, select_expression_type = users::display_name)]
    pub user_name: String,
    #[schema(example = "0193a5ae-f90a-7b1c-872e-92a3b4c5d6ef")]
    pub created_by_id: Uuid,
    #[schema(example = "Gestión documental — radicación")]
    pub name: String,
    /// The token's first characters, e.g. `mesa_Ab3xYz9`.
    #[schema(example = "mesa_Ab3xYz9")]
    pub prefix: String,
    #[schema(example = json!(["tickets:read", "tickets:write", "users:read"]))]
    pub scopes: Vec<String>,
    #[schema(example = json!(["10.20.0.0/16"]))]
    pub allowed_networks: Vec<String>,
    #[schema(example = "2027-12-31T23:59:59Z")]
    pub expires_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-11-02T15:00:00Z")]
    pub created_at: DateTime<Utc>,
    /// Last use, to the minute.
    #[schema(example = "2026-12-03T15:40:00Z")]
    pub last_used_at: Option<DateTime<Utc>>,
    #[schema(example = "10.20.4.17")]
    pub last_used_address: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new token: `token` is shown this once and cannot be read again.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiToken {
    /// The secret for `Authorization: Bearer`.
    #[schema(example = "mesa_Ab3xYz9…")]
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(Serialize, ToSchema)]
pub struct ApiTokenPage {
    pub items: Vec<ApiToken>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ApiTokenListQuery {
    /// Only the tokens acting as this user (admins; others see only their own).
    #[param(example = "0193a5ae-f90a-7b1c-872e-92a3b4c5d6ef")]
    pub user_id: Option<Uuid>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Create an API token acting as the caller, or (admins) as another user. The answer holds the
/// secret, once.
#[utoipa::path(tag = "api tokens", security(("bearer_auth" = [])), request_body = CreateApiToken,
    responses((status = 201, description = "Created; `token` is shown only now", body = CreatedApiToken),
        Unauthenticated,
        (status = 403, description = "Another user's token by a non-admin, or a request made with an API token (tokens are created from a login)", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/api-tokens")]
pub async fn create_token(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateApiToken>) -> AppResult<HttpResponse> {
    // A token minting tokens would outlive its own expiry and networks.
    if user.via_api_token() {
        return Err(AppError::Forbidden);
    }
    let b = body.0;
    let acting_as = b.user_id.unwrap_or(user.0.id);
    if acting_as != user.0.id {
        user.require_admin()?;
    }
    let mut conn = state.pool.get().await?;
    let target: Option<(Role, bool)> = users::table.find(acting_as).select((users::role, users::active)).first(&mut conn).await.optional()?;
    let mut e = Errors::default();
    let name = e.text("name", &b.name, MAX_NAME);
    let role = match target {
        Some((role, true)) => Some(role),
        Some((_, false)) => {
            e.add("user_id", "inactive", "is a deactivated user");
            None
        }
        None => {
            e.add("user_id", "unknown_reference", "is not a user");
            None
        }
    };
    let scopes = check_scopes(&mut e, &b.scopes, role);
    let now = Utc::now();
    if b.expires_at.is_some_and(|at| at <= now) {
        e.add("expires_at", "in_the_past", "must be in the future");
    }
    let networks = check_networks(&mut e, b.allowed_networks.as_deref().unwrap_or_default());
    e.finish()?;
    let token = super::generate();
    let id: Uuid = diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::id.eq(Uuid::now_v7()),
            api_tokens::user_id.eq(acting_as),
            api_tokens::created_by_id.eq(user.0.id),
            api_tokens::name.eq(name),
            api_tokens::prefix.eq(super::shown_prefix(&token)),
            api_tokens::token_hash.eq(super::hash(&token)),
            api_tokens::scopes.eq(scopes),
            api_tokens::allowed_networks.eq(networks),
            api_tokens::expires_at.eq(b.expires_at),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::id)
        .get_result(&mut conn)
        .await?;
    let row = with_owner().filter(api_tokens::id.eq(id)).select(ApiToken::as_select()).first(&mut conn).await?;
    log::info!("api token {} created for user {} by {}", row.id, row.user_id, user.0.id);
    Ok(HttpResponse::Created().json(CreatedApiToken { token, api_token: row }))
}

/// The tokens with the user each acts as (`ApiToken::user_name`).
fn with_owner() -> diesel::dsl::InnerJoinOn<api_tokens::table, users::table, diesel::dsl::Eq<users::id, api_tokens::user_id>> {
    api_tokens::table.inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
}

/// Known scopes, each once, in the order of [`SCOPES`]; all grantable for `role` (when known).
fn check_scopes(e: &mut Errors, asked: &[String], role: Option<Role>) -> Vec<String> {
    if asked.is_empty() {
        e.add("scopes", "required", "must name at least one scope");
    }
    if let Some(unknown) = asked.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        let shown: String = unknown.chars().take(40).collect::<String>().replace('\0', "\\u0000");
        e.add("scopes", "invalid_choice", format!("'{shown}' is not one of {}", SCOPES.join(", ")));
    } else if let Some(role) = role {
        if let Some(denied) = asked.iter().find(|s| !grantable(role, s)) {
            e.add("scopes", "not_grantable", format!("'{denied}' is beyond what a user with the role {} may do", role.as_str()));
        }
    }
    SCOPES.iter().filter(|s| asked.iter().any(|a| a == *s)).map(|s| s.to_string()).collect()
}

/// Canonical CIDR blocks, each once.
fn check_networks(e: &mut Errors, asked: &[String]) -> Vec<String> {
    if asked.len() > MAX_NETWORKS {
        e.add("allowed_networks", "too_many", format!("must list at most {MAX_NETWORKS} networks"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, text) in asked.iter().enumerate() {
        match super::parse_network(text) {
            Some(net) if !out.contains(&net.to_string()) => out.push(net.to_string()),
            Some(_) => {}
            None => e.add(&format!("allowed_networks.{i}"), "invalid", "is not a network like 10.20.0.0/16 or an address"),
        }
    }
    out
}

/// The caller's API tokens, newest first; admins see everyone's, or one user's with `user_id`.
#[utoipa::path(tag = "api tokens", security(("bearer_auth" = [])), params(ApiTokenListQuery),
    responses((status = 200, body = ApiTokenPage),
        Unauthenticated,
        Invalid))]
#[get("/api-tokens")]
pub async fn list_tokens(state: web::Data<AppState>, user: CurrentUser, query: web::Query<ApiTokenListQuery>) -> AppResult<web::Json<ApiTokenPage>> {
    let q = query.into_inner();
    let limit = page_limit(q.limit)?;
    let after = q.cursor.as_deref().map(Cursor::decode_time).transpose()?;
    let mut select = with_owner().select(ApiToken::as_select()).into_boxed();
    if user.role() != Role::Admin {
        // A non-admin asking for someone else's sees their own, which are none of that user's.
        select = select.filter(api_tokens::user_id.eq(user.0.id));
    }
    if let Some(id) = q.user_id {
        select = select.filter(api_tokens::user_id.eq(id));
    }
    if let Some((at, id)) = after {
        select = select.filter(api_tokens::created_at.lt(at).or(api_tokens::created_at.eq(at).and(api_tokens::id.lt(id))));
    }
    let mut conn = state.pool.get().await?;
    let rows: Vec<ApiToken> = select.order((api_tokens::created_at.desc(), api_tokens::id.desc())).limit(limit + 1).load(&mut conn).await?;
    let (items, next_cursor) = paginate(rows, limit, |t| Cursor { key: t.created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), id: t.id });
    Ok(web::Json(ApiTokenPage { items, next_cursor }))
}

/// A scope, and whether the caller may put it on a token acting as them.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"scope": "reports:read", "grantable": false}))]
pub struct ScopeChoice {
    pub scope: &'static str,
    /// Their role allows it (`admin` for admins; `reports:read` and `catalog:write` for
    /// supervisors and admins; `users:read` for staff; the rest for everyone).
    pub grantable: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ScopeChoices {
    pub items: Vec<ScopeChoice>,
}

/// Every scope in the API's order, and which the caller may grant to a token of their own: a
/// token form offers these instead of repeating the rule.
#[utoipa::path(tag = "api tokens", security(("bearer_auth" = [])),
    responses((status = 200, body = ScopeChoices),
        Unauthenticated))]
#[get("/api-tokens/scopes")]
pub async fn list_scopes(user: CurrentUser) -> web::Json<ScopeChoices> {
    let items = SCOPES.iter().map(|&scope| ScopeChoice { scope, grantable: grantable(user.role(), scope) }).collect();
    web::Json(ScopeChoices { items })
}

/// The token, if the caller may see it (theirs; admins: any); 404 otherwise.
async fn visible(conn: &mut diesel_async::AsyncPgConnection, user: &CurrentUser, id: Uuid) -> AppResult<ApiToken> {
    let mut select = with_owner().filter(api_tokens::id.eq(id)).select(ApiToken::as_select()).into_boxed();
    if user.role() != Role::Admin {
        select = select.filter(api_tokens::user_id.eq(user.0.id));
    }
    select.first(conn).await.optional()?.ok_or(AppError::NotFound)
}

/// One API token (the caller's; admins: any).
#[utoipa::path(tag = "api tokens", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = ApiToken),
        Unauthenticated,
        NotFound))]
#[get("/api-tokens/{id}")]
pub async fn get_token(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<ApiToken>> {
    let mut conn = state.pool.get().await?;
    Ok(web::Json(visible(&mut conn, &user, id.into_inner()).await?))
}

/// Revoke an API token (the caller's; admins: any): it is refused from the next request on.
/// Revoking a revoked token changes nothing.
#[utoipa::path(tag = "api tokens", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Revoked"),
        Unauthenticated,
        NotFound))]
#[delete("/api-tokens/{id}")]
pub async fn revoke_token(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let token = visible(&mut conn, &user, id.into_inner()).await?;
    diesel::update(api_tokens::table.find(token.id).filter(api_tokens::revoked_at.is_null())).set(api_tokens::revoked_at.eq(diesel::dsl::now)).execute(&mut conn).await?;
    log::info!("api token {} revoked by {}", token.id, user.0.id);
    Ok(HttpResponse::NoContent().finish())
}
