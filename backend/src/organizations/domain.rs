use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::{areas, locations, organizations};
use crate::validate::double_option;

/// A public body (e.g. a city's Secretaría de Hacienda). One install serves many.
#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = organizations, check_for_backend(diesel::pg::Pg))]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub short_name: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganization {
    #[schema(min_length = 1, max_length = 160, example = "Secretaría de Hacienda")]
    pub name: String,
    #[schema(max_length = 20, example = "SHAC")]
    pub short_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganization {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 20, value_type = Option<String>)]
    pub short_name: Option<Option<String>>,
    pub active: Option<bool>,
}

/// A unit inside an organization (área, dependencia).
#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = areas, check_for_backend(diesel::pg::Pg))]
pub struct Area {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateArea {
    pub organization_id: Uuid,
    #[schema(min_length = 1, max_length = 160, example = "Subdirección de Tecnología")]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArea {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// A physical site (sede).
#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = locations, check_for_backend(diesel::pg::Pg))]
pub struct Location {
    pub id: Uuid,
    pub organization_id: Option<Uuid>,
    pub name: String,
    pub address: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLocation {
    #[schema(min_length = 1, max_length = 160, example = "CAM - Torre Alcaldía, piso 5")]
    pub name: String,
    #[schema(max_length = 300)]
    pub address: Option<String>,
    pub organization_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLocation {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(max_length = 300, value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<Organization>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AreaPage {
    pub items: Vec<Area>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LocationPage {
    pub items: Vec<Location>,
    pub next_cursor: Option<String>,
}

pub const NAME_MAX: usize = 160;
