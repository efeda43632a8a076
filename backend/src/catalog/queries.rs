use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Text, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use uuid::Uuid;

use super::domain::{CatalogNode, NodeKind, ServiceDetail};
use crate::db::schema::{catalog_nodes, service_routes, services};

/// One node as JSON, service details and routes included (`n` = catalog_nodes, `s` = services).
pub const NODE_JSON: &str = "json_build_object(
    'id', n.id, 'parent_id', n.parent_id, 'code', n.code, 'kind', n.kind, 'name', n.name,
    'description', n.description, 'position', n.position, 'active', n.active, 'version', n.version,
    'service', CASE WHEN s.node_id IS NULL THEN NULL ELSE json_build_object(
        'objective', s.objective, 'scope', s.scope, 'audience', s.audience, 'form_fields', s.form_fields,
        'required_attachments', s.required_attachments, 'default_type', s.default_type,
        'default_priority', s.default_priority, 'responsible_group_id', s.responsible_group_id,
        'sla_policy_id', s.sla_policy_id,
        'routes', COALESCE((SELECT json_agg(json_build_object('organization_id', r.organization_id, 'group_id', r.group_id)
                                            ORDER BY r.organization_id)
                            FROM service_routes r WHERE r.service_id = n.id), '[]'::json),
        'availability', s.availability, 'promised_resolution', s.promised_resolution,
        'resolution_minutes', s.resolution_minutes) END)";

#[derive(QueryableByName)]
struct Doc {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    doc: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DeskAccess {
    pub id: Uuid,
    pub active: bool,
    pub organization_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize)]
pub struct TreeData {
    /// `None` when the desk does not exist.
    pub desk: Option<DeskAccess>,
    pub viewer_group_ids: Vec<Uuid>,
    /// Flat, in sibling order (position, name).
    pub nodes: Vec<CatalogNode>,
}

fn decode<T: serde::de::DeserializeOwned>(doc: Option<String>) -> QueryResult<Option<T>> {
    doc.map(|d| serde_json::from_str(&d).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))).transpose()
}

/// Everything the catalog endpoint needs — the desk's access rules, the viewer's groups and every
/// node with its service — in ONE statement, whatever the size of the tree.
pub async fn load_tree(conn: &mut AsyncPgConnection, desk_id: Uuid, viewer_id: Uuid) -> QueryResult<TreeData> {
    let sql = format!(
        "SELECT json_build_object(
            'desk', (SELECT json_build_object('id', d.id, 'active', d.active, 'organization_ids',
                        COALESCE((SELECT json_agg(o.organization_id) FROM desk_organizations o WHERE o.desk_id = d.id), '[]'::json))
                     FROM desks d WHERE d.id = $1),
            'viewer_group_ids', COALESCE((SELECT json_agg(m.group_id) FROM group_members m WHERE m.user_id = $2), '[]'::json),
            'nodes', COALESCE((SELECT json_agg({NODE_JSON} ORDER BY n.position, n.name, n.id)
                               FROM catalog_nodes n LEFT JOIN services s ON s.node_id = n.id
                               WHERE n.desk_id = $1), '[]'::json)
         )::text AS doc"
    );
    let row: Doc = diesel::sql_query(sql).bind::<SqlUuid, _>(desk_id).bind::<SqlUuid, _>(viewer_id).get_result(conn).await?;
    Ok(decode(row.doc)?.expect("json_build_object is never null"))
}

/// One node (without children) and its desk.
pub async fn load_node(conn: &mut AsyncPgConnection, node_id: Uuid) -> QueryResult<(Uuid, CatalogNode)> {
    let sql = format!(
        "SELECT json_build_object('desk_id', n.desk_id, 'node', {NODE_JSON})::text AS doc
         FROM catalog_nodes n LEFT JOIN services s ON s.node_id = n.id WHERE n.id = $1"
    );
    #[derive(Deserialize)]
    struct NodeDoc {
        desk_id: Uuid,
        node: CatalogNode,
    }
    let row: Doc = diesel::sql_query(sql).bind::<SqlUuid, _>(node_id).get_result(conn).await?;
    let d: NodeDoc = decode(row.doc)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((d.desk_id, d.node))
}

/// Parent of every node of a desk, and its kind: enough to check moves.
pub async fn structure(conn: &mut AsyncPgConnection, desk_id: Uuid) -> QueryResult<HashMap<Uuid, (Option<Uuid>, NodeKind)>> {
    let rows: Vec<(Uuid, Option<Uuid>, String)> =
        catalog_nodes::table.filter(catalog_nodes::desk_id.eq(desk_id)).select((catalog_nodes::id, catalog_nodes::parent_id, catalog_nodes::kind)).load(conn).await?;
    Ok(rows.into_iter().map(|(id, p, k)| (id, (p, k.parse().unwrap_or(NodeKind::Category)))).collect())
}

pub struct NodeFields<'a> {
    pub parent_id: Option<Uuid>,
    pub code: &'a str,
    pub kind: NodeKind,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub position: i32,
    pub active: bool,
}

pub async fn insert_node(conn: &mut AsyncPgConnection, desk_id: Uuid, f: &NodeFields<'_>) -> QueryResult<Uuid> {
    let id = Uuid::now_v7();
    diesel::insert_into(catalog_nodes::table)
        .values((
            catalog_nodes::id.eq(id),
            catalog_nodes::desk_id.eq(desk_id),
            catalog_nodes::parent_id.eq(f.parent_id),
            catalog_nodes::code.eq(f.code),
            catalog_nodes::kind.eq(f.kind.as_str()),
            catalog_nodes::name.eq(f.name),
            catalog_nodes::description.eq(f.description),
            catalog_nodes::position.eq(f.position),
            catalog_nodes::active.eq(f.active),
        ))
        .execute(conn)
        .await?;
    Ok(id)
}

