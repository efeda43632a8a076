//! The article routes: list and search, read, write drafts, review and publish, revisions and
//! their diff, votes, views and deflections, suggestions while filing, the desk's figures.
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Float, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::*;
use super::schema::{kb_article_versions, kb_articles, kb_views, kb_votes};
use super::store::{self, Access, ArticleRow, NewArticle, VersionRow};
use crate::auth::CurrentUser;
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Stale, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::{etag, page_limit, paginate, Cursor, IfMatch, JsonBody};
use crate::reference::Reference;
use crate::state::AppState;
use crate::tickets::model::Named;
use crate::validate::{double_option, Errors};

/// A knowledge-base article.
#[derive(Serialize, ToSchema)]
pub struct Article {
    #[schema(example = "0193a5aa-b5c6-77d8-83ea-5e6f708192ab")]
    pub id: Uuid,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    /// One of the desk's catalog categories.
    pub category: Option<Named>,
    pub audience: ArticleAudience,
    pub status: ArticleStatus,
    /// The solution's name.
    #[schema(example = "Cómo cambiar la contraseña del correo institucional")]
    pub title: String,
    /// The incident as the requester sees it.
    #[schema(example = "No puedo entrar al correo: la contraseña venció")]
    pub symptom: String,
    /// The solution's steps, in Markdown as written.
    #[schema(example = "1. Ingrese a https://cuenta.cali.gov.co.\n2. Elija **Cambiar contraseña**.")]
    pub body: String,
    /// `body` rendered to HTML on the server and sanitized: no script, no raw HTML, no event
    /// attributes, only http, https and mailto links.
    #[schema(example = "<ol>\n<li>Ingrese a https://cuenta.cali.gov.co.</li>\n<li>Elija <strong>Cambiar contraseña</strong>.</li>\n</ol>\n")]
    pub body_html: String,
    #[schema(example = json!([{"title": "Guía de impresoras de la Alcaldía", "url": "https://intranet.cali.gov.co/tic/guias/impresoras"}]))]
    pub links: Vec<Link>,
    #[schema(example = json!([]))]
    pub attachments: Vec<super::attachments::ArticleAttachment>,
    pub author: Named,
    /// The supervisor who last published or returned it.
    pub reviewer: Option<Named>,
    #[schema(example = "2026-11-20T15:00:00Z")]
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Why it was returned to draft (staff only).
    pub review_note: Option<String>,
    #[schema(example = "2026-11-20T15:00:00Z")]
    pub published_at: Option<DateTime<Utc>>,
    /// The case it was proposed from (staff only).
    #[schema(example = 1042)]
    pub source_ticket_number: Option<i64>,
    /// The content's revision (see `/versions`).
    #[schema(example = 3)]
    pub revision: i32,
    #[schema(example = 412)]
    pub views: i64,
    #[schema(example = 31)]
    pub helpful: i64,
    #[schema(example = 2)]
    pub not_helpful: i64,
    /// The caller's own vote.
    #[schema(example = json!(true))]
    pub my_vote: Option<bool>,
    #[schema(example = "2026-11-18T20:10:00Z")]
    pub created_at: DateTime<Utc>,
    #[schema(example = "2026-11-20T15:00:00Z")]
    pub updated_at: DateTime<Utc>,
    /// Row version, for `If-Match`.
    #[schema(example = 5)]
    pub version: i32,
    /// What the caller may do with it now: `edit`, `submit`, `publish`, `return`, `archive`, and
    /// `history` (read its versions and diffs).
    #[schema(example = json!(["edit", "archive"]))]
    pub allowed_actions: Vec<String>,
}

/// An article in a list.
#[derive(Serialize, ToSchema)]
pub struct ArticleSummary {
    #[schema(example = "0193a5aa-b5c6-77d8-83ea-5e6f708192ab")]
    pub id: Uuid,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    pub category: Option<Named>,
    pub audience: ArticleAudience,
    pub status: ArticleStatus,
    #[schema(example = "Cómo cambiar la contraseña del correo institucional")]
    pub title: String,
    /// The symptom's first 300 characters.
    #[schema(example = "No puedo entrar al correo: la contraseña venció")]
    pub symptom: String,
    #[schema(example = 412)]
    pub views: i64,
    #[schema(example = 31)]
    pub helpful: i64,
    #[schema(example = 2)]
    pub not_helpful: i64,
    #[schema(example = "2026-11-20T15:00:00Z")]
    pub published_at: Option<DateTime<Utc>>,
    #[schema(example = "2026-11-20T15:00:00Z")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ArticlePage {
    pub items: Vec<ArticleSummary>,
    pub next_cursor: Option<String>,
}

pub(super) fn category(reference: &Reference, id: Option<Uuid>) -> Option<Named> {
    id.map(|id| Named { id, name: reference.node_name(id) })
}

fn excerpt(text: &str, max: usize) -> String {
    let mut s: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        s.push('…');
    }
    s
}

