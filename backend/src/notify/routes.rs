//! The mail routes: the admins' outbox (`/outbox`), each user's optional kinds
//! (`/me/notifications`), and a desk's own templates (`/desks/{id}/mail-templates`).
use actix_web::{delete, get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::domain::{Kind, Lang};
use super::templates::{self, Parts};
use crate::auth::CurrentUser;
use crate::db::schema::{desks, mail_templates, notification_opt_outs, outbox};
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::{page_limit, paginate, Cursor, JsonBody};
use crate::state::AppState;

/// The mail routes.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_outbox)
        .service(get_outbox_mail)
        .service(retry_outbox_mail)
        .service(get_my_notifications)
        .service(put_my_notifications)
        .service(list_mail_templates)
        .service(get_mail_template)
        .service(put_mail_template)
        .service(delete_mail_template)
        .service(preview_mail_template);
}

/// Where an outgoing mail stands. `sending`: a runner holds it now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    Pending,
    Sending,
    Sent,
    Failed,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbox, check_for_backend(diesel::pg::Pg))]
struct OutboxRow {
    id: Uuid,
    kind: String,
    ticket_number: Option<i64>,
    desk_id: Option<Uuid>,
    recipient_id: Option<Uuid>,
    to_address: String,
    from_address: String,
    reply_to: Option<String>,
    locale: String,
    subject: String,
    body_text: String,
    body_html: String,
    message_id: String,
    thread_id: Option<String>,
    state: String,
    attempts: i32,
    next_attempt_at: DateTime<Utc>,
    locked_until: Option<DateTime<Utc>>,
    last_error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    failed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

/// One outgoing mail. Bodies only in `GET /outbox/{id}`.
#[derive(Serialize, ToSchema)]
pub struct OutboxMail {
    #[schema(example = "0193a5c7-4051-7263-9d74-8e9f0a1b2c34")]
    pub id: Uuid,
    /// Kind of mail, e.g. `registered`, `followup`, `sla_breached`.
    #[schema(example = "assigned")]
    pub kind: String,
    pub state: MailState,
    /// The case it is about (none for a direct answer to an address).
    #[schema(example = 1042)]
    pub ticket_number: Option<i64>,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Option<Uuid>,
    #[schema(example = "0193a5a3-4e5f-7061-9c73-8d9e0f1a2b34")]
    pub recipient_id: Option<Uuid>,
    #[schema(example = "lucia.martinez@cali.gov.co")]
    pub to_address: String,
    #[schema(example = "mesadeservicios@cali.gov.co")]
    pub from_address: String,
    pub reply_to: Option<String>,
    /// `es` or `en`: the recipient's language.
    #[schema(example = "es-CO")]
    pub locale: String,
    #[schema(example = "Caso 1042: asignado a Carlos Rodríguez")]
    pub subject: String,
    #[schema(example = "<mesa.1042.0193a5c7@mesa.cali.gov.co>")]
    pub message_id: String,
    /// `In-Reply-To` / `References`: the case's thread.
    pub thread_id: Option<String>,
    /// Delivery attempts so far.
    #[schema(example = 1)]
    pub attempts: i32,
    /// Attempts after which it is failed.
    #[schema(example = 10)]
    pub max_attempts: i32,
    /// When a pending mail is tried (again).
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    #[schema(example = "2026-12-03T13:15:04Z")]
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
}

impl OutboxMail {
    fn from_row(r: OutboxRow, now: DateTime<Utc>, bodies: bool) -> Self {
        let state = match r.state.as_str() {
            "sent" => MailState::Sent,
            "failed" => MailState::Failed,
            _ if r.locked_until.is_some_and(|l| l > now) => MailState::Sending,
            _ => MailState::Pending,
        };
        OutboxMail {
            id: r.id,
            kind: r.kind,
            state,
            ticket_number: r.ticket_number,
            desk_id: r.desk_id,
            recipient_id: r.recipient_id,
            to_address: r.to_address,
            from_address: r.from_address,
            reply_to: r.reply_to,
            locale: r.locale,
            subject: r.subject,
            message_id: r.message_id,
            thread_id: r.thread_id,
            attempts: r.attempts,
            max_attempts: super::delivery::RETRY.max_attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            sent_at: r.sent_at,
            failed_at: r.failed_at,
            created_at: r.created_at,
            body_text: bodies.then_some(r.body_text),
            body_html: bodies.then_some(r.body_html),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxMail>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only mails in this state (default: all).
    #[param(example = "failed")]
    pub state: Option<MailState>,
    /// Only the mails of this case.
    #[param(example = 1042)]
    pub ticket: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[param(example = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The outgoing mail, newest first (admins): `?state=failed` for what could not be delivered,
/// `?state=pending` for what waits (all of it while `MESA_SMTP_URL` is unset).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), params(OutboxQuery),
    responses((status = 200, body = OutboxPage), Unauthenticated, Forbidden, Invalid))]
#[get("/outbox")]
pub async fn list_outbox(state: web::Data<AppState>, user: CurrentUser, query: web::Query<OutboxQuery>) -> AppResult<web::Json<OutboxPage>> {
    user.require_admin()?;
    let q = query.into_inner();
    let limit = page_limit(q.limit)?;
    let after = q.cursor.as_deref().map(Cursor::decode_time).transpose()?;
    let now = Utc::now();
    let mut select = outbox::table.select(OutboxRow::as_select()).into_boxed();
    select = match q.state {
        None => select,
        Some(MailState::Sent) => select.filter(outbox::state.eq("sent")),
        Some(MailState::Failed) => select.filter(outbox::state.eq("failed")),
        Some(MailState::Sending) => select.filter(outbox::state.eq("pending").and(outbox::locked_until.gt(now))),
        Some(MailState::Pending) => select.filter(outbox::state.eq("pending").and(outbox::locked_until.is_null().or(outbox::locked_until.le(now)))),
    };
    if let Some(n) = q.ticket {
        select = select.filter(outbox::ticket_number.eq(n));
    }
    if let Some((at, id)) = after {
        select = select.filter(outbox::created_at.lt(at).or(outbox::created_at.eq(at).and(outbox::id.lt(id))));
    }
    let mut conn = state.pool.get().await?;
    let rows: Vec<OutboxRow> = select.order((outbox::created_at.desc(), outbox::id.desc())).limit(limit + 1).load(&mut conn).await?;
    let (rows, next_cursor) = paginate(rows, limit, |m| Cursor { key: m.created_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true), id: m.id });
    Ok(web::Json(OutboxPage { items: rows.into_iter().map(|r| OutboxMail::from_row(r, now, false)).collect(), next_cursor }))
}

/// One outgoing mail with its bodies (admins).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = OutboxMail), Unauthenticated, Forbidden, NotFound))]
#[get("/outbox/{id}")]
pub async fn get_outbox_mail(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<OutboxMail>> {
    user.require_admin()?;
    let mut conn = state.pool.get().await?;
    let row: OutboxRow = outbox::table.find(*id).select(OutboxRow::as_select()).first(&mut conn).await?;
    Ok(web::Json(OutboxMail::from_row(row, Utc::now(), true)))
}

/// Send a failed mail again (admins): pending, due now, its attempts counted afresh; 409
/// `mail_not_failed` for a mail that is not failed.
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, description = "The mail, pending again", body = OutboxMail), Unauthenticated, Forbidden, NotFound, Conflict))]
#[post("/outbox/{id}/retry")]
pub async fn retry_outbox_mail(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<OutboxMail>> {
    user.require_admin()?;
    let id = id.into_inner();
    let now = Utc::now();
    let mut conn = state.pool.get().await?;
    // One statement: of two admins retrying at once, one wins and the other gets 409.
    let retried: Option<OutboxRow> = diesel::update(outbox::table.find(id).filter(outbox::state.eq("failed")))
        .set((
            outbox::state.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::failed_at.eq(None::<DateTime<Utc>>),
            outbox::locked_until.eq(None::<DateTime<Utc>>),
        ))
        .returning(OutboxRow::as_returning())
        .get_result(&mut conn)
        .await
        .optional()?;
    match retried {
        Some(row) => Ok(web::Json(OutboxMail::from_row(row, now, false))),
        None => {
            let exists: bool = diesel::select(diesel::dsl::exists(outbox::table.find(id))).get_result(&mut conn).await?;
            Err(if exists { AppError::conflict("mail_not_failed", "Only a failed mail can be retried") } else { AppError::NotFound })
        }
    }
}

/// One kind of mail and whether the caller receives it.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"kind": "followup", "optional": true, "enabled": false}))]
pub struct KindPreference {
    pub kind: Kind,
    /// Whether the caller may turn it off (the others always reach them).
    pub optional: bool,
    pub enabled: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"kinds": [{"kind": "followup", "optional": true, "enabled": false}, {"kind": "resolved", "optional": false, "enabled": true}]}))]
