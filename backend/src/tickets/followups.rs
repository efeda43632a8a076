//! Follow-ups (public or private), the audit trail and attachment downloads of a case.
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::access::load_visible;
use super::audit::{self, NewEvent};
use super::create::insert_attachment;
use super::domain::*;
use super::lifecycle::{self, Command, Who};
use super::model::*;
use super::queries;
use super::render::Names;
use super::state_machine::{Actor, Status};
use crate::attachments::upload::{is_multipart, multipart, read_multipart, Upload};
use crate::auth::CurrentUser;
use crate::db::schema::{attachments, followups, ticket_events};
use crate::error::responses::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult, Problem};
use crate::http::parse_json;
use crate::state::AppState;
use crate::validate::Errors;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Buenos días, el técnico pasará a las 10:00 a. m. por el piso 4.", "visibility": "public"}))]
pub struct CreateFollowup {
    /// Up to 20,000 characters. Its words are searchable while the case's indexed words stay
    /// under about 1 MB (tens of thousands of distinct words); past that the follow-up is still stored
    /// and shown, but its words are not added to the search.
    #[schema(min_length = 1, max_length = 20000)]
    pub body: String,
    /// `public` (default) reaches the requester; `private` is for agents only.
    pub visibility: Option<Visibility>,
}

/// Multipart body: a `data` part with the JSON and `file` parts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CreateFollowupMultipart {
    pub data: CreateFollowup,
    /// At most `MESA_ATTACHMENT_MAX_FILES` files a request (default 10), each at most
    /// `MESA_ATTACHMENT_MAX_BYTES` (default 10 MiB; larger: 413); PDF, images, office documents
    /// or plain text, recognised by their content (others: 422).
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

/// Stores a follow-up (without files) in the caller's transaction: the row, its audit entry and
/// its words for the search. The one way a follow-up is written (also a survey's comment).
pub async fn insert(
    conn: &mut diesel_async::AsyncPgConnection,
    ticket_id: Uuid,
    author_id: Uuid,
    body: &str,
    visibility: Visibility,
    now: chrono::DateTime<Utc>,
) -> QueryResult<FollowupRow> {
    let id = Uuid::now_v7();
    let row: FollowupRow = diesel::insert_into(followups::table)
        .values((
            followups::id.eq(id),
            followups::ticket_id.eq(ticket_id),
            followups::author_id.eq(author_id),
            followups::visibility.eq(visibility.as_str()),
            followups::body.eq(body),
            followups::created_at.eq(now),
        ))
        .returning(FollowupRow::as_returning())
        .get_result(conn)
        .await?;
    audit::record(
        conn,
        ticket_id,
        Some(author_id),
        vec![NewEvent { kind: "followup", old_value: None, new_value: Some(serde_json::json!({"followup_id": id, "visibility": visibility})), visibility }],
    )
    .await?;
    queries::index_followup(conn, ticket_id, body, visibility).await?;
    Ok(row)
}

/// The follow-ups of a case, oldest first. Requesters never see private ones.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Vec<Followup>),
        Unauthenticated,
        NotFound))]
#[get("/tickets/{number}/followups")]
pub async fn list_followups(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<web::Json<Vec<Followup>>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (ticket, scope) = load_visible(&mut conn, &reference, &user, *number, false).await?;
    let private = scope.sees_private(&ticket);
    let mut q = followups::table.filter(followups::ticket_id.eq(ticket.id)).select(FollowupRow::as_select()).order((followups::created_at, followups::id)).into_boxed();
    if !private {
        q = q.filter(followups::visibility.eq(Visibility::Public.as_str()));
    }
    let rows: Vec<FollowupRow> = q.load(&mut conn).await?;
    Ok(web::Json(render(&mut conn, &reference, &ticket, rows).await?))
}