pub(super) async fn summaries(conn: &mut AsyncPgConnection, reference: &Reference, rows: Vec<ArticleRow>) -> AppResult<Vec<ArticleSummary>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let votes = store::vote_counts(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let (helpful, not_helpful) = votes.get(&r.id).copied().unwrap_or_default();
            ArticleSummary {
                id: r.id,
                desk_id: r.desk_id,
                category: category(reference, r.category_id),
                audience: r.audience,
                status: r.status,
                symptom: excerpt(&r.symptom, 300),
                title: r.title,
                views: r.view_count,
                helpful,
                not_helpful,
                published_at: r.published_at,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

pub(super) async fn show(conn: &mut AsyncPgConnection, reference: &Reference, access: &Access, r: ArticleRow) -> AppResult<Article> {
    let staff = access.staff_of(r.desk_id);
    let people: Vec<Uuid> = std::iter::once(r.author_id).chain(r.reviewer_id).collect();
    let names = reference.user_names(conn, &people).await?;
    let name = |id: Uuid| Named { id, name: names.get(&id).cloned().unwrap_or_default() };
    let (helpful, not_helpful) = store::vote_counts(conn, &[r.id]).await?.get(&r.id).copied().unwrap_or_default();
    let my_vote = store::my_vote(conn, r.id, access.scope.user_id).await?;
    let source_ticket_number = match (staff, r.source_ticket_id) {
        (true, Some(t)) => crate::db::schema::tickets::table.find(t).select(crate::db::schema::tickets::number).first(conn).await.optional()?,
        _ => None,
    };
    let attachments = super::attachments::of_article(conn, r.id).await?;
    let mut allowed_actions = Vec::new();
    if access.edits(&r) {
        allowed_actions.push("edit".to_owned());
    }
    if staff {
        allowed_actions.extend(Step::allowed(r.status, access.manages(r.desk_id)));
        allowed_actions.push("history".to_owned());
    }
    Ok(Article {
        allowed_actions,
        id: r.id,
        desk_id: r.desk_id,
        category: category(reference, r.category_id),
        audience: r.audience,
        status: r.status,
        links: r.links(),
        attachments,
        author: name(r.author_id),
        reviewer: r.reviewer_id.map(name),
        reviewed_at: r.reviewed_at,
        review_note: r.review_note.filter(|_| staff),
        published_at: r.published_at,
        source_ticket_number,
        revision: r.revision,
        views: r.view_count,
        helpful,
        not_helpful,
        my_vote,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
        title: r.title,
        symptom: r.symptom,
        body: r.body,
        body_html: r.body_html,
    })
}

pub(super) fn respond(status: actix_web::http::StatusCode, a: Article) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(a.version)).json(a)
}

/// A query text: no NUL (Postgres text holds none), at most [`MAX_QUERY`] characters.
fn check_query(field: &str, q: &str) -> AppResult<()> {
    if q.contains('\0') {
        return Err(AppError::field(field, "invalid_character", "must not contain the NUL character (U+0000)"));
    }
    if q.chars().count() > MAX_QUERY {
        return Err(AppError::field(field, "too_long", format!("must be at most {MAX_QUERY} characters")));
    }
    Ok(())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleListQuery {
    /// Only this desk's articles.
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk: Option<Uuid>,
    /// Only this category's articles.
    #[param(example = "0193a5ab-c6d7-78e9-94fb-6f708192a3bc")]
    pub category: Option<Uuid>,
    /// Only articles in this status (staff; requesters only ever see published ones). The review
    /// queue is `status=in_review`.
    #[param(example = "in_review")]
    pub status: Option<ArticleStatus>,
    #[param(example = "public")]
    pub audience: Option<ArticleAudience>,
    /// Spanish full-text search (accents ignored) over title, symptom and steps; the results
    /// then come by relevance, in one page.
    #[param(example = "contraseña correo")]
    pub q: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(example = 20)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List or search the articles the caller may read: requesters the published public ones of
/// the desks they may file with; a desk's staff every article of the desk (drafts, the review
/// queue, archived ones). By title, or by relevance with `q`.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(ArticleListQuery),
    responses((status = 200, body = ArticlePage), Unauthenticated, Invalid))]
