//! API tokens at the door: a middleware that, for a `mesa_…` bearer token on an operation that
//! needs authentication, loads the token and its user in one query, refuses a revoked, expired,
//! out-of-network or deactivated one (401) and one without the operation's scope (403), before
//! any handler reads a path, query or body. The `CurrentUser` extractor then takes the caller it
//! left in the request.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::scopes::SCOPES;
use crate::auth::{bearer_token, CurrentUser, Memberships, INVALID_TOKEN};
use crate::db::schema::{api_tokens, users};
use crate::error::AppError;
use crate::state::AppState;
use crate::users::domain::UserRow;

/// The security scheme API tokens are declared under in the OpenAPI document.
pub const SCHEME: &str = "api_token";

/// How often a token's `last_used_at` is written at most: a write per request would cost more
/// than the check itself.
const LAST_USE_RESOLUTION_SECS: i64 = 60;

/// The scope each operation needs, read from the OpenAPI document (method, path as declared).
/// Public operations are absent.
pub struct OperationScopes(HashMap<(Method, String), &'static str>);

impl OperationScopes {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Arc<Self> {
        let mut map = HashMap::new();
        for (path, item) in &api.paths.paths {
            let ops = [(Method::GET, &item.get), (Method::POST, &item.post), (Method::PUT, &item.put), (Method::PATCH, &item.patch), (Method::DELETE, &item.delete)];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let scope = declared_scope(op);
                if let Some(scope) = scope {
                    if method == Method::GET {
                        map.insert((Method::HEAD, path.clone()), scope);
                    }
                    map.insert((method, path.clone()), scope);
                }
            }
        }
        Arc::new(OperationScopes(map))
    }

    /// The scope of the operation the route `pattern` (as actix-web names it) and `method` reach.
    pub fn required(&self, method: &Method, pattern: &str) -> Option<&'static str> {
        self.0.get(&(method.clone(), document_path(pattern))).copied()
    }
}

/// The scope the document's `api_token` requirement names (see `openapi::ApiTokenScopes`).
pub fn declared_scope(op: &utoipa::openapi::path::Operation) -> Option<&'static str> {
    let requirements = serde_json::to_value(op.security.as_ref()?).ok()?;
    let name = serde_json::Value::as_array(&requirements)?.iter().find_map(|r| Some(serde_json::Value::as_array(r.get(SCHEME)?)?.iter().next()?.as_str()?.to_owned()))?;
    SCOPES.iter().copied().find(|s| *s == name)
}

/// A route pattern as the document writes it: `{id:[0-9]+}` → `{id}`.
fn document_path(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_param = false;
    let mut skipping = false;
    for c in pattern.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push(c);
            }
            '}' if in_param => {
                in_param = false;
                skipping = false;
                out.push(c);
            }
            ':' if in_param => skipping = true,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = api_tokens, check_for_backend(diesel::pg::Pg))]
struct TokenRow {
    id: Uuid,
    scopes: Vec<String>,
    allowed_networks: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

type TokenCaller = (TokenRow, UserRow, Vec<Uuid>, Vec<Uuid>, i64);

/// The token and the caller in one query: the same columns `auth::caller` reads, joined.
async fn load(state: &AppState, hash: &[u8]) -> Result<Option<TokenCaller>, AppError> {
    use crate::db::{current_reference_generation, user_group_ids, user_supervised_desk_ids};
    let mut conn = state.pool.get().await?;
    Ok(api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .select((TokenRow::as_select(), UserRow::as_select(), user_group_ids(users::id), user_supervised_desk_ids(users::id), current_reference_generation()))
        .first(&mut conn)
        .await
        .optional()?)
}

/// Whether a token may act now from `ip`; `Err` says no with the same answer for every reason, so
/// a stolen token's holder learns nothing of why it stopped working.
fn usable(token: &TokenRow, user: &UserRow, ip: Option<IpAddr>, now: DateTime<Utc>) -> Result<(), AppError> {
    let live = token.revoked_at.is_none() && token.expires_at.is_none_or(|at| at > now);
    if live && user.active && super::allowed_from(&token.allowed_networks, ip) {
        Ok(())
    } else {
        Err(INVALID_TOKEN)
    }
}

/// Refusals are answered here rather than returned as errors, so outer layers (the rate limiter's
/// header fields) see them as answers.
pub async fn authenticate(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let (req, refusal) = match check(req).await {
        Ok(req) => return Ok(next.call(req).await?.map_into_left_body()),
        Err(refused) => refused,
    };
    Ok(req.into_response(refusal.error_response()).map_into_right_body())
}

/// The request, with the API token's caller in its extensions when there is one; or the request
/// and why it is refused.
async fn check(req: ServiceRequest) -> Result<ServiceRequest, (ServiceRequest, AppError)> {
    let Some(token) = bearer_token(req.headers()).filter(|t| t.starts_with(super::TOKEN_PREFIX)) else {
        return Ok(req);
    };
    let needed = match (req.app_data::<web::Data<Arc<OperationScopes>>>(), req.match_pattern()) {
        (Some(scopes), Some(pattern)) => scopes.required(req.method(), &pattern),
        _ => None,
    };
    // A public operation or no route: the handler (or the 404/405) answers as without a token.
    let Some(needed) = needed else { return Ok(req) };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err((req, AppError::Internal(anyhow::anyhow!("AppState not registered"))));
    };
    if !super::looks_like_token(&token) {
        return Err((req, INVALID_TOKEN));
    }
    let hash = super::hash(&token);
    // As for login tokens: the first statement is a read, tried once more on a fresh connection.
    let found = match load(&state, &hash).await {
        Err(AppError::Unavailable { code: "database_unavailable", .. }) => load(&state, &hash).await,
        other => other,
    };
    let found = match found {
        Ok(Some(found)) => found,
        Ok(None) => return Err((req, INVALID_TOKEN)),
        Err(e) => return Err((req, e)),
    };
    let (row, user, group_ids, supervised_desk_ids, reference_generation) = found;
    let address = crate::auth::routes::client_ip(req.request(), &state);
    let ip = address.as_deref().and_then(parse_ip);
    let now = Utc::now();
    if let Err(e) = usable(&row, &user, ip, now) {
        return Err((req, e));
    }
    if !row.scopes.iter().any(|s| s == needed) {
        return Err((req, AppError::InsufficientScope { scope: needed }));
    }
    if row.last_used_at.is_none_or(|at| (now - at).num_seconds() >= LAST_USE_RESOLUTION_SECS) {
        if let Err(e) = record_use(&state, row.id, address).await {
            return Err((req, e));
        }
    }
    let memberships = Memberships { group_ids, supervised_desk_ids, reference_generation, api_token_id: Some(row.id) };
    req.extensions_mut().insert(CurrentUser(user, memberships));
    Ok(req)
}