pub struct NotificationPreferences {
    /// Every kind of mail about a case.
    pub kinds: Vec<KindPreference>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"disabled": ["followup", "survey_reminder"]}))]
pub struct UpdateNotificationPreferences {
    /// The optional kinds the caller does not want (replaces the list).
    pub disabled: Vec<Kind>,
}

async fn preferences(conn: &mut diesel_async::AsyncPgConnection, user_id: Uuid) -> AppResult<NotificationPreferences> {
    let off: Vec<String> = notification_opt_outs::table.filter(notification_opt_outs::user_id.eq(user_id)).select(notification_opt_outs::kind).load(conn).await?;
    Ok(NotificationPreferences {
        kinds: Kind::ALL
            .iter()
            .filter(|k| k.of_case())
            .map(|k| KindPreference { kind: *k, optional: k.optional(), enabled: !(k.optional() && off.iter().any(|o| o == k.as_str())) })
            .collect(),
    })
}

/// The kinds of mail the caller receives.
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), responses((status = 200, body = NotificationPreferences), Unauthenticated))]
#[get("/me/notifications")]
pub async fn get_my_notifications(state: web::Data<AppState>, user: CurrentUser) -> AppResult<web::Json<NotificationPreferences>> {
    let mut conn = state.pool.get().await?;
    Ok(web::Json(preferences(&mut conn, user.0.id).await?))
}

