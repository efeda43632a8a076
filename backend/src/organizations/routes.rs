use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::domain::*;
use super::queries::{self, ListFilter};
use crate::auth::CurrentUser;
use crate::db::schema::{areas, locations, organizations};
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, page_limit, paginate, Cursor, IfMatch, JsonBody};
use crate::state::AppState;
use crate::validate::Errors;
use utoipa_actix_web::service_config::ServiceConfig;

/// The routes of organizations, areas and locations.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organizations)
        .service(create_organization)
        .service(get_organization)
        .service(update_organization)
        .service(delete_organization)
        .service(list_areas)
        .service(create_area)
        .service(get_area)
        .service(update_area)
        .service(delete_area)
        .service(list_locations)
        .service(create_location)
        .service(get_location)
        .service(update_location)
        .service(delete_location);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only active (`true`) or inactive (`false`) rows.
    #[param(example = json!(true))]
    pub active: Option<bool>,
    /// Case-insensitive text contained in the name.
    #[param(example = "hacienda")]
    pub q: Option<String>,
    /// Rows of this organization (areas, locations).
    #[param(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Option<Uuid>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> AppResult<ListFilter> {
        Ok(ListFilter {
            active: self.active,
            q: self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned),
            organization_id: self.organization_id,
            after: self.cursor.as_deref().map(|c| Cursor::decode_text(c, NAME_MAX)).transpose()?,
            limit: page_limit(self.limit)?,
        })
    }
}

/// A delete refused because rows still point here.
fn in_use(e: diesel::result::Error) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => AppError::conflict("in_use", "Other records refer to it; deactivate it instead (PATCH active=false)"),
        other => other.into(),
    }
}

// ---------- organizations ----------

/// List organizations, by name.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(ListQuery),
    responses((status = 200, body = OrganizationPage),
        Unauthenticated,
        (status = 422, description = "Bad cursor or limit", body = Problem, content_type = "application/problem+json")))]
#[get("/organizations")]
pub async fn list_organizations(state: web::Data<AppState>, _user: CurrentUser, query: web::Query<ListQuery>) -> AppResult<web::Json<OrganizationPage>> {
    let filter = query.filter()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_organizations(&mut conn, &filter).await?;
    let (items, next_cursor) = paginate(rows, filter.limit, |o| Cursor { key: o.name.clone(), id: o.id });
    Ok(web::Json(OrganizationPage { items, next_cursor }))
}

/// Create an organization (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = CreateOrganization,
    responses((status = 201, body = Organization),
        Unauthenticated,
        Forbidden,
        (status = 409, description = "Name already used", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/organizations")]
pub async fn create_organization(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateOrganization>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut e = Errors::default();
    let name = e.text("name", &body.0.name, NAME_MAX);
    let short_name = e.optional_text("short_name", body.0.short_name.as_deref(), 20);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let org: Organization = diesel::insert_into(organizations::table)
        .values((organizations::id.eq(Uuid::now_v7()), organizations::name.eq(name), organizations::short_name.eq(short_name)))
        .returning(Organization::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(org.version)).json(org))
}

/// One organization.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Organization, headers(("ETag" = String))),
        Unauthenticated,
        NotFound))]
#[get("/organizations/{id}")]
pub async fn get_organization(state: web::Data<AppState>, _user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let org: Organization = organizations::table.find(*id).select(Organization::as_select()).first(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(org.version)).json(org))
}

/// Rename or (de)activate an organization (admins). Send `If-Match` with the ETag to avoid overwriting another change.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = UpdateOrganization,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Organization),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        (status = 412, description = "Changed since read", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateOrganization>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    let mut e = Errors::default();
    let name = body.name.as_deref().map(|n| e.text("name", n, NAME_MAX));
    let short_name = body.short_name.map(|s| e.optional_text("short_name", s.as_deref(), 20));
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let current: Organization = organizations::table.find(*id).select(Organization::as_select()).first(&mut conn).await?;
    if_match.check(current.version)?;
    let org: Organization = diesel::update(organizations::table.find(*id).filter(organizations::version.eq(current.version)))
        .set((
            organizations::name.eq(name.unwrap_or(current.name)),
            organizations::short_name.eq(short_name.unwrap_or(current.short_name)),
            organizations::active.eq(body.active.unwrap_or(current.active)),
            organizations::updated_at.eq(Utc::now()),
            organizations::version.eq(current.version + 1),
        ))
        .returning(Organization::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?
        .ok_or(AppError::PreconditionFailed)?;
    Ok(HttpResponse::Ok().insert_header(etag(org.version)).json(org))
}

/// Delete an organization nobody refers to (admins); otherwise deactivate it.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Deleted"),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 409, description = "In use", body = Problem, content_type = "application/problem+json")))]
#[delete("/organizations/{id}")]
pub async fn delete_organization(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let n = diesel::delete(organizations::table.find(*id)).execute(&mut conn).await.map_err(in_use)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}

// ---------- areas ----------

/// List areas, by name; filter by organization.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(ListQuery),
    responses((status = 200, body = AreaPage),
        Unauthenticated,
        Invalid))]
#[get("/areas")]
pub async fn list_areas(state: web::Data<AppState>, _user: CurrentUser, query: web::Query<ListQuery>) -> AppResult<web::Json<AreaPage>> {
    let filter = query.filter()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_areas(&mut conn, &filter).await?;
    let (items, next_cursor) = paginate(rows, filter.limit, |a| Cursor { key: a.name.clone(), id: a.id });
    Ok(web::Json(AreaPage { items, next_cursor }))
}

