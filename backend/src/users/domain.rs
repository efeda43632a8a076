use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::schema::users;
use crate::text_enum;

text_enum! {
    /// What a person may do: requesters file cases, agents work them, supervisors run a desk, admins configure Mesa.
    pub enum Role { Requester => "requester", Agent => "agent", Supervisor => "supervisor", Admin => "admin" }
}

text_enum! {
    /// Where the password is checked: Mesa's own argon2id hash, or the directory (LDAP / Active Directory).
    pub enum AuthSource { Local => "local", Directory => "directory" }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub auth_source: AuthSource,
    pub password_hash: Option<String>,
    pub directory_dn: Option<String>,
    pub active: bool,
    pub locale: String,
    pub organization_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub location_id: Option<Uuid>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    pub absent_until: Option<DateTime<Utc>>,
    pub absence_note: Option<String>,
    /// Access tokens carry it; raising it ends them (see migration 000017).
    pub token_generation: i32,
    /// The identity document's number (cédula), from the directory or the profile.
    pub identity_number: Option<String>,
}

/// A person as the API shows them (never the password hash).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct User {
    #[schema(example = "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34")]
    pub id: Uuid,
    #[schema(example = "lucia.martinez")]
    pub username: String,
    #[schema(example = "Lucía Martínez")]
    pub display_name: String,
    #[schema(example = "lucia.martinez@cali.gov.co")]
    pub email: Option<String>,
    #[schema(example = "602 885 6000 ext. 2310")]
    pub phone: Option<String>,
    pub role: Role,
    pub auth_source: AuthSource,
    #[schema(example = json!(true))]
    pub active: bool,
    /// BCP 47 tag of the preferred language: `es-CO` or `en`.
    #[schema(example = "es-CO")]
    pub locale: String,
    #[schema(example = "0193a5a5-6071-7283-9e95-0f1a2b3c4d56")]
    pub organization_id: Option<Uuid>,
    #[schema(example = "0193a5a6-7182-7394-8fa6-1a2b3c4d5e67")]
    pub area_id: Option<Uuid>,
    #[schema(example = "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78")]
    pub location_id: Option<Uuid>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub last_login_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-03-02T13:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    /// Row version, for `If-Match` on updates.
    #[schema(example = 3)]
    pub version: i32,
    /// Agents: absent (not assigned new cases) until this instant.
    pub absent_until: Option<DateTime<Utc>>,
    pub absence_note: Option<String>,
    /// The identity document's number (cédula); a desk may require it at registration.
    #[schema(example = "52123456")]
    pub identity_number: Option<String>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            phone: r.phone,
            role: r.role,
            auth_source: r.auth_source,
            active: r.active,
            locale: r.locale,
            organization_id: r.organization_id,
            area_id: r.area_id,
            location_id: r.location_id,
            last_login_at: r.last_login_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            absent_until: r.absent_until,
            absence_note: r.absence_note,
            identity_number: r.identity_number,
        }
    }
}

pub const LOCALES: &[&str] = &["es-CO", "en"];

/// Login names are compared lowercased, as Active Directory does.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// A username Mesa itself accepts for local accounts: letters, digits and `._-`, 2–64 chars.
pub fn validate_username(name: &str) -> Result<(), &'static str> {
    let len = name.chars().count();
    if !(2..=64).contains(&len) {
        return Err("must be 2 to 64 characters");
    }
    if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        return Err("may contain only letters, digits, '.', '_' and '-'");
    }
    Ok(())
}

/// An identity document's number as stored: trimmed, without the dots and spaces people write
/// in a cédula ("52.123.456"), so the same document always compares equal. Letters are kept
/// (passports, foreigners' IDs), uppercased.
pub fn normalize_identity_number(raw: &str) -> Result<String, &'static str> {
    let n: String = raw.chars().filter(|c| !matches!(c, '.' | ' ')).flat_map(char::to_uppercase).collect();
    if n.is_empty() {
        return Err("must not be blank");
    }
    if n.chars().count() > 30 {
        return Err("must be at most 30 characters");
    }
    if !n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err("may contain only letters, digits and '-'");
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers() {
        assert_eq!(normalize_identity_number(" 52.123.456 ").unwrap(), "52123456");
        assert_eq!(normalize_identity_number("pa-123 456").unwrap(), "PA-123456");
        assert!(normalize_identity_number(" . ").is_err());
        assert!(normalize_identity_number("1234567890123456789012345678901").is_err());
        assert!(normalize_identity_number("52;DROP").is_err());
    }

    #[test]
    fn usernames() {
        assert_eq!(normalize_username("  Maria.Gomez "), "maria.gomez");
        assert!(validate_username("maria.gomez").is_ok());
        assert!(validate_username("josé.peña").is_ok());
        assert!(validate_username("a").is_err());
        assert!(validate_username("a b").is_err());
        assert!(validate_username("x*)(uid=*").is_err());
    }

    #[test]
    fn role_round_trips() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.as_str()));
        }
        assert!("root".parse::<Role>().is_err());
        for a in AuthSource::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), serde_json::json!(a.as_str()));
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"absent_until": "2026-12-11T22:00:00Z", "note": "Vacaciones; regresa el 14 de diciembre"}))]
pub struct SetAvailability {
    /// Absent (no new assignments) until this instant; `null` = available.
    pub absent_until: Option<DateTime<Utc>>,
    #[schema(max_length = 300)]
    pub note: Option<String>,
}
