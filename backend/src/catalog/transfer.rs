//! A desk's catalog as a portable JSON document (`mesa.catalog/v1`): groups, organizations and
//! areas are named, not referenced by id, so a catalog moves between installs. Importing matches
//! nodes by `code`: it updates what exists, adds what is new and deactivates (never deletes) what
//! the document no longer has. A document with any problem changes nothing.
use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::{Audience, CatalogNode, NodeKind, ServiceDetail, ServiceRoute};
use super::form::{self, AttachmentRequirement, FormField};
use super::queries::{self, NodeFields};
use crate::db::schema::{areas, catalog_nodes, organizations, support_groups};
use crate::error::{AppError, FieldError};
use crate::tickets::domain::{Priority, TicketType};
use crate::users::domain::Role;

pub const FORMAT: &str = "mesa.catalog/v1";

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "format": "mesa.catalog/v1",
    "desk": {
        "code": "TIC",
        "name": "Tecnologías de la Información",
        "description": "Mesa de servicios de tecnología de la Alcaldía",
        "timezone": "America/Bogota",
        "auto_close_hours": 48,
        "survey_satisfied_min": 4
    },
    "groups": [
        {"name": "Mesa de servicios - Nivel 1", "level": 1, "external_provider": false},
        {"name": "Especialistas de impresión - Nivel 2", "level": 2, "description": "Proveedor del contrato de impresión", "external_provider": true}
    ],
    "nodes": [
        {
            "code": "hardware",
            "kind": "category",
            "name": "Equipos y periféricos",
            "active": true,
            "children": [
                {
                    "code": "impresoras",
                    "kind": "service",
                    "name": "Impresoras y escáneres",
                    "description": "Fallas de impresión, escaneo y tóner",
                    "active": true,
                    "service": {
                        "default_type": "incident",
                        "default_priority": "medium",
                        "objective": "Restablecer la impresión en las dependencias",
                        "promised_resolution": "8 horas hábiles",
                        "resolution_minutes": 480,
                        "responsible_group": "Mesa de servicios - Nivel 1",
                        "routes": [{"organization": "Secretaría de Hacienda", "group": "Mesa de servicios - Nivel 1"}],
                        "audience": {"everyone": true},
                        "form_fields": [{"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo", "en": "Asset tag"}, "required": true}]
                    }
                }
            ]
        }
    ]
}))]
pub struct CatalogDocument {
    /// Always `mesa.catalog/v1`.
    #[schema(example = "mesa.catalog/v1")]
    pub format: String,
    /// The desk it came from; informative on import (the target desk keeps its settings).
    pub desk: DeskDoc,
    #[serde(default)]
    pub groups: Vec<GroupDoc>,
    pub nodes: Vec<NodeDoc>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeskDoc {
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailbox: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_close_hours: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 5)]
    pub survey_satisfied_min: Option<i16>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupDoc {
    pub name: String,
    #[schema(minimum = 1, maximum = 3)]
    pub level: i16,
    #[serde(default)]
    pub external_provider: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeDoc {
    pub code: String,
    pub kind: NodeKind,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub active: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub children: Vec<NodeDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceDoc>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaRef {
    pub organization: String,
    pub area: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AudienceDoc {
    pub everyone: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<AreaRef>,
    /// Group names of this document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteDoc {
    pub organization: String,
    pub group: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDoc {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<AudienceDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_fields: Vec<FormField>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_attachments: Vec<AttachmentRequirement>,
    pub default_type: TicketType,
    pub default_priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_group: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_resolution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_minutes: Option<i32>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportSummary {
    #[schema(example = 14)]
    pub nodes_created: usize,
    #[schema(example = 3)]
    pub nodes_updated: usize,
    #[schema(example = 1)]
    pub nodes_deactivated: usize,
    #[schema(example = 2)]
    pub groups_created: usize,
}

/// Every problem that needs no database: format, codes, kinds, forms, group names.
pub fn validate(doc: &CatalogDocument) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if doc.format != FORMAT {
        errors.push(FieldError::new("format", "unsupported", format!("must be {FORMAT}")));
    }
    let mut group_names = HashSet::new();
    for (i, g) in doc.groups.iter().enumerate() {
        if g.name.trim().is_empty() {
            errors.push(FieldError::new(format!("groups.{i}.name"), "required", "must not be empty"));
        } else if !group_names.insert(g.name.trim().to_lowercase()) {
            errors.push(FieldError::new(format!("groups.{i}.name"), "duplicate", "appears twice"));
        }
        if !(1..=3).contains(&g.level) {
            errors.push(FieldError::new(format!("groups.{i}.level"), "out_of_range", "must be 1, 2 or 3"));
        }
    }
    let mut codes = HashSet::new();
    fn walk(nodes: &[NodeDoc], path: &str, codes: &mut HashSet<String>, groups: &HashSet<String>, errors: &mut Vec<FieldError>) {
        for (i, n) in nodes.iter().enumerate() {
            let p = format!("{path}.{i}");
            if !queries::valid_code(&n.code) {
                errors.push(FieldError::new(format!("{p}.code"), "invalid", "lowercase letters, digits and '-', at most 80"));
            } else if !codes.insert(n.code.clone()) {
                errors.push(FieldError::new(format!("{p}.code"), "duplicate", format!("'{}' is used by another node", n.code)));
            }
            if n.name.trim().is_empty() {
                errors.push(FieldError::new(format!("{p}.name"), "required", "must not be empty"));
            }
            match (n.kind, &n.service) {
                (NodeKind::Service, None) => errors.push(FieldError::new(format!("{p}.service"), "required", "a service needs its details")),
                (NodeKind::Category, Some(_)) => errors.push(FieldError::new(format!("{p}.service"), "not_allowed", "categories have no service details")),
                _ => {}
            }
            if n.kind == NodeKind::Service && !n.children.is_empty() {
                errors.push(FieldError::new(format!("{p}.children"), "not_allowed", "services cannot have children"));
            }
            if let Some(s) = &n.service {
                let sp = format!("{p}.service");
                errors.extend(form::validate_definition(&format!("{sp}.form_fields"), &s.form_fields));
                errors.extend(form::validate_attachments(&format!("{sp}.required_attachments"), &s.required_attachments));
                let known = |g: &str| groups.contains(&g.trim().to_lowercase());
                if let Some(g) = &s.responsible_group {
                    if !known(g) {
                        errors.push(FieldError::new(format!("{sp}.responsible_group"), "unknown_reference", format!("'{g}' is not in groups")));
                    }
                }
                for (j, r) in s.routes.iter().enumerate() {
                    if !known(&r.group) {
                        errors.push(FieldError::new(format!("{sp}.routes.{j}.group"), "unknown_reference", format!("'{}' is not in groups", r.group)));
                    }
                }
                if let Some(a) = &s.audience {
                    for (j, g) in a.groups.iter().enumerate() {
                        if !known(g) {
                            errors.push(FieldError::new(format!("{sp}.audience.groups.{j}"), "unknown_reference", format!("'{g}' is not in groups")));
                        }
                    }
                    if !a.everyone && a.roles.is_empty() && a.areas.is_empty() && a.groups.is_empty() {
                        errors.push(FieldError::new(format!("{sp}.audience"), "empty", "nobody could request it"));
                    }
                }
                if s.resolution_minutes.is_some_and(|m| m <= 0) {
                    errors.push(FieldError::new(format!("{sp}.resolution_minutes"), "out_of_range", "must be positive"));
                }
            }
            walk(&n.children, &format!("{p}.children"), codes, groups, errors);
        }
    }
    walk(&doc.nodes, "nodes", &mut codes, &group_names, &mut errors);
    errors
}

/// Applies a document to a desk inside the caller's transaction.
pub async fn import(conn: &mut AsyncPgConnection, desk_id: Uuid, doc: &CatalogDocument) -> Result<ImportSummary, AppError> {
    let problems = validate(doc);
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let mut summary = ImportSummary::default();

    // Groups by name: reuse, refresh or create.
    let existing: Vec<(Uuid, String)> = support_groups::table.filter(support_groups::desk_id.eq(desk_id)).select((support_groups::id, support_groups::name)).load(conn).await?;
    let mut groups: HashMap<String, Uuid> = existing.into_iter().map(|(id, n)| (n.to_lowercase(), id)).collect();
    for g in &doc.groups {
        let key = g.name.trim().to_lowercase();
        match groups.get(&key) {
            Some(id) => {
                diesel::update(support_groups::table.find(*id))
                    .set((support_groups::level.eq(g.level), support_groups::external_provider.eq(g.external_provider), support_groups::description.eq(&g.description)))
                    .execute(conn)
                    .await?;
            }
            None => {
                let id = Uuid::now_v7();
                diesel::insert_into(support_groups::table)
                    .values((
                        support_groups::id.eq(id),
                        support_groups::desk_id.eq(desk_id),
                        support_groups::name.eq(g.name.trim()),
                        support_groups::level.eq(g.level),
                        support_groups::external_provider.eq(g.external_provider),
                        support_groups::description.eq(&g.description),
                    ))
                    .execute(conn)
                    .await?;
                groups.insert(key, id);
                summary.groups_created += 1;
            }
        }
    }

    // Organizations and areas are looked up by name; unknown ones are errors (never invented).
    let orgs: HashMap<String, Uuid> =
        organizations::table.select((organizations::name, organizations::id)).load::<(String, Uuid)>(conn).await?.into_iter().map(|(n, id)| (n.to_lowercase(), id)).collect();
    let area_rows: Vec<(Uuid, Uuid, String)> = areas::table.select((areas::id, areas::organization_id, areas::name)).load(conn).await?;
    // Shared by the lookup closures below.
    let errors = std::cell::RefCell::new(Vec::new());
    let existing_nodes: HashMap<String, Uuid> =
        catalog_nodes::table.filter(catalog_nodes::desk_id.eq(desk_id)).select((catalog_nodes::code, catalog_nodes::id)).load::<(String, Uuid)>(conn).await?.into_iter().collect();

    struct Pending<'a> {
        doc: &'a NodeDoc,
        parent_code: Option<&'a str>,
        position: i32,
        service: Option<ServiceDetail>,
    }
    let mut pending = Vec::new();
    fn flatten<'a>(nodes: &'a [NodeDoc], parent: Option<&'a str>, path: String, out: &mut Vec<(&'a NodeDoc, Option<&'a str>, i32, String)>) {
        for (i, n) in nodes.iter().enumerate() {
            out.push((n, parent, i as i32, format!("{path}.{i}")));
            flatten(&n.children, Some(&n.code), format!("{path}.{i}.children"), out);
        }
    }
    let mut flat = Vec::new();
    flatten(&doc.nodes, None, "nodes".into(), &mut flat);
    // Imported services take the desk's policy: their promises must not be shorter than its attention targets.
    let desk_policy = crate::sla::store::effective_policy(conn, desk_id, None).await?;
    for (n, parent_code, position, path) in flat {
        let service = n.service.as_ref().map(|s| {
            let sp = format!("{path}.service");
            if let (Some((policy, targets)), Some(minutes)) = (&desk_policy, s.resolution_minutes) {
                if let Some(why) = crate::sla::policy::promise_refusal(policy, targets, minutes) {
                    errors.borrow_mut().push(FieldError::new(format!("{sp}.resolution_minutes"), "below_attention_target", why));
                }
            }
            let group = |name: &str| groups.get(&name.trim().to_lowercase()).copied();
            let org = |name: &str, field: String| {
                let id = orgs.get(&name.trim().to_lowercase()).copied();
                if id.is_none() {
                    errors.borrow_mut().push(FieldError::new(field, "unknown_reference", format!("no organization named '{name}'")));
                }
                id
            };
            let routes = s
                .routes
                .iter()
                .enumerate()
                .filter_map(|(j, r)| Some(ServiceRoute { organization_id: org(&r.organization, format!("{sp}.routes.{j}.organization"))?, group_id: group(&r.group)? }))
                .collect();
            let audience = match &s.audience {
                None => Audience::everyone(),
                Some(a) => Audience {
                    everyone: a.everyone,
                    roles: a.roles.clone(),
                    area_ids: a
                        .areas
                        .iter()
                        .enumerate()
                        .filter_map(|(j, r)| {
                            let field = format!("{sp}.audience.areas.{j}");
                            let org_id = org(&r.organization, format!("{field}.organization"))?;
                            let found = area_rows.iter().find(|(_, o, name)| *o == org_id && name.to_lowercase() == r.area.trim().to_lowercase()).map(|(id, _, _)| *id);
                            if found.is_none() {
                                errors.borrow_mut().push(FieldError::new(format!("{field}.area"), "unknown_reference", format!("no area '{}' in '{}'", r.area, r.organization)));
                            }
                            found
                        })
                        .collect(),
                    group_ids: a.groups.iter().filter_map(|g| group(g)).collect(),
                },
            };
            ServiceDetail {
                objective: s.objective.clone(),
                scope: s.scope.clone(),
                audience,
                form_fields: s.form_fields.clone(),
                required_attachments: s.required_attachments.clone(),
                default_type: s.default_type,
                default_priority: s.default_priority,
                responsible_group_id: s.responsible_group.as_deref().and_then(group),
                sla_policy_id: None,
                routes,
                availability: s.availability.clone(),
                promised_resolution: s.promised_resolution.clone(),
                resolution_minutes: s.resolution_minutes,
            }
        });
        pending.push(Pending { doc: n, parent_code, position, service });
    }
    let errors = errors.into_inner();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }

    // Parents come before children in `pending`, so their ids are known when needed.
    let mut ids: HashMap<&str, Uuid> = HashMap::new();
    for p in &pending {
        let parent_id = p.parent_code.map(|c| ids[c]);
        let fields = NodeFields {
            parent_id,
            code: &p.doc.code,
            kind: p.doc.kind,
            name: p.doc.name.trim(),
            description: p.doc.description.as_deref(),
            position: p.position,
            active: p.doc.active,
        };
        let id = match existing_nodes.get(&p.doc.code) {
            Some(id) => {
                queries::update_node(conn, *id, &fields).await?;
                summary.nodes_updated += 1;
                *id
            }
            None => {
                summary.nodes_created += 1;
                queries::insert_node(conn, desk_id, &fields).await?
            }
        };
        queries::save_service(conn, id, p.service.as_ref()).await?;
        ids.insert(&p.doc.code, id);
    }
    let keep: Vec<Uuid> = ids.values().copied().collect();
    summary.nodes_deactivated =
        diesel::update(catalog_nodes::table.filter(catalog_nodes::desk_id.eq(desk_id)).filter(catalog_nodes::id.ne_all(&keep)).filter(catalog_nodes::active.eq(true)))
            .set((catalog_nodes::active.eq(false), catalog_nodes::version.eq(catalog_nodes::version + 1)))
            .execute(conn)
            .await?;
    Ok(summary)
}

/// The desk's catalog (inactive nodes included) as a document.
pub async fn export(conn: &mut AsyncPgConnection, desk: &crate::desks::domain::Desk, nodes: Vec<CatalogNode>) -> Result<CatalogDocument, AppError> {
    let group_rows: Vec<(Uuid, String, i16, bool, Option<String>)> = support_groups::table
        .filter(support_groups::desk_id.eq(desk.id))
        .order((support_groups::level, support_groups::name))
        .select((support_groups::id, support_groups::name, support_groups::level, support_groups::external_provider, support_groups::description))
        .load(conn)
        .await?;
    let group_name: HashMap<Uuid, String> = group_rows.iter().map(|(id, n, ..)| (*id, n.clone())).collect();
    let org_name: HashMap<Uuid, String> = organizations::table.select((organizations::id, organizations::name)).load::<(Uuid, String)>(conn).await?.into_iter().collect();
    let area_ref: HashMap<Uuid, AreaRef> = areas::table
        .select((areas::id, areas::organization_id, areas::name))
        .load::<(Uuid, Uuid, String)>(conn)
        .await?
        .into_iter()
        .map(|(id, org, name)| (id, AreaRef { organization: org_name.get(&org).cloned().unwrap_or_default(), area: name }))
        .collect();
    fn convert(n: CatalogNode, g: &HashMap<Uuid, String>, o: &HashMap<Uuid, String>, a: &HashMap<Uuid, AreaRef>) -> NodeDoc {
        NodeDoc {
            code: n.code,
            kind: n.kind,
            name: n.name,
            description: n.description,
            active: n.active,
            service: n.service.map(|s| ServiceDoc {
                objective: s.objective,
                scope: s.scope,
                audience: (!s.audience.everyone || !s.audience.roles.is_empty() || !s.audience.area_ids.is_empty() || !s.audience.group_ids.is_empty()).then(|| AudienceDoc {
                    everyone: s.audience.everyone,
                    roles: s.audience.roles.clone(),
                    areas: s.audience.area_ids.iter().filter_map(|id| a.get(id).cloned()).collect(),
                    groups: s.audience.group_ids.iter().filter_map(|id| g.get(id).cloned()).collect(),
                }),
                form_fields: s.form_fields,
                required_attachments: s.required_attachments,
                default_type: s.default_type,
                default_priority: s.default_priority,
                responsible_group: s.responsible_group_id.and_then(|id| g.get(&id).cloned()),
                routes: s.routes.iter().filter_map(|r| Some(RouteDoc { organization: o.get(&r.organization_id)?.clone(), group: g.get(&r.group_id)?.clone() })).collect(),
                availability: s.availability,
                promised_resolution: s.promised_resolution,
                resolution_minutes: s.resolution_minutes,
            }),
            children: n.children.into_iter().map(|c| convert(c, g, o, a)).collect(),
        }
    }
    Ok(CatalogDocument {
        format: FORMAT.into(),
        desk: DeskDoc {
            code: desk.code.clone(),
            name: desk.name.clone(),
            description: desk.description.clone(),
            mailbox: desk.mailbox.clone(),
            timezone: Some(desk.timezone.clone()),
            auto_close_hours: Some(desk.auto_close_hours),
            survey_satisfied_min: Some(desk.survey_satisfied_min),
        },
        groups: group_rows.into_iter().map(|(_, name, level, external_provider, description)| GroupDoc { name, level, external_provider, description }).collect(),
        nodes: nodes.into_iter().map(|n| convert(n, &group_name, &org_name, &area_ref)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: serde_json::Value) -> CatalogDocument {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn bad_documents_name_every_problem() {
        let d = doc(json!({
            "format": "mesa.catalog/v9",
            "desk": {"code": "TIC", "name": "TIC"},
            "groups": [{"name": "N1", "level": 1}, {"name": "n1", "level": 4}],
            "nodes": [
                {"code": "tic", "kind": "category", "name": "TIC", "children": [
                    {"code": "vpn", "kind": "service", "name": "VPN", "service": {
                        "default_type": "request", "default_priority": "medium", "responsible_group": "Nadie",
                        "form_fields": [{"key": "x", "type": "select", "label": {"es": "X"}, "required": true}],
                        "audience": {"everyone": false}}},
                    {"code": "tic", "kind": "service", "name": "", "children": []}
                ]},
                {"code": "Malo", "kind": "category", "name": "Otra", "service": {"default_type": "request", "default_priority": "low"}}
            ]
        }));
        let got: Vec<(String, String)> = validate(&d).into_iter().map(|e| (e.field, e.code)).collect();
        let expect = [
            ("format", "unsupported"),
            ("groups.1.name", "duplicate"),
            ("groups.1.level", "out_of_range"),
            ("nodes.0.children.0.service.form_fields.0.options", "required"),
            ("nodes.0.children.0.service.responsible_group", "unknown_reference"),
            ("nodes.0.children.0.service.audience", "empty"),
            ("nodes.0.children.1.code", "duplicate"),
            ("nodes.0.children.1.name", "required"),
            ("nodes.0.children.1.service", "required"),
            ("nodes.1.code", "invalid"),
            ("nodes.1.service", "not_allowed"),
        ];
        assert_eq!(got, expect.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>());
    }

    #[test]
    fn demo_catalogs_are_valid_documents() {
        for text in [include_str!("../../demo/catalog-tic.json"), include_str!("../../demo/catalog-administrativos.json")] {
            let d: CatalogDocument = serde_json::from_str(text).expect("demo catalog parses");
            assert_eq!(validate(&d), vec![], "{}", d.desk.code);
        }
    }
}
