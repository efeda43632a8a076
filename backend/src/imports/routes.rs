use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::csv_file::{self, Table, MAX_BYTES};
use super::domain::*;
use super::queries;
use crate::auth::CurrentUser;
use crate::error::responses::{Conflict, Forbidden, Unauthenticated};
use crate::error::{AppError, AppResult, FieldError, Problem, PROBLEM_JSON};
use crate::state::AppState;
use crate::users::domain::normalize_username;
use utoipa_actix_web::service_config::ServiceConfig;

/// The import routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_organizations).service(import_areas).service(import_users);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true` (the default): report what would change and write nothing. `false`: apply the
    /// whole file in one transaction, or nothing if any row has an error.
    #[param(example = json!(true))]
    pub dry_run: Option<bool>,
}

/// An apply refused because rows have errors (`import_rejected`): nothing was written. `errors`
/// lists every row's problems (message prefixed by the line); `report` is the full report.
#[derive(Serialize, ToSchema)]
pub struct ImportProblem {
    #[serde(flatten)]
    pub problem: Problem,
    /// Present on `import_rejected`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ImportReport>,
}

/// The body as text: `text/csv` (or `text/plain`, `application/csv`, and the
/// `application/vnd.ms-excel` browsers send for `.csv` on Windows), at most `MAX_BYTES`.
async fn read_csv(req: &HttpRequest, payload: web::Payload) -> AppResult<String> {
    let essence = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    if !matches!(essence.as_deref(), Some("text/csv" | "text/plain" | "application/csv" | "application/vnd.ms-excel")) {
        return Err(AppError::BadRequest("Content-Type must be text/csv".into()));
    }
    let bytes = payload.to_bytes_limited(MAX_BYTES).await.map_err(|_| AppError::PayloadTooLarge(format!("the file exceeds {MAX_BYTES} bytes; split it")))?;
    let bytes = bytes.map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
    csv_file::decode(&bytes)
}

/// Plans the file against what is stored and, unless it is a dry run or a row has errors,
/// writes it, all in one transaction. Applies take a lock so that concurrent uploads of the
/// same file do not both create its rows; dry runs run read-only and take none.
async fn run(state: &AppState, user: &CurrentUser, kind: ImportKind, table: Table, dry_run: bool) -> AppResult<HttpResponse> {
    let importer = user.0.id;
    let mut conn = state.pool.get().await?;
    let report = conn
        .transaction(async move |conn| -> Result<ImportReport, AppError> {
            if dry_run {
                queries::read_only(conn).await?;
            } else {
                queries::lock_imports(conn).await?;
            }
            let orgs = queries::organizations(conn).await?;
            macro_rules! finish {
                ($plan:expr, $write:path) => {{
                    let plan = $plan;
                    let mut report = ImportReport::new(kind, dry_run, plan.rows);
                    if !dry_run && report.totals.error == 0 {
                        $write(conn, &plan.writes).await?;
                        report.applied = true;
                    }
                    Ok(report)
                }};
            }
            match kind {
                ImportKind::Organizations => finish!(plan_organizations(&table, &orgs), queries::write_organizations),
                ImportKind::Areas => {
                    let areas = queries::areas(conn).await?;
                    finish!(plan_areas(&table, &orgs, &areas), queries::write_areas)
                }
                ImportKind::Users => {
                    let areas = queries::areas(conn).await?;
                    let usernames: Vec<String> = table.records.iter().filter_map(|r| r.get("username")).map(normalize_username).collect();
                    let emails: Vec<String> = table.records.iter().filter_map(|r| r.get("email")).map(str::to_lowercase).collect();
                    let users = queries::users_named(conn, &usernames).await?;
                    let owners = queries::email_owners(conn, &emails).await?;
                    let cx = UserContext { orgs: &orgs, areas: &areas, users: &users, emails: &owners, importer };
                    finish!(plan_users(&table, &cx), queries::write_users)
                }
            }
        })
        .await?;
    if !dry_run && !report.applied {
        let errors: Vec<FieldError> =
            report.rows.iter().flat_map(|r| r.errors.iter().map(move |e| FieldError::new(e.field.clone(), e.code.clone(), format!("line {}: {}", r.line, e.message)))).collect();
        let mut problem = AppError::Validation(errors).problem();
        problem.code = "import_rejected".into();
        problem.type_ = "/problems/import_rejected".into();
        problem.title = "Some rows cannot be imported; nothing was written".into();
        problem.detail = Some(format!("{} of {} rows have errors; fix them and send the file again", report.totals.error, report.totals.rows));
        return Ok(HttpResponse::UnprocessableEntity().content_type(PROBLEM_JSON).json(ImportProblem { problem, report: Some(report) }));
    }
    Ok(HttpResponse::Ok().json(report))
}

