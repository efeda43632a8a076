//! Lists, counts and search of cases: filters, sorts, keyset pages, and the visibility of a
//! single case applied to every row.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::access::Scope;
use super::domain::*;
use super::model::*;
use super::state_machine::Status;
use crate::db::schema::tickets;
use crate::http::Cursor;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Cases I requested ("Mis solicitudes").
    Requested,
    /// Assigned to me.
    Mine,
    /// Assigned to one of my groups.
    MyGroups,
    /// Open cases with no agent, in my desks.
    Unassigned,
    /// Everything I may see.
    All,
    /// Open cases with no agent whose group has no member who could take them now (everyone
    /// absent or inactive): they wait for a supervisor.
    Unstaffed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first (default).
    Number,
    /// Most recently changed first.
    Updated,
    /// Soonest resolution due date first; cases without one last.
    Due,
    /// Oldest change first: with `updated_since`, what changed since a sync's last run.
    Changed,
}

#[derive(Clone)]
pub struct ListFilter {
    pub view: View,
    pub statuses: Vec<Status>,
    pub priorities: Vec<Priority>,
    pub ticket_type: Option<TicketType>,
    pub desk_id: Option<Uuid>,
    pub service_id: Option<Uuid>,
    pub level: Option<i16>,
    pub requester_id: Option<Uuid>,
    pub created_from: Option<DateTime<Utc>>,
    pub created_to: Option<DateTime<Utc>>,
    /// Changed at or after (`updated_at`).
    pub updated_since: Option<DateTime<Utc>>,
    pub q: Option<String>,
    /// Exact document reference (`external_reference`).
    pub external_reference: Option<String>,
    /// Back at work after a resolution for this reason.
    pub reopen_reason: Option<ReopenReason>,
    /// For `View::Unstaffed`: the groups with no available member among those the caller sees.
    pub unstaffed_groups: Vec<Uuid>,
    pub sort: Sort,
    pub after: Option<After>,
    pub limit: i64,
}

impl ListFilter {
    /// The case number a search names (`6` or `#6`), found first whatever the words match.
    pub fn searched_number(&self) -> Option<i64> {
        searched_number(self.q.as_deref()?)
    }
}

/// `6`, `#6`, ` # 6 ` → 6. Pure.
pub fn searched_number(q: &str) -> Option<i64> {
    let digits = q.trim().trim_start_matches('#').trim();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Where the next page starts: the previous page's last row, as its sort keys it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum After {
    Number(i64),
    Updated(DateTime<Utc>, Uuid),
    /// `None`: the last row had no due date.
    Due(Option<DateTime<Utc>>, Uuid),
    Changed(DateTime<Utc>, Uuid),
}

impl After {
    /// A `cursor` of a list in this order; its key must be what that order writes (422 otherwise).
    pub fn decode(sort: Sort, raw: &str) -> Result<After, crate::error::AppError> {
        Ok(match sort {
            Sort::Number => After::Number(Cursor::decode_number(raw)?.0),
            Sort::Updated => {
                let (at, id) = Cursor::decode_time(raw)?;
                After::Updated(at, id)
            }
            Sort::Due => {
                let (due, id) = Cursor::decode_optional_time(raw)?;
                After::Due(due, id)
            }
            Sort::Changed => {
                let (at, id) = Cursor::decode_time(raw)?;
                After::Changed(at, id)
            }
        })
    }
}

/// Which cases one query of a list may return. The visibility rule "my desks' cases or my own
/// requests" is run as two queries whose results are merged: an `OR` across two columns keeps
/// Postgres from walking any index in order.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Branch {
    /// Admins: everything.
    All,
    /// Cases of the desks the caller works (private follow-ups count for search).
    Desks,
    /// The caller's own requests (outside those desks, for staff).
    OwnRequests,
    /// A staff member's queues: their groups' desks are theirs by construction; cases assigned
    /// to them are checked against their desks (`Scope::in_desks`).
    Queue,
}

/// Full-text search looks in the newest cases first: this many numbers back from the newest (or
/// from the cursor). If they hold a full page, the page is exact and the rest is never read;
/// otherwise the older cases are searched too.
const SEARCH_WINDOW: i64 = 5_000;

/// Which numbers a search query looks at; each phase holds the upper end (exclusive): the cursor's
/// number, or for the first page `None` (the newest) and then the number found.
#[derive(Clone, Copy)]
enum Window {
    Everything,
    Newest(Option<i64>),
    Older(i64),
}