/// `10.0.0.1`, `::1` or (from some proxies) `10.0.0.1:51234`.
fn parse_ip(text: &str) -> Option<IpAddr> {
    text.parse::<IpAddr>().ok().or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
}

/// Writes the last use unless a parallel request just did.
async fn record_use(state: &AppState, id: Uuid, address: Option<String>) -> Result<(), AppError> {
    let mut conn = state.pool.get().await?;
    let stale = chrono::Utc::now() - chrono::Duration::seconds(LAST_USE_RESOLUTION_SECS);
    diesel::update(api_tokens::table.find(id).filter(api_tokens::last_used_at.is_null().or(api_tokens::last_used_at.lt(stale))))
        .set((api_tokens::last_used_at.eq(diesel::dsl::now), api_tokens::last_used_address.eq(address)))
        .execute(&mut conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_patterns_read_as_document_paths() {
        assert_eq!(document_path("/api/v1/tickets/{number}"), "/api/v1/tickets/{number}");
        assert_eq!(document_path("/api/v1/files/{id:[0-9]+}/x"), "/api/v1/files/{id}/x");
    }

    #[test]
    fn every_secured_operation_declares_a_scope() {
        let api = crate::startup::openapi();
        let scopes = OperationScopes::from_openapi(&api);
        assert_eq!(scopes.required(&Method::GET, "/api/v1/tickets"), Some("tickets:read"));
        assert_eq!(scopes.required(&Method::HEAD, "/api/v1/tickets"), Some("tickets:read"));
        assert_eq!(scopes.required(&Method::POST, "/api/v1/tickets/{number}/take"), Some("tickets:write"));
        assert_eq!(scopes.required(&Method::GET, "/api/v1/users"), Some("users:read"));
        assert_eq!(scopes.required(&Method::PATCH, "/api/v1/users/{id}"), Some("admin"));
        assert_eq!(scopes.required(&Method::POST, "/api/v1/auth/login"), None, "public");
        for (path, item) in &api.paths.paths {
            for op in [&item.get, &item.post, &item.put, &item.patch, &item.delete].into_iter().flatten() {
                let public = op.security.as_ref().is_none_or(|s| s.is_empty());
                assert_eq!(declared_scope(op).is_some(), !public, "{path} {:?}", op.operation_id);
            }
        }
    }

    #[test]
    fn unusable_tokens_are_refused_alike() {
        let now = Utc::now();
        let token = |f: &dyn Fn(&mut TokenRow)| {
            let mut t = TokenRow { id: Uuid::nil(), scopes: vec!["tickets:read".into()], allowed_networks: vec![], expires_at: None, last_used_at: None, revoked_at: None };
            f(&mut t);
            t
        };
        use crate::users::domain::{AuthSource, Role};
        let user = UserRow {
            id: Uuid::nil(),
            username: "api.integracion".into(),
            display_name: "Integración".into(),
            email: None,
            phone: None,
            role: Role::Agent,
            auth_source: AuthSource::Local,
            password_hash: None,
            directory_dn: None,
            active: true,
            locale: "es-CO".into(),
            organization_id: None,
            area_id: None,
            location_id: None,
            last_login_at: None,
            created_at: now,
            updated_at: now,
            version: 1,
            absent_until: None,
            absence_note: None,
            token_generation: 0,
            identity_number: None,
        };
        let ip = parse_ip("10.1.2.3");
        assert!(usable(&token(&|_| {}), &user, ip, now).is_ok());
        assert!(usable(&token(&|t| t.expires_at = Some(now + chrono::Duration::seconds(5))), &user, ip, now).is_ok());
        assert!(usable(&token(&|t| t.expires_at = Some(now)), &user, ip, now).is_err(), "expired at this instant");
        assert!(usable(&token(&|t| t.revoked_at = Some(now)), &user, ip, now).is_err());
        assert!(usable(&token(&|t| t.allowed_networks = vec!["10.1.0.0/16".into()]), &user, ip, now).is_ok());
        assert!(usable(&token(&|t| t.allowed_networks = vec!["10.2.0.0/16".into()]), &user, ip, now).is_err());
        let inactive = UserRow { active: false, ..user };
        assert!(usable(&token(&|_| {}), &inactive, ip, now).is_err());
        assert_eq!(parse_ip("10.0.0.1:5123"), parse_ip("10.0.0.1"));
    }
}
