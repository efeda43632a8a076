//! Cases and the knowledge base: a solution proposed as an article (prefilled from the case,
//! linked to it, waiting for a supervisor's review), and the articles used to solve a case.
use actix_web::{get, post, web, HttpResponse};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::domain::*;
use super::routes::{respond, show, summaries, ArticleSummary};
use super::schema::{kb_articles, kb_ticket_articles};
use super::store::{self, Access, ArticleRow, NewArticle};
use crate::auth::CurrentUser;
use crate::catalog::domain::NodeKind;
use crate::error::responses::{Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::http::JsonBody;
use crate::state::AppState;
use crate::tickets::access::load_visible;
use crate::tickets::state_machine::Status;
use crate::validate::Errors;

/// A private event on the case's trail (staff read it): the article proposed from or linked to it.
async fn audit(conn: &mut diesel_async::AsyncPgConnection, ticket_id: Uuid, actor: Uuid, kind: &'static str, article_id: Uuid) -> QueryResult<()> {
    use crate::tickets::audit::{record, NewEvent};
    let event = NewEvent { kind, old_value: None, new_value: Some(serde_json::json!({ "article_id": article_id })), visibility: crate::tickets::domain::Visibility::Private };
    record(conn, ticket_id, Some(actor), vec![event]).await
}

/// What the agent changes from the case's own words; absent fields are taken from the case:
/// the title from its subject, the symptom from its description, the steps from its solution,
/// the category from its service's.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "La impresora muestra \"atasco de papel\" sin papel atascado",
    "symptom": "La impresora indica atasco de papel aunque la bandeja y el rodillo están libres.",
    "body": "1. Apague la impresora.\n2. Limpie el sensor de papel con aire comprimido.\n3. Si persiste, solicite el cambio del rodillo de arrastre.",
    "audience": "public",
    "category_id": "0193a5ab-c6d7-78e9-94fb-6f708192a3bc",
    "links": [{"title": "Guía de impresoras de la Alcaldía", "url": "https://intranet.cali.gov.co/tic/guias/impresoras"}]
}))]
pub struct KbProposal {
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 4000)]
    pub symptom: Option<String>,
    #[schema(min_length = 1, max_length = 50000)]
    pub body: Option<String>,
    pub category_id: Option<Uuid>,
    /// Default `internal`: the supervisor decides whether requesters read it.
    pub audience: Option<ArticleAudience>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub links: Vec<Link>,
}

/// Propose a resolved (or closed) case's solution as an article: staff who work the case. The
/// article goes straight to the desk's review queue (`in_review`), linked to the case; a
/// supervisor reviews and publishes it.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)), request_body = KbProposal,
    responses((status = 201, body = crate::kb::routes::Article, headers(("ETag" = String))), Unauthenticated, Forbidden, NotFound, Conflict, Invalid))]
#[post("/tickets/{number}/kb-proposal")]
pub async fn propose(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, body: JsonBody<KbProposal>) -> AppResult<HttpResponse> {
    let b = body.0;
    let mut e = Errors::default();
    let title = b.title.as_deref().map(|t| e.text("title", t, MAX_TITLE));
    let symptom = b.symptom.as_deref().map(|t| e.text("symptom", t, MAX_SYMPTOM));
    let text = b.body.as_deref().map(|t| e.text("body", t, MAX_BODY));
    let links = check_links(&mut e, &b.links);
    e.finish()?;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    let row = conn
        .transaction(async |conn| -> AppResult<ArticleRow> {
            let (t, scope) = load_visible(conn, &reference, &user, *number, true).await?;
            if !scope.works(&t) {
                return Err(AppError::Forbidden);
            }
            let solution = match (t.status, &t.solution) {
                (Status::Resolved | Status::Closed, Some(s)) => s.clone(),
                _ => return Err(AppError::conflict("not_resolved", "only a resolved or closed case's solution can be proposed")),
            };
            let category_id = match b.category_id {
                Some(c) => {
                    store::check_category(&reference, t.desk_id, c, "category_id")?;
                    Some(c)
                }
                // The service's parent, when it is a category.
                None => reference.nodes.get(&t.service_id).and_then(|n| n.node.parent_id).filter(|p| reference.nodes.get(p).is_some_and(|n| n.node.kind == NodeKind::Category)),
            };
            // Cut to the article's limits: a case's description may be longer than a symptom.
            let cut = |s: &str, max: usize| s.trim().chars().take(max).collect::<String>();
            let row = store::insert(
                conn,
                NewArticle {
                    desk_id: t.desk_id,
                    category_id,
                    audience: b.audience.unwrap_or(ArticleAudience::Internal),
                    status: ArticleStatus::InReview,
                    title: title.unwrap_or_else(|| cut(&t.subject, MAX_TITLE)),
                    symptom: symptom.unwrap_or_else(|| cut(&t.description, MAX_SYMPTOM)),
                    body: text.unwrap_or_else(|| cut(&solution, MAX_BODY)),
                    links,
                    author_id: user.0.id,
                    source_ticket_id: Some(t.id),
                },
            )
            .await?;
            diesel::insert_into(kb_ticket_articles::table)
                .values((kb_ticket_articles::ticket_id.eq(t.id), kb_ticket_articles::article_id.eq(row.id), kb_ticket_articles::linked_by_id.eq(user.0.id)))
                .execute(conn)
                .await?;
            audit(conn, t.id, user.0.id, "kb_proposed", row.id).await?;
            Ok(row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::CREATED, show(&mut conn, &reference, &access, row).await?))
}

/// The articles linked to a case (used to solve it, or proposed from it) that the caller reads:
/// a requester sees the published public ones only.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)),
    responses((status = 200, body = Vec<ArticleSummary>), Unauthenticated, NotFound))]
