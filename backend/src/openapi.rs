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
    components(schemas(crate::tickets::lists::View, crate::tickets::lists::Sort)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Login (local or directory), tokens, the current user"),
        (name = "users", description = "People and their roles"),
        (name = "organizations", description = "Organizations, areas and locations"),
        (name = "imports", description = "Bulk loads from CSV (admins): organizations, areas and users, with a dry run reporting what would change"),
        (name = "desks", description = "Service desks and their settings"),
        (name = "groups", description = "Support groups (levels 1–3), members, agent availability"),
        (name = "catalog", description = "Each desk's catalog tree of categories and services; import and export"),
        (name = "tickets", description = "Cases: registration, lists and search, follow-ups, audit trail, attachments"),
        (name = "ticket actions", description = "The lifecycle: take, assign, classify, escalate, hold, resume, resolve, reject, cancel, reopen, close"),
        (name = "supervision", description = "A desk's day for its supervisors: open cases by group and agent, at risk, breached, unassigned; group members' availability"),
        (name = "reports", description = "Figures for supervisors and admins: volumes, backlog, SLA compliance, business times, first-contact resolution, escalations, satisfaction, top services; CSV export; the quarterly report as PDF and XLSX"),
        (name = "kb", description = "The knowledge base: articles (draft, review, published, archived), revisions and diffs, votes, suggestions while filing, deflections; articles of a case"),
        (name = "sla", description = "Business calendars with computed Colombian holidays, SLA policies and escalation rules"),
        (name = "jobs", description = "Background jobs (admins): the queue, the jobs that gave up, retrying them"),
        (name = "mail", description = "Outgoing mail: the outbox (admins), each user's optional kinds, desks' own templates"),
        (name = "webhooks", description = "Webhooks (admins): Mesa POSTs events to subscribed URLs. \
            Events: `case.registered`, `case.changed` (a change none of the specific types covers: an edit, a classification, a priority), \
            `case.state_changed`, `case.assigned`, `case.escalated`, `case.transferred`, `case.followup_added` (public follow-ups only), \
            `case.sla_at_risk`, `case.sla_breached`, `survey.answered`; `ping` from `POST /webhooks/{id}/test`. \
            Body: `{id, type, occurred_at, data}` (`id` is the event's, unique: deduplicate on it); for case events `data.ticket` is the case \
            as `GET /tickets/{number}` shows it to an admin at the moment of the change, plus the type's own fields. \
            Headers: `Mesa-Event` (the type), `Mesa-Delivery` (the delivery's id), and \
            `Mesa-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" keyed with the webhook's secret>`. \
            Receivers recompute the HMAC over the raw body, compare in constant time, and refuse a `t` more than 300 seconds \
            (5 minutes) away from their clock (the replay window). \
            2xx is delivered; anything else, a 3xx included (redirects are not followed), a timeout (10 s) or a refused address is retried \
            with exponential backoff and jitter (30 s doubling to 1 h, 10 attempts), then failed. \
            After 10 failed attempts in a row spanning at least an hour the webhook is disabled and the admins are mailed. \
            Order is not promised. Loopback, private, link-local, CGNAT, multicast and other non-public addresses are refused, \
            at creation and after DNS resolution at every delivery, unless the host is on the allowed hosts list."),
        (name = "surveys", description = "Satisfaction surveys: a desk's settings, the requester's answer by its emailed link, a case's survey, results for supervisors"),
        (name = "api tokens", description = "API tokens for integrations and scripts: scoped, optionally expiring and limited to networks, shown once, revocable"),
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
        let mut token = Http::new(HttpAuthScheme::Bearer);
        token.bearer_format = Some("mesa_…".into());
        token.description = Some(
            "API token from `POST /api/v1/api-tokens` (`mesa_` and 43 characters). Each operation lists the one scope it needs; \
             the token's user must also be allowed the operation. A token without the scope gets 403 `insufficient_scope`."
                .into(),
        );
        components.add_security_scheme(crate::api_tokens::auth::SCHEME, SecurityScheme::Http(token));
    }
}