type TicketQuery<'a> = tickets::BoxedQuery<'a, diesel::pg::Pg, diesel::dsl::AsSelect<TicketRow, diesel::pg::Pg>>;

/// `every_desk`: the desks an admin's search looks in.
pub async fn list(conn: &mut AsyncPgConnection, scope: &Scope, f: &ListFilter, every_desk: &[Uuid]) -> QueryResult<Vec<TicketRow>> {
    let staff = scope.role != crate::users::domain::Role::Requester;
    let branches: &[Branch] = match (f.view, scope.is_admin()) {
        (View::Requested, _) => &[Branch::OwnRequests],
        (_, true) => &[Branch::All],
        (View::MyGroups | View::Mine, false) if staff => &[Branch::Queue],
        (_, false) if scope.desk_ids.is_empty() => &[Branch::OwnRequests],
        (_, false) => {
            // Staff rarely request cases of desks they do not work: a prepared EXISTS spares the
            // second branch (a statement planned on every call) when they have none.
            let elsewhere: bool =
                diesel::select(diesel::dsl::exists(tickets::table.filter(tickets::requester_id.eq(scope.user_id)).filter(tickets::desk_id.ne_all(scope.desk_ids.clone()))))
                    .get_result(conn)
                    .await?;
            if elsewhere {
                &[Branch::Desks, Branch::OwnRequests]
            } else {
                &[Branch::Desks]
            }
        }
    };
    let cursor: Option<i64> = match f.after {
        Some(After::Number(n)) => Some(n),
        _ => None,
    };
    let mut rows: Vec<TicketRow> = Vec::new();
    let mut phases = 1;
    for &branch in branches {
        // A person's own requests are a few thousand at most, read through their index: the
        // windows are for searching whole desks.
        let windowed = f.q.is_some() && f.sort == Sort::Number && branch != Branch::OwnRequests;
        let first = if windowed { Window::Newest(cursor) } else { Window::Everything };
        let page = sorted(filtered(scope, f, branch, first, every_desk), f).limit(f.limit + 1).load(conn).await?;
        let full = page.len() as i64 > f.limit;
        rows.extend(page);
        if windowed && !full {
            let upper = match cursor {
                Some(n) => n,
                None => tickets::table.select(diesel::dsl::max(tickets::number)).first::<Option<i64>>(conn).await?.unwrap_or(0) + 1,
            };
            rows.extend(sorted(filtered(scope, f, branch, Window::Older(upper), every_desk), f).limit(f.limit + 1).load(conn).await?);
            phases = 2;
        }
    }
    if branches.len() > 1 || phases > 1 {
        match f.sort {
            Sort::Number => rows.sort_by_key(|t| std::cmp::Reverse(t.number)),
            Sort::Updated => rows.sort_by_key(|t| std::cmp::Reverse((t.updated_at, t.id))),
            Sort::Due => rows.sort_by_key(|t| (t.resolution_due_at.is_none(), t.resolution_due_at, t.id)),
            Sort::Changed => rows.sort_by_key(|t| (t.updated_at, t.id)),
        }
        let mut seen = std::collections::HashSet::new();
        rows.retain(|t| seen.insert(t.id));
        rows.truncate(f.limit as usize + 1);
    }
    // The case a search names by number leads the first page, if it passes the same visibility
    // and filters (the words' matches leave it out on every page). Not with one row a page: the
    // next page's cursor would be that case's.
    if let Some(n) = f.searched_number().filter(|_| f.after.is_none() && f.limit > 1) {
        let by_number = ListFilter { q: None, ..f.clone() };
        for &branch in branches {
            let found: Option<TicketRow> = filtered(scope, &by_number, branch, Window::Everything, every_desk).filter(tickets::number.eq(n)).first(conn).await.optional()?;
            if let Some(t) = found {
                rows.insert(0, t);
                rows.truncate(f.limit as usize + 1);
                break;
            }
        }
    }
    Ok(rows)
}