#[get("/tickets/{number}/articles")]
pub async fn case_articles(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>) -> AppResult<web::Json<Vec<ArticleSummary>>> {
    Ok(web::Json(articles_of(&state, &user, *number).await?))
}

async fn articles_of(state: &AppState, user: &CurrentUser, number: i64) -> AppResult<Vec<ArticleSummary>> {
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, user).await?;
    let access = Access::of(user, &reference);
    let (t, _) = load_visible(&mut conn, &reference, user, number, false).await?;
    let rows: Vec<ArticleRow> = kb_articles::table
        .inner_join(kb_ticket_articles::table.on(kb_ticket_articles::article_id.eq(kb_articles::id)))
        .filter(kb_ticket_articles::ticket_id.eq(t.id))
        .order((kb_ticket_articles::created_at, kb_articles::id))
        .select(ArticleRow::as_select())
        .load(&mut conn)
        .await?;
    let rows = rows.into_iter().filter(|a| access.reads(a)).collect();
    summaries(&mut conn, &reference, rows).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"article_id": "0193a5aa-b5c6-77d8-83ea-5e6f708192ab"}))]
pub struct LinkArticle {
    pub article_id: Uuid,
}

/// Link an article of the case's desk used to solve it (staff who work the case). Linking it
/// again changes nothing.
#[utoipa::path(tag = "kb", security(("bearer_auth" = [])), params(("number" = i64, Path, example = 1042)), request_body = LinkArticle,
    responses((status = 200, body = Vec<ArticleSummary>, description = "The case's articles"), Unauthenticated, Forbidden, NotFound, Invalid))]
#[post("/tickets/{number}/articles")]
pub async fn link_article(state: web::Data<AppState>, user: CurrentUser, number: web::Path<i64>, body: JsonBody<LinkArticle>) -> AppResult<web::Json<Vec<ArticleSummary>>> {
    let article_id = body.0.article_id;
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let access = Access::of(&user, &reference);
    conn.transaction(async |conn| -> AppResult<()> {
        let (t, scope) = load_visible(conn, &reference, &user, *number, true).await?;
        if !scope.works(&t) {
            return Err(AppError::Forbidden);
        }
        let a = match store::load_readable(conn, &access, article_id, false).await {
            Ok(a) if a.desk_id == t.desk_id => a,
            Ok(_) | Err(AppError::NotFound) => return Err(AppError::field("article_id", "unknown_reference", "is not an article of the case's desk")),
            Err(e) => return Err(e),
        };
        let added = diesel::insert_into(kb_ticket_articles::table)
            .values((kb_ticket_articles::ticket_id.eq(t.id), kb_ticket_articles::article_id.eq(a.id), kb_ticket_articles::linked_by_id.eq(user.0.id)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        if added > 0 {
            audit(conn, t.id, user.0.id, "kb_linked", a.id).await?;
        }
        Ok(())
    })
    .await?;
    Ok(web::Json(articles_of(&state, &user, *number).await?))
}