/// Create an area inside an organization (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = CreateArea,
    responses((status = 201, body = Area),
        Unauthenticated,
        Forbidden,
        Conflict,
        (status = 422, description = "Invalid field or unknown organization", body = Problem, content_type = "application/problem+json")))]
#[post("/areas")]
pub async fn create_area(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateArea>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut e = Errors::default();
    let name = e.text("name", &body.0.name, NAME_MAX);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let area: Area = diesel::insert_into(areas::table)
        .values((areas::id.eq(Uuid::now_v7()), areas::organization_id.eq(body.0.organization_id), areas::name.eq(name)))
        .returning(Area::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(area.version)).json(area))
}

/// One area.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Area),
        Unauthenticated,
        NotFound))]
#[get("/areas/{id}")]
pub async fn get_area(state: web::Data<AppState>, _user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let area: Area = areas::table.find(*id).select(Area::as_select()).first(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(area.version)).json(area))
}

/// Rename or (de)activate an area (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = UpdateArea,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Area),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/areas/{id}")]
pub async fn update_area(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateArea>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut e = Errors::default();
    let name = body.0.name.as_deref().map(|n| e.text("name", n, NAME_MAX));
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let current: Area = areas::table.find(*id).select(Area::as_select()).first(&mut conn).await?;
    if_match.check(current.version)?;
    let area: Area = diesel::update(areas::table.find(*id).filter(areas::version.eq(current.version)))
        .set((
            areas::name.eq(name.unwrap_or(current.name)),
            areas::active.eq(body.0.active.unwrap_or(current.active)),
            areas::updated_at.eq(Utc::now()),
            areas::version.eq(current.version + 1),
        ))
        .returning(Area::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?
        .ok_or(AppError::PreconditionFailed)?;
    Ok(HttpResponse::Ok().insert_header(etag(area.version)).json(area))
}

/// Delete an area nobody refers to (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Deleted"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
#[delete("/areas/{id}")]
pub async fn delete_area(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let n = diesel::delete(areas::table.find(*id)).execute(&mut conn).await.map_err(in_use)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}

// ---------- locations ----------

/// List locations, by name.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(ListQuery),
    responses((status = 200, body = LocationPage),
        Unauthenticated,
        Invalid))]
#[get("/locations")]
pub async fn list_locations(state: web::Data<AppState>, _user: CurrentUser, query: web::Query<ListQuery>) -> AppResult<web::Json<LocationPage>> {
    let filter = query.filter()?;
    let mut conn = state.pool.get().await?;
    let rows = queries::list_locations(&mut conn, &filter).await?;
    let (items, next_cursor) = paginate(rows, filter.limit, |l| Cursor { key: l.name.clone(), id: l.id });
    Ok(web::Json(LocationPage { items, next_cursor }))
}

/// Create a location (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = CreateLocation,
    responses((status = 201, body = Location),
        Unauthenticated,
        Forbidden,
        Conflict,
        Invalid))]
#[post("/locations")]
pub async fn create_location(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateLocation>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    let mut e = Errors::default();
    let name = e.text("name", &body.name, NAME_MAX);
    let address = e.optional_text("address", body.address.as_deref(), 300);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let location: Location = diesel::insert_into(locations::table)
        .values((locations::id.eq(Uuid::now_v7()), locations::name.eq(name), locations::address.eq(address), locations::organization_id.eq(body.organization_id)))
        .returning(Location::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(location.version)).json(location))
}

/// One location.
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Location),
        Unauthenticated,
        NotFound))]
#[get("/locations/{id}")]
pub async fn get_location(state: web::Data<AppState>, _user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let location: Location = locations::table.find(*id).select(Location::as_select()).first(&mut conn).await?;
    Ok(HttpResponse::Ok().insert_header(etag(location.version)).json(location))
}

/// Change a location (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), request_body = UpdateLocation,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Location),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/locations/{id}")]
pub async fn update_location(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateLocation>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let body = body.0;
    let mut e = Errors::default();
    let name = body.name.as_deref().map(|n| e.text("name", n, NAME_MAX));
    let address = body.address.map(|a| e.optional_text("address", a.as_deref(), 300));
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let current: Location = locations::table.find(*id).select(Location::as_select()).first(&mut conn).await?;
    if_match.check(current.version)?;
    let location: Location = diesel::update(locations::table.find(*id).filter(locations::version.eq(current.version)))
        .set((
            locations::name.eq(name.unwrap_or(current.name)),
            locations::address.eq(address.unwrap_or(current.address)),
            locations::organization_id.eq(body.organization_id.unwrap_or(current.organization_id)),
            locations::active.eq(body.active.unwrap_or(current.active)),
            locations::updated_at.eq(Utc::now()),
            locations::version.eq(current.version + 1),
        ))
        .returning(Location::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?
        .ok_or(AppError::PreconditionFailed)?;
    Ok(HttpResponse::Ok().insert_header(etag(location.version)).json(location))
}

/// Delete a location nobody refers to (admins).
#[utoipa::path(tag = "organizations", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Deleted"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
#[delete("/locations/{id}")]
pub async fn delete_location(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let n = diesel::delete(locations::table.find(*id)).execute(&mut conn).await.map_err(in_use)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    Ok(HttpResponse::NoContent().finish())
}
