//! Registering a case: from the portal, on someone's behalf (phone), or through the API.
use std::sync::Arc;

use actix_web::{post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::Scope;
use super::audit::{self, NewEvent};
use super::domain::*;
use super::model::*;
use super::render::Names;
use super::state_machine::Status;
use crate::attachments::upload::{is_multipart, multipart, read_multipart, Upload, UploadedFile};
use crate::auth::CurrentUser;
use crate::catalog::domain::{NodeKind, Viewer};
use crate::catalog::form;
use crate::db::schema::{attachments, group_members, idempotency_keys, tickets, users};
use crate::error::responses::{Invalid, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::parse_json;
use crate::reference::{NodeRef, Reference};
use crate::state::AppState;
use crate::users::domain::{normalize_identity_number, Role, UserRow};
use crate::validate::Errors;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "service_id": "0193a5a1-2c3d-7e4f-9a51-6b7c8d9e0f12",
    "subject": "La impresora del piso 4 no imprime",
    "description": "Desde esta mañana la impresora del piso 4 (Secretaría de Hacienda) muestra \"atasco de papel\" aunque no tiene papel atascado. Ya la apagamos y encendimos.",
    "contact_phone": "602 885 6000 ext. 1420",
    "location_id": "0193a5a7-8293-74a5-90b7-2b3c4d5e6f78",
    "type": "incident",
    "fields": {"placa_equipo": "ALC-IMP-0457"}
}))]
pub struct CreateTicket {
    /// A service (catalog leaf) the requester may request.
    pub service_id: Uuid,
    #[schema(min_length = 1, max_length = 200, example = "El equipo no enciende")]
    pub subject: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub description: String,
    #[schema(max_length = 40)]
    pub contact_phone: Option<String>,
    pub location_id: Option<Uuid>,
    /// Defaults from the requester's profile.
    pub area_id: Option<Uuid>,
    /// Defaults from the requester's profile. Only staff may set another organization than
    /// the requester's own (422 otherwise).
    pub organization_id: Option<Uuid>,
    /// Defaults from the service.
    #[serde(rename = "type")]
    pub ticket_type: Option<TicketType>,
    /// Values for the service's extra fields, by key.
    #[serde(default)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// Staff registering on someone's behalf (e.g. a phone call): the person the case is for.
    pub requester_id: Option<Uuid>,
    /// `portal` (default for requesters), `phone` (default on behalf), `api`; staff only:
    /// `phone`, `email` and `letter` (a case registered from a message or an official letter).
    pub channel: Option<Channel>,
    /// Staff only: the reference of the document the case comes from, e.g. the letter's filing
    /// number in the document-management system (required for `letter`). Searchable.
    #[schema(min_length = 1, max_length = 100, example = "2026ER004512")]
    pub external_reference: Option<String>,
    /// The requester's identity number, when their profile has none yet (it is kept there). A
    /// desk may require it; a different number than the profile's is refused.
    #[schema(min_length = 1, max_length = 30, example = "52123456")]
    pub identity_number: Option<String>,
}

/// Multipart body of `POST /tickets`: a `data` part with the JSON above and file parts named
/// `file` (extra documents) or `attachment.<key>` (the service's required attachments).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CreateTicketMultipart {
    pub data: CreateTicket,
    /// At most `MESA_ATTACHMENT_MAX_FILES` files a request (default 10), each at most
    /// `MESA_ATTACHMENT_MAX_BYTES` (default 10 MiB; larger: 413); PDF, images, office documents
    /// or plain text, recognised by their content (others: 422).
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

/// What an Idempotency-Key is bound to: the parsed body (so whitespace and key order do not
/// make a retry a "different request") and the files.
fn request_hash(data: &serde_json::Value, files: &[UploadedFile]) -> String {
    let mut h = Sha256::new();
    let mut canonical = Vec::new();
    write_canonical(data, &mut canonical);
    h.update(&canonical);
    for f in files {
        h.update(f.part_name.as_bytes());
        h.update(f.sha256.as_bytes());
    }
    hex(&h.finalize())
}

/// Compact JSON with every object's keys sorted, whatever order the client sent them in (and
/// whether or not serde_json's `preserve_order` is enabled by some dependency).
fn write_canonical(v: &serde_json::Value, out: &mut Vec<u8>) {
    match v {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k).expect("json");
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        serde_json::Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        scalar => serde_json::to_writer(&mut *out, scalar).expect("json"),
    }
}

