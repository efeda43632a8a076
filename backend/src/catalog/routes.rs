use std::collections::HashSet;

use actix_web::{delete, get, patch, post, web, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::*;
use super::form::{self, AttachmentRequirement, FormField};
use super::queries::{self, NodeFields};
use super::tree;
use crate::auth::CurrentUser;
use crate::db::schema::{areas, catalog_nodes, sla_policies, support_groups};
use crate::desks::queries::require_manager;
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::{etag, IfMatch, JsonBody};
use crate::state::AppState;
use crate::tickets::domain::{Priority, TicketType};
use crate::users::domain::Role;
use crate::validate::Errors;
use utoipa_actix_web::service_config::ServiceConfig;

/// The catalog routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_catalog).service(create_node).service(get_node).service(update_node).service(move_node).service(delete_node).service(export_catalog).service(import_catalog);
}

#[derive(Serialize, ToSchema)]
pub struct CatalogTree {
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    /// Top-level nodes, each with its children, in order.
    pub nodes: Vec<CatalogNode>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TreeQuery {
    /// Staff only: include deactivated nodes.
    #[param(example = json!(true))]
    pub include_inactive: Option<bool>,
}

/// The desk's whole catalog tree in one response (and one database round trip). Requesters see
/// the active services they may request and the categories leading to them.
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), TreeQuery),
    responses((status = 200, body = CatalogTree),
        Unauthenticated,
        (status = 404, description = "No such desk, or not open to the caller's organization", body = Problem, content_type = "application/problem+json")))]
#[get("/desks/{id}/catalog")]
pub async fn get_catalog(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, query: web::Query<TreeQuery>) -> AppResult<web::Json<CatalogTree>> {
    let mut conn = state.pool.get().await?;
    let data = queries::load_tree(&mut conn, *id, user.0.id).await?;
    drop(conn);
    let desk = data.desk.ok_or(AppError::NotFound)?;
    let viewer = Viewer { role: user.role(), area_id: user.0.area_id, group_ids: data.viewer_group_ids };
    if !viewer.sees_everything() {
        let org_ok = desk.organization_ids.is_empty() || user.0.organization_id.is_some_and(|o| desk.organization_ids.contains(&o));
        if !desk.active || !org_ok {
            return Err(AppError::NotFound);
        }
    }
    let nodes = tree::visible(tree::build(data.nodes), &viewer, query.include_inactive.unwrap_or(false));
    Ok(web::Json(CatalogTree { desk_id: desk.id, nodes }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "objective": "Restablecer la impresión en las dependencias",
    "scope": "Impresoras de red y multifuncionales de la entidad",
    "availability": "Lunes a viernes, 7:30 a. m. a 5:00 p. m.",
    "promised_resolution": "8 horas hábiles",
    "resolution_minutes": 480,
    "default_type": "incident",
    "default_priority": "medium",
    "responsible_group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23",
    "sla_policy_id": "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a",
    "audience": {"everyone": true, "roles": [], "area_ids": [], "group_ids": []},
    "form_fields": [{"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo", "en": "Asset tag"}, "required": true}],
    "required_attachments": [],
    "routes": [{"organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56", "group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23"}]
}))]
pub struct ServiceInput {
    #[schema(max_length = 4000)]
    pub objective: Option<String>,
    #[schema(max_length = 8000)]
    pub scope: Option<String>,
    /// Default: everyone.
    pub audience: Option<Audience>,
    #[serde(default)]
    pub form_fields: Vec<FormField>,
    #[serde(default)]
    pub required_attachments: Vec<AttachmentRequirement>,
    /// Default `request`.
    pub default_type: Option<TicketType>,
    /// Default `medium`.
    pub default_priority: Option<Priority>,
    pub responsible_group_id: Option<Uuid>,
    pub sla_policy_id: Option<Uuid>,
    #[serde(default)]
    pub routes: Vec<ServiceRoute>,
    #[schema(max_length = 300)]
    pub availability: Option<String>,
    #[schema(max_length = 300)]
    pub promised_resolution: Option<String>,
    pub resolution_minutes: Option<i32>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "service",
    "parent_id": "0193a5ab-c6d7-78e9-94fb-6f708192a3bc",
    "code": "impresoras",
    "name": "Impresoras y escáneres",
    "description": "Fallas de impresión, escaneo y tóner",
    "position": 2,
    "service": {
        "objective": "Restablecer la impresión en las dependencias",
        "scope": "Impresoras de red y multifuncionales de la entidad",
        "availability": "Lunes a viernes, 7:30 a. m. a 5:00 p. m.",
        "promised_resolution": "8 horas hábiles",
        "resolution_minutes": 480,
        "default_type": "incident",
        "default_priority": "medium",
        "responsible_group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23",
        "sla_policy_id": "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a",
        "audience": {"everyone": true, "roles": [], "area_ids": [], "group_ids": []},
        "form_fields": [{"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo", "en": "Asset tag"}, "required": true}],
        "required_attachments": [],
        "routes": [{"organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56", "group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23"}]
    }
}))]
pub struct CreateNode {
    /// A category of the same desk; absent for a top-level node.
    pub parent_id: Option<Uuid>,
    pub kind: NodeKind,
    /// Slug unique in the desk; derived from the name when absent.
    pub code: Option<String>,
    #[schema(min_length = 1, max_length = 160)]
    pub name: String,
    #[schema(max_length = 4000)]
    pub description: Option<String>,
    /// Place among its siblings (0 = first); default last.
    pub position: Option<i32>,
    /// Required for services, absent for categories.
    pub service: Option<ServiceInput>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Impresoras, escáneres y multifuncionales", "description": "Fallas de impresión, escaneo, tóner y papel"}))]
pub struct UpdateNode {
    pub code: Option<String>,
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(max_length = 4000, value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub active: Option<bool>,
    /// Services only: replaces every service detail.
    pub service: Option<ServiceInput>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"parent_id": "0193a5ab-c6d7-78e9-94fb-6f708192a3bc", "position": 0}))]