/// Turn optional kinds of mail off (the list replaces the previous one); a kind that cannot be
/// turned off is a 422 naming it (`disabled.N`).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), request_body = UpdateNotificationPreferences,
    responses((status = 200, body = NotificationPreferences), Unauthenticated, Invalid))]
#[put("/me/notifications")]
pub async fn put_my_notifications(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<UpdateNotificationPreferences>) -> AppResult<web::Json<NotificationPreferences>> {
    let errors: Vec<FieldError> = body
        .0
        .disabled
        .iter()
        .enumerate()
        .filter(|(_, k)| !k.optional())
        .map(|(i, k)| FieldError::new(format!("disabled.{i}"), "not_optional", format!("{} mail cannot be turned off", k.as_str())))
        .collect();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut kinds: Vec<&'static str> = body.0.disabled.iter().map(|k| k.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let user_id = user.0.id;
    let mut conn = state.pool.get().await?;
    conn.transaction(async |conn| -> AppResult<()> {
        diesel::delete(notification_opt_outs::table.filter(notification_opt_outs::user_id.eq(user_id))).execute(conn).await?;
        let rows: Vec<_> = kinds.iter().map(|k| (notification_opt_outs::user_id.eq(user_id), notification_opt_outs::kind.eq(*k))).collect();
        diesel::insert_into(notification_opt_outs::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
        Ok(())
    })
    .await?;
    Ok(web::Json(preferences(&mut conn, user_id).await?))
}

/// A desk's template of one kind and language: its own, or the built-in one.
#[derive(Serialize, ToSchema)]
pub struct MailTemplate {
    pub kind: Kind,
    pub lang: Lang,
    /// The desk's own (false: the built-in one).
    #[schema(example = json!(true))]
    pub custom: bool,
    /// MiniJinja sources. Variables: see `variables`.
    #[schema(example = "Caso registrado: {{ subject }}")]
    pub subject: String,
    #[schema(example = "Hola {{ recipient }}, su solicitud quedó registrada con el número {{ number }}. Ver el caso: {{ url }}")]
    pub text: String,
    /// Auto-escaped; may `{% extends "layout.html" %}` and fill its `body` block.
    #[schema(
        example = "{% extends \"layout.html\" %}{% block body %}<p>Hola {{ recipient }}, su solicitud quedó registrada con el número <strong>{{ number }}</strong>.</p>{% endblock %}"
    )]
    pub html: String,
    #[schema(example = "2026-12-03T13:15:00Z")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The variables every template may use.
    #[schema(example = json!(["lang", "kind", "number", "subject", "url", "desk", "service", "group", "agent", "requester", "recipient", "role"]))]
    pub variables: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "subject": "Caso registrado: {{ subject }}",
    "text": "Hola {{ recipient }}, su solicitud quedó registrada con el número {{ number }}. Ver el caso: {{ url }}",
    "html": "{% extends \"layout.html\" %}{% block body %}<p>Hola {{ recipient }}, su solicitud quedó registrada con el número <strong>{{ number }}</strong>.</p>{% endblock %}"
}))]
pub struct MailTemplateBody {
    /// The case's `[Mesa #N]` is put before it when missing.
    #[schema(max_length = 100000)]
    pub subject: String,
    #[schema(max_length = 100000)]
    pub text: String,
    #[schema(max_length = 100000)]
    pub html: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "role": "requester",
    "template": {
        "subject": "Caso registrado: {{ subject }}",
        "text": "Hola {{ recipient }}, su solicitud quedó registrada con el número {{ number }}.",
        "html": "<p>Hola {{ recipient }}, su solicitud quedó registrada con el número <strong>{{ number }}</strong>.</p>"
    }
}))]
pub struct PreviewBody {
    /// A template to try before saving it (default: the desk's current one).
    pub template: Option<MailTemplateBody>,
    /// `requester` (default) or `agent`: whom the sample mail is written for.
    pub role: Option<String>,
}

