use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders, Logger};
use actix_web::{web, App, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::AppError;
use crate::framework::{self, AllowedMethods};
use crate::openapi::ApiDoc;
use crate::state::AppState;
use crate::{
    api_tokens, auth, catalog, desks, groups, health, http, imports, jobs, kb, mailbox, notify, organizations, reports, sla, supervision, surveys, tickets, users, webhooks,
};

/// Every API route, registered through utoipa so each one lands in the OpenAPI document. Each
/// feature lists its own routes.
fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(health::configure)
        .configure(auth::routes::configure)
        .configure(users::routes::configure)
        .configure(organizations::routes::configure)
        .configure(imports::routes::configure)
        .configure(desks::routes::configure)
        .configure(mailbox::configure)
        .configure(groups::routes::configure)
        .configure(catalog::routes::configure)
        .configure(supervision::configure)
        .configure(reports::configure)
        .configure(tickets::configure)
        .configure(sla::routes::configure)
        .configure(surveys::configure)
        .configure(kb::configure)
        .configure(jobs::routes::configure)
        .configure(notify::configure)
        .configure(webhooks::configure)
        .configure(api_tokens::routes::configure);
}

/// The OpenAPI document, as `mesa openapi` prints it and `/api/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new().into_utoipa_app().openapi(ApiDoc::openapi()).service(scope("/api/v1").configure(api_routes)).split_for_parts();
    crate::openapi::complete(api)
}

fn security_headers(public_https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=()"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            // Inline styles: Mantine and Swagger UI inject them; scripts only from our origin.
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; \
             connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ));
    if public_https {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |c, o| c.allowed_origin(o))
        .allowed_methods(["GET", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH, header::ACCEPT_LANGUAGE])
        .allowed_header("Idempotency-Key")
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION])
        .expose_headers(["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"])
        .max_age(3600)
}

/// API requests no route took answer 405 or 404 (problem+json); anything else is the SPA's
/// (client-side routes).
async fn fallback(req: ServiceRequest, spa_index: Option<PathBuf>, allowed: Arc<AllowedMethods>) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let is_api = req.path().starts_with("/api/") || req.path() == "/api";
    let response = match spa_index {
        Some(index) if !is_api && req.method() == actix_web::http::Method::GET => actix_files::NamedFile::open_async(index).await?.into_response(&req),
        _ if is_api => framework::unrouted_api_request(req.method(), req.path(), &allowed),
        _ => actix_web::ResponseError::error_response(&AppError::NotFound),
    };
    Ok(ServiceResponse::new(req, response))
}

pub fn build_server(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let config = state.config.clone();
    let spa_dir = config.spa_dir.clone().filter(|d| d.join("index.html").is_file());
    match (&config.spa_dir, &spa_dir) {
        (Some(d), None) => log::warn!("MESA_SPA_DIR={} has no index.html: serving the API only", d.display()),
        (_, Some(d)) => log::info!("serving the SPA from {}", d.display()),
        _ => {}
    }
    let public_https = config.public_url.scheme() == "https";
    // One document for the server: the docs page serves it, 405s take their `Allow` from it.
    let api_doc = openapi();
    let allowed = AllowedMethods::from_openapi(&api_doc);
    let scopes = web::Data::new(api_tokens::auth::OperationScopes::from_openapi(&api_doc));
    // One set of limits for every worker.
    let limits = web::Data::new(crate::rate_limit::RateLimits::new(config.rate_limit_per_token, config.rate_limit_per_address));
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let (app, _) = App::new().into_utoipa_app().openapi(ApiDoc::openapi()).service(scope("/api/v1").configure(api_routes)).split_for_parts();
        let spa_index = spa_dir.as_ref().map(|d| d.join("index.html"));
        let worker_state = match data.worker_pool_size {
            Some(size) => web::Data::new(AppState { pool: crate::db::connect(&data.config.database_url, size), ..AppState::clone(&data) }),
            None => data.clone(),
        };
        let mut app = app
            .app_data(worker_state)
            .app_data(scopes.clone())
            .app_data(limits.clone())
            .app_data(web::PayloadConfig::new(http::JSON_LIMIT))
            .app_data(web::QueryConfig::default().error_handler(|e, _| AppError::BadRequest(format!("query string: {e}")).into()))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api_doc.clone()))
            .service(web::redirect("/api/docs", "/api/docs/"));
        if let Some(dir) = &spa_dir {
            let (index, allowed) = (spa_index.clone(), allowed.clone());
            app = app.service(
                actix_files::Files::new("/", dir).index_file("index.html").prefer_utf8(true).default_handler(fn_service(move |req| fallback(req, index.clone(), allowed.clone()))),
            );
        }
        let allowed = allowed.clone();
        app.default_service(fn_service(move |req| fallback(req, spa_index.clone(), allowed.clone())))
            .wrap(from_fn(framework::reject_nul_in_query))
            // API tokens and their scopes, before any extractor reads the path, query or body.
            .wrap(from_fn(api_tokens::auth::authenticate))
            // JSON answers are compressed in place; Compress is left the streamed ones (files).
            .wrap(from_fn(crate::gzip::gzip_in_place))
            .wrap(Compress::default())
            .wrap(from_fn(crate::rate_limit::limit))
            .wrap(cors(&config.cors_origins))
            .wrap(from_fn(framework::problem_bodies))
            .wrap(security_headers(public_https))
            // Path only: query strings and headers may carry secrets, so they are never logged;
            // nor are survey links' tokens, which are credentials.
            .wrap(
                Logger::new("%{r}a \"%{method}xi %{path}xi\" %s %b %Dms")
                    .custom_request_replace("method", |req| req.method().to_string())
                    .custom_request_replace("path", |req| crate::surveys::token::redact_path(req.path()).into_owned()),
            )
    })
    // Nagle's algorithm held the last chunk of compressed answers for the client's delayed ACK
    // (~40 ms on every response; tests/bench/README.md).
    .tcp_nodelay(true)
    .listen(listener)?
    .run();
    Ok(server)
}
