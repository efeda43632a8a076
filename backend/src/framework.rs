//! What the API answers before or around a handler: unsupported methods (405 with `Allow`), NUL
//! characters in query strings, and a problem+json body for every error answer actix-web (or a
//! middleware) produces with a bare body.
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use crate::error::{AppError, PROBLEM_JSON};

/// The methods each API path answers, from the OpenAPI document the routes are registered with.
pub struct AllowedMethods(Vec<(ResourceDef, String)>);

impl AllowedMethods {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Arc<Self> {
        let paths = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let ops = [
                    ("GET", &item.get),
                    ("POST", &item.post),
                    ("PUT", &item.put),
                    ("PATCH", &item.patch),
                    ("DELETE", &item.delete),
                    ("OPTIONS", &item.options),
                    ("HEAD", &item.head),
                    ("TRACE", &item.trace),
                ];
                let allow: Vec<&str> = ops.iter().filter(|(_, op)| op.is_some()).map(|(m, _)| *m).collect();
                (ResourceDef::new(path.as_str()), allow.join(", "))
            })
            .collect();
        Arc::new(AllowedMethods(paths))
    }

    /// The `Allow` value of the API path `path` names, if any route has it.
    pub fn allow(&self, path: &str) -> Option<&str> {
        self.0.iter().find(|(def, _)| def.is_match(path)).map(|(_, allow)| allow.as_str())
    }
}

/// 422 naming the query parameter that holds a NUL character (Postgres text cannot).
pub async fn reject_nul_in_query(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(name) = nul_query_parameter(req.query_string()) {
        return Err(AppError::field(&name, "invalid_character", "must not contain the NUL character (U+0000)").into());
    }
    next.call(req).await
}

fn nul_query_parameter(query: &str) -> Option<String> {
    if !query.contains("%00") {
        return None;
    }
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0')).map(|(k, _)| k.replace('\0', "\\u0000"))
}

/// Gives error answers that carry no problem document one: a status from actix-web's routing
/// or a middleware (CORS, files) reaches clients in the same shape as the API's own errors.
pub async fn problem_bodies(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    let is_problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|ct| ct.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem || status == actix_web::http::StatusCode::NOT_MODIFIED {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let mut problem = AppError::Status(status).error_response();
    for (name, value) in res.headers() {
        if ![header::CONTENT_TYPE, header::CONTENT_LENGTH, header::CONTENT_ENCODING].contains(name) {
            problem.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(req, problem))
}

/// 405 for a method the API path does not answer, 404 for a path no route has.
pub fn unrouted_api_request(method: &Method, path: &str, allowed: &AllowedMethods) -> HttpResponse {
    match allowed.allow(path) {
        Some(allow) if !allow.split(", ").any(|m| m == method.as_str()) => {
            let mut res = AppError::MethodNotAllowed.error_response();
            res.headers_mut().insert(header::ALLOW, header::HeaderValue::from_str(allow).expect("method names are ASCII"));
            res
        }
        _ => AppError::NotFound.error_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_in_query_names_the_parameter() {
        assert_eq!(nul_query_parameter("q=abc&limit=5"), None);
        assert_eq!(nul_query_parameter("q=a%00b&limit=5").as_deref(), Some("q"));
        assert_eq!(nul_query_parameter("limit=5&x%00=1").as_deref(), Some("x\\u0000"));
        assert_eq!(nul_query_parameter("q=%2500"), None, "an encoded percent sign is text");
    }

    #[test]
    fn allowed_methods_come_from_the_document() {
        let allowed = AllowedMethods::from_openapi(&crate::startup::openapi());
        assert_eq!(allowed.allow("/api/v1/tickets/12"), Some("GET, PATCH"));
        assert_eq!(allowed.allow("/api/v1/tickets"), Some("GET, POST"));
        assert_eq!(allowed.allow("/api/v1/nothing"), None);
        let res = unrouted_api_request(&Method::TRACE, "/api/v1/tickets", &allowed);
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers().get(header::ALLOW).unwrap(), "GET, POST");
        assert_eq!(unrouted_api_request(&Method::GET, "/api/v1/nothing", &allowed).status(), 404);
    }
}
