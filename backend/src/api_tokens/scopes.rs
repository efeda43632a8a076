//! What an API token may do: one table from OpenAPI tag and method to scope. The OpenAPI document
//! declares each operation's scope from it (`openapi::ApiTokenScopes`) and the server enforces
//! the scope the document declares (`api_tokens::auth`), so they cannot differ.
use crate::users::domain::Role;

pub const ADMIN: &str = "admin";

/// Every scope a token may hold. Scopes are independent: `admin` covers the operations listed
/// under it (changing users, jobs, mail, API tokens, settings), not the others.
pub const SCOPES: &[&str] =
    &["tickets:read", "tickets:write", "catalog:read", "catalog:write", "kb:read", "kb:write", "reports:read", "users:read", "profile:read", "profile:write", ADMIN];

/// Tag → (scope of GET/HEAD, scope of other methods). A tag missing here needs `admin`: an
/// operation added later is never open to more tokens than intended.
const BY_TAG: &[(&str, &str, &str)] = &[
    ("tickets", "tickets:read", "tickets:write"),
    ("ticket actions", "tickets:read", "tickets:write"),
    ("surveys", "tickets:read", "tickets:write"),
    ("catalog", "catalog:read", "catalog:write"),
    // The reference data an integration reads to file a case; changing it is an admin's job.
    ("desks", "catalog:read", ADMIN),
    ("organizations", "catalog:read", ADMIN),
    ("groups", "catalog:read", ADMIN),
    ("sla", "catalog:read", ADMIN),
    ("kb", "kb:read", "kb:write"),
    ("reports", "reports:read", ADMIN),
    ("supervision", "reports:read", ADMIN),
    // Looking up the person a case is for; changing people is an admin's job.
    ("users", "users:read", ADMIN),
    ("auth", "profile:read", "profile:write"),
];

/// The scope an operation with this (first) tag and method needs.
pub fn required(tag: Option<&str>, method: &str) -> &'static str {
    let read = matches!(method.to_ascii_uppercase().as_str(), "GET" | "HEAD");
    match tag.and_then(|t| BY_TAG.iter().find(|(name, ..)| *name == t)) {
        Some((_, r, _)) if read => r,
        Some((_, _, w)) => w,
        None => ADMIN,
    }
}

/// The scopes a user of this role may put on a token acting as them: none their role could
/// never use (`admin` is for admins; reports and catalog changes for supervisors and admins).
pub fn grantable(role: Role, scope: &str) -> bool {
    match scope {
        ADMIN => role == Role::Admin,
        "reports:read" | "catalog:write" => matches!(role, Role::Admin | Role::Supervisor),
        "users:read" => matches!(role, Role::Admin | Role::Supervisor | Role::Agent),
        _ => SCOPES.contains(&scope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_and_tags_map_to_scopes() {
        assert_eq!(required(Some("tickets"), "GET"), "tickets:read");
        assert_eq!(required(Some("tickets"), "head"), "tickets:read");
        assert_eq!(required(Some("ticket actions"), "POST"), "tickets:write");
        assert_eq!(required(Some("desks"), "GET"), "catalog:read");
        assert_eq!(required(Some("desks"), "PATCH"), ADMIN);
        assert_eq!(required(Some("reports"), "GET"), "reports:read");
        assert_eq!(required(Some("users"), "GET"), "users:read");
        assert_eq!(required(Some("users"), "PATCH"), ADMIN);
        assert_eq!(required(Some("jobs"), "GET"), ADMIN, "unlisted tags need admin");
        assert_eq!(required(Some("something new"), "DELETE"), ADMIN);
        assert_eq!(required(None, "GET"), ADMIN);
    }

    #[test]
    fn every_scope_in_the_table_exists() {
        for (_, r, w) in BY_TAG {
            assert!(SCOPES.contains(r) && SCOPES.contains(w), "{r} {w}");
        }
    }

    #[test]
    fn roles_cap_what_they_grant() {
        assert!(grantable(Role::Admin, ADMIN));
        assert!(!grantable(Role::Supervisor, ADMIN));
        assert!(!grantable(Role::Requester, ADMIN));
        assert!(!grantable(Role::Requester, "reports:read"));
        assert!(!grantable(Role::Agent, "catalog:write"));
        assert!(grantable(Role::Supervisor, "reports:read"));
        assert!(grantable(Role::Requester, "tickets:write"));
        assert!(grantable(Role::Agent, "users:read"));
        assert!(!grantable(Role::Requester, "users:read"));
        assert!(!grantable(Role::Admin, "tickets:delete"), "unknown scopes never");
    }
}