#[get("/kb/articles")]
pub async fn list_articles(state: web::Data<AppState>, user: CurrentUser, query: web::Query<ArticleListQuery>) -> AppResult<web::Json<ArticlePage>> {
    let f = query.into_inner();
    let limit = page_limit(f.limit)?;
    let text = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
    if let Some(q) = &text {
        check_query("q", q)?;
    }
    let after = match (&text, f.cursor.as_deref()) {
        (None, Some(c)) => Some(Cursor::decode_text(c, MAX_TITLE)?),
        _ => None,
    };
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let mut q = kb_articles::table
        .select(ArticleRow::as_select())
        .filter(kb_articles::desk_id.eq_any(access.staff_desks.clone()).or(
            kb_articles::status.eq(ArticleStatus::Published).and(kb_articles::audience.eq(ArticleAudience::Public)).and(kb_articles::desk_id.eq_any(access.public_desks.clone())),
        ))
        .into_boxed();
    if let Some(d) = f.desk {
        q = q.filter(kb_articles::desk_id.eq(d));
    }
    if let Some(c) = f.category {
        q = q.filter(kb_articles::category_id.eq(c));
    }
    if let Some(s) = f.status {
        q = q.filter(kb_articles::status.eq(s));
    }
    if let Some(a) = f.audience {
        q = q.filter(kb_articles::audience.eq(a));
    }
    let rows: Vec<ArticleRow> = if let Some(text) = text {
        q.filter(sql::<Bool>("kb_articles.search @@ websearch_to_tsquery('mesa_es', ").bind::<Text, _>(text.clone()).sql(")"))
            .order((sql::<Float>("ts_rank(kb_articles.search, websearch_to_tsquery('mesa_es', ").bind::<Text, _>(text).sql("))").desc(), kb_articles::id))
            .limit(limit)
            .load(&mut conn)
            .await?
    } else {
        if let Some(c) = after {
            q = q.filter(kb_articles::title.gt(c.key.clone()).or(kb_articles::title.eq(c.key).and(kb_articles::id.gt(c.id))));
        }
        q.order((kb_articles::title, kb_articles::id)).limit(limit + 1).load(&mut conn).await?
    };
    let (rows, next_cursor) = paginate(rows, limit, |r| Cursor { key: r.title.clone(), id: r.id });
    Ok(web::Json(ArticlePage { items: summaries(&mut conn, &reference, rows).await?, next_cursor }))
}

/// A new article, as a draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "desk_id": "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01",
    "category_id": "0193a5ab-c6d7-78e9-94fb-6f708192a3bc",
    "audience": "public",
    "title": "Cómo cambiar la contraseña del correo institucional",
    "symptom": "No puedo entrar al correo: la contraseña venció",
    "body": "1. Ingrese a https://cuenta.cali.gov.co.\n2. Elija **Cambiar contraseña**.\n3. Escriba la contraseña anterior y la nueva dos veces.",
    "links": [{"title": "Guía de impresoras de la Alcaldía", "url": "https://intranet.cali.gov.co/tic/guias/impresoras"}]
}))]
pub struct CreateArticle {
    pub desk_id: Uuid,
    /// One of the desk's catalog categories.
    pub category_id: Option<Uuid>,
    pub audience: ArticleAudience,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub symptom: String,
    /// The steps, in Markdown.
    #[schema(min_length = 1, max_length = 50000)]
    pub body: String,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub links: Vec<Link>,
}

/// Write a new article (a draft) for a desk one works (its agents, supervisors, admins).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = CreateArticle,
    responses((status = 201, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, Invalid))]
#[post("/kb/articles")]
pub async fn create_article(state: web::Data<AppState>, user: CurrentUser, body: JsonBody<CreateArticle>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let title = e.text("title", &b.title, MAX_TITLE);
    let symptom = e.text("symptom", &b.symptom, MAX_SYMPTOM);
    let text = e.text("body", &b.body, MAX_BODY);
    let links = check_links(&mut e, &b.links);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    if !access.staff_of(b.desk_id) {
        return Err(if reference.desks.contains_key(&b.desk_id) { AppError::Forbidden } else { AppError::field("desk_id", "unknown_reference", "is not a desk") });
    }
    if let Some(c) = b.category_id {
        store::check_category(&reference, b.desk_id, c, "category_id")?;
    }
    let row = conn
        .transaction(async |conn| -> AppResult<ArticleRow> {
            Ok(store::insert(
                conn,
                NewArticle {
                    desk_id: b.desk_id,
                    category_id: b.category_id,
                    audience: b.audience,
                    status: ArticleStatus::Draft,
                    title,
                    symptom,
                    body: text,
                    links,
                    author_id: user.0.id,
                    source_ticket_id: None,
                },
            )
            .await?)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::CREATED, show(&mut conn, &reference, &access, row).await?))
}

/// Read an article. Reading does not count as a view: the reader's page records one
/// (`POST /kb/articles/{id}/views`), so editors and reloads are not counted.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, NotFound))]
#[get("/kb/articles/{id}")]
pub async fn get_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let row = store::load_readable(&mut conn, &access, *id, false).await?;
    Ok(respond(actix_web::http::StatusCode::OK, show(&mut conn, &reference, &access, row).await?))
}

/// Changes to an article's content; absent fields stay as they are. Every change is a new revision.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Cómo cambiar la contraseña vencida del correo institucional", "symptom": "El correo dice que la contraseña venció"}))]
pub struct EditArticle {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 4000)]
    pub symptom: Option<String>,
    #[schema(min_length = 1, max_length = 50000)]
    pub body: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    pub category_id: Option<Option<Uuid>>,
    pub audience: Option<ArticleAudience>,
    #[schema(max_items = 20)]
    pub links: Option<Vec<Link>>,
}