pub struct MoveNode {
    /// New parent category (same desk); `null` for the top level.
    pub parent_id: Option<Uuid>,
    /// Place among the new siblings (0 = first); default last.
    pub position: Option<i32>,
}

/// Checks a service definition and turns it into stored form. Group references must be groups
/// of `desk_id`; areas must exist. Problems are added under `prefix`.
pub async fn check_service(conn: &mut AsyncPgConnection, desk_id: Uuid, prefix: &str, s: ServiceInput, e: &mut Errors) -> AppResult<ServiceDetail> {
    let mut problems = form::validate_definition(&format!("{prefix}.form_fields"), &s.form_fields);
    problems.extend(form::validate_attachments(&format!("{prefix}.required_attachments"), &s.required_attachments));
    for p in problems {
        e.add(&p.field, &p.code, p.message);
    }
    let objective = e.optional_text(&format!("{prefix}.objective"), s.objective.as_deref(), 4000);
    let scope = e.optional_text(&format!("{prefix}.scope"), s.scope.as_deref(), 8000);
    let availability = e.optional_text(&format!("{prefix}.availability"), s.availability.as_deref(), 300);
    let promised_resolution = e.optional_text(&format!("{prefix}.promised_resolution"), s.promised_resolution.as_deref(), 300);
    if s.resolution_minutes.is_some_and(|m| m <= 0) {
        e.add(&format!("{prefix}.resolution_minutes"), "out_of_range", "must be a positive number of business minutes");
    }
    if let Some(p) = s.sla_policy_id {
        let known: bool = diesel::select(diesel::dsl::exists(sla_policies::table.find(p))).get_result(conn).await?;
        if !known {
            e.add(&format!("{prefix}.sla_policy_id"), "unknown_reference", "no such SLA policy");
        }
    }
    // The promise is the resolution target its cases show: it cannot be shorter than the time the
    // policy gives to attend them.
    if let Some(minutes) = s.resolution_minutes.filter(|m| *m > 0) {
        if let Some((name, targets)) = crate::sla::store::effective_policy(conn, desk_id, s.sla_policy_id).await? {
            if let Some(why) = crate::sla::policy::promise_refusal(&name, &targets, minutes) {
                e.add(&format!("{prefix}.resolution_minutes"), "below_attention_target", why);
            }
        }
    }
    let audience = s.audience.unwrap_or_else(Audience::everyone);
    if !audience.everyone && audience.roles.is_empty() && audience.area_ids.is_empty() && audience.group_ids.is_empty() {
        e.add(&format!("{prefix}.audience"), "empty", "nobody could request it: set everyone, or roles, areas or groups");
    }
    let desk_groups: HashSet<Uuid> = support_groups::table.filter(support_groups::desk_id.eq(desk_id)).select(support_groups::id).load::<Uuid>(conn).await?.into_iter().collect();
    if let Some(g) = s.responsible_group_id {
        if !desk_groups.contains(&g) {
            e.add(&format!("{prefix}.responsible_group_id"), "unknown_reference", "must be a support group of this desk");
        }
    }
    let mut orgs = HashSet::new();
    for (i, r) in s.routes.iter().enumerate() {
        if !desk_groups.contains(&r.group_id) {
            e.add(&format!("{prefix}.routes.{i}.group_id"), "unknown_reference", "must be a support group of this desk");
        }
        if !orgs.insert(r.organization_id) {
            e.add(&format!("{prefix}.routes.{i}.organization_id"), "duplicate", "one route per organization");
        }
    }
    for (i, g) in audience.group_ids.iter().enumerate() {
        if !desk_groups.contains(g) {
            e.add(&format!("{prefix}.audience.group_ids.{i}"), "unknown_reference", "must be a support group of this desk");
        }
    }
    if !audience.area_ids.is_empty() {
        let known: Vec<Uuid> = areas::table.filter(areas::id.eq_any(&audience.area_ids)).select(areas::id).load(conn).await?;
        for (i, a) in audience.area_ids.iter().enumerate() {
            if !known.contains(a) {
                e.add(&format!("{prefix}.audience.area_ids.{i}"), "unknown_reference", "no such area");
            }
        }
    }
    Ok(ServiceDetail {
        objective,
        scope,
        audience,
        form_fields: s.form_fields,
        required_attachments: s.required_attachments,
        default_type: s.default_type.unwrap_or(TicketType::Request),
        default_priority: s.default_priority.unwrap_or(Priority::Medium),
        responsible_group_id: s.responsible_group_id,
        sla_policy_id: s.sla_policy_id,
        routes: s.routes,
        availability,
        promised_resolution,
        resolution_minutes: s.resolution_minutes,
    })
}