/// Follow-ups as the API shows them: their authors named, their files listed.
async fn render(conn: &mut diesel_async::AsyncPgConnection, reference: &crate::reference::Reference, ticket: &TicketRow, rows: Vec<FollowupRow>) -> AppResult<Vec<Followup>> {
    let ids: Vec<Uuid> = rows.iter().map(|f| f.id).collect();
    let files: Vec<AttachmentRow> =
        attachments::table.filter(attachments::followup_id.eq_any(&ids)).select(AttachmentRow::as_select()).order(attachments::created_at).load(conn).await?;
    let authors: Vec<Uuid> = rows.iter().map(|f| f.author_id).collect();
    let names = Names::load(conn, reference, &[], &authors).await?;
    Ok(rows
        .into_iter()
        .map(|f| Followup {
            author: names.user(f.author_id),
            from_requester: f.author_id == ticket.requester_id,
            attachments: files.iter().filter(|a| a.followup_id == Some(f.id)).cloned().map(|a| Attachment::from_row(a, ticket.number)).collect(),
            id: f.id,
            visibility: f.visibility,
            body: f.body,
            created_at: f.created_at,
        })
        .collect())
}

/// Add a follow-up, with files (multipart). Requesters write public updates to their own cases
/// ("Actualización del usuario"); one on a case waiting for them resumes it. A case always takes
/// follow-ups: search indexes each case's words up to a bound (about 1 MB), and the words of
/// follow-ups past it are not searchable.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    request_body(content(
        (CreateFollowup = "application/json"),
        (CreateFollowupMultipart = "multipart/form-data"),
    )),
    responses((status = 201, body = Followup),
        Unauthenticated,
        Forbidden,
        NotFound,
        (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 413, body = Problem, content_type = "application/problem+json"),
        Invalid))]
#[post("/tickets/{number}/followups")]
pub async fn create_followup(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, req: HttpRequest, payload: web::Payload) -> AppResult<HttpResponse> {
    let upload: Upload<CreateFollowup> = if is_multipart(&req) {
        read_multipart(multipart(req.headers(), payload, &state.attachment_limits()), &state.attachment_limits()).await?
    } else {
        let bytes = payload
            .to_bytes_limited(crate::http::JSON_LIMIT)
            .await
            .map_err(|_| AppError::PayloadTooLarge("the body is too large".into()))?
            .map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
        Upload { data: parse_json(&bytes)?, files: vec![] }
    };
    let mut e = Errors::default();
    let body = e.text("body", &upload.data.body, 20_000);
    e.finish()?;
    let visibility = upload.data.visibility.unwrap_or(Visibility::Public);
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let mut stored = Vec::new();
    // Check access before storing anything.
    {
        let (ticket, scope) = load_visible(&mut conn, &reference, &user, *number, false).await?;
        if visibility == Visibility::Private && !scope.sees_private(&ticket) {
            return Err(AppError::Forbidden);
        }
        if !ticket.status.is_open() && ticket.status != Status::Resolved {
            return Err(AppError::conflict("case_closed", format!("the case is {}", ticket.status)));
        }
    }
    for f in &upload.files {
        match state.storage.put(&f.bytes).await {
            Ok(k) => stored.push(k),
            Err(err) => {
                for k in &stored {
                    let _ = state.storage.delete(k).await;
                }
                return Err(AppError::Internal(anyhow::anyhow!("storing an attachment: {err}")));
            }
        }
    }
    let files = &upload.files;
    let keys = stored.clone();
    let result = conn.transaction(async |conn| write(conn, &reference, &user, *number, &body, visibility, files, &keys).await).await;
    let (row, ticket) = match result {
        Ok(r) => r,
        Err(err) => {
            for k in &stored {
                let _ = state.storage.delete(k).await;
            }
            return Err(err);
        }
    };
    let followup = render(&mut conn, &reference, &ticket, vec![row]).await?.pop();
    Ok(HttpResponse::Created().json(followup))
}