fn filtered<'a>(scope: &Scope, f: &'a ListFilter, branch: Branch, window: Window, every_desk: &[Uuid]) -> TicketQuery<'a> {
    let mut q = tickets::table.select(TicketRow::as_select()).into_boxed();
    // Visibility first: nothing outside it can appear whatever the filters.
    q = match branch {
        Branch::All | Branch::Queue => q,
        Branch::Desks => match scope.organization_rule() {
            Some(rule) => q.filter(tickets::desk_id.eq_any(scope.desk_ids.clone())).filter(rule),
            None => q.filter(tickets::desk_id.eq_any(scope.desk_ids.clone())),
        },
        Branch::OwnRequests if f.view == View::Requested || scope.desk_ids.is_empty() => q.filter(tickets::requester_id.eq(scope.user_id)),
        Branch::OwnRequests => q.filter(tickets::requester_id.eq(scope.user_id)).filter(tickets::desk_id.ne_all(scope.desk_ids.clone())),
    };
    q = match f.view {
        // Still assigned to me, but in a desk I no longer work (left its groups): not mine to see.
        View::Mine => match scope.in_desks().filter(|_| branch == Branch::Queue) {
            Some(desks) => q.filter(tickets::assigned_agent_id.eq(scope.user_id)).filter(desks),
            None => q.filter(tickets::assigned_agent_id.eq(scope.user_id)),
        },
        // `= $1` when there is one group, so the queue index gives the rows in due-date order.
        View::MyGroups => match scope.group_ids.as_slice() {
            [one] => q.filter(tickets::assigned_group_id.eq(*one)),
            many => q.filter(tickets::assigned_group_id.eq_any(many.to_vec())),
        },
        View::Unassigned => q.filter(tickets::assigned_agent_id.is_null()).filter(tickets::status.eq_any(Status::OPEN)),
        View::Unstaffed => {
            q.filter(tickets::assigned_agent_id.is_null()).filter(tickets::status.eq_any(Status::OPEN)).filter(tickets::assigned_group_id.eq_any(f.unstaffed_groups.clone()))
        }
        View::Requested | View::All => q,
    };
    let only_open = !f.statuses.is_empty() && f.statuses.iter().all(|s| s.is_open());
    // Every open status asked for is the same as "open", and lets Postgres walk the queue index
    // in order instead of misjudging the two conditions together.
    let every_open = only_open && Status::OPEN.iter().all(|s| f.statuses.contains(s));
    if !f.statuses.is_empty() && !every_open {
        q = q.filter(StatusIn(f.statuses.clone()));
    }
    if matches!(f.view, View::Unassigned | View::Unstaffed) || only_open {
        // The predicate of the partial queue indexes, as a constant the planner can match whatever
        // the plan's parameters.
        q = q.filter(crate::db::ticket_is_open(tickets::status));
    }
    if !f.priorities.is_empty() {
        q = q.filter(tickets::priority.eq_any(f.priorities.clone()));
    }
    if let Some(t) = f.ticket_type {
        q = q.filter(tickets::ticket_type.eq(t));
    }
    if let Some(d) = f.desk_id {
        q = q.filter(tickets::desk_id.eq(d));
    }
    if let Some(s) = f.service_id {
        q = q.filter(tickets::service_id.eq(s));
    }
    if let Some(l) = f.level {
        q = q.filter(tickets::level.eq(l));
    }
    if let Some(r) = f.requester_id {
        q = q.filter(tickets::requester_id.eq(r));
    }
    if let Some(r) = &f.external_reference {
        q = q.filter(tickets::external_reference.eq(r.clone()));
    }
    if let Some(r) = f.reopen_reason {
        q = q.filter(tickets::reopen_reason.eq(r));
    }
    if let Some(n) = f.searched_number() {
        // Listed first on its own (`list`).
        q = q.filter(tickets::number.ne(n));
    }
    if let Some(from) = f.created_from {
        q = q.filter(tickets::created_at.ge(from));
    }
    if let Some(to) = f.created_to {
        q = q.filter(tickets::created_at.lt(to));
    }
    if let Some(since) = f.updated_since {
        q = q.filter(tickets::updated_at.ge(since));
    }
    if let Some(text) = &f.q {
        // Staff and admins search the desk-spelled words (migration 000015): one GIN index on
        // `(desk_search, number)`, where words only other desks' cases hold have no entry. Private
        // follow-ups (weight D) count there; a person's own requests elsewhere are a few thousand
        // read through their index, matched on the plain words without the private ones.
        // Raw SQL, so diesel never prepares a search, on purpose: a prepared statement switches to
        // a generic plan after five runs, and a generic plan cannot know how rare the words are —
        // it checked the desks on the rows read instead of in the GIN scan (1.7 s instead of 13 ms
        // with the earlier index, for words only another desk's cases hold, measured at 1M cases).
        q = match branch {
            Branch::OwnRequests => {
                q.filter(sql::<Bool>("(tickets.search || ts_filter(tickets.followup_search, '{c}')) @@ websearch_to_tsquery('mesa_es', ").bind::<Text, _>(text.clone()).sql(")"))
            }
            Branch::Desks | Branch::Queue | Branch::All => {
                let desks = if branch == Branch::All { every_desk.to_vec() } else { scope.desk_ids.clone() };
                q.filter(
                    sql::<Bool>("tickets.desk_search @@ desk_query(websearch_to_tsquery('mesa_es', ")
                        .bind::<Text, _>(text.clone())
                        .sql("), ")
                        .bind::<Array<diesel::sql_types::Uuid>, _>(desks)
                        .sql(")"),
                )
            }
        };
        // The window's edge is written so the planner treats it differently in each phase: for
        // the newest cases as a subquery (a value unknown when planning), so the narrow number
        // range goes into the GIN scan; for the older ones as `number + 0`, which the index cannot
        // take, so the wide range is checked on the few rows found instead of being scanned in the
        // index (about 100 ms → 5 ms at 1M cases).
        q = match window {
            Window::Everything => q,
            Window::Newest(upper) => {
                let edge = match upper {
                    Some(n) => format!("(SELECT {n}::bigint - {SEARCH_WINDOW})"),
                    None => format!("(SELECT max(number) + 1 - {SEARCH_WINDOW} FROM tickets)"),
                };
                q.filter(sql::<Bool>(&format!("tickets.number >= {edge}")))
            }
            Window::Older(upper) => q.filter(sql::<Bool>("tickets.number + 0 < ").bind::<diesel::sql_types::BigInt, _>(upper - SEARCH_WINDOW)),
        };
    }
    q
}