/// The webhook event of a registration.
const REGISTERED: &str = "case.registered";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Register a case. Answers at once with its number. Send `Idempotency-Key` to retry safely:
/// the same key returns the first case, never a duplicate.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Unique per logical creation; retries with the same key return the first case", example = "0193a5d0-6a7b-7c8d-9e0f-1a2b3c4d5e6f")),
    request_body(content(
        (CreateTicket = "application/json"),
        (CreateTicketMultipart = "multipart/form-data"),
    )),
    responses((status = 201, body = Ticket, headers(("Location" = String))),
        (status = 200, description = "Replay of an earlier creation with the same Idempotency-Key", body = Ticket),
        Unauthenticated,
        (status = 403, description = "The requester may not request this service", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Idempotency-Key reused with a different request", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/tickets")]
pub async fn create_ticket(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, payload: web::Payload) -> AppResult<HttpResponse> {
    let key = req
        .headers()
        .get("Idempotency-Key")
        .map(|v| v.to_str().map(|s| s.trim().to_owned()).map_err(|_| AppError::field("Idempotency-Key", "invalid", "must be visible ASCII")))
        .transpose()?;
    if key.as_ref().is_some_and(|k| k.is_empty() || k.len() > 200) {
        return Err(AppError::field("Idempotency-Key", "invalid", "must be 1 to 200 characters"));
    }
    let (upload, value): (Upload<CreateTicket>, serde_json::Value) = if is_multipart(&req) {
        let upload: Upload<serde_json::Value> = read_multipart(multipart(req.headers(), payload, &state.attachment_limits()), &state.attachment_limits()).await?;
        let raw = serde_json::to_vec(&upload.data).expect("json");
        (Upload { data: parse_json(&raw)?, files: upload.files }, upload.data)
    } else {
        let bytes = read_json_body(&req, payload).await?;
        // Parsed as the case (errors name the field), and as plain JSON only for a key to be
        // bound to.
        let data: CreateTicket = parse_json(&bytes)?;
        let value = if key.is_some() { parse_json(&bytes)? } else { serde_json::Value::Null };
        (Upload { data, files: vec![] }, value)
    };
    // The key and the request it is bound to.
    let idempotency = key.map(|k| (k, request_hash(&value, &upload.files)));
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    if let Some((k, hash)) = &idempotency {
        if let Some(ticket) = replay(&mut conn, &reference, &user, k, hash).await? {
            return Ok(HttpResponse::Ok().json(ticket));
        }
    }
    let prepared = prepare(&mut conn, &reference, &user, upload.data, &upload.files, None).await?;
    let user_id = user.0.id;
    let (row, agent_name) = if idempotency.is_none() && upload.files.is_empty() && prepared.identity_number.is_none() && !reference.webhooks_want(&[REGISTERED]) {
        // The common case, one statement: atomic without BEGIN and COMMIT, and the group's
        // assignment lock (`pick_agent`) is held for that statement only.
        insert(&mut conn, &reference, &prepared, user_id).await?
    } else {
        // Files go to storage first; if the transaction then fails they are removed again.
        let mut stored = Vec::new();
        for f in &upload.files {
            match state.storage.put(&f.bytes).await {
                Ok(k) => stored.push(k),
                Err(e) => {
                    cleanup(&state, &stored).await;
                    return Err(AppError::Internal(anyhow::anyhow!("storing an attachment: {e}")));
                }
            }
        }
        let files = &upload.files;
        let stored_keys = stored.clone();
        let result = conn
            .transaction(async |conn| -> Result<Option<(TicketRow, Option<String>)>, AppError> {
                if let Some((k, hash)) = &idempotency {
                    let inserted = diesel::insert_into(idempotency_keys::table)
                        .values((idempotency_keys::user_id.eq(user_id), idempotency_keys::key.eq(k), idempotency_keys::request_hash.eq(hash)))
                        .on_conflict_do_nothing()
                        .execute(conn)
                        .await?;
                    if inserted == 0 {
                        // A concurrent request with the same key committed first.
                        return Ok(None);
                    }
                }
                if let Some(number) = &prepared.identity_number {
                    // Only filled in, never overwritten (`prepare` refused a different one).
                    diesel::update(users::table.find(prepared.requester_id).filter(users::identity_number.is_null()))
                        .set((users::identity_number.eq(number), users::updated_at.eq(Utc::now()), users::version.eq(users::version + 1)))
                        .execute(conn)
                        .await?;
                }
                let (row, agent_name) = insert(conn, &reference, &prepared, user_id).await?;
                for (f, storage_key) in files.iter().zip(&stored_keys) {
                    insert_attachment(conn, row.id, None, f, storage_key, user_id).await?;
                }
                if let Some((k, _)) = &idempotency {
                    diesel::update(idempotency_keys::table.find((user_id, k))).set(idempotency_keys::ticket_id.eq(row.id)).execute(conn).await?;
                }
                Ok(Some((row, agent_name)))
            })
            .await;
        match result {
            Ok(Some(created)) => created,
            Ok(None) => {
                cleanup(&state, &stored).await;
                let (k, hash) = idempotency.as_ref().expect("only a creation with a key loses a race");
                let ticket = replay(&mut conn, &reference, &user, k, hash).await?.ok_or(AppError::conflict("idempotency_in_progress", "retry in a moment"))?;
                return Ok(HttpResponse::Ok().json(ticket));
            }
            Err(e) => {
                cleanup(&state, &stored).await;
                return Err(e);
            }
        }
    };
    // Everything the answer shows is known already: no query.
    let scope = Scope::of(&user, &reference);
    let names = Names::known(&reference, [(prepared.requester_id, prepared.requester_name.clone())].into_iter().chain(row.assigned_agent_id.zip(agent_name)));
    let sla = crate::sla::store::view(&reference, &row, &[], row.created_at);
    let ticket = Ticket { sla, ..names.to_api(row, &scope) };
    Ok(HttpResponse::Created().insert_header(("Location", format!("/api/v1/tickets/{}", ticket.number))).json(ticket))
}

