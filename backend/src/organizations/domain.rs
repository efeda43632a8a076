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
    #[schema(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub id: Uuid,
    #[schema(example = "Secretaría de Hacienda")]
    pub name: String,
    #[schema(example = "SHAC")]
    pub short_name: Option<String>,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = "2026-01-15T14:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 1)]
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Secretaría de Hacienda", "short_name": "SHAC"}))]
pub struct CreateOrganization {
    #[schema(min_length = 1, max_length = 160, example = "Secretaría de Hacienda")]
    pub name: String,
    #[schema(max_length = 20, example = "SHAC")]
    pub short_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Secretaría de Hacienda Distrital", "short_name": "SHD"}))]
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
    #[schema(example = "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67")]
    pub id: Uuid,
    #[schema(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Uuid,
    #[schema(example = "Subdirección de Tesorería")]
    pub name: String,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = "2026-01-15T14:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 1)]
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56", "name": "Subdirección de Tesorería"}))]
pub struct CreateArea {
    pub organization_id: Uuid,
    #[schema(min_length = 1, max_length = 160, example = "Subdirección de Tecnología")]
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Subdirección de Tesorería Distrital"}))]
pub struct UpdateArea {
    #[schema(min_length = 1, max_length = 160)]
    pub name: Option<String>,
    pub active: Option<bool>,
}

/// A physical site (sede).
#[derive(Clone, Debug, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = locations, check_for_backend(diesel::pg::Pg))]
pub struct Location {
    #[schema(example = "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78")]
    pub id: Uuid,
    #[schema(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Option<Uuid>,
    #[schema(example = "CAM - Torre Alcaldía, piso 4")]
    pub name: String,
    #[schema(example = "Avenida 2 Norte # 10-70, Cali")]
    pub address: Option<String>,
    #[schema(example = json!(true))]
    pub active: bool,
    #[schema(example = "2026-01-15T14:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 1)]
    pub version: i32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "CAM - Torre Alcaldía, piso 4", "address": "Avenida 2 Norte # 10-70, Cali", "organization_id": "0193a5a5-6071-7283-9e95-0f1a2b3c4d56"}))]
pub struct CreateLocation {
    #[schema(min_length = 1, max_length = 160, example = "CAM - Torre Alcaldía, piso 5")]
    pub name: String,
    #[schema(max_length = 300)]
    pub address: Option<String>,
    pub organization_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"address": "Avenida 2 Norte # 10-70, piso 4, Cali"}))]
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
