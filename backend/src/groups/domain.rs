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
    pub id: Uuid,
    pub desk_id: Uuid,
    pub name: String,
    /// 1 first level (agents), 2 specialists, 3 providers / vendors.
    #[schema(minimum = 1, maximum = 3)]
    pub level: i16,
    /// An external provider (vendor) rather than staff.
    pub external_provider: bool,
    pub description: Option<String>,
    pub active: bool,
    pub member_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
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
pub struct SetMembers {
    /// The complete member list (agents, supervisors or admins).
    pub user_ids: Vec<Uuid>,
}
