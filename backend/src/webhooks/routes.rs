//! The admins' webhook routes: the webhooks, their delivery log, a test event, re-enabling, and
//! the hosts allowed past the SSRF guard.
use std::collections::HashSet;

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::delivery::RETRY;
use super::domain::{self, EVENTS, PING};
use super::guard;
use crate::auth::CurrentUser;
use crate::db::schema::{webhook_allowed_hosts, webhook_deliveries, webhooks};
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{etag, page_limit, paginate, Cursor, IfMatch, JsonBody};
use crate::state::AppState;
use crate::validate::Errors;

/// The webhook routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_allowed_hosts)
        .service(put_allowed_hosts)
        .service(get_webhook)
        .service(update_webhook)
        .service(delete_webhook)
        .service(rotate_secret)
        .service(enable_webhook)
        .service(test_webhook)
        .service(list_deliveries)
        .service(retry_delivery);
}

/// Most webhooks an install may have (each change of a case is written once per subscriber).
const MAX_WEBHOOKS: i64 = 100;
/// Most hosts on the allow list.
const MAX_ALLOWED_HOSTS: usize = 100;

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhooks, check_for_backend(diesel::pg::Pg))]
struct WebhookRow {
    id: Uuid,
    url: String,
    description: Option<String>,
    events: Vec<String>,
    secret: String,
    active: bool,
    consecutive_failures: i32,
    disabled_at: Option<DateTime<Utc>>,
    disabled_reason: Option<String>,
    created_by_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    version: i32,
}

/// A webhook. Its secret is shown only when created and when rotated.
#[derive(Serialize, ToSchema)]
pub struct Webhook {
    #[schema(example = "0193a5ac-d7e8-79fa-a50c-708192a3b4cd")]
    pub id: Uuid,
    /// Where events are POSTed.
    #[schema(example = "https://orfeo.cali.gov.co/integraciones/mesa")]
    pub url: String,
    #[schema(example = "Gestión documental: estado de los radicados")]
    pub description: Option<String>,
    /// The event types it receives.
    #[schema(example = json!(["case.registered", "case.state_changed"]))]
    pub events: Vec<String>,
    /// Inactive: no event is queued for it and its pending deliveries wait (disabled by an admin,
    /// or by Mesa after failing for long: see `disabled_reason`).
    #[schema(example = json!(true))]
    pub active: bool,
    /// Failed attempts since its last success.
    #[schema(example = 0)]
    pub consecutive_failures: i32,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    #[schema(example = "0193a5ae-f90a-7b1c-872e-92a3b4c5d6ef")]
    pub created_by_id: Option<Uuid>,
    #[schema(example = "2026-11-02T15:00:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: DateTime<Utc>,
    #[schema(example = 2)]
    pub version: i32,
    /// The HMAC-SHA256 key (only in the answers of creation and rotation): keep it in the
    /// receiver to check `Mesa-Signature`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl Webhook {
    fn from_row(r: WebhookRow, with_secret: bool) -> Webhook {
        Webhook {
            id: r.id,
            url: r.url,
            description: r.description,
            events: r.events,
            active: r.active,
            consecutive_failures: r.consecutive_failures,
            disabled_at: r.disabled_at,
            disabled_reason: r.disabled_reason,
            created_by_id: r.created_by_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            secret: with_secret.then_some(r.secret),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://orfeo.cali.gov.co/integraciones/mesa",
    "events": ["case.registered", "case.state_changed"],
    "description": "Gestión documental: estado de los radicados",
    "active": true
}))]
pub struct CreateWebhook {
    /// http:// or https://, no user or password, at most 2000 characters. A host that is (or
    /// resolves to) a loopback, private or link-local address is refused unless allowed.
    pub url: String,
    pub description: Option<String>,
    /// Event types (see the tag's description), at least one.
    pub events: Vec<String>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"events": ["case.registered", "case.state_changed", "survey.answered"], "active": true}))]
pub struct UpdateWebhook {
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    pub events: Option<Vec<String>>,
    /// false pauses it; true enables it again (as `POST …/enable`).
    pub active: Option<bool>,
}

async fn allowed(conn: &mut AsyncPgConnection) -> AppResult<HashSet<String>> {
    Ok(super::delivery::allowed_hosts(conn).await?)
}