async fn cleanup(state: &AppState, keys: &[String]) {
    for k in keys {
        if let Err(e) = state.storage.delete(k).await {
            log::warn!("could not remove orphan attachment {k}: {e}");
        }
    }
}

async fn read_json_body(req: &HttpRequest, payload: web::Payload) -> AppResult<Vec<u8>> {
    let is_json = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            let e = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            e == "application/json" || e.ends_with("+json")
        })
        .unwrap_or(false);
    if !is_json {
        return Err(AppError::BadRequest("Content-Type must be application/json or multipart/form-data".into()));
    }
    let bytes = payload.to_bytes_limited(crate::http::JSON_LIMIT).await.map_err(|_| AppError::PayloadTooLarge(format!("the body exceeds {} bytes", crate::http::JSON_LIMIT)))?;
    bytes.map(|b| b.to_vec()).map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))
}

/// The case an earlier request with this key created, if any.
async fn replay(conn: &mut AsyncPgConnection, reference: &Arc<Reference>, user: &CurrentUser, key: &str, hash: &str) -> AppResult<Option<Ticket>> {
    let found: Option<(String, Option<Uuid>)> =
        idempotency_keys::table.find((user.0.id, key)).select((idempotency_keys::request_hash, idempotency_keys::ticket_id)).first(conn).await.optional()?;
    match found {
        None => Ok(None),
        Some((stored, _)) if stored != hash => Err(AppError::conflict("idempotency_key_reused", "this Idempotency-Key was used for a different request")),
        Some((_, None)) => Ok(None),
        Some((_, Some(ticket_id))) => {
            let row: TicketRow = tickets::table.find(ticket_id).select(TicketRow::as_select()).first(conn).await?;
            let scope = Scope::of(user, reference);
            Ok(Some(super::render::render_one(conn, reference, row, &scope).await?))
        }
    }
}

/// A checked registration, ready to insert.
pub struct Prepared {
    desk_id: Uuid,
    service_id: Uuid,
    ticket_type: TicketType,
    priority: Priority,
    subject: String,
    description: String,
    contact_phone: Option<String>,
    location_id: Option<Uuid>,
    area_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    requester_id: Uuid,
    requester_name: String,
    channel: Channel,
    external_reference: Option<String>,
    group_id: Option<Uuid>,
    /// The group's support level (1 when routed nowhere).
    level: i16,
    fields: serde_json::Value,
    /// To be kept on the requester's profile, which has none yet.
    identity_number: Option<String>,
}

