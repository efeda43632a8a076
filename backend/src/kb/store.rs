//! Articles as stored, who reads and writes them, and the queries the routes share.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::{ArticleAudience, ArticleStatus, Link};
use super::schema::{kb_article_versions, kb_articles, kb_votes};
use crate::auth::CurrentUser;
use crate::catalog::domain::NodeKind;
use crate::error::{AppError, AppResult};
use crate::reference::Reference;
use crate::tickets::access::Scope;
use crate::users::domain::Role;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = kb_articles, check_for_backend(diesel::pg::Pg))]
pub struct ArticleRow {
    pub id: Uuid,
    pub desk_id: Uuid,
    pub category_id: Option<Uuid>,
    pub audience: ArticleAudience,
    pub status: ArticleStatus,
    pub title: String,
    pub symptom: String,
    pub body: String,
    pub body_html: String,
    pub links: serde_json::Value,
    pub author_id: Uuid,
    pub reviewer_id: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub review_note: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub source_ticket_id: Option<Uuid>,
    pub revision: i32,
    pub view_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl ArticleRow {
    pub fn links(&self) -> Vec<Link> {
        serde_json::from_value(self.links.clone()).unwrap_or_default()
    }
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = kb_article_versions, check_for_backend(diesel::pg::Pg))]
pub struct VersionRow {
    pub article_id: Uuid,
    pub revision: i32,
    pub title: String,
    pub symptom: String,
    pub body: String,
    pub category_id: Option<Uuid>,
    pub audience: ArticleAudience,
    pub links: serde_json::Value,
    pub edited_by_id: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Who may read and write which articles.
///
/// Staff of a desk (its agents, its supervisors) read all of its articles, any status and
/// audience, and write drafts; its supervisors and admins also review, publish, archive and edit
/// published ones. Everyone else reads only published public articles of the desks they may
/// file with. An article one may not read is 404, like a case.
pub struct Access {
    pub scope: Scope,
    supervised: Vec<Uuid>,
    /// Desks whose published public articles the caller reads.
    pub public_desks: Vec<Uuid>,
    /// Desks whose every article the caller reads.
    pub staff_desks: Vec<Uuid>,
}

impl Access {
    pub fn of(user: &CurrentUser, reference: &Reference) -> Access {
        let scope = Scope::of(user, reference);
        let organization = user.0.organization_id;
        let mut public_desks: Vec<Uuid> = reference
            .desks
            .iter()
            .filter(|(_, d)| user.role() != Role::Requester || (d.active && (d.organization_ids.is_empty() || organization.is_some_and(|o| d.organization_ids.contains(&o)))))
            .map(|(id, _)| *id)
            .collect();
        public_desks.sort();
        let staff_desks = if scope.is_admin() { public_desks.clone() } else { scope.desk_ids.clone() };
        Access { supervised: if user.role() == Role::Supervisor { user.1.supervised_desk_ids.clone() } else { vec![] }, scope, public_desks, staff_desks }
    }

    /// Works the desk: reads all its articles, writes drafts.
    pub fn staff_of(&self, desk_id: Uuid) -> bool {
        self.scope.works_desk(desk_id)
    }

    /// Reviews and publishes the desk's articles.
    pub fn manages(&self, desk_id: Uuid) -> bool {
        self.scope.is_admin() || self.supervised.contains(&desk_id)
    }

    pub fn reads(&self, a: &ArticleRow) -> bool {
        self.staff_of(a.desk_id) || (a.status == ArticleStatus::Published && a.audience == ArticleAudience::Public && self.public_desks.contains(&a.desk_id))
    }