/// The `url` and `events` fields checked; `Errors` name each one at fault.
fn check_url(e: &mut Errors, raw: &str, allowed: &HashSet<String>) -> String {
    if raw.contains('\0') {
        e.add("url", "invalid_character", "must not contain the NUL character");
        return String::new();
    }
    match domain::parse_url(raw) {
        Ok(u) => {
            if let Err(why) = guard::check_literal(&u, allowed) {
                e.add("url", "forbidden_address", why);
            } else if u.host_str().is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h.to_ascii_lowercase().ends_with(".localhost"))
                && !allowed.contains(&u.host_str().unwrap_or("").to_ascii_lowercase())
            {
                // Names are checked again after resolution at every delivery; `localhost` is
                // refused already here as it can only be loopback (RFC 6761).
                e.add("url", "forbidden_address", "localhost is loopback; an admin may allow the host");
            }
            u.to_string()
        }
        Err(m) => {
            e.add("url", "invalid", m);
            String::new()
        }
    }
}

fn check_events(e: &mut Errors, events: &[String]) -> Vec<String> {
    if events.is_empty() {
        e.add("events", "required", "must name at least one event type");
    }
    let mut out: Vec<String> = Vec::new();
    for (i, ev) in events.iter().enumerate() {
        if !EVENTS.contains(&ev.as_str()) {
            e.add(&format!("events.{i}"), "invalid_choice", format!("unknown event type; one of {}", EVENTS.join(", ")));
        } else if !out.contains(ev) {
            out.push(ev.clone());
        }
    }
    out
}

async fn load(conn: &mut AsyncPgConnection, id: Uuid) -> AppResult<WebhookRow> {
    Ok(webhooks::table.find(id).select(WebhookRow::as_select()).first(conn).await?)
}

/// The webhooks, oldest first (admins).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])),
    responses((status = 200, body = Vec<Webhook>), Unauthenticated, Forbidden))]
#[get("/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<Vec<Webhook>>> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let rows: Vec<WebhookRow> = webhooks::table.select(WebhookRow::as_select()).order((webhooks::created_at, webhooks::id)).load(&mut conn).await?;
    Ok(web::Json(rows.into_iter().map(|r| Webhook::from_row(r, false)).collect()))
}

/// Subscribe a URL to events (admins). The answer carries the secret, shown this once.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), request_body = CreateWebhook,
    responses((status = 201, body = Webhook), Unauthenticated, Forbidden,
        (status = 409, description = "Too many webhooks (`too_many_webhooks`)", body = crate::error::Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/webhooks")]
pub async fn create_webhook(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateWebhook>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let b = body.0;
    let mut conn = state.pool.get().await?;
    let allowed = allowed(&mut conn).await?;
    let mut e = Errors::default();
    let url = check_url(&mut e, &b.url, &allowed);
    let description = e.optional_text("description", b.description.as_deref(), 500);
    let events = check_events(&mut e, &b.events);
    e.finish()?;
    let count: i64 = webhooks::table.count().get_result(&mut conn).await?;
    if count >= MAX_WEBHOOKS {
        return Err(AppError::conflict("too_many_webhooks", format!("at most {MAX_WEBHOOKS} webhooks")));
    }
    let now = Utc::now();
    let row: WebhookRow = diesel::insert_into(webhooks::table)
        .values((
            webhooks::id.eq(Uuid::now_v7()),
            webhooks::url.eq(url),
            webhooks::description.eq(description),
            webhooks::events.eq(events),
            webhooks::secret.eq(domain::new_secret()),
            webhooks::active.eq(b.active.unwrap_or(true)),
            webhooks::created_by_id.eq(user.0.id),
            webhooks::created_at.eq(now),
            webhooks::updated_at.eq(now),
        ))
        .returning(WebhookRow::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(row.version)).json(Webhook::from_row(row, true)))
}

/// One webhook (admins).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Webhook), Unauthenticated, Forbidden, NotFound))]
#[get("/webhooks/{id}")]
pub async fn get_webhook(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let row = load(&mut conn, *id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(Webhook::from_row(row, false)))
}

/// Change a webhook (admins); `If-Match` with the ETag guards against concurrent edits.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), request_body = UpdateWebhook,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "ETag (row version) read before editing", example = "\"4\"")),
    responses((status = 200, body = Webhook), Unauthenticated, Forbidden, NotFound, Stale, Invalid))]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<UpdateWebhook>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (id, b) = (*id, body.0);
    let mut conn = state.pool.get().await?;
    let allowed = allowed(&mut conn).await?;
    let mut e = Errors::default();
    let url = b.url.as_deref().map(|u| check_url(&mut e, u, &allowed));
    let description = b.description.map(|d| e.optional_text("description", d.as_deref(), 500));
    let events = b.events.as_deref().map(|ev| check_events(&mut e, ev));
    e.finish()?;
    let row = conn
        .transaction(async move |conn| -> AppResult<WebhookRow> {
            let current: WebhookRow = webhooks::table.find(id).select(WebhookRow::as_select()).for_update().first(conn).await?;
            if_match.check(current.version)?;
            let now = Utc::now();
            let active = b.active.unwrap_or(current.active);
            let reenabled = active && !current.active;
            let row = diesel::update(webhooks::table.find(id))
                .set((
                    webhooks::url.eq(url.unwrap_or(current.url)),
                    webhooks::description.eq(description.unwrap_or(current.description)),
                    webhooks::events.eq(events.unwrap_or(current.events)),
                    webhooks::active.eq(active),
                    webhooks::updated_at.eq(now),
                    webhooks::version.eq(current.version + 1),
                ))
                .returning(WebhookRow::as_returning())
                .get_result(conn)
                .await?;
            // Enabled again: as `POST …/enable`, the run of failures starts afresh.
            Ok(if reenabled { clear_failures(conn, id).await? } else { row })
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(Webhook::from_row(row, false)))
}