/// `tickets.status IN ('new', …)` with the statuses written into the statement instead of bound
/// as an array: with `= ANY($n)` Postgres never trusted a generic plan for a queue page and planned
/// it again on every call (which took as long as running it); written out, the statement is
/// prepared and planned once per set of statuses. The values come from `Status`, never from the
/// client's text. Never empty: callers filter on statuses only when some are asked for.
#[derive(Debug, Clone)]
struct StatusIn(Vec<Status>);

impl diesel::expression::Expression for StatusIn {
    type SqlType = Bool;
}
impl diesel::expression::AppearsOnTable<tickets::table> for StatusIn {}
impl diesel::expression::SelectableExpression<tickets::table> for StatusIn {}
impl diesel::expression::ValidGrouping<()> for StatusIn {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
impl diesel::query_builder::QueryId for StatusIn {
    type QueryId = ();
    // The SQL differs with the statuses: the statement cache must key it by its text.
    const HAS_STATIC_QUERY_ID: bool = false;
}
impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for StatusIn {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        tickets::status.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, status) in self.0.iter().enumerate() {
            out.push_sql(if i == 0 { "'" } else { ", '" });
            out.push_sql(status.as_str());
            out.push_sql("'");
        }
        out.push_sql(")");
        Ok(())
    }
}

/// `(tickets.desk_id = ANY($n)) IS TRUE`: the case is in one of these desks. Written so no index
/// can take it: as a plain `desk_id = …` Postgres answered the agent queue from a BitmapAnd of the
/// desk's open cases and a sort (3.6 ms instead of 0.4 ms at 200,000 cases, growing with the desk)
/// instead of walking the agent's queue index in order; this way it is checked on the rows that
/// index gives, nearly all of which pass. A statement of its own, prepared and cached like others.
#[derive(Debug, Clone)]
pub struct DeskIn(pub Vec<Uuid>);

impl diesel::expression::Expression for DeskIn {
    type SqlType = Bool;
}
impl diesel::expression::AppearsOnTable<tickets::table> for DeskIn {}
impl diesel::expression::SelectableExpression<tickets::table> for DeskIn {}
impl diesel::expression::ValidGrouping<()> for DeskIn {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
impl diesel::query_builder::QueryId for DeskIn {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for DeskIn {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("(");
        tickets::desk_id.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&self.0)?;
        out.push_sql(")) IS TRUE");
        Ok(())
    }
}

/// `Scope::works` for the cases of restricted desks, checked on the rows (as `DeskIn`, in a form
/// no index takes): outside those desks everything; inside, the user's organizations, the cases
/// assigned to them or their groups, and their own requests.
#[derive(Debug, Clone)]
pub struct OrganizationRule {
    pub desk_ids: Vec<Uuid>,
    pub organization_ids: Vec<Uuid>,
    pub user_id: Uuid,
    pub group_ids: Vec<Uuid>,
}