/// Every check that needs the database but writes nothing: the service, who may request it,
/// the extra fields, the required attachments, the routing.
/// `trusted_channel`: the channel an intake of Mesa's own registers through (the mailbox's
/// `email`), which a requester could not choose in a request.
async fn prepare(
    conn: &mut AsyncPgConnection,
    reference: &Reference,
    user: &CurrentUser,
    b: CreateTicket,
    files: &[UploadedFile],
    trusted_channel: Option<Channel>,
) -> AppResult<Prepared> {
    let staff = user.role() != Role::Requester;
    let requester: UserRow = match b.requester_id {
        Some(id) if id != user.0.id => {
            if !staff {
                return Err(AppError::field("requester_id", "not_allowed", "only staff register cases on someone's behalf"));
            }
            users::table
                .find(id)
                .select(UserRow::as_select())
                .first(conn)
                .await
                .optional()?
                .filter(|u| u.active)
                .ok_or_else(|| AppError::field("requester_id", "unknown_reference", "no such active user"))?
        }
        _ => user.0.clone(),
    };
    let Some(NodeRef { desk_id, node }) = reference.nodes.get(&b.service_id) else {
        return Err(AppError::field("service_id", "unknown_reference", "no such service"));
    };
    let service = match (node.kind, &node.service) {
        (NodeKind::Service, Some(s)) if node.active => s,
        _ => return Err(AppError::field("service_id", "not_a_service", "must be an active service of the catalog")),
    };
    let desk = reference.desks.get(desk_id);
    let desk_active = desk.is_some_and(|d| d.active);
    let allowed_orgs: &[Uuid] = desk.map(|d| d.organization_ids.as_slice()).unwrap_or_default();
    // Requesters file for their own organization (routing depends on it); only staff choose.
    if !staff && b.organization_id.is_some() && b.organization_id != requester.organization_id {
        return Err(AppError::field("organization_id", "not_allowed", "requesters file cases for their own organization"));
    }
    let organization_id = b.organization_id.or(requester.organization_id);
    if requester.role == Role::Requester || !staff {
        let groups: Vec<Uuid> = if requester.id == user.0.id {
            user.1.group_ids.clone()
        } else {
            group_members::table.filter(group_members::user_id.eq(requester.id)).select(group_members::group_id).load(conn).await?
        };
        let viewer = Viewer { role: requester.role, area_id: requester.area_id, group_ids: groups };
        let org_ok = allowed_orgs.is_empty() || requester.organization_id.is_some_and(|o| allowed_orgs.contains(&o));
        if !desk_active || !org_ok || (!staff && !viewer.may_request(&service.audience)) {
            return Err(AppError::Forbidden);
        }
    }
    let mut e = Errors::default();
    let subject = e.text("subject", &b.subject, 200);
    let description = e.text("description", &b.description, 20_000);
    let contact_phone = e.optional_text("contact_phone", b.contact_phone.as_deref(), 40);
    for p in form::validate_values("fields", &service.form_fields, &b.fields) {
        e.add(&p.field, &p.code, p.message);
    }
    for req in &service.required_attachments {
        let part = format!("attachment.{}", req.key);
        if !files.iter().any(|f| f.part_name == part) {
            e.add(&part, "required", format!("attach '{}'", req.label.es));
        }
    }
    for (i, f) in files.iter().enumerate() {
        if let Some(k) = f.part_name.strip_prefix("attachment.") {
            if !service.required_attachments.iter().any(|r| r.key == k) {
                e.add(&f.part_name, "unknown_field", format!("this service asks for no attachment '{k}' (file {i})"));
            }
        }
    }
    let channel = match trusted_channel.or(b.channel) {
        Some(c) if trusted_channel.is_some() => c,
        Some(c @ (Channel::Phone | Channel::Email | Channel::Letter)) if !staff => {
            e.add("channel", "not_allowed", format!("only staff register cases from the {} channel", c.as_str()));
            c
        }
        Some(c) => c,
        None if requester.id != user.0.id => Channel::Phone,
        None => Channel::Portal,
    };
    let external_reference = e.optional_text("external_reference", b.external_reference.as_deref(), 100);
    if external_reference.is_some() && !staff {
        e.add("external_reference", "not_allowed", "only staff record a document's reference");
    }
    if channel == Channel::Letter && external_reference.is_none() {
        e.add("external_reference", "required", "a letter is registered with its filing number");
    }
    let identity_number = match b.identity_number.as_deref().map(normalize_identity_number) {
        None => None,
        Some(Err(msg)) => {
            e.add("identity_number", "invalid", msg);
            None
        }
        Some(Ok(n)) if requester.identity_number.as_ref().is_some_and(|known| *known != n) => {
            e.add("identity_number", "mismatch", "differs from the identity number on the requester's profile");
            None
        }
        Some(Ok(n)) => Some(n),
    };
    if desk.is_some_and(|d| d.require_identity_number) && requester.identity_number.is_none() && b.identity_number.is_none() {
        e.add("identity_number", "required", "this desk registers cases only with the requester's identity number");
    }
    e.finish()?;
    let group_id = service.responsible_group_for(organization_id);
    Ok(Prepared {
        desk_id: *desk_id,
        service_id: node.id,
        ticket_type: b.ticket_type.unwrap_or(service.default_type),
        priority: service.default_priority,
        subject,
        description,
        contact_phone: contact_phone.or(requester.phone.clone()),
        location_id: b.location_id.or(requester.location_id),
        area_id: b.area_id.or(requester.area_id),
        organization_id,
        requester_id: requester.id,
        requester_name: requester.display_name.clone(),
        channel,
        external_reference,
        group_id,
        level: group_id.and_then(|g| reference.groups.get(&g)).map_or(1, |g| g.level),
        fields: serde_json::Value::Object(b.fields),
        // Already on the profile: nothing to write.
        identity_number: identity_number.filter(|_| requester.identity_number.is_none()),
    })
}