fn code_taken(err: diesel::result::Error) -> AppError {
    match AppError::from(err) {
        AppError::Conflict { .. } => AppError::conflict("code_taken", "another node of this desk has this code"),
        other => other,
    }
}

/// Add a category or a service (admins and the desk's supervisors).
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")), request_body = CreateNode,
    responses((status = 201, body = CatalogNode),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
#[post("/desks/{id}/catalog/nodes")]
pub async fn create_node(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<CreateNode>) -> AppResult<HttpResponse> {
    let desk_id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    crate::desks::queries::load(&mut conn, desk_id).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    let mut e = Errors::default();
    let name = e.text("name", &b.name, 160);
    let description = e.optional_text("description", b.description.as_deref(), 4000);
    if let Some(c) = &b.code {
        if !queries::valid_code(c) {
            e.add("code", "invalid", "lowercase letters, digits and '-', at most 80");
        }
    }
    let structure = queries::structure(&mut conn, desk_id).await?;
    if let Some(p) = b.parent_id {
        match structure.get(&p) {
            None => e.add("parent_id", "unknown_reference", "must be a category of this desk"),
            Some((_, NodeKind::Service)) => e.add("parent_id", "not_a_category", "services cannot have children"),
            _ => {}
        }
    }
    let service = match (b.kind, b.service) {
        (NodeKind::Service, Some(s)) => Some(check_service(&mut conn, desk_id, "service", s, &mut e).await?),
        (NodeKind::Service, None) => {
            e.add("service", "required", "a service node needs its service details");
            None
        }
        (NodeKind::Category, Some(_)) => {
            e.add("service", "not_allowed", "categories have no service details");
            None
        }
        (NodeKind::Category, None) => None,
    };
    e.finish()?;
    let code = match b.code {
        Some(c) => c,
        None => queries::free_code(&mut conn, desk_id, &queries::slugify(&name)).await?,
    };
    let node_id = conn
        .transaction(async |conn| -> Result<Uuid, AppError> {
            let fields = NodeFields { parent_id: b.parent_id, code: &code, kind: b.kind, name: &name, description: description.as_deref(), position: 0, active: true };
            let node_id = queries::insert_node(conn, desk_id, &fields).await.map_err(code_taken)?;
            queries::save_service(conn, node_id, service.as_ref()).await?;
            queries::place(conn, desk_id, node_id, b.parent_id, b.position).await?;
            Ok(node_id)
        })
        .await?;
    let (_, node) = queries::load_node(&mut conn, node_id).await?;
    Ok(HttpResponse::Created().insert_header(etag(node.version)).json(node))
}

/// One catalog node (without children). Requesters only see active services they may request.
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = CatalogNode),
        Unauthenticated,
        NotFound))]