    /// May change the article's content: the desk's staff while it is a draft or in review, its
    /// managers at any time (published text is the desk's word).
    pub fn edits(&self, a: &ArticleRow) -> bool {
        match a.status {
            ArticleStatus::Draft | ArticleStatus::InReview => self.staff_of(a.desk_id),
            ArticleStatus::Published | ArticleStatus::Archived => self.manages(a.desk_id),
        }
    }
}

/// The article if the caller may read it; 404 otherwise (ids of other desks' articles reveal nothing).
pub async fn load_readable(conn: &mut AsyncPgConnection, access: &Access, id: Uuid, for_update: bool) -> AppResult<ArticleRow> {
    let q = kb_articles::table.find(id).select(ArticleRow::as_select());
    let row = if for_update { q.for_update().first(conn).await.optional()? } else { q.first(conn).await.optional()? };
    row.filter(|a| access.reads(a)).ok_or(AppError::NotFound)
}

/// A category of the article's desk, or a field error naming `field`.
pub fn check_category(reference: &Reference, desk_id: Uuid, category_id: Uuid, field: &str) -> AppResult<()> {
    match reference.nodes.get(&category_id) {
        Some(n) if n.desk_id == desk_id && n.node.kind == NodeKind::Category => Ok(()),
        _ => Err(AppError::field(field, "unknown_reference", "is not a category of the article's desk")),
    }
}

/// Votes per article: (helpful, not helpful).
pub async fn vote_counts(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, (i64, i64)>> {
    let rows: Vec<(Uuid, bool, i64)> = kb_votes::table
        .filter(kb_votes::article_id.eq_any(ids))
        .group_by((kb_votes::article_id, kb_votes::helpful))
        .select((kb_votes::article_id, kb_votes::helpful, diesel::dsl::count_star()))
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (id, helpful, n) in rows {
        let e = out.entry(id).or_default();
        if helpful {
            e.0 = n;
        } else {
            e.1 = n;
        }
    }
    Ok(out)
}

pub async fn my_vote(conn: &mut AsyncPgConnection, article_id: Uuid, user_id: Uuid) -> QueryResult<Option<bool>> {
    kb_votes::table.find((article_id, user_id)).select(kb_votes::helpful).first(conn).await.optional()
}

/// Keeps the article's current content as revision `row.revision`.
pub async fn record_version(conn: &mut AsyncPgConnection, row: &ArticleRow, editor: Uuid, at: DateTime<Utc>) -> QueryResult<()> {
    diesel::insert_into(kb_article_versions::table)
        .values((
            kb_article_versions::article_id.eq(row.id),
            kb_article_versions::revision.eq(row.revision),
            kb_article_versions::title.eq(&row.title),
            kb_article_versions::symptom.eq(&row.symptom),
            kb_article_versions::body.eq(&row.body),
            kb_article_versions::category_id.eq(row.category_id),
            kb_article_versions::audience.eq(row.audience),
            kb_article_versions::links.eq(&row.links),
            kb_article_versions::edited_by_id.eq(editor),
            kb_article_versions::created_at.eq(at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// What a new article holds (checked).
pub struct NewArticle {
    pub desk_id: Uuid,
    pub category_id: Option<Uuid>,
    pub audience: ArticleAudience,
    pub status: ArticleStatus,
    pub title: String,
    pub symptom: String,
    pub body: String,
    pub links: Vec<Link>,
    pub author_id: Uuid,
    pub source_ticket_id: Option<Uuid>,
}

/// Inserts the article and its first revision.
pub async fn insert(conn: &mut AsyncPgConnection, a: NewArticle) -> QueryResult<ArticleRow> {
    let now = Utc::now();
    let row: ArticleRow = diesel::insert_into(kb_articles::table)
        .values((
            kb_articles::id.eq(Uuid::now_v7()),
            kb_articles::desk_id.eq(a.desk_id),
            kb_articles::category_id.eq(a.category_id),
            kb_articles::audience.eq(a.audience),
            kb_articles::status.eq(a.status),
            kb_articles::title.eq(&a.title),
            kb_articles::symptom.eq(&a.symptom),
            kb_articles::body_html.eq(super::domain::render_markdown(&a.body)),
            kb_articles::body.eq(&a.body),
            kb_articles::links.eq(serde_json::to_value(&a.links).expect("links serialize")),
            kb_articles::author_id.eq(a.author_id),
            kb_articles::source_ticket_id.eq(a.source_ticket_id),
            kb_articles::created_at.eq(now),
            kb_articles::updated_at.eq(now),
        ))
        .returning(ArticleRow::as_returning())
        .get_result(conn)
        .await?;
    record_version(conn, &row, a.author_id, now).await?;
    Ok(row)
}