/// Registers a case for `user` in the caller's transaction, through the same checks, routing,
/// SLA and audit as `POST /tickets`, with its files already in storage under `keys`. The mailbox
/// intake registers mail this way, as its sender, on `trusted_channel` (`email`).
#[allow(clippy::too_many_arguments)]
pub async fn register(
    conn: &mut AsyncPgConnection,
    reference: &Reference,
    user: &CurrentUser,
    body: CreateTicket,
    files: &[UploadedFile],
    keys: &[String],
    trusted_channel: Option<Channel>,
) -> AppResult<TicketRow> {
    let prepared = prepare(conn, reference, user, body, files, trusted_channel).await?;
    if let Some(number) = &prepared.identity_number {
        diesel::update(users::table.find(prepared.requester_id).filter(users::identity_number.is_null()))
            .set((users::identity_number.eq(number), users::updated_at.eq(Utc::now()), users::version.eq(users::version + 1)))
            .execute(conn)
            .await?;
    }
    let (row, _) = insert(conn, reference, &prepared, user.0.id).await?;
    for (f, key) in files.iter().zip(keys) {
        insert_attachment(conn, row.id, None, f, key, user.0.id).await?;
    }
    Ok(row)
}

/// Inserts the case with its SLA due dates, picks its agent, records the `created` and
/// `assignment` events and its `registered` mail notification (Apertura) — one prepared
/// statement, `register_ticket` (migrations 000013, 000018, 000030) — and its webhooks'
/// deliveries. Run it in a transaction unless no webhook wants `case.registered`. Returns the
/// case and its agent's name.
async fn insert(conn: &mut AsyncPgConnection, reference: &Reference, p: &Prepared, created_by: Uuid) -> AppResult<(TicketRow, Option<String>)> {
    let now = Utc::now();
    // A routed case is assigned to its group at once, with or without an available agent.
    let status = if p.group_id.is_some() { Status::Assigned } else { Status::New };
    let mut row = TicketRow {
        id: Uuid::now_v7(),
        number: 0,
        desk_id: p.desk_id,
        service_id: p.service_id,
        ticket_type: p.ticket_type,
        priority: p.priority,
        impact: None,
        urgency: None,
        status,
        subject: p.subject.clone(),
        description: p.description.clone(),
        contact_phone: p.contact_phone.clone(),
        location_id: p.location_id,
        area_id: p.area_id,
        organization_id: p.organization_id,
        requester_id: p.requester_id,
        created_by_id: created_by,
        channel: p.channel,
        assigned_group_id: p.group_id,
        assigned_agent_id: None,
        level: p.level,
        fields: p.fields.clone(),
        hold_reason: None,
        hold_note: None,
        desist_at: None,
        rejection_reason: None,
        redirected_to: None,
        solution: None,
        solution_type: None,
        reopen_count: 0,
        response_due_at: None,
        resolution_due_at: None,
        taken_at: None,
        resolved_at: None,
        closed_at: None,
        created_at: now,
        updated_at: now,
        version: 1,
        sla_policy_id: None,
        sla_policy_version: None,
        response_met: None,
        resolution_met: None,
        external_reference: p.external_reference.clone(),
        hold_note_public: false,
        reopen_reason: None,
    };
    let sla = crate::sla::store::compute(&reference.sla, &row, reference.service_sla(p.service_id), &[], now);
    row.sla_policy_id = sla.policy_id;
    row.sla_policy_version = sla.policy_version;
    row.response_due_at = sla.response_due_at;
    row.resolution_due_at = sla.resolution_due_at;
    let created = serde_json::json!({"status": status, "channel": p.channel, "priority": p.priority, "type": p.ticket_type});
    let registered: serde_json::Value = diesel::select(crate::db::register_ticket(
        p.group_id,
        row.id,
        row.desk_id,
        row.service_id,
        row.ticket_type.as_str(),
        row.priority.as_str(),
        row.status.as_str(),
        &row.subject,
        &row.description,
        row.contact_phone.as_deref(),
        row.location_id,
        row.area_id,
        row.organization_id,
        row.requester_id,
        row.created_by_id,
        row.channel.as_str(),
        &row.fields,
        now,
        row.sla_policy_id,
        row.sla_policy_version,
        row.response_due_at,
        row.resolution_due_at,
        Uuid::now_v7(),
        &created,
        Uuid::now_v7(),
        row.level,
        row.external_reference.as_deref(),
        Uuid::now_v7(),
        crate::notify::registered_data(&row),
    ))
    .get_result(conn)
    .await?;
    #[derive(serde::Deserialize)]
    struct Inserted {
        number: i64,
        agent_id: Option<Uuid>,
        agent_name: Option<String>,
    }
    let inserted: Inserted = serde_json::from_value(registered).map_err(|e| AppError::Internal(anyhow::anyhow!("register_ticket answered: {e}")))?;
    row.number = inserted.number;
    row.assigned_agent_id = inserted.agent_id;
    // Its webhooks' deliveries, in the same transaction (none without a subscriber: see
    // `create_ticket`).
    crate::webhooks::record(conn, reference, &row, &[(REGISTERED, serde_json::json!({}))], now).await?;
    Ok((row, inserted.agent_name))
}