/// Edit an article (`If-Match`: its ETag): the desk's staff while it is a draft or in review, its
/// supervisors and admins also once published. The previous content stays as a revision.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = EditArticle,
    params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, description = "The article's ETag (row version)", example = "\"4\"")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Stale, Invalid))]
#[patch("/kb/articles/{id}")]
pub async fn edit_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<EditArticle>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let title = b.title.as_deref().map(|t| e.text("title", t, MAX_TITLE));
    let symptom = b.symptom.as_deref().map(|t| e.text("symptom", t, MAX_SYMPTOM));
    let text = b.body.as_deref().map(|t| e.text("body", t, MAX_BODY));
    let links = b.links.as_deref().map(|l| check_links(&mut e, l));
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let row = conn
        .transaction(async |conn| -> AppResult<ArticleRow> {
            let mut a = store::load_readable(conn, &access, *id, true).await?;
            if !access.edits(&a) {
                return Err(AppError::Forbidden);
            }
            if_match.check(a.version)?;
            if let Some(Some(c)) = b.category_id {
                store::check_category(&reference, a.desk_id, c, "category_id")?;
            }
            let before = (a.title.clone(), a.symptom.clone(), a.body.clone(), a.category_id, a.audience, a.links.clone());
            if let Some(t) = title {
                a.title = t;
            }
            if let Some(s) = symptom {
                a.symptom = s;
            }
            if let Some(t) = text {
                a.body = t;
            }
            if let Some(c) = b.category_id {
                a.category_id = c;
            }
            if let Some(au) = b.audience {
                a.audience = au;
            }
            if let Some(l) = links {
                a.links = serde_json::to_value(l).expect("links serialize");
            }
            // Nothing changed: no new revision, no new version.
            if before == (a.title.clone(), a.symptom.clone(), a.body.clone(), a.category_id, a.audience, a.links.clone()) {
                return Ok(a);
            }
            let now = Utc::now();
            let row: ArticleRow = diesel::update(kb_articles::table.find(a.id))
                .set((
                    kb_articles::title.eq(&a.title),
                    kb_articles::symptom.eq(&a.symptom),
                    kb_articles::body_html.eq(render_markdown(&a.body)),
                    kb_articles::body.eq(&a.body),
                    kb_articles::category_id.eq(a.category_id),
                    kb_articles::audience.eq(a.audience),
                    kb_articles::links.eq(&a.links),
                    kb_articles::revision.eq(a.revision + 1),
                    kb_articles::updated_at.eq(now),
                    kb_articles::version.eq(a.version + 1),
                ))
                .returning(ArticleRow::as_returning())
                .get_result(conn)
                .await?;
            store::record_version(conn, &row, user.0.id, now).await?;
            Ok(row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, show(&mut conn, &reference, &access, row).await?))
}

/// A supervisor's word when returning an article to its author.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Agregue una captura de la pantalla de cambio de contraseña"}))]
pub struct ReviewNote {
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}

#[derive(Clone, Copy)]
enum Step {
    Submit,
    Publish,
    Return,
    Archive,
}

impl Step {
    fn next(self, from: ArticleStatus) -> Option<ArticleStatus> {
        use ArticleStatus::*;
        match (self, from) {
            (Step::Submit, Draft) => Some(InReview),
            (Step::Publish, Draft | InReview | Archived) => Some(Published),
            (Step::Return, InReview | Published) => Some(Draft),
            (Step::Archive, Published) => Some(Archived),
            _ => None,
        }
    }

    fn allowed(from: ArticleStatus, manager: bool) -> Vec<String> {
        let steps: &[(Step, &str)] =
            if manager { &[(Step::Submit, "submit"), (Step::Publish, "publish"), (Step::Return, "return"), (Step::Archive, "archive")] } else { &[(Step::Submit, "submit")] };
        steps.iter().filter(|(s, _)| s.next(from).is_some()).map(|(_, n)| (*n).to_owned()).collect()
    }
}

async fn step(state: &AppState, user: &CurrentUser, id: Uuid, if_match: IfMatch, step: Step, note: Option<String>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, user).await?;
    let access = Access::of(user, &reference);
    let row = conn
        .transaction(async |conn| -> AppResult<ArticleRow> {
            let a = store::load_readable(conn, &access, id, true).await?;
            let manager = access.manages(a.desk_id);
            let permitted = match step {
                Step::Submit => access.staff_of(a.desk_id),
                Step::Publish | Step::Return | Step::Archive => manager,
            };
            if !permitted {
                return Err(AppError::Forbidden);
            }
            if_match.check(a.version)?;
            let Some(to) = step.next(a.status) else {
                return Err(AppError::Conflict {
                    code: "invalid_transition",
                    detail: format!("not possible while the article is {}", a.status),
                    allowed_actions: Some(Step::allowed(a.status, manager)),
                });
            };
            let now = Utc::now();
            let reviewed = matches!(step, Step::Publish | Step::Return);
            Ok(diesel::update(kb_articles::table.find(id))
                .set((
                    kb_articles::status.eq(to),
                    kb_articles::reviewer_id.eq(if reviewed { Some(user.0.id) } else { a.reviewer_id }),
                    kb_articles::reviewed_at.eq(if reviewed { Some(now) } else { a.reviewed_at }),
                    kb_articles::review_note.eq(if reviewed { note } else { a.review_note }),
                    kb_articles::published_at.eq(if matches!(step, Step::Publish) { a.published_at.or(Some(now)) } else { a.published_at }),
                    kb_articles::updated_at.eq(now),
                    kb_articles::version.eq(a.version + 1),
                ))
                .returning(ArticleRow::as_returning())
                .get_result(conn)
                .await?)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, show(&mut conn, &reference, &access, row).await?))
}