/// A webhook active again: its run of failures forgotten, its disabling cleared.
async fn clear_failures(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<WebhookRow> {
    diesel::update(webhooks::table.find(id))
        .set((
            webhooks::active.eq(true),
            webhooks::consecutive_failures.eq(0),
            webhooks::failing_since.eq(None::<DateTime<Utc>>),
            webhooks::disabled_at.eq(None::<DateTime<Utc>>),
            webhooks::disabled_reason.eq(None::<String>),
        ))
        .returning(WebhookRow::as_returning())
        .get_result(conn)
        .await
}

/// Delete a webhook and its delivery log (admins).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Deleted"), Unauthenticated, Forbidden, NotFound))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    match diesel::delete(webhooks::table.find(*id)).execute(&mut conn).await? {
        0 => Err(AppError::NotFound),
        _ => Ok(HttpResponse::NoContent().finish()),
    }
}

/// A new secret for a webhook (admins): the old one stops signing at once. The answer carries
/// the new secret, shown this once.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Webhook), Unauthenticated, Forbidden, NotFound))]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let row: WebhookRow = diesel::update(webhooks::table.find(*id))
        .set((webhooks::secret.eq(domain::new_secret()), webhooks::updated_at.eq(Utc::now()), webhooks::version.eq(webhooks::version + 1)))
        .returning(WebhookRow::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(Webhook::from_row(row, true)))
}

/// Enable a webhook again, e.g. after Mesa disabled it (admins): its pending deliveries are
/// sent, its run of failures starts afresh.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Webhook), Unauthenticated, Forbidden, NotFound))]
#[post("/webhooks/{id}/enable")]
pub async fn enable_webhook(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let id = *id;
    let mut conn = state.pool.get().await?;
    let row = conn
        .transaction(async |conn| -> QueryResult<WebhookRow> {
            diesel::update(webhooks::table.find(id)).set((webhooks::version.eq(webhooks::version + 1), webhooks::updated_at.eq(Utc::now()))).execute(conn).await?;
            clear_failures(conn, id).await
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(row.version)).json(Webhook::from_row(row, false)))
}

/// Where a delivery stands. `sending`: a runner holds it now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Sending,
    Delivered,
    Failed,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries, check_for_backend(diesel::pg::Pg))]