pub async fn update_node(conn: &mut AsyncPgConnection, id: Uuid, f: &NodeFields<'_>) -> QueryResult<()> {
    diesel::update(catalog_nodes::table.find(id))
        .set((
            catalog_nodes::parent_id.eq(f.parent_id),
            catalog_nodes::code.eq(f.code),
            catalog_nodes::kind.eq(f.kind.as_str()),
            catalog_nodes::name.eq(f.name),
            catalog_nodes::description.eq(f.description),
            catalog_nodes::position.eq(f.position),
            catalog_nodes::active.eq(f.active),
            catalog_nodes::updated_at.eq(chrono::Utc::now()),
            catalog_nodes::version.eq(catalog_nodes::version + 1),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Writes a node's service details (insert or replace), routes included; `None` removes them.
pub async fn save_service(conn: &mut AsyncPgConnection, node_id: Uuid, service: Option<&ServiceDetail>) -> QueryResult<()> {
    let Some(s) = service else {
        diesel::delete(services::table.find(node_id)).execute(conn).await?;
        return Ok(());
    };
    let json = |v: serde_json::Result<serde_json::Value>| v.expect("service parts serialize");
    let values = (
        services::node_id.eq(node_id),
        services::objective.eq(&s.objective),
        services::scope.eq(&s.scope),
        services::audience.eq(json(serde_json::to_value(&s.audience))),
        services::form_fields.eq(json(serde_json::to_value(&s.form_fields))),
        services::required_attachments.eq(json(serde_json::to_value(&s.required_attachments))),
        services::default_type.eq(s.default_type.as_str()),
        services::default_priority.eq(s.default_priority.as_str()),
        services::responsible_group_id.eq(s.responsible_group_id),
        services::sla_policy_id.eq(s.sla_policy_id),
        services::availability.eq(&s.availability),
        services::promised_resolution.eq(&s.promised_resolution),
        services::resolution_minutes.eq(s.resolution_minutes),
    );
    diesel::insert_into(services::table).values(values.clone()).on_conflict(services::node_id).do_update().set(values).execute(conn).await?;
    diesel::delete(service_routes::table.filter(service_routes::service_id.eq(node_id))).execute(conn).await?;
    let routes: Vec<_> =
        s.routes.iter().map(|r| (service_routes::service_id.eq(node_id), service_routes::organization_id.eq(r.organization_id), service_routes::group_id.eq(r.group_id))).collect();
    diesel::insert_into(service_routes::table).values(routes).execute(conn).await?;
    Ok(())
}

/// Puts `node` at `position` among the children of `parent` and renumbers them 0, 1, 2…
pub async fn place(conn: &mut AsyncPgConnection, desk_id: Uuid, node: Uuid, parent: Option<Uuid>, position: Option<i32>) -> QueryResult<()> {
    let mut q = catalog_nodes::table
        .filter(catalog_nodes::desk_id.eq(desk_id))
        .filter(catalog_nodes::id.ne(node))
        .select(catalog_nodes::id)
        .order((catalog_nodes::position, catalog_nodes::name, catalog_nodes::id))
        .into_boxed();
    q = match parent {
        Some(p) => q.filter(catalog_nodes::parent_id.eq(p)),
        None => q.filter(catalog_nodes::parent_id.is_null()),
    };
    let mut siblings: Vec<Uuid> = q.load(conn).await?;
    let at = position.map(|p| p.clamp(0, siblings.len() as i32) as usize).unwrap_or(siblings.len());
    siblings.insert(at, node);
    for (i, id) in siblings.iter().enumerate() {
        diesel::update(catalog_nodes::table.find(id)).set(catalog_nodes::position.eq(i as i32)).execute(conn).await?;
    }
    diesel::update(catalog_nodes::table.find(node)).set(catalog_nodes::parent_id.eq(parent)).execute(conn).await?;
    Ok(())
}

/// A free code in the desk derived from `base` (`base`, `base-2`, `base-3`…).
pub async fn free_code(conn: &mut AsyncPgConnection, desk_id: Uuid, base: &str) -> QueryResult<String> {
    let taken: Vec<String> =
        catalog_nodes::table.filter(catalog_nodes::desk_id.eq(desk_id)).filter(catalog_nodes::code.like(format!("{base}%"))).select(catalog_nodes::code).load(conn).await?;
    if !taken.iter().any(|c| c == base) {
        return Ok(base.to_owned());
    }
    Ok((2..).map(|i| format!("{base}-{i}")).find(|c| !taken.contains(c)).expect("some suffix is free"))
}

/// `Soporte Técnico CTO` → `soporte-tecnico-cto`.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(70).collect();
    if out.is_empty() {
        "nodo".into()
    } else {
        out.trim_end_matches('-').to_owned()
    }
}

pub fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('a'..='z' | '0'..='9')) && code.len() <= 80 && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Soporte Técnico CTO"), "soporte-tecnico-cto");
        assert_eq!(slugify("Asignación / Instalación"), "asignacion-instalacion");
        assert_eq!(slugify("¡¡!!"), "nodo");
        assert!(valid_code(&slugify("Gestión del directorio activo")));
        assert!(!valid_code("Mayúscula"));
        assert!(!valid_code("-x"));
    }
}