/// Send a draft to review (the desk's staff): it joins the supervisors' queue (`status=in_review`).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Conflict, Stale))]
#[post("/kb/articles/{id}/submit")]
pub async fn submit_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch) -> AppResult<HttpResponse> {
    step(&state, &user, *id, if_match, Step::Submit, None).await
}

/// Publish (the desk's supervisors and admins): from draft, review or archive. The caller is
/// recorded as reviewer.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Conflict, Stale))]
#[post("/kb/articles/{id}/publish")]
pub async fn publish_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch) -> AppResult<HttpResponse> {
    step(&state, &user, *id, if_match, Step::Publish, None).await
}

/// Return an article in review (or a published one) to draft, saying what to change (the
/// desk's supervisors and admins).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = ReviewNote, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Conflict, Stale, Invalid))]
#[post("/kb/articles/{id}/return")]
pub async fn return_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch, body: JsonBody<ReviewNote>) -> AppResult<HttpResponse> {
    let mut e = Errors::default();
    let note = e.text("note", &body.0.note, 2000);
    e.finish()?;
    step(&state, &user, *id, if_match, Step::Return, Some(note)).await
}

/// Archive a published article (the desk's supervisors and admins): nobody but the desk's staff
/// reads it any more.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), ("If-Match" = Option<String>, Header, example = "\"4\"")),
    responses((status = 200, body = Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Conflict, Stale))]
#[post("/kb/articles/{id}/archive")]
pub async fn archive_article(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, if_match: IfMatch) -> AppResult<HttpResponse> {
    step(&state, &user, *id, if_match, Step::Archive, None).await
}

/// One revision of an article's content.
#[derive(Serialize, ToSchema)]
pub struct ArticleVersion {
    #[schema(example = 2)]
    pub revision: i32,
    #[schema(example = "Cómo cambiar la contraseña del correo")]
    pub title: String,
    #[schema(example = "La contraseña del correo venció")]
    pub symptom: String,
    #[schema(example = "1. Ingrese a https://cuenta.cali.gov.co.")]
    pub body: String,
    pub category: Option<Named>,
    pub audience: ArticleAudience,
    #[schema(example = json!([{"title": "Guía de impresoras de la Alcaldía", "url": "https://intranet.cali.gov.co/tic/guias/impresoras"}]))]
    pub links: Vec<Link>,
    pub edited_by: Named,
    #[schema(example = "2026-11-19T16:30:00Z")]
    pub created_at: DateTime<Utc>,
}

