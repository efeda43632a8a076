use actix_web::{get, web, HttpResponse};
use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;
use utoipa_actix_web::service_config::ServiceConfig;

/// The health routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health).service(ready);
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "version": "0.1.0"}))]
pub struct Health {
    /// `ok`
    pub status: String,
    pub version: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"status": "ready", "migration": "20261203000029"}))]
pub struct Readiness {
    /// `ready`
    pub status: String,
    /// Newest migration applied to the database.
    pub migration: String,
}

/// The process is up (no dependency is checked).
#[utoipa::path(tag = "health", responses((status = 200, body = Health)))]
#[get("/health")]
pub async fn health() -> web::Json<Health> {
    web::Json(Health { status: "ok".into(), version: env!("CARGO_PKG_VERSION").into() })
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    version: Option<String>,
}

/// Ready to serve: the database answers and has every migration this binary knows.
#[utoipa::path(tag = "health", responses(
    (status = 200, body = Readiness),
    (status = 503, description = "Database unreachable or migrations pending", body = Problem, content_type = "application/problem+json")))]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let applied: Version = diesel::sql_query("SELECT max(version) AS version FROM __diesel_schema_migrations")
        .get_result(&mut conn)
        .await
        .map_err(|e| AppError::Unavailable { code: "migrations_pending", detail: format!("no migrations applied: {e}") })?;
    let expected = db::latest_migration_version();
    match applied.version {
        Some(v) if v == expected => Ok(HttpResponse::Ok().json(Readiness { status: "ready".into(), migration: v })),
        other => Err(AppError::Unavailable {
            code: "migrations_pending",
            detail: format!("database is at {}, this binary needs {expected}; run `mesa migrate`", other.unwrap_or_else(|| "none".into())),
        }),
    }
}
