use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::form::{AttachmentRequirement, FormField};
use crate::text_enum;
use crate::tickets::domain::{Priority, TicketType};
use crate::users::domain::Role;

text_enum! {
    /// Categories group; services are what a requester picks.
    pub enum NodeKind { Category => "category", Service => "service" }
}

/// Who may request a service: everyone, or anyone matching one of the lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    pub everyone: bool,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub area_ids: Vec<Uuid>,
    #[serde(default)]
    pub group_ids: Vec<Uuid>,
}

impl Audience {
    pub fn everyone() -> Self {
        Audience { everyone: true, ..Default::default() }
    }
}

/// What the catalog needs to know about the person looking at it.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub role: Role,
    pub area_id: Option<Uuid>,
    pub group_ids: Vec<Uuid>,
}

impl Viewer {
    /// Agents, supervisors and admins see the whole catalog (they register cases on behalf of others).
    pub fn sees_everything(&self) -> bool {
        self.role != Role::Requester
    }

    pub fn may_request(&self, audience: &Audience) -> bool {
        audience.everyone
            || audience.roles.contains(&self.role)
            || self.area_id.is_some_and(|a| audience.area_ids.contains(&a))
            || self.group_ids.iter().any(|g| audience.group_ids.contains(g))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56", "group_id": "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23"}))]
pub struct ServiceRoute {
    pub organization_id: Uuid,
    pub group_id: Uuid,
}

/// A service: what it is, who may ask for it, what a request must bring, who solves it, how fast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
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
pub struct ServiceDetail {
    pub objective: Option<String>,
    pub scope: Option<String>,
    pub audience: Audience,
    pub form_fields: Vec<FormField>,
    pub required_attachments: Vec<AttachmentRequirement>,
    pub default_type: TicketType,
    pub default_priority: Priority,
    /// First-level group when no route matches the requester's organization.
    pub responsible_group_id: Option<Uuid>,
    pub sla_policy_id: Option<Uuid>,
    /// Organization-specific responsible groups.
    pub routes: Vec<ServiceRoute>,
    /// When it is provided, e.g. "Lunes a viernes 8:00 a.m. – 5:00 p.m.".
    pub availability: Option<String>,
    /// The promise as users read it, e.g. "2 horas y media".
    pub promised_resolution: Option<String>,
    /// The same promise in business minutes.
    pub resolution_minutes: Option<i32>,
}

impl ServiceDetail {
    /// The group that solves this service for a requester of `organization`.
    pub fn responsible_group_for(&self, organization: Option<Uuid>) -> Option<Uuid> {
        organization.and_then(|org| self.routes.iter().find(|r| r.organization_id == org)).map(|r| r.group_id).or(self.responsible_group_id)
    }
}

/// One node of a desk's catalog, with its children in order.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CatalogNode {
    #[schema(example = "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12")]
    pub id: Uuid,
    #[schema(example = "0193a5ab-c6d7-78e9-94fb-6f708192a3bc")]
    pub parent_id: Option<Uuid>,
    /// Stable slug, unique in the desk; import/export match nodes by it.
    #[schema(example = "impresoras")]
    pub code: String,
    pub kind: NodeKind,
    #[schema(example = "Impresoras y escáneres")]
    pub name: String,
    #[schema(example = "Fallas de impresión, escaneo y tóner")]
    pub description: Option<String>,
    #[schema(example = 2)]
    pub position: i32,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = 3)]
    pub version: i32,
    /// Present on services.
    pub service: Option<ServiceDetail>,
    #[schema(no_recursion)]
    #[serde(default)]
    pub children: Vec<CatalogNode>,
}