/// The document of the registered routes, completed with what every route enforces (the
/// derive's modifiers run before utoipa-actix-web adds the paths).
pub fn complete(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    ApiTokenScopes.modify(&mut api);
    EnforcedByEveryRoute.modify(&mut api);
    DeclaredAccess.modify(&mut api);
    OptionalParametersStartEmpty.modify(&mut api);
    api
}

/// Swagger UI fills "Try it out" with every parameter's `example` and offers no way to stop it
/// (swagger-api/swagger-ui#5776): a list with sixteen optional filters, all prefilled, answers
/// nothing useful. So an optional parameter's example moves into its description, where readers
/// and generators still find it; required parameters keep theirs.
struct OptionalParametersStartEmpty;

impl Modify for OptionalParametersStartEmpty {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::Required;
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for param in ops.into_iter().flatten().flat_map(|op| op.parameters.iter_mut().flatten()) {
                if param.required == Required::True {
                    continue;
                }
                // `Parameter::example` has no accessor: edit its JSON form.
                let mut json = serde_json::to_value(&*param).expect("a parameter serializes");
                let Some(example) = json.as_object_mut().and_then(|o| o.remove("example")) else { continue };
                let shown = example.as_str().map_or_else(|| example.to_string(), str::to_owned);
                let description = param.description.take().unwrap_or_default();
                json["description"] =
                    if description.contains(&format!("`{shown}`")) { description.into() } else { format!("{description}\n\nExample: `{shown}`.").trim_start().into() };
                *param = serde_json::from_value(json).expect("the edited parameter deserializes");
            }
        }
    }
}

/// Says outright what a client needs to call an operation: the server (the one serving the
/// document; paths carry `/api/v1`) and, for the few public operations (login, refresh, logout,
/// health, the emailed survey link), an empty security list, so no linter or generator mistakes
/// "public" for "forgotten".
struct DeclaredAccess;

impl Modify for DeclaredAccess {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.servers = Some(vec![utoipa::openapi::ServerBuilder::new().url("/").description(Some("The Mesa serving this document")).build()]);
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                op.security.get_or_insert_with(Vec::new);
            }
        }
    }
}

/// Every operation that needs a login also accepts an API token holding the scope
/// `api_tokens::scopes::required` gives for its first tag and method: the document's `security`
/// says `bearer_auth` (a login) or `api_token` with that scope. The server enforces what is
/// written here (`api_tokens::auth::OperationScopes`).
struct ApiTokenScopes;

impl Modify for ApiTokenScopes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::SecurityRequirement;
        for item in openapi.paths.paths.values_mut() {
            let ops = [("GET", &mut item.get), ("POST", &mut item.post), ("PUT", &mut item.put), ("PATCH", &mut item.patch), ("DELETE", &mut item.delete)];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                if op.security.as_ref().is_none_or(|s| s.is_empty()) {
                    continue;
                }
                let scope = crate::api_tokens::scopes::required(op.tags.as_ref().and_then(|t| t.first()).map(String::as_str), method);
                op.security = Some(vec![SecurityRequirement::new("bearer_auth", Vec::<String>::new()), SecurityRequirement::new(crate::api_tokens::auth::SCHEME, [scope])]);
                op.responses
                    .responses
                    .entry("403".to_owned())
                    .or_insert_with(|| problem_response("The caller may not do this (`forbidden`), or the API token lacks the operation's scope (`insufficient_scope`)"));
            }
        }
    }
}

/// What every route enforces before or around its handler, declared once instead of on each
/// handler: a malformed body or query string (400), a body over the JSON limit (413), a NUL
/// character or an out-of-range `limit` (422), an id in the path that cannot exist (404), a
/// missing or expired token (401) and the database being unreachable (503).
struct EnforcedByEveryRoute;