#[get("/catalog/nodes/{id}")]
pub async fn get_node(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let (desk_id, node) = queries::load_node(&mut conn, *id).await?;
    if user.role() == Role::Requester {
        let data = queries::load_tree(&mut conn, desk_id, user.0.id).await?;
        let viewer = Viewer { role: user.role(), area_id: user.0.area_id, group_ids: data.viewer_group_ids };
        let visible = tree::visible(tree::build(data.nodes), &viewer, false);
        fn contains(nodes: &[CatalogNode], id: Uuid) -> bool {
            nodes.iter().any(|n| n.id == id || contains(&n.children, id))
        }
        let desk_ok = data.desk.is_some_and(|d| d.active && (d.organization_ids.is_empty() || user.0.organization_id.is_some_and(|o| d.organization_ids.contains(&o))));
        if !desk_ok || !contains(&visible, node.id) {
            return Err(AppError::NotFound);
        }
    }
    Ok(HttpResponse::Ok().insert_header(etag(node.version)).json(node))
}

/// Rename, describe, (de)activate a node or replace its service details (admins and the desk's supervisors).
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), request_body = UpdateNode,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = CatalogNode),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Stale,
        Invalid))]
#[patch("/catalog/nodes/{id}")]
pub async fn update_node(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateNode>) -> AppResult<HttpResponse> {
    let id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let (desk_id, current) = queries::load_node(&mut conn, id).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    if_match.check(current.version)?;
    let mut e = Errors::default();
    let name = b.name.as_deref().map(|n| e.text("name", n, 160)).unwrap_or(current.name.clone());
    let description = match b.description {
        Some(d) => e.optional_text("description", d.as_deref(), 4000),
        None => current.description.clone(),
    };
    let code = b.code.unwrap_or(current.code.clone());
    if !queries::valid_code(&code) {
        e.add("code", "invalid", "lowercase letters, digits and '-', at most 80");
    }
    let service = match (current.kind, b.service) {
        (NodeKind::Service, Some(s)) => Some(check_service(&mut conn, desk_id, "service", s, &mut e).await?),
        (NodeKind::Service, None) => current.service.clone(),
        (NodeKind::Category, Some(_)) => {
            e.add("service", "not_allowed", "categories have no service details");
            None
        }
        (NodeKind::Category, None) => None,
    };
    e.finish()?;
    let active = b.active.unwrap_or(current.active);
    conn.transaction(async |conn| -> Result<(), AppError> {
        let version: i32 = catalog_nodes::table.find(id).select(catalog_nodes::version).for_update().first(conn).await?;
        if version != current.version {
            return Err(AppError::PreconditionFailed);
        }
        let fields =
            NodeFields { parent_id: current.parent_id, code: &code, kind: current.kind, name: &name, description: description.as_deref(), position: current.position, active };
        queries::update_node(conn, id, &fields).await.map_err(code_taken)?;
        queries::save_service(conn, id, service.as_ref()).await?;
        Ok(())
    })
    .await?;
    let (_, node) = queries::load_node(&mut conn, id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(node.version)).json(node))
}