struct DeliveryRow {
    id: Uuid,
    webhook_id: Uuid,
    event_id: Uuid,
    event_type: String,
    payload: serde_json::Value,
    state: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
    last_status_code: Option<i32>,
    last_error: Option<String>,
    last_attempt_at: Option<DateTime<Utc>>,
    delivered_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

/// One delivery of one event to one webhook.
#[derive(Serialize, ToSchema)]
pub struct Delivery {
    #[schema(example = "0193a5c4-1d2e-7f30-8a41-5b6c7d8e9f01")]
    pub id: Uuid,
    #[schema(example = "0193a5ac-d7e8-79fa-a50c-708192a3b4cd")]
    pub webhook_id: Uuid,
    /// The envelope's `id`: the same in every webhook's delivery of the event.
    #[schema(example = "0193a5c5-2e3f-7041-9b52-6c7d8e9f0a12")]
    pub event_id: Uuid,
    #[schema(example = "case.state_changed")]
    pub event_type: String,
    pub state: DeliveryState,
    /// Attempts so far.
    #[schema(example = 1)]
    pub attempts: i32,
    /// Attempts after which it is failed.
    #[schema(example = 10)]
    pub max_attempts: i32,
    /// When a pending delivery is tried (again).
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's status of the last attempt (none when no answer came).
    #[schema(example = 200)]
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:01Z")]
    pub delivered_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
    /// The body POSTed: `{id, type, occurred_at, data}`.
    pub payload: serde_json::Value,
}

impl Delivery {
    fn from_row(r: DeliveryRow, now: DateTime<Utc>) -> Delivery {
        let state = match r.state.as_str() {
            "delivered" => DeliveryState::Delivered,
            "failed" => DeliveryState::Failed,
            _ if r.locked_until.is_some_and(|l| l > now) => DeliveryState::Sending,
            _ => DeliveryState::Pending,
        };
        Delivery {
            id: r.id,
            webhook_id: r.webhook_id,
            event_id: r.event_id,
            event_type: r.event_type,
            state,
            attempts: r.attempts,
            max_attempts: RETRY.max_attempts,
            next_attempt_at: r.next_attempt_at,
            last_status_code: r.last_status_code,
            last_error: r.last_error,
            last_attempt_at: r.last_attempt_at,
            delivered_at: r.delivered_at,
            created_at: r.created_at,
            payload: r.payload,
        }
    }
}

/// Queue a `ping` event to the webhook (admins), whatever events it subscribes to; the job
/// delivers it like any other. Answers the delivery, to follow in the log.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 201, body = Delivery), Unauthenticated, Forbidden, NotFound))]
#[post("/webhooks/{id}/test")]
pub async fn test_webhook(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let hook = load(&mut conn, *id).await?;
    let now = Utc::now();
    let event_id = Uuid::now_v7();
    let payload = super::envelope(event_id, PING, now, serde_json::json!({"webhook_id": hook.id, "requested_by_id": user.0.id}));
    let row: DeliveryRow = diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(Uuid::now_v7()),
            webhook_deliveries::webhook_id.eq(hook.id),
            webhook_deliveries::event_id.eq(event_id),
            webhook_deliveries::event_type.eq(PING),
            webhook_deliveries::payload.eq(payload),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::created_at.eq(now),
        ))
        .returning(DeliveryRow::as_returning())
        .get_result(&mut conn)
        .await?;
    Ok(HttpResponse::Created().json(Delivery::from_row(row, now)))
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries in this state (default: all).
    #[param(example = "failed")]
    pub state: Option<DeliveryState>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A webhook's delivery log, newest first (admins).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), DeliveryQuery),
    responses((status = 200, body = DeliveryPage), Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, query: web::Query<DeliveryQuery>) -> AppResult<web::Json<DeliveryPage>> {
    user.require_admin()?;
    let q = query.into_inner();
    let limit = page_limit(q.limit)?;
    let after = q.cursor.as_deref().map(Cursor::decode_time).transpose()?;
    let mut conn = state.pool.get().await?;
    load(&mut conn, *id).await?;
    let now = Utc::now();
    let mut select = webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(*id)).select(DeliveryRow::as_select()).into_boxed();
    select = match q.state {
        None => select,
        Some(DeliveryState::Delivered) => select.filter(webhook_deliveries::state.eq("delivered")),
        Some(DeliveryState::Failed) => select.filter(webhook_deliveries::state.eq("failed")),
        Some(DeliveryState::Sending) => select.filter(webhook_deliveries::state.eq("pending").and(webhook_deliveries::locked_until.gt(now))),
        Some(DeliveryState::Pending) => {
            select.filter(webhook_deliveries::state.eq("pending").and(webhook_deliveries::locked_until.is_null().or(webhook_deliveries::locked_until.le(now))))
        }
    };
    if let Some((at, after_id)) = after {
        select = select.filter(webhook_deliveries::created_at.lt(at).or(webhook_deliveries::created_at.eq(at).and(webhook_deliveries::id.lt(after_id))));
    }
    let rows: Vec<DeliveryRow> = select.order((webhook_deliveries::created_at.desc(), webhook_deliveries::id.desc())).limit(limit + 1).load(&mut conn).await?;
    let (rows, next_cursor) = paginate(rows, limit, |d| Cursor { key: d.created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), id: d.id });
    Ok(web::Json(DeliveryPage { items: rows.into_iter().map(|r| Delivery::from_row(r, now)).collect(), next_cursor }))
}