/// Writes a follow-up in the caller's transaction: the case locked, who may write checked (404
/// when the caller may not see it, 403 for a private one they may not write, 409 once closed),
/// the follow-up, its files (already in storage under `keys`), the audit and search entries, and
/// the requester's answer to a case waiting for them through the lifecycle. The API and the
/// mailbox intake both write follow-ups here.
#[allow(clippy::too_many_arguments)]
pub async fn write(
    conn: &mut diesel_async::AsyncPgConnection,
    reference: &crate::reference::Reference,
    user: &CurrentUser,
    number: i64,
    body: &str,
    visibility: Visibility,
    files: &[crate::attachments::UploadedFile],
    keys: &[String],
) -> AppResult<(FollowupRow, TicketRow)> {
    let user_id = user.0.id;
    let (ticket, scope) = load_visible(conn, reference, user, number, true).await?;
    if visibility == Visibility::Private && !scope.sees_private(&ticket) {
        return Err(AppError::Forbidden);
    }
    if !ticket.status.is_open() && ticket.status != Status::Resolved {
        return Err(AppError::conflict("case_closed", format!("the case is {}", ticket.status)));
    }
    let row = insert(conn, ticket.id, user_id, body, visibility, Utc::now()).await?;
    let id = row.id;
    for (f, key) in files.iter().zip(keys) {
        insert_attachment(conn, ticket.id, Some((id, visibility)), f, key, user_id).await?;
    }
    // A public follow-up is mailed to the other side and told to the webhooks (as
    // `GET /tickets/{number}/followups` shows it); a private one never leaves the agents.
    if visibility == Visibility::Public {
        crate::notify::record_followup(conn, &ticket, user_id, id, body, Utc::now()).await?;
        if reference.webhooks_want(&["case.followup_added"]) {
            let followup = render(conn, reference, &ticket, vec![row.clone()]).await?.pop();
            let data = serde_json::json!({"followup": followup});
            crate::webhooks::record(conn, reference, &ticket, &[("case.followup_added", data)], Utc::now()).await?;
        }
    }
    // The requester answered: a case waiting for them goes back to work (the lifecycle path).
    let mut updated = ticket.clone();
    if scope.actor(&ticket) == Some(Actor::Requester) && ticket.status == Status::OnHold && ticket.hold_reason == Some(HoldReason::WaitingRequester) {
        let who = Who::of(&scope, reference, &ticket).ok_or(AppError::NotFound)?;
        let now = Utc::now();
        let decision = lifecycle::decide(&ticket, &Command::RequesterAnswered, &Default::default(), &who, now)?;
        updated = lifecycle::commit(conn, reference, &ticket, decision, Some(user_id), now).await?;
    } else {
        // Any follow-up counts as activity on the case.
        diesel::update(crate::db::schema::tickets::table.find(ticket.id)).set(crate::db::schema::tickets::updated_at.eq(Utc::now())).execute(conn).await?;
    }
    Ok((row, updated))
}

/// The audit trail of a case, oldest first (requesters see the public part).
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Vec<TicketEvent>),
        Unauthenticated,
        NotFound))]
#[get("/tickets/{number}/events")]
pub async fn list_events(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<web::Json<Vec<TicketEvent>>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (ticket, scope) = load_visible(&mut conn, &reference, &user, *number, false).await?;
    let mut q =
        ticket_events::table.filter(ticket_events::ticket_id.eq(ticket.id)).select(EventRow::as_select()).order((ticket_events::created_at, ticket_events::id)).into_boxed();
    let private = scope.sees_private(&ticket);
    if !private {
        q = q.filter(ticket_events::visibility.eq(Visibility::Public.as_str()));
    }
    let mut rows: Vec<EventRow> = q.load(&mut conn).await?;
    if !private {
        // A public change (an escalation, a hold) may carry a reason meant for the agents only.
        for e in &mut rows {
            if let Some(v) = e.new_value.as_mut() {
                lifecycle::redact_for_requester(v);
            }
        }
    }
    let actors: Vec<Uuid> = rows.iter().filter_map(|e| e.actor_id).collect();
    let names = Names::load(&mut conn, &reference, &[], &actors).await?;
    name_assignments(&mut conn, &reference, &mut rows).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|e| TicketEvent {
                id: e.id,
                actor: e.actor_id.map(|a| names.user(a)),
                kind: e.kind,
                old_value: e.old_value,
                new_value: e.new_value,
                visibility: e.visibility,
                created_at: e.created_at,
            })
            .collect(),
    ))
}