impl Modify for EnforcedByEveryRoute {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for op in ops.into_iter().flatten() {
                // Every API request counts against the rate limits (`crate::rate_limit`).
                op.responses.responses.entry("429".to_owned()).or_insert_with(rate_limited_response);
                if path.ends_with("/health") {
                    continue;
                }
                let params = op.parameters.as_deref().unwrap_or_default();
                let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
                let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
                let has_body = op.request_body.is_some();
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let mut add = |status: &str, description: &str| {
                    op.responses.responses.entry(status.to_owned()).or_insert_with(|| problem_response(description));
                };
                if has_body || has_query {
                    add("400", "Malformed request: a body that is not one JSON value of the declared type, or a query string that does not parse (`bad_request`)");
                }
                // A malformed `If-Match` is a 422 naming it, like a bad field.
                let has_if_match = params.iter().any(|p| p.parameter_in == ParameterIn::Header && p.name == "If-Match");
                if has_body || has_query || has_if_match {
                    add("422", "A field, query parameter or `If-Match` is invalid; `errors` names each one (`validation_failed`)");
                }
                if has_body {
                    add("413", "The body is larger than the JSON limit of 256 KiB (`payload_too_large`)");
                }
                if has_path {
                    add("404", "No such resource, or one the caller may not see (`not_found`)");
                }
                if secured {
                    add("401", "Missing, invalid or expired access token (`invalid_token`)");
                }
                add("503", "The database cannot be reached; `Retry-After` says when to try again (`database_unavailable`)");
                for param in op.parameters.iter_mut().flatten() {
                    match (&param.parameter_in, param.name.as_str()) {
                        (ParameterIn::Query, "limit") => bound_page_limit(param),
                        (ParameterIn::Query, "cursor") => constrain_string(param, |s| s.min_length = Some(1)),
                        // What `http::IfMatch` parses: `*`, or a row version, quoted or not, weak or not.
                        (ParameterIn::Header, "If-Match") => constrain_string(param, |s| {
                            s.schema_type = utoipa::openapi::schema::SchemaType::Type(utoipa::openapi::Type::String);
                            s.pattern = Some(r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#.into());
                        }),
                        _ => {}
                    }
                }
            }
        }
    }
}

/// 429 with the `Retry-After` and RateLimit fields the rate limiter sends.
fn rate_limited_response() -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{header::HeaderBuilder, ContentBuilder, Ref, ResponseBuilder};
    let number = |description: &str| {
        HeaderBuilder::new()
            .schema(utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer).minimum(Some(0)))
            .description(Some(description))
            .build()
    };
    let text = |description: &str| {
        HeaderBuilder::new().schema(utoipa::openapi::schema::ObjectBuilder::new().schema_type(utoipa::openapi::Type::String)).description(Some(description)).build()
    };
    ResponseBuilder::new()
        .description("Too many requests for this token or from this address (`rate_limited`); `Retry-After` says when to try again. Every answer carries the RateLimit fields (draft-ietf-httpapi-ratelimit-headers-07)")
        .header("Retry-After", number("Seconds to wait"))
        .header("RateLimit-Limit", number("Requests allowed per minute (the tighter of the token's and the address's limit)"))
        .header("RateLimit-Remaining", number("Requests left now"))
        .header("RateLimit-Reset", number("Seconds until the whole quota is available again"))
        .header("RateLimit-Policy", text("The limit and its window, e.g. `600;w=60`"))
        .content(crate::error::PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build()
        .into()
}

fn problem_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new().description(description).content(crate::error::PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build()).build().into()
}

/// `limit`: 1 to [`crate::http::MAX_PAGE`], as `page_limit` enforces, unless the parameter
/// declares its own bounds.
fn bound_page_limit(param: &mut utoipa::openapi::path::Parameter) {
    use utoipa::openapi::{RefOr, Schema};
    if let Some(RefOr::T(Schema::Object(schema))) = param.schema.as_mut().filter(|s| !matches!(s, RefOr::T(Schema::Object(o)) if o.maximum.is_some())) {
        schema.minimum = Some(1.into());
        schema.maximum = Some((crate::http::MAX_PAGE as usize).into());
        schema.default = Some(crate::http::DEFAULT_PAGE.into());
    }
}

fn constrain_string(param: &mut utoipa::openapi::path::Parameter, constrain: impl FnOnce(&mut utoipa::openapi::schema::Object)) {
    use utoipa::openapi::{RefOr, Schema};
    if let Some(RefOr::T(Schema::Object(schema))) = param.schema.as_mut() {
        constrain(schema);
    }
}
