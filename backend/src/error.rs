//! One error type for the whole API, rendered as `application/problem+json` (RFC 9457).
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document. `code` is stable and meant for programs; `title` and `detail` for people.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/validation_failed",
    "title": "The request has invalid fields",
    "status": 422,
    "code": "validation_failed",
    "detail": "subject: must not be empty",
    "errors": [{"field": "subject", "code": "required", "message": "must not be empty"}]
}))]
pub struct Problem {
    /// URI reference naming the problem type (`/problems/<code>`).
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code, e.g. `validation_failed`, `invalid_credentials`.
    pub code: String,
    /// Field-level problems, for validation errors.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
    /// Actions allowed in the current state, for conflicts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_actions: Option<Vec<String>>,
}

/// One invalid field: `field` is a JSON path such as `username` or `attributes.0.label`.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"field": "subject", "code": "required", "message": "must not be empty"}))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("malformed request: {0}")]
    BadRequest(String),
    #[error("authentication required")]
    Unauthenticated { code: &'static str, detail: &'static str },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {detail}")]
    Conflict { code: &'static str, detail: String, allowed_actions: Option<Vec<String>> },
    #[error("precondition failed")]
    PreconditionFailed,
    /// The resource existed and is over for good (an expired or withdrawn survey).
    #[error("gone: {detail}")]
    Gone { code: &'static str, detail: String },
    #[error("payload too large")]
    PayloadTooLarge(String),
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Over the requests allowed per minute for this token or address (`rate_limit`).
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// An API token without the scope the operation needs.
    #[error("insufficient scope: {scope}")]
    InsufficientScope { scope: &'static str },
    #[error("service unavailable: {detail}")]
    Unavailable { code: &'static str, detail: String },
    #[error("method not allowed")]
    MethodNotAllowed,
    /// An error status produced outside the handlers (routing, middleware), given a problem body.
    #[error("HTTP {0}")]
    Status(StatusCode),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn database_unavailable() -> Self {
        AppError::Unavailable { code: "database_unavailable", detail: "The database is not reachable; try again shortly".into() }
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        AppError::Conflict { code, detail: detail.into(), allowed_actions: None }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthenticated { code, .. } => code,
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict { code, .. } => code,
            AppError::PreconditionFailed => "version_mismatch",
            AppError::Gone { code, .. } => code,
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::TooManyAttempts { .. } => "too_many_attempts",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::InsufficientScope { .. } => "insufficient_scope",
            AppError::Unavailable { code, .. } => code,
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Status(status) => status_code_name(*status),
            AppError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "The request has invalid fields",
            AppError::BadRequest(_) => "The request is malformed",
            AppError::Unauthenticated { .. } => "Authentication failed",
            AppError::Forbidden => "You may not do this",
            AppError::NotFound => "Not found",
            AppError::Conflict { .. } => "Conflict with the current state",
            AppError::PreconditionFailed => "The resource changed since you read it",
            AppError::Gone { .. } => "No longer available",
            AppError::PayloadTooLarge(_) => "The request is too large",
            AppError::TooManyAttempts { .. } => "Too many attempts",
            AppError::RateLimited { .. } => "Too many requests",
            AppError::InsufficientScope { .. } => "The API token lacks a scope this operation needs",
            AppError::Unavailable { .. } => "Service unavailable",
            AppError::MethodNotAllowed => "This resource does not answer that method",
            AppError::Status(status) => status.canonical_reason().unwrap_or("Error"),
            AppError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            AppError::Validation(errors) => Some(errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")),
            AppError::BadRequest(d) | AppError::PayloadTooLarge(d) => Some(d.clone()),
            AppError::Unauthenticated { detail, .. } => Some((*detail).to_owned()),
            AppError::Conflict { detail, .. } | AppError::Unavailable { detail, .. } | AppError::Gone { detail, .. } => Some(detail.clone()),
            AppError::TooManyAttempts { retry_after_secs } | AppError::RateLimited { retry_after_secs } => Some(format!("Try again in {retry_after_secs} seconds")),
            AppError::InsufficientScope { scope } => Some(format!("This operation needs the scope `{scope}`")),
            AppError::PreconditionFailed => Some("Reload the resource and apply your change again".into()),
            AppError::MethodNotAllowed => Some("The Allow header lists the methods it answers".into()),
            AppError::Forbidden | AppError::NotFound | AppError::Status(_) | AppError::Internal(_) => None,
        }
    }

    pub fn problem(&self) -> Problem {
        let code = self.code();
        Problem {
            type_: format!("/problems/{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: code.to_owned(),
            errors: match self {
                AppError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            allowed_actions: match self {
                AppError::Conflict { allowed_actions, .. } => allowed_actions.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            AppError::Gone { .. } => StatusCode::GONE,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyAttempts { .. } | AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::InsufficientScope { .. } => StatusCode::FORBIDDEN,
            AppError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Status(status) => *status,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            log::error!("internal error: {e:#}");
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            AppError::TooManyAttempts { retry_after_secs } | AppError::RateLimited { retry_after_secs } => {
                builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // The pool opens a new connection on the next request: a second is enough.
            AppError::Unavailable { code: "database_unavailable", .. } => {
                builder.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        match self {
            AppError::Unauthenticated { .. } => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            // RFC 6750 §3.1: the scope the token would need.
            AppError::InsufficientScope { scope } => {
                builder.insert_header((header::WWW_AUTHENTICATE, format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\"")));
            }
            _ => {}
        }
        builder.body(serde_json::to_string(&self.problem()).expect("problem serializes"))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::conflict("already_exists", format!("already exists ({})", info.constraint_name().unwrap_or("unique")))
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => AppError::Validation(vec![FieldError::new(
                foreign_key_field(info.constraint_name()),
                "unknown_reference",
                "refers to something that does not exist or is still in use",
            )]),
            e if is_connection_loss(&e) => {
                log::warn!("database connection lost: {e}");
                AppError::database_unavailable()
            }
            other => AppError::Internal(other.into()),
        }
    }
}

/// The connection broke or the server is going down or starting up: the request can be tried
/// again shortly. (diesel-async keeps no SQLSTATE for these, only the server's message.)
fn is_connection_loss(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    const SERVER_GOING_AWAY: [&str; 5] = [
        "terminating connection",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "server closed the connection",
    ];
    match e {
        Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand | DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(_, info) => SERVER_GOING_AWAY.iter().any(|m| info.message().starts_with(m)),
        Error::BrokenTransactionManager => true,
        Error::RollbackErrorOnCommit { rollback_error, .. } => is_connection_loss(rollback_error),
        _ => false,
    }
}

/// The stable code of an error status that reached no handler.
fn status_code_name(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        411 => "length_required",
        410 => "gone",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        428 => "precondition_required",
        431 => "request_header_fields_too_large",
        500 => "internal_error",
        503 => "service_unavailable",
        _ if status.is_client_error() => "client_error",
        _ => "server_error",
    }
}

/// `users_area_id_fkey` → `area_id`: Postgres names foreign keys `<table>_<column>_fkey`.
fn foreign_key_field(constraint: Option<&str>) -> String {
    let Some(name) = constraint.and_then(|c| c.strip_suffix("_fkey")) else { return "id".into() };
    for column in ["organization_id", "area_id", "location_id", "user_id", "sla_policy_id", "calendar_id", "group_id"] {
        if name.ends_with(column) {
            return column.into();
        }
    }
    name.to_owned()
}

impl From<diesel_async::pooled_connection::bb8::RunError> for AppError {
    fn from(e: diesel_async::pooled_connection::bb8::RunError) -> Self {
        log::warn!("database pool: {e}");
        AppError::database_unavailable()
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_key_names_map_to_fields() {
        assert_eq!(foreign_key_field(Some("users_area_id_fkey")), "area_id");
        assert_eq!(foreign_key_field(Some("areas_organization_id_fkey")), "organization_id");
        assert_eq!(foreign_key_field(None), "id");
    }

    #[test]
    fn validation_problem_lists_fields() {
        let p = AppError::field("username", "required", "is required").problem();
        assert_eq!(p.status, 422);
        assert_eq!(p.code, "validation_failed");
        assert_eq!(p.errors[0].field, "username");
        assert_eq!(p.type_, "/problems/validation_failed");
    }
}

/// The problem answers routes declare in their OpenAPI `responses(...)`, one type per kind, so
/// each is described once. A route declares only the kinds it can answer; `openapi::complete`
/// adds what every route may answer (400, 401, 404 on paths, 413, 422, 503) where missing.
#[allow(dead_code)]
pub mod responses {
    use super::Problem;

    #[derive(utoipa::IntoResponses)]
    pub enum Unauthenticated {
        /// Missing, invalid or expired access token (`invalid_token`).
        #[response(status = 401, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum Forbidden {
        /// The caller's role may not do this (`forbidden`).
        #[response(status = 403, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum NotFound {
        /// No such resource, or one the caller may not see (`not_found`).
        #[response(status = 404, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum Conflict {
        /// The change conflicts with what is stored; `code` says how.
        #[response(status = 409, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum Gone {
        /// Over for good; `code` says why (e.g. `survey_expired`).
        #[response(status = 410, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum TooMany {
        /// Too many requests from this address or for this resource; `Retry-After` says when to
        /// try again (`too_many_attempts`).
        #[response(status = 429, content_type = "application/problem+json", headers(("Retry-After" = u64)))]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum Stale {
        /// `If-Match` names an older version: read the resource again and retry (`version_mismatch`).
        #[response(status = 412, content_type = "application/problem+json")]
        Problem(Problem),
    }

    #[derive(utoipa::IntoResponses)]
    pub enum Invalid {
        /// A field or query parameter is invalid; `errors` names each one (`validation_failed`).
        #[response(status = 422, content_type = "application/problem+json")]
        Problem(Problem),
    }
}