/// Assignment entries carry ids; add the group's and agent's names so anyone reading the
/// timeline (requesters cannot look groups up) sees who took over.
async fn name_assignments(conn: &mut diesel_async::AsyncPgConnection, reference: &crate::reference::Reference, rows: &mut [EventRow]) -> AppResult<()> {
    use crate::db::schema::users;
    let ids = |key: &str| -> Vec<Uuid> {
        rows.iter()
            .filter(|e| e.kind == "assignment")
            .flat_map(|e| [e.old_value.as_ref(), e.new_value.as_ref()])
            .flatten()
            .filter_map(|v| v.get(key)?.as_str()?.parse().ok())
            .collect()
    };
    let (group_ids, agent_ids) = (ids("group_id"), ids("agent_id"));
    if group_ids.is_empty() && agent_ids.is_empty() {
        return Ok(());
    }
    // Group names come from the reference data; people's from the database.
    let groups: std::collections::HashMap<Uuid, String> = group_ids.iter().filter_map(|g| reference.groups.get(g).map(|r| (*g, r.name.clone()))).collect();
    let agents: std::collections::HashMap<Uuid, String> =
        users::table.filter(users::id.eq_any(&agent_ids)).select((users::id, users::display_name)).load::<(Uuid, String)>(conn).await?.into_iter().collect();
    for e in rows.iter_mut().filter(|e| e.kind == "assignment") {
        for v in [e.old_value.as_mut(), e.new_value.as_mut()].into_iter().flatten() {
            let name_of = |key: &str, names: &std::collections::HashMap<Uuid, String>| {
                v.get(key).and_then(|x| x.as_str()).and_then(|s| s.parse::<Uuid>().ok()).and_then(|id| names.get(&id).cloned())
            };
            let (g, a) = (name_of("group_id", &groups), name_of("agent_id", &agents));
            v["group_name"] = serde_json::json!(g);
            v["agent_name"] = serde_json::json!(a);
        }
    }
    Ok(())
}

/// The files of a case (requesters: not those of private follow-ups).
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Vec<Attachment>),
        Unauthenticated,
        NotFound))]
#[get("/tickets/{number}/attachments")]
pub async fn list_attachments(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<web::Json<Vec<Attachment>>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (ticket, scope) = load_visible(&mut conn, &reference, &user, *number, false).await?;
    let rows = visible_attachments(&mut conn, &ticket, scope.sees_private(&ticket)).await?;
    Ok(web::Json(rows.into_iter().map(|a| Attachment::from_row(a, ticket.number)).collect()))
}

async fn visible_attachments(conn: &mut diesel_async::AsyncPgConnection, ticket: &TicketRow, private: bool) -> AppResult<Vec<AttachmentRow>> {
    let mut q =
        attachments::table.left_join(followups::table).filter(attachments::ticket_id.eq(ticket.id)).select(AttachmentRow::as_select()).order(attachments::created_at).into_boxed();
    if !private {
        q = q.filter(followups::visibility.is_null().or(followups::visibility.eq(Visibility::Public.as_str())));
    }
    Ok(q.load(conn).await?)
}

/// Download a file, with the same permissions as its case.
#[utoipa::path(tag = "tickets", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042), ("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, description = "The file, with the type detected when it was uploaded (PDF, images, office documents, text) as its Content-Type", content_type = "*/*"),
        Unauthenticated,
        NotFound))]
#[get("/tickets/{number}/attachments/{id}")]
pub async fn download_attachment(state: web::Data<AppState>, user: CurrentUser, path: web::Path<(i64, Uuid)>) -> AppResult<HttpResponse> {
    let (number, id) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let (ticket, scope) = load_visible(&mut conn, &reference, &user, number, false).await?;
    let row = visible_attachments(&mut conn, &ticket, scope.sees_private(&ticket)).await?.into_iter().find(|a| a.id == id).ok_or(AppError::NotFound)?;
    drop(conn);
    let bytes = state.storage.get(&row.storage_key).await.map_err(|e| AppError::Internal(anyhow::anyhow!("reading attachment {}: {e}", row.id)))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.content_type.clone()))
        .insert_header(content_disposition(&row.file_name))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// `attachment` with an ASCII `filename` and the exact UTF-8 name in `filename*` (RFC 6266).
fn content_disposition(name: &str) -> header::ContentDisposition {
    use header::{Charset, DispositionParam, DispositionType, ExtendedValue};
    let ascii: String = name.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() && c != '"' { c } else { '_' }).collect();
    header::ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue { charset: Charset::Ext("UTF-8".into()), language_tag: None, value: name.as_bytes().to_vec() }),
        ],
    }
}