pub async fn insert_attachment(
    conn: &mut AsyncPgConnection,
    ticket_id: Uuid,
    followup: Option<(Uuid, Visibility)>,
    f: &UploadedFile,
    storage_key: &str,
    user_id: Uuid,
) -> AppResult<()> {
    let followup_id = followup.map(|(id, _)| id);
    // A file on a private follow-up is as private as the follow-up.
    let visibility = followup.map(|(_, v)| v).unwrap_or(Visibility::Public);
    let id = Uuid::now_v7();
    diesel::insert_into(attachments::table)
        .values((
            attachments::id.eq(id),
            attachments::ticket_id.eq(ticket_id),
            attachments::followup_id.eq(followup_id),
            attachments::requirement_key.eq(f.part_name.strip_prefix("attachment.")),
            attachments::file_name.eq(&f.file_name),
            attachments::content_type.eq(f.sniffed.mime),
            attachments::size_bytes.eq(f.bytes.len() as i64),
            attachments::sha256.eq(&f.sha256),
            attachments::storage_key.eq(storage_key),
            attachments::uploaded_by_id.eq(user_id),
            attachments::created_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    audit::record(
        conn,
        ticket_id,
        Some(user_id),
        vec![NewEvent {
            kind: "attachment",
            old_value: None,
            new_value: Some(serde_json::json!({"attachment_id": id, "file_name": f.file_name, "followup_id": followup_id})),
            visibility,
        }],
    )
    .await?;
    Ok(())
}
