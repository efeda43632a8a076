use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::support_groups;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = support_groups, check_for_backend(diesel::pg::Pg))]
pub struct GroupRow {
    pub id: Uuid,
    pub desk_id: Uuid,
    pub name: String,
    pub level: i16,
    pub external_provider: bool,
    pub description: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Group {
    #[schema(example = "0193a5a2-3d4e-7f50-8b62-7c8d9e0f1a23")]
    pub id: Uuid,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    #[schema(example = "Mesa de servicios - Nivel 1")]
    pub name: String,
    /// 1 first level (agents), 2 specialists, 3 providers / vendors.
    #[schema(minimum = 1, maximum = 3, example = 1)]
    pub level: i16,
    /// An external provider (vendor) rather than staff.
    #[schema(example = json!(false))]
    pub external_provider: bool,
    #[schema(example = "Técnicos de primer nivel de la Secretaría de Hacienda")]
    pub description: Option<String>,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = json!(["0193a5a4-5f60-7172-8d84-9e0f1a2b3c45", "0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"]))]
    pub member_ids: Vec<Uuid>,
    #[schema(example = "2026-01-15T14:05:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 2)]
    pub version: i32,
}

impl Group {
    pub fn from_row(r: GroupRow, member_ids: Vec<Uuid>) -> Self {
        Group {
            id: r.id,
            desk_id: r.desk_id,
            name: r.name,
            level: r.level,
            external_provider: r.external_provider,
            description: r.description,
            active: r.active,
            member_ids,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "desk_id": "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01",
    "name": "Mesa de servicios - Nivel 1",
    "level": 1,
    "description": "Técnicos de primer nivel de la Secretaría de Hacienda",
    "external_provider": false
}))]
pub struct CreateGroup {
    pub desk_id: Uuid,
    #[schema(min_length = 1, max_length = 160, example = "Mesa de servicios - Nivel 1")]
    pub name: String,
    #[schema(minimum = 1, maximum = 3)]
    pub level: i16,
    #[serde(default)]
    pub external_provider: bool,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Soporte en sitio - Nivel 1", "description": "Técnicos de primer nivel en sitio"}))]
pub struct UpdateGroup {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    #[schema(minimum = 1, maximum = 3)]
    pub level: Option<i16>,
    pub external_provider: Option<bool>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(max_length = 2000, value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_ids": ["0193a5a4-5f60-7172-8d84-9e0f1a2b3c45", "0193a5b1-2d3e-7f40-9b5c-6d7e8f9a0b1c"]}))]
pub struct SetMembers {
    /// The complete member list (agents, supervisors or admins).
    pub user_ids: Vec<Uuid>,
}