/// Every revision of an article, newest first (the desk's staff).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = Vec<ArticleVersion>), Unauthenticated, Forbidden, NotFound))]
#[get("/kb/articles/{id}/versions")]
pub async fn list_versions(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<web::Json<Vec<ArticleVersion>>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let a = store::load_readable(&mut conn, &access, *id, false).await?;
    if !access.staff_of(a.desk_id) {
        return Err(AppError::Forbidden);
    }
    let rows: Vec<VersionRow> = kb_article_versions::table
        .filter(kb_article_versions::article_id.eq(a.id))
        .order(kb_article_versions::revision.desc())
        .select(VersionRow::as_select())
        .load(&mut conn)
        .await?;
    let editors: Vec<Uuid> = rows.iter().map(|v| v.edited_by_id).collect();
    let names = reference.user_names(&mut conn, &editors).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|v| ArticleVersion {
                revision: v.revision,
                links: serde_json::from_value(v.links).unwrap_or_default(),
                category: category(&reference, v.category_id),
                audience: v.audience,
                edited_by: Named { id: v.edited_by_id, name: names.get(&v.edited_by_id).cloned().unwrap_or_default() },
                created_at: v.created_at,
                title: v.title,
                symptom: v.symptom,
                body: v.body,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older revision.
    #[param(minimum = 1, example = 2)]
    pub from: i32,
    /// The newer revision.
    #[param(minimum = 1, example = 3)]
    pub to: i32,
}

/// What changed between two revisions.
#[derive(Serialize, ToSchema)]
pub struct ArticleDiff {
    #[schema(example = 2)]
    pub from: i32,
    #[schema(example = 3)]
    pub to: i32,
    /// The fields that differ, in the article's order.
    #[schema(example = json!([{"field": "title", "changes": [{"tag": "equal", "text": "Cómo cambiar la contraseña del correo"}, {"tag": "insert", "text": " institucional"}]}]))]
    pub fields: Vec<FieldDiff>,
}

/// The differences between two revisions of an article, field by field (the desk's staff):
/// words for the title, lines for the rest.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90"), DiffQuery),
    responses((status = 200, body = ArticleDiff), Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/kb/articles/{id}/diff")]
pub async fn diff_versions(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, query: web::Query<DiffQuery>) -> AppResult<web::Json<ArticleDiff>> {
    let DiffQuery { from, to } = query.into_inner();
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let a = store::load_readable(&mut conn, &access, *id, false).await?;
    if !access.staff_of(a.desk_id) {
        return Err(AppError::Forbidden);
    }
    let mut e = Errors::default();
    for (field, n) in [("from", from), ("to", to)] {
        if n < 1 || n > a.revision {
            e.add(field, "out_of_range", format!("must be a revision between 1 and {}", a.revision));
        }
    }
    e.finish()?;
    let rows: Vec<VersionRow> = kb_article_versions::table
        .filter(kb_article_versions::article_id.eq(a.id))
        .filter(kb_article_versions::revision.eq_any([from, to]))
        .select(VersionRow::as_select())
        .load(&mut conn)
        .await?;
    let get = |n: i32| rows.iter().find(|v| v.revision == n).ok_or(AppError::NotFound);
    let (old, new) = (get(from)?, get(to)?);
    let name = |c: Option<Uuid>| c.map(|c| reference.node_name(c)).unwrap_or_default();
    let links = |l: &serde_json::Value| serde_json::from_value::<Vec<Link>>(l.clone()).unwrap_or_default().iter().map(|l| format!("{} <{}>\n", l.title, l.url)).collect::<String>();
    let fields = [
        diff_field("title", &old.title, &new.title, true),
        diff_field("symptom", &old.symptom, &new.symptom, false),
        diff_field("body", &old.body, &new.body, false),
        diff_field("category", &name(old.category_id), &name(new.category_id), true),
        diff_field("audience", old.audience.as_str(), new.audience.as_str(), true),
        diff_field("links", &links(&old.links), &links(&new.links), false),
    ];
    Ok(web::Json(ArticleDiff { from, to, fields: fields.into_iter().flatten().collect() }))
}

/// "Was this helpful?"
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"helpful": true}))]
pub struct VoteInput {
    pub helpful: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"helpful": 31, "not_helpful": 2, "my_vote": true}))]
pub struct VoteTally {
    pub helpful: i64,
    pub not_helpful: i64,
    pub my_vote: Option<bool>,
}

/// Vote on a published article one reads: one vote per person, a new one replaces it.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = VoteInput, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 200, body = VoteTally), Unauthenticated, NotFound, Conflict, Invalid))]
#[put("/kb/articles/{id}/vote")]
pub async fn vote(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<VoteInput>) -> AppResult<web::Json<VoteTally>> {
    let helpful = body.0.helpful;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let a = store::load_readable(&mut conn, &access, *id, false).await?;
    if a.status != ArticleStatus::Published {
        return Err(AppError::conflict("not_published", "only published articles take votes"));
    }
    // One row per (article, person): parallel votes of one person land on the same row.
    diesel::insert_into(kb_votes::table)
        .values((kb_votes::article_id.eq(a.id), kb_votes::user_id.eq(user.0.id), kb_votes::helpful.eq(helpful), kb_votes::voted_at.eq(Utc::now())))
        .on_conflict((kb_votes::article_id, kb_votes::user_id))
        .do_update()
        .set((kb_votes::helpful.eq(helpful), kb_votes::voted_at.eq(Utc::now())))
        .execute(&mut conn)
        .await?;
    let (h, n) = store::vote_counts(&mut conn, &[a.id]).await?.get(&a.id).copied().unwrap_or_default();
    Ok(web::Json(VoteTally { helpful: h, not_helpful: n, my_vote: Some(helpful) }))
}