async fn handle(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
    kind: ImportKind,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let text = read_csv(&req, payload).await?;
    let columns = match kind {
        ImportKind::Organizations => ORGANIZATION_COLUMNS,
        ImportKind::Areas => AREA_COLUMNS,
        ImportKind::Users => USER_COLUMNS,
    };
    let table = csv_file::parse(&text, columns)?;
    run(&state, &user, kind, table, query.dry_run.unwrap_or(true)).await
}

/// Import organizations from CSV (admins)
///
/// Columns: `name` (nombre, organización, entidad;
/// required, the key), `short_name` (código, sigla), `active` (activo). An organization is
/// matched by name regardless of case and accents; its name is never changed by an import.
#[utoipa::path(tag = "imports", security(("bearer_auth" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The file: a header row, then one organization per row; `,` or `;` separated; UTF-8 (BOM optional), UTF-16 with BOM, or Windows-1252", example = "nombre;sigla;activo\nSecretaría de Hacienda;SHAC;sí\n"),
    responses((status = 200, description = "What the import did, or would do (dry run)", body = ImportReport),
        Unauthenticated,
        Forbidden,
        (status = 409, description = "A row was created elsewhere meanwhile (`already_exists`): send the file again", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file exceeds 4 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read (`validation_failed`: empty, unknown or missing column, too many rows, bad encoding; `field` names the header), or an apply refused because rows have errors (`import_rejected`, with the report)", body = ImportProblem, content_type = "application/problem+json")))]
#[post("/imports/organizations")]
pub async fn import_organizations(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    handle(state, user, req, query, payload, ImportKind::Organizations).await
}

/// Import areas from CSV (admins)
///
/// Columns: `organization` (organización, entidad; its name or
/// short name; required), `name` (nombre, área, dependencia; required), `active` (activo). An
/// area is matched by organization and name regardless of case and accents.
#[utoipa::path(tag = "imports", security(("bearer_auth" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The file: a header row, then one area per row", example = "organización;área\nSHAC;Tesorería\n"),
    responses((status = 200, description = "What the import did, or would do (dry run)", body = ImportReport),
        Unauthenticated,
        Forbidden,
        Conflict,
        (status = 413, description = "The file exceeds 4 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read (`validation_failed`), or an apply refused because rows have errors (`import_rejected`, with the report)", body = ImportProblem, content_type = "application/problem+json")))]
#[post("/imports/areas")]
pub async fn import_areas(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, query: web::Query<ImportQuery>, payload: web::Payload) -> AppResult<HttpResponse> {
    handle(state, user, req, query, payload, ImportKind::Areas).await
}

/// Import users from CSV (admins)
///
/// Columns: `username` (usuario, login; required, the key),
/// `display_name` (nombre; required for new users), `email` (correo), `phone` (teléfono),
/// `role` (rol), `identity_number` (cédula, documento), `organization` (organización),
/// `area` (área, dependencia; needs the organization), `locale` (idioma), `active` (activo).
/// New users are directory accounts (no password ever travels in a file); an empty cell keeps
/// the stored value; users absent from the file are left as they are.
#[utoipa::path(tag = "imports", security(("bearer_auth" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The file: a header row, then one user per row", example = "usuario;nombre;correo;rol;organización;área\nana.torres;Ana Torres;ana.torres@cali.gov.co;agente;SHAC;Tesorería\n"),
    responses((status = 200, description = "What the import did, or would do (dry run)", body = ImportReport),
        Unauthenticated,
        Forbidden,
        Conflict,
        (status = 413, description = "The file exceeds 4 MiB (`payload_too_large`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read (`validation_failed`), or an apply refused because rows have errors (`import_rejected`, with the report)", body = ImportProblem, content_type = "application/problem+json")))]
#[post("/imports/users")]
pub async fn import_users(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, query: web::Query<ImportQuery>, payload: web::Payload) -> AppResult<HttpResponse> {
    handle(state, user, req, query, payload, ImportKind::Users).await
}