/// The path's kind and language; unknown ones are 404.
fn kind_lang(path: &(Uuid, String, String)) -> AppResult<(Uuid, Kind, Lang)> {
    let kind = Kind::parse(&path.1).ok_or(AppError::NotFound)?;
    let lang = Lang::parse(&path.2).ok_or(AppError::NotFound)?;
    Ok((path.0, kind, lang))
}

/// 404 for no such desk, 403 for a desk the caller does not manage.
async fn manage(conn: &mut diesel_async::AsyncPgConnection, user: &CurrentUser, desk_id: Uuid) -> AppResult<()> {
    let exists: bool = diesel::select(diesel::dsl::exists(desks::table.find(desk_id))).get_result(conn).await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    crate::desks::queries::require_manager(conn, user, desk_id).await
}

async fn effective(conn: &mut diesel_async::AsyncPgConnection, desk_id: Uuid, kind: Kind, lang: Lang) -> AppResult<MailTemplate> {
    let custom: Option<(String, String, String, DateTime<Utc>)> = mail_templates::table
        .find((desk_id, kind.as_str(), lang.as_str()))
        .select((mail_templates::subject, mail_templates::body_text, mail_templates::body_html, mail_templates::updated_at))
        .first(conn)
        .await
        .optional()?;
    let variables = templates::VARIABLES.iter().map(|v| v.to_string()).collect();
    Ok(match custom {
        Some((subject, text, html, at)) => MailTemplate { kind, lang, custom: true, subject, text, html, updated_at: Some(at), variables },
        None => {
            let p = templates::builtin(kind, lang);
            MailTemplate { kind, lang, custom: false, subject: p.subject, text: p.text, html: p.html, updated_at: None, variables }
        }
    })
}

/// Every kind and language of a desk's mail, with which ones the desk words its own way
/// (admins and the desk's supervisors).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), params(("id" = Uuid, Path, description = "Desk id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Vec<MailTemplate>), Unauthenticated, Forbidden, NotFound))]
#[get("/desks/{id}/mail-templates")]
pub async fn list_mail_templates(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<Vec<MailTemplate>>> {
    let mut conn = state.pool.get().await?;
    manage(&mut conn, &user, *id).await?;
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for lang in [Lang::Es, Lang::En] {
            out.push(effective(&mut conn, *id, *kind, lang).await?);
        }
    }
    Ok(web::Json(out))
}

/// The template a desk uses for a kind and language (`es`, `en`).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])),
    params(("id" = Uuid, Path, description = "Desk id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("kind" = Kind, Path, example = "assigned"), ("lang" = Lang, Path, example = "es")),
    responses((status = 200, body = MailTemplate), Unauthenticated, Forbidden, NotFound))]
#[get("/desks/{id}/mail-templates/{kind}/{lang}")]
pub async fn get_mail_template(state: web::Data<AppState>, user: CurrentUser, path: web::Path<(Uuid, String, String)>) -> AppResult<web::Json<MailTemplate>> {
    let (desk, kind, lang) = kind_lang(&path)?;
    let mut conn = state.pool.get().await?;
    manage(&mut conn, &user, desk).await?;
    Ok(web::Json(effective(&mut conn, desk, kind, lang).await?))
}

/// Word a kind of mail the desk's way. Refused with 422 naming `subject`, `text` or `html` when
/// a part does not parse or does not render against the sample case.
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), request_body = MailTemplateBody,
    params(("id" = Uuid, Path, description = "Desk id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("kind" = Kind, Path, example = "assigned"), ("lang" = Lang, Path, example = "es")),
    responses((status = 200, body = MailTemplate), Unauthenticated, Forbidden, NotFound, Invalid))]