/// Where the reader opened the article.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"from_suggestion": true}))]
pub struct ViewInput {
    /// Opened from the suggestions of the new-request form.
    #[serde(default)]
    pub from_suggestion: bool,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a5c6-3f40-7152-8c63-7d8e9f0a1b23", "views": 128}))]
pub struct ViewRecorded {
    /// For `POST /kb/views/{id}/deflection`.
    pub id: Uuid,
    pub views: i64,
}

/// Count a reading of a published article (the reader's page calls it once when it opens).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = ViewInput, params(("id" = Uuid, Path, example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 201, body = ViewRecorded), Unauthenticated, NotFound, Conflict, Invalid))]
#[post("/kb/articles/{id}/views")]
pub async fn record_view(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>, body: JsonBody<ViewInput>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let a = store::load_readable(&mut conn, &access, *id, false).await?;
    if a.status != ArticleStatus::Published {
        return Err(AppError::conflict("not_published", "only readings of published articles are counted"));
    }
    let view_id = Uuid::now_v7();
    let views = conn
        .transaction(async |conn| -> AppResult<i64> {
            diesel::insert_into(kb_views::table)
                .values((kb_views::id.eq(view_id), kb_views::article_id.eq(a.id), kb_views::user_id.eq(user.0.id), kb_views::from_suggestion.eq(body.0.from_suggestion)))
                .execute(conn)
                .await?;
            Ok(diesel::update(kb_articles::table.find(a.id))
                .set(kb_articles::view_count.eq(kb_articles::view_count + 1))
                .returning(kb_articles::view_count)
                .get_result(conn)
                .await?)
        })
        .await?;
    Ok(HttpResponse::Created().json(ViewRecorded { id: view_id, views }))
}

/// How long after opening a suggestion leaving the form still counts as a deflection.
const DEFLECTION_WINDOW_HOURS: i64 = 24;

/// Record a deflection: the reader opened this article from the new-request form's suggestions
/// (`from_suggestion`) and then left the form without filing. Only one's own view, within 24
/// hours of it; once per view (again is a no-op).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("id" = Uuid, Path, description = "The view's id", example = "0193a5b2-7c1e-7d4a-9f3e-2b8c4d6e1a90")),
    responses((status = 204, description = "Counted (or already counted)"), Unauthenticated, NotFound, Conflict))]
#[post("/kb/views/{id}/deflection")]
pub async fn record_deflection(state: web::Data<AppState>, user: CurrentUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = state.pool.get().await?;
    let view: (bool, DateTime<Utc>) = kb_views::table
        .find(*id)
        .filter(kb_views::user_id.eq(user.0.id))
        .select((kb_views::from_suggestion, kb_views::created_at))
        .first(&mut conn)
        .await
        .optional()?
        .ok_or(AppError::NotFound)?;
    if !view.0 {
        return Err(AppError::conflict("not_from_suggestion", "the article was not opened from the new-request form"));
    }
    if Utc::now() - view.1 > chrono::Duration::hours(DEFLECTION_WINDOW_HOURS) {
        return Err(AppError::conflict("view_too_old", "the article was opened more than 24 hours ago"));
    }
    diesel::update(kb_views::table.find(*id).filter(kb_views::deflected_at.is_null())).set(kb_views::deflected_at.eq(Utc::now())).execute(&mut conn).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionQuery {
    /// What the requester is typing (the subject): at most 200 characters.
    #[param(example = "no puedo entrar al correo")]
    pub q: String,
    /// The desk the request is for (default: every desk the caller reads).
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk: Option<Uuid>,
    /// How many, 1–20 (default 5).
    #[param(example = 5)]
    pub limit: Option<i64>,
}

/// A published article that may answer what is being typed.
#[derive(Serialize, ToSchema)]
pub struct Suggestion {
    #[schema(example = "0193a5aa-b5c6-77d8-83ea-5e6f708192ab")]
    pub id: Uuid,
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Uuid,
    #[schema(example = "Cómo cambiar la contraseña del correo institucional")]
    pub title: String,
    /// The symptom's first 200 characters.
    #[schema(example = "No puedo entrar al correo: la contraseña venció")]
    pub symptom: String,
    pub category: Option<Named>,
    pub audience: ArticleAudience,
}

#[derive(QueryableByName)]
struct SuggestionRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    desk_id: Uuid,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    symptom: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
    category_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    audience: ArticleAudience,
}

/// Self-help while filing: published articles matching what is typed, best first. Spanish
/// words without accents ("impresion" finds "impresión"), any of them, the last one as a prefix
/// while it is typed; articles holding the words as a phrase come first. Requesters get public
/// articles only; a desk's staff also its internal ones. One GIN lookup: cheap per keystroke.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(SuggestionQuery),
    responses((status = 200, body = Vec<Suggestion>), Unauthenticated, Invalid))]
