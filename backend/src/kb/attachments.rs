//! Files of an article (manuals, screenshots): uploaded with the attachments module's checks
//! (size, count, content sniffed against the name) and stored in the same storage as cases' files.
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::schema::kb_attachments;
use super::store::{self, Access};
use crate::attachments::upload::{is_multipart, multipart, read_multipart, Upload};
use crate::auth::CurrentUser;
use crate::error::responses::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct ArticleAttachment {
    #[schema(example = "0193a5b9-3e4f-7a50-b612-c3d4e5f60718")]
    pub id: Uuid,
    #[schema(example = "cambio-contrasena.png")]
    pub file_name: String,
    #[schema(example = "image/png")]
    pub content_type: String,
    #[schema(example = 184320)]
    pub size_bytes: i64,
    #[schema(example = "2026-11-19T16:35:00Z")]
    pub created_at: DateTime<Utc>,
}

pub async fn of_article(conn: &mut AsyncPgConnection, article_id: Uuid) -> QueryResult<Vec<ArticleAttachment>> {
    let rows: Vec<(Uuid, String, String, i64, DateTime<Utc>)> = kb_attachments::table
        .filter(kb_attachments::article_id.eq(article_id))
        .order((kb_attachments::created_at, kb_attachments::id))
        .select((kb_attachments::id, kb_attachments::file_name, kb_attachments::content_type, kb_attachments::size_bytes, kb_attachments::created_at))
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, file_name, content_type, size_bytes, created_at)| ArticleAttachment { id, file_name, content_type, size_bytes, created_at }).collect())
}

/// The `data` part of an upload: nothing to say yet, but the part keeps the multipart format
/// the same as the cases' (`data` plus `file` parts).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentData {}

/// The upload's form: a `data` part (`{}`) and one or more `file` parts.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    pub data: AttachmentData,
    /// At most `MESA_ATTACHMENT_MAX_FILES` files a request, each at most
    /// `MESA_ATTACHMENT_MAX_BYTES`; PDF, images, office documents or plain text, recognised by
    /// their content (others: 422).
    #[schema(value_type = Vec<String>, format = Binary)]
    pub file: Vec<Vec<u8>>,
}

/// Attach files to an article (whoever may edit it): PDF, images, office documents, text.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<ArticleAttachment>, description = "Every file of the article"), Unauthenticated, Forbidden, NotFound,
        (status = 413, body = crate::error::Problem, content_type = "application/problem+json"), Invalid))]
#[post("/kb/articles/{id}/attachments")]
pub async fn upload(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, req: HttpRequest, payload: web::Payload) -> AppResult<HttpResponse> {
    if !is_multipart(&req) {
        return Err(AppError::BadRequest("Content-Type must be multipart/form-data".into()));
    }
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    // Checked before reading the files, and again under the row lock below.
    let a = store::load_readable(&mut conn, &access, *id, false).await?;
    if !access.edits(&a) {
        return Err(AppError::Forbidden);
    }
    let limits = state.attachment_limits();
    let upload: Upload<AttachmentData> = read_multipart(multipart(req.headers(), payload, &limits), &limits).await?;
    if upload.files.is_empty() {
        return Err(AppError::field("file", "required", "send at least one file in a part named file"));
    }
    let mut keys = Vec::new();
    for f in &upload.files {
        match state.storage.put(&f.bytes).await {
            Ok(k) => keys.push(k),
            Err(err) => {
                for k in &keys {
                    let _ = state.storage.delete(k).await;
                }
                return Err(AppError::Internal(anyhow::anyhow!("storing an attachment: {err}")));
            }
        }
    }
    let files = &upload.files;
    let stored = keys.clone();
    let result = conn
        .transaction(async |conn| -> AppResult<()> {
            let a = store::load_readable(conn, &access, a.id, true).await?;
            if !access.edits(&a) {
                return Err(AppError::Forbidden);
            }
            let now = Utc::now();
            let rows: Vec<_> = files
                .iter()
                .zip(&stored)
                .map(|(f, key)| {
                    (
                        kb_attachments::id.eq(Uuid::now_v7()),
                        kb_attachments::article_id.eq(a.id),
                        kb_attachments::file_name.eq(f.file_name.clone()),
                        kb_attachments::content_type.eq(f.sniffed.mime),
                        kb_attachments::size_bytes.eq(f.bytes.len() as i64),
                        kb_attachments::sha256.eq(f.sha256.clone()),
                        kb_attachments::storage_key.eq(key.clone()),
                        kb_attachments::uploaded_by_id.eq(user.0.id),
                        kb_attachments::created_at.eq(now),
                    )
                })
                .collect();
            diesel::insert_into(kb_attachments::table).values(rows).execute(conn).await?;
            Ok(())
        })
        .await;
    if let Err(e) = result {
        for k in &keys {
            let _ = state.storage.delete(k).await;
        }
        return Err(e);
    }
    Ok(HttpResponse::Created().json(of_article(&mut conn, a.id).await?))
}

/// Download a file of an article one reads.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("file" = Uuid, Path, example = "0193a5b9-3e4f-7a50-b612-c3d4e5f60718")),
    responses((status = 200, description = "The file, with the type detected when it was uploaded as its Content-Type", content_type = "*/*"), Unauthenticated, NotFound))]
#[get("/kb/articles/{id}/attachments/{file}")]
pub async fn download(state: web::Data<AppState>, user: CurrentUser, path: web::Path<(Uuid, Uuid)>) -> AppResult<HttpResponse> {
    let (id, file) = path.into_inner();
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let a = store::load_readable(&mut conn, &access, id, false).await?;
    let (name, content_type, key): (String, String, String) = kb_attachments::table
        .find(file)
        .filter(kb_attachments::article_id.eq(a.id))
        .select((kb_attachments::file_name, kb_attachments::content_type, kb_attachments::storage_key))
        .first(&mut conn)
        .await?;
    drop(conn);
    let bytes = state.storage.get(&key).await.map_err(|e| AppError::Internal(anyhow::anyhow!("reading attachment {file}: {e}")))?;
    let ascii: String = name.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() && c != '"' { c } else { '_' }).collect();
    let disposition = header::ContentDisposition {
        disposition: header::DispositionType::Attachment,
        parameters: vec![
            header::DispositionParam::Filename(ascii),
            header::DispositionParam::FilenameExt(header::ExtendedValue { charset: header::Charset::Ext("UTF-8".into()), language_tag: None, value: name.as_bytes().to_vec() }),
        ],
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header(disposition)
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes))
}