#[put("/desks/{id}/mail-templates/{kind}/{lang}")]
pub async fn put_mail_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, String, String)>,
    body: JsonBody<MailTemplateBody>,
) -> AppResult<web::Json<MailTemplate>> {
    let (desk, kind, lang) = kind_lang(&path)?;
    let mut conn = state.pool.get().await?;
    manage(&mut conn, &user, desk).await?;
    let parts = Parts { subject: body.0.subject, text: body.0.text, html: body.0.html };
    templates::check(kind, lang, &parts, state.config.public_url.as_str()).map_err(AppError::Validation)?;
    diesel::insert_into(mail_templates::table)
        .values((
            mail_templates::desk_id.eq(desk),
            mail_templates::kind.eq(kind.as_str()),
            mail_templates::locale.eq(lang.as_str()),
            mail_templates::subject.eq(&parts.subject),
            mail_templates::body_text.eq(&parts.text),
            mail_templates::body_html.eq(&parts.html),
            mail_templates::updated_by.eq(user.0.id),
            mail_templates::updated_at.eq(Utc::now()),
        ))
        .on_conflict((mail_templates::desk_id, mail_templates::kind, mail_templates::locale))
        .do_update()
        .set((
            mail_templates::subject.eq(&parts.subject),
            mail_templates::body_text.eq(&parts.text),
            mail_templates::body_html.eq(&parts.html),
            mail_templates::updated_by.eq(user.0.id),
            mail_templates::updated_at.eq(Utc::now()),
        ))
        .execute(&mut conn)
        .await?;
    Ok(web::Json(effective(&mut conn, desk, kind, lang).await?))
}

/// Go back to the built-in template (no content; also when the desk had none of its own).
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])),
    params(("id" = Uuid, Path, description = "Desk id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("kind" = Kind, Path, example = "assigned"), ("lang" = Lang, Path, example = "es")),
    responses((status = 204, description = "The built-in template applies"), Unauthenticated, Forbidden, NotFound))]
#[delete("/desks/{id}/mail-templates/{kind}/{lang}")]
pub async fn delete_mail_template(state: web::Data<AppState>, user: CurrentUser, path: web::Path<(Uuid, String, String)>) -> AppResult<HttpResponse> {
    let (desk, kind, lang) = kind_lang(&path)?;
    let mut conn = state.pool.get().await?;
    manage(&mut conn, &user, desk).await?;
    diesel::delete(mail_templates::table.find((desk, kind.as_str(), lang.as_str()))).execute(&mut conn).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The mail a template makes for the sample case (the given template, or the desk's current
/// one); 422 naming the part when it does not parse or render.
#[utoipa::path(tag = "mail", security(("bearer_auth" = [])), request_body = PreviewBody,
    params(("id" = Uuid, Path, description = "Desk id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("kind" = Kind, Path, example = "assigned"), ("lang" = Lang, Path, example = "es")),
    responses((status = 200, description = "The rendered subject, text and HTML", body = Parts), Unauthenticated, Forbidden, NotFound, Invalid))]
#[post("/desks/{id}/mail-templates/{kind}/{lang}/preview")]
pub async fn preview_mail_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, String, String)>,
    body: JsonBody<PreviewBody>,
) -> AppResult<web::Json<Parts>> {
    let (desk, kind, lang) = kind_lang(&path)?;
    let role = match body.0.role.as_deref() {
        None | Some("requester") => "requester",
        Some("agent") => "agent",
        Some(_) => return Err(AppError::field("role", "invalid", "must be requester or agent")),
    };
    let mut conn = state.pool.get().await?;
    manage(&mut conn, &user, desk).await?;
    let parts = match body.0.template {
        Some(t) => Parts { subject: t.subject, text: t.text, html: t.html },
        None => {
            let t = effective(&mut conn, desk, kind, lang).await?;
            Parts { subject: t.subject, text: t.text, html: t.html }
        }
    };
    templates::check(kind, lang, &parts, state.config.public_url.as_str()).map_err(AppError::Validation)?;
    let ctx = templates::sample_context(kind, lang, state.config.public_url.as_str(), role);
    let mut rendered = templates::Renderer::default().render("preview", &parts, &ctx).map_err(|e| AppError::Validation(vec![e]))?;
    rendered.subject = super::domain::numbered_subject(kind.of_case().then_some(1234), &rendered.subject);
    Ok(web::Json(rendered))
}
