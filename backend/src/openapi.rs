//! The API contract. Paths and schemas are collected from the handlers registered in
//! `startup::api_routes`, so the document cannot drift from the code.
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mesa API",
        description = "Open-source IT service desk for public-sector IT offices. \
            Errors are `application/problem+json` (RFC 9457) with a stable `code`; timestamps are RFC 3339 UTC; \
            lists use keyset pagination (`limit`, `cursor` → `next_cursor`); updates accept `If-Match` with the row version.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    // Enums used only as query parameters, which the route collector does not register.
    components(schemas(crate::tickets::queries::View, crate::tickets::queries::Sort)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Login (local or directory), tokens, the current user"),
        (name = "users", description = "People and their roles"),
        (name = "organizations", description = "Organizations, areas and locations"),
        (name = "desks", description = "Service desks and their settings"),
        (name = "groups", description = "Support groups (levels 1–3), members, agent availability"),
        (name = "catalog", description = "Each desk's catalog tree of categories and services; import and export"),
        (name = "tickets", description = "Cases: registration, lists and search, follow-ups, audit trail, attachments"),
        (name = "ticket actions", description = "The lifecycle: take, assign, classify, escalate, hold, resume, resolve, reject, cancel, reopen, close"),
        (name = "sla", description = "Business calendars with computed Colombian holidays, SLA policies and escalation rules"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.bearer_format = Some("JWT".into());
        http.description = Some("Access token from `POST /api/v1/auth/login` or `/auth/refresh`".into());
        components.add_security_scheme("bearer_auth", SecurityScheme::Http(http));
    }
}