#[get("/kb/suggestions")]
pub async fn suggestions(state: web::Data<AppState>, user: CurrentUser, query: web::Query<SuggestionQuery>) -> AppResult<web::Json<Vec<Suggestion>>> {
    let f = query.into_inner();
    check_query("q", &f.q)?;
    let limit = match f.limit {
        None => 5,
        Some(n) if (1..=20).contains(&n) => n,
        Some(_) => return Err(AppError::field("limit", "out_of_range", "must be between 1 and 20")),
    };
    let Some(tsquery) = suggestion_tsquery(&f.q) else { return Ok(web::Json(vec![])) };
    let phrase = query_words(&f.q).join(" ");
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let only = |desks: &[Uuid]| -> Vec<Uuid> { desks.iter().copied().filter(|d| f.desk.is_none_or(|only| only == *d)).collect() };
    // Raw SQL, never prepared as a generic plan (see tickets::lists on searches).
    let rows: Vec<SuggestionRow> = diesel::sql_query(
        "SELECT a.id, a.desk_id, a.title, a.symptom, a.category_id, a.audience
         FROM kb_articles a, to_tsquery('mesa_es', $1) q, phraseto_tsquery('mesa_es', $2) p
         WHERE a.search @@ q AND a.status = 'published'
           AND ((a.audience = 'public' AND a.desk_id = ANY($3)) OR a.desk_id = ANY($4))
         ORDER BY (CASE WHEN numnode(p) > 0 AND a.search @@ p THEN 1 ELSE 0 END) + ts_rank(a.search, q) DESC, a.published_at DESC, a.id
         LIMIT $5",
    )
    .bind::<Text, _>(tsquery)
    .bind::<Text, _>(phrase)
    .bind::<Array<diesel::sql_types::Uuid>, _>(only(&access.public_desks))
    .bind::<Array<diesel::sql_types::Uuid>, _>(only(&access.staff_desks))
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .load(&mut conn)
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(|r| Suggestion {
                id: r.id,
                desk_id: r.desk_id,
                symptom: excerpt(&r.symptom, 200),
                title: r.title,
                category: category(&reference, r.category_id),
                audience: r.audience,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk: Uuid,
}

/// A desk's knowledge base in figures.
#[derive(Serialize, ToSchema, QueryableByName)]
#[schema(example = json!({"published": 42, "in_review": 3, "drafts": 5, "views": 1830, "suggestion_views": 611, "deflections": 97, "helpful": 240, "not_helpful": 18}))]
pub struct KbStats {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub published: i64,
    /// Waiting in the review queue.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub in_review: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub drafts: i64,
    /// Readings counted on the desk's articles.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub views: i64,
    /// Articles opened from the new-request form's suggestions.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub suggestion_views: i64,
    /// Of those, the ones after which the form was left without filing: requests the knowledge
    /// base may have spared the desk.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub deflections: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub helpful: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub not_helpful: i64,
}

/// The desk's knowledge base in figures, deflections included (the desk's staff).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(StatsQuery),
    responses((status = 200, body = KbStats), Unauthenticated, Forbidden))]
#[get("/kb/stats")]
pub async fn stats(state: web::Data<AppState>, user: CurrentUser, query: web::Query<StatsQuery>) -> AppResult<web::Json<KbStats>> {
    let desk = query.desk;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    if !Access::of(&user, &reference).staff_of(desk) {
        return Err(AppError::Forbidden);
    }
    let s: KbStats = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE status = 'published') AS published,
                count(*) FILTER (WHERE status = 'in_review') AS in_review,
                count(*) FILTER (WHERE status = 'draft') AS drafts,
                coalesce(sum(view_count), 0)::bigint AS views,
                (SELECT count(*) FROM kb_views v JOIN kb_articles x ON x.id = v.article_id WHERE x.desk_id = $1 AND v.from_suggestion) AS suggestion_views,
                (SELECT count(*) FROM kb_views v JOIN kb_articles x ON x.id = v.article_id WHERE x.desk_id = $1 AND v.deflected_at IS NOT NULL) AS deflections,
                (SELECT count(*) FROM kb_votes v JOIN kb_articles x ON x.id = v.article_id WHERE x.desk_id = $1 AND v.helpful) AS helpful,
                (SELECT count(*) FROM kb_votes v JOIN kb_articles x ON x.id = v.article_id WHERE x.desk_id = $1 AND NOT v.helpful) AS not_helpful
         FROM kb_articles WHERE desk_id = $1",
    )
    .bind::<diesel::sql_types::Uuid, _>(desk)
    .get_result(&mut conn)
    .await?;
    Ok(web::Json(s))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "1. Abra **Impresoras**\n2. Cancele la cola de impresión"}))]
pub struct PreviewInput {
    #[schema(max_length = 50000)]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"html": "<ol>\n<li>Abra <strong>Impresoras</strong></li>\n<li>Cancele la cola de impresión</li>\n</ol>\n"}))]
pub struct Preview {
    /// The Markdown as articles show it: rendered and sanitized like `body_html`.
    pub html: String,
}

/// The editor's live preview: Markdown rendered exactly as a saved article's `body_html`, nothing
/// stored (staff).
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), request_body = PreviewInput,
    responses((status = 200, body = Preview), Unauthenticated, Forbidden, Invalid))]
#[post("/kb/preview")]
pub async fn preview(user: CurrentUser, body: JsonBody<PreviewInput>) -> AppResult<web::Json<Preview>> {
    if user.role() == crate::users::domain::Role::Requester {
        return Err(AppError::Forbidden);
    }
    if body.0.body.chars().count() > MAX_BODY {
        return Err(AppError::field("body", "too_long", format!("must be at most {MAX_BODY} characters")));
    }
    Ok(web::Json(Preview { html: render_markdown(&body.0.body) }))
}