/// Move a node under another category of the same desk, or to the top level, at a position.
/// Moving a node under itself or one of its descendants is refused.
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), request_body = MoveNode, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = CatalogNode),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 409, description = "The move would make a cycle", body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/catalog/nodes/{id}/move")]
pub async fn move_node(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<MoveNode>) -> AppResult<web::Json<CatalogNode>> {
    let id = *id;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let (desk_id, _) = queries::load_node(&mut conn, id).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    conn.transaction(async |conn| -> Result<(), AppError> {
        // Serialise concurrent moves within a desk, so two moves cannot together make a cycle.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1::text))").bind::<diesel::sql_types::Uuid, _>(desk_id).execute(conn).await?;
        let structure = queries::structure(conn, desk_id).await?;
        if let Some(p) = b.parent_id {
            match structure.get(&p) {
                None => return Err(AppError::field("parent_id", "unknown_reference", "must be a category of this desk")),
                Some((_, NodeKind::Service)) => return Err(AppError::field("parent_id", "not_a_category", "services cannot have children")),
                _ => {}
            }
        }
        let parents = structure.iter().map(|(k, (p, _))| (*k, *p)).collect();
        if tree::would_cycle(&parents, id, b.parent_id) {
            return Err(AppError::conflict("cycle", "a node cannot move under itself or one of its descendants"));
        }
        queries::place(conn, desk_id, id, b.parent_id, b.position).await?;
        Ok(())
    })
    .await?;
    Ok(web::Json(queries::load_node(&mut conn, id).await?.1))
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"outcome": "deactivated", "node_ids": ["0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12"]}))]
pub struct DeleteOutcome {
    /// `deleted` when nothing referred to the node; `deactivated` when cases use it or its
    /// descendants (they are kept, inactive, so history stays intact).
    pub outcome: String,
    pub node_ids: Vec<Uuid>,
}

/// Delete a node and its subtree; if cases refer to any of them, deactivate them instead.
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = DeleteOutcome),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[delete("/catalog/nodes/{id}")]
pub async fn delete_node(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<DeleteOutcome>> {
    let id = *id;
    let mut conn = state.pool.get().await?;
    let (desk_id, _) = queries::load_node(&mut conn, id).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    let structure = queries::structure(&mut conn, desk_id).await?;
    let parents = structure.iter().map(|(k, (p, _))| (*k, *p)).collect();
    let mut ids = tree::descendants(&parents, id);
    ids.push(id);
    let ids_for_delete = ids.clone();
    let deleted =
        conn.transaction(async |conn| -> QueryResult<usize> { diesel::delete(catalog_nodes::table.filter(catalog_nodes::id.eq_any(&ids_for_delete))).execute(conn).await }).await;
    let outcome = match deleted {
        Ok(_) => "deleted",
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::ForeignKeyViolation, _)) => {
            diesel::update(catalog_nodes::table.filter(catalog_nodes::id.eq_any(&ids)))
                .set((catalog_nodes::active.eq(false), catalog_nodes::updated_at.eq(chrono::Utc::now()), catalog_nodes::version.eq(catalog_nodes::version + 1)))
                .execute(&mut conn)
                .await?;
            "deactivated"
        }
        Err(other) => return Err(other.into()),
    };
    Ok(web::Json(DeleteOutcome { outcome: outcome.into(), node_ids: ids }))
}

/// The desk's catalog as a portable `mesa.catalog/v1` document (admins and the desk's supervisors).
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = super::transfer::CatalogDocument),
        Unauthenticated,
        Forbidden,
        NotFound))]
#[get("/desks/{id}/catalog/export")]
pub async fn export_catalog(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<super::transfer::CatalogDocument>> {
    let mut conn = state.pool.get().await?;
    let desk = crate::desks::queries::load(&mut conn, *id).await?;
    require_manager(&mut conn, &user, desk.id).await?;
    let data = queries::load_tree(&mut conn, desk.id, user.0.id).await?;
    Ok(web::Json(super::transfer::export(&mut conn, &desk, tree::build(data.nodes)).await?))
}

/// Load a `mesa.catalog/v1` document into the desk: nodes are matched by `code` (updated or
/// added), nodes missing from the document are deactivated, groups are matched by name.
/// A document with any problem changes nothing.
#[utoipa::path(tag = "catalog", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    request_body = super::transfer::CatalogDocument,
    responses((status = 200, body = super::transfer::ImportSummary),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 422, description = "The document has problems (each named by its path)", body = Problem, content_type = "application/problem+json")))]
#[post("/desks/{id}/catalog/import")]
pub async fn import_catalog(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: JsonBody<super::transfer::CatalogDocument>,
) -> AppResult<web::Json<super::transfer::ImportSummary>> {
    let desk_id = *id;
    let mut conn = state.pool.get().await?;
    crate::desks::queries::load(&mut conn, desk_id).await?;
    require_manager(&mut conn, &user, desk_id).await?;
    let doc = body.0;
    let summary = conn.transaction(async |conn| super::transfer::import(conn, desk_id, &doc).await).await?;
    Ok(web::Json(summary))
}