impl diesel::expression::Expression for OrganizationRule {
    type SqlType = Bool;
}
impl diesel::expression::AppearsOnTable<tickets::table> for OrganizationRule {}
impl diesel::expression::SelectableExpression<tickets::table> for OrganizationRule {}
impl diesel::expression::ValidGrouping<()> for OrganizationRule {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
impl diesel::query_builder::QueryId for OrganizationRule {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for OrganizationRule {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("(");
        tickets::desk_id.walk_ast(out.reborrow())?;
        out.push_sql(" <> ALL(");
        out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&self.desk_ids)?;
        out.push_sql(") OR ");
        tickets::organization_id.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&self.organization_ids)?;
        out.push_sql(") OR ");
        tickets::assigned_agent_id.walk_ast(out.reborrow())?;
        out.push_sql(" = ");
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.user_id)?;
        out.push_sql(" OR ");
        tickets::assigned_group_id.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<diesel::sql_types::Uuid>, _>(&self.group_ids)?;
        out.push_sql(") OR ");
        tickets::requester_id.walk_ast(out.reborrow())?;
        out.push_sql(" = ");
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.user_id)?;
        out.push_sql(") IS TRUE");
        Ok(())
    }
}

fn sorted<'a>(mut q: TicketQuery<'a>, f: &ListFilter) -> TicketQuery<'a> {
    match f.sort {
        Sort::Number => {
            if let Some(After::Number(n)) = f.after {
                q = q.filter(tickets::number.lt(n));
            }
            q.order(tickets::number.desc())
        }
        Sort::Updated => {
            if let Some(After::Updated(at, id)) = f.after {
                q = q.filter(tickets::updated_at.lt(at).or(tickets::updated_at.eq(at).and(tickets::id.lt(id))));
            }
            q.order((tickets::updated_at.desc(), tickets::id.desc()))
        }
        Sort::Due => {
            q = match f.after {
                Some(After::Due(Some(due), id)) => {
                    q.filter(tickets::resolution_due_at.gt(due).or(tickets::resolution_due_at.eq(due).and(tickets::id.gt(id))).or(tickets::resolution_due_at.is_null()))
                }
                Some(After::Due(None, id)) => q.filter(tickets::resolution_due_at.is_null().and(tickets::id.gt(id))),
                _ => q,
            };
            q.order((tickets::resolution_due_at.asc().nulls_last(), tickets::id.asc()))
        }
        Sort::Changed => {
            if let Some(After::Changed(at, id)) = f.after {
                q = q.filter(tickets::updated_at.gt(at).or(tickets::updated_at.eq(at).and(tickets::id.gt(id))));
            }
            q.order((tickets::updated_at.asc(), tickets::id.asc()))
        }
    }
}

pub fn cursor_of(sort: Sort, t: &TicketRow) -> Cursor {
    let key = match sort {
        Sort::Number => t.number.to_string(),
        Sort::Updated => t.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        Sort::Due => t.resolution_due_at.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)).unwrap_or_default(),
        Sort::Changed => t.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
    };
    Cursor { key, id: t.id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_written_into_the_statement_not_bound() {
        let q = tickets::table.select(tickets::id).filter(StatusIn(vec![Status::New, Status::OnHold])).into_boxed::<diesel::pg::Pg>();
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&q).to_string();
        assert!(sql.contains(r#""tickets"."status" IN ('new', 'on_hold')"#), "{sql}");
        assert!(sql.ends_with("-- binds: []"), "{sql}");
    }

    #[test]
    fn case_numbers_in_a_search() {
        assert_eq!(searched_number("6"), Some(6));
        assert_eq!(searched_number(" #6 "), Some(6));
        assert_eq!(searched_number("# 1234"), Some(1234));
        assert_eq!(searched_number("#"), None);
        assert_eq!(searched_number("0"), None);
        assert_eq!(searched_number("6 impresora"), None);
        assert_eq!(searched_number("-6"), None);
        assert_eq!(searched_number("99999999999999999999999"), None);
    }

    #[test]
    fn desks_are_checked_in_a_form_no_index_takes() {
        let desk = Uuid::now_v7();
        let q = tickets::table.select(tickets::id).filter(DeskIn(vec![desk])).into_boxed::<diesel::pg::Pg>();
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&q).to_string();
        assert!(sql.contains(r#"("tickets"."desk_id" = ANY($1)) IS TRUE"#), "{sql}");
    }
}