/// Send a failed delivery again (admins): pending, due now, its attempts counted afresh; 409
/// `delivery_not_failed` for one that is not failed.
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("delivery_id" = Uuid, Path, example = "0193a5c4-1d2e-7f30-8a41-5b6c7d8e9f01")),
    responses((status = 200, description = "The delivery, pending again", body = Delivery), Unauthenticated, Forbidden, NotFound, Conflict))]
#[post("/webhooks/{id}/deliveries/{delivery_id}/retry")]
pub async fn retry_delivery(state: web::Data<AppState>, user: CurrentUser, path: web::Path<(Uuid, Uuid)>) -> AppResult<web::Json<Delivery>> {
    user.require_admin()?;
    let (id, delivery_id) = path.into_inner();
    let now = Utc::now();
    let mut conn = state.pool.get().await?;
    let target = webhook_deliveries::table.filter(webhook_deliveries::id.eq(delivery_id)).filter(webhook_deliveries::webhook_id.eq(id));
    // One statement: of two admins retrying at once, one wins and the other gets 409.
    let retried: Option<DeliveryRow> = diesel::update(target.filter(webhook_deliveries::state.eq("failed")))
        .set((
            webhook_deliveries::state.eq("pending"),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .returning(DeliveryRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?;
    match retried {
        Some(row) => Ok(web::Json(Delivery::from_row(row, now))),
        None => {
            let exists: bool = diesel::select(diesel::dsl::exists(target)).get_result(&mut conn).await?;
            Err(if exists { AppError::conflict("delivery_not_failed", "Only a failed delivery can be retried") } else { AppError::NotFound })
        }
    }
}

/// The hosts allowed past the SSRF guard.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hosts": ["orfeo.cali.gov.co", "10.20.4.17"]}))]
pub struct AllowedHosts {
    /// Host names or IP addresses (IPv6 in brackets) that webhooks may reach although they are,
    /// or resolve to, loopback, private or link-local addresses. Compared exactly (no wildcards).
    pub hosts: Vec<String>,
}

/// The hosts admins allowed past the SSRF guard (admins).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])),
    responses((status = 200, body = AllowedHosts), Unauthenticated, Forbidden))]
#[get("/webhooks/allowed-hosts")]
pub async fn get_allowed_hosts(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<AllowedHosts>> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let hosts: Vec<String> = webhook_allowed_hosts::table.select(webhook_allowed_hosts::host).order(webhook_allowed_hosts::host).load(&mut conn).await?;
    Ok(web::Json(AllowedHosts { hosts }))
}

/// Replace the hosts allowed past the SSRF guard (admins). Each is stored normalized
/// (lower-case, IDNA, IPv6 in brackets).
#[utoipa::path(tag = "webhooks", security(("bearer_auth" = [])), request_body = AllowedHosts,
    responses((status = 200, body = AllowedHosts), Unauthenticated, Forbidden, Invalid))]
#[put("/webhooks/allowed-hosts")]
pub async fn put_allowed_hosts(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<AllowedHosts>) -> AppResult<web::Json<AllowedHosts>> {
    user.require_admin()?;
    let mut e = Errors::default();
    if body.0.hosts.len() > MAX_ALLOWED_HOSTS {
        e.add("hosts", "too_many", format!("at most {MAX_ALLOWED_HOSTS} hosts"));
    }
    let mut hosts: Vec<String> = Vec::new();
    for (i, h) in body.0.hosts.iter().enumerate().take(MAX_ALLOWED_HOSTS + 1) {
        match guard::normalize_host(h) {
            Some(n) => hosts.push(n),
            None => e.add(&format!("hosts.{i}"), "invalid", "must be a host name or an IP address (IPv6 in brackets), without scheme, port or path"),
        }
    }
    e.finish()?;
    hosts.sort();
    hosts.dedup();
    let mut conn = state.pool.get().await?;
    let stored = hosts.clone();
    conn.transaction(async move |conn| -> QueryResult<()> {
        diesel::delete(webhook_allowed_hosts::table).execute(conn).await?;
        let rows: Vec<_> = stored.iter().map(|h| webhook_allowed_hosts::host.eq(h)).collect();
        diesel::insert_into(webhook_allowed_hosts::table).values(rows).execute(conn).await?;
        Ok(())
    })
    .await?;
    Ok(web::Json(AllowedHosts { hosts }))
}
