//! The report statements: one SQL aggregate per report over the indexed instants of cases
//! (`tickets_desk_created_idx`, `…_resolved_idx`, `…_closed_idx`, `…_finished_idx`), the audit
//! trail by kind (`ticket_events_kind_idx`) and the surveys by desk; no case is loaded.
use chrono::NaiveDateTime;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text, Timestamp, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::domain::*;
use super::filter::{Filter, REPORT_TZ_NAME};

/// Statuses of a case in the backlog (the predicate of the partial index `tickets_due_idx`).
const OPEN: &str = "t.status NOT IN ('resolved', 'closed', 'rejected', 'cancelled')";
/// A reassignment: the case was handed from one agent to another, not as part of an escalation
/// or a transfer (those record their own event at the same instant, and count as such).
const REASSIGNED: &str = "(e.kind = 'assignment' AND e.old_value->>'agent_id' IS NOT NULL AND e.new_value->>'agent_id' IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM ticket_events x WHERE x.ticket_id = e.ticket_id AND x.created_at = e.created_at AND x.kind IN ('level', 'transfer')))";

impl Filter {
    pub fn period(&self) -> Period {
        Period { from: self.from_day, to: self.to_day, time_zone: REPORT_TZ_NAME.to_owned() }
    }
}

/// SQL for the number of cases open at the instant `at` (an expression over the parameters):
/// the cases open now, plus those finished since, minus those registered since. Every term is
/// a range over an index, however long ago `at` is.
fn backlog_at(c: &str, at: &str) -> String {
    format!(
        "((SELECT count(*) FROM tickets t WHERE t.desk_id = ANY($1) AND {OPEN}{c})
          + (SELECT count(*) FROM tickets t WHERE t.desk_id = ANY($1) AND coalesce(t.resolved_at, t.closed_at) >= {at}{c})
          - (SELECT count(*) FROM tickets t WHERE t.desk_id = ANY($1) AND t.created_at >= {at}{c}))"
    )
}

/// The aggregate columns of cases resolved in the period (`t`), shared by the summary and the
/// SLA tables.
const RESOLVED_AGGREGATES: &str = "count(*) AS resolved,
    count(t.response_met) AS attention_measured, count(*) FILTER (WHERE t.response_met) AS attention_met,
    count(t.resolution_met) AS resolution_measured, count(*) FILTER (WHERE t.resolution_met) AS resolution_met,
    count(t.response_minutes) AS attend_measured, avg(t.response_minutes)::float8 AS attend_mean,
    (percentile_cont(0.9) WITHIN GROUP (ORDER BY t.response_minutes))::float8 AS attend_p90,
    count(t.resolution_minutes) AS resolve_measured, avg(t.resolution_minutes)::float8 AS resolve_mean,
    (percentile_cont(0.9) WITHIN GROUP (ORDER BY t.resolution_minutes))::float8 AS resolve_p90";

#[derive(QueryableByName)]
struct ResolvedAgg {
    #[diesel(sql_type = BigInt)]
    resolved: i64,
    #[diesel(sql_type = BigInt)]
    attention_measured: i64,
    #[diesel(sql_type = BigInt)]
    attention_met: i64,
    #[diesel(sql_type = BigInt)]
    resolution_measured: i64,
    #[diesel(sql_type = BigInt)]
    resolution_met: i64,
    #[diesel(sql_type = BigInt)]
    attend_measured: i64,
    #[diesel(sql_type = Nullable<Double>)]
    attend_mean: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    attend_p90: Option<f64>,
    #[diesel(sql_type = BigInt)]
    resolve_measured: i64,
    #[diesel(sql_type = Nullable<Double>)]
    resolve_mean: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    resolve_p90: Option<f64>,
}

impl ResolvedAgg {
    fn attention(&self) -> Compliance {
        Compliance { measured: self.attention_measured, met: self.attention_met, met_pct: pct(self.attention_met, self.attention_measured) }
    }
    fn resolution(&self) -> Compliance {
        Compliance { measured: self.resolution_measured, met: self.resolution_met, met_pct: pct(self.resolution_met, self.resolution_measured) }
    }
    fn attend(&self) -> TimeStats {
        TimeStats { measured: self.attend_measured, mean_minutes: round1(self.attend_mean), p90_minutes: round1(self.attend_p90) }
    }
    fn resolve(&self) -> TimeStats {
        TimeStats { measured: self.resolve_measured, mean_minutes: round1(self.resolve_mean), p90_minutes: round1(self.resolve_p90) }
    }
}

#[derive(QueryableByName)]
struct SummaryRow {
    #[diesel(embed)]
    agg: ResolvedAgg,
    #[diesel(sql_type = BigInt)]
    first_contact: i64,
    #[diesel(sql_type = BigInt)]
    reopened: i64,
    #[diesel(sql_type = BigInt)]
    opened: i64,
    #[diesel(sql_type = BigInt)]
    closed: i64,
    #[diesel(sql_type = BigInt)]
    backlog_start: i64,
    #[diesel(sql_type = BigInt)]
    backlog_end: i64,
    #[diesel(sql_type = BigInt)]
    transfers: i64,
    #[diesel(sql_type = BigInt)]
    rejections: i64,
    #[diesel(sql_type = BigInt)]
    reassignments: i64,
    #[diesel(sql_type = BigInt)]
    sent: i64,
    #[diesel(sql_type = BigInt)]
    concluded: i64,
    #[diesel(sql_type = BigInt)]
    answered: i64,
    #[diesel(sql_type = BigInt)]
    satisfied: i64,
    #[diesel(sql_type = Nullable<Double>)]
    mean_rating: Option<f64>,
}

#[derive(QueryableByName)]
struct LevelRow {
    #[diesel(sql_type = Integer)]
    level: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A resolved case `t` solved at the first contact: at level 1, never reopened, and never
/// escalated, transferred or handed from one agent to another.
fn first_contact() -> String {
    format!("t.level = 1 AND t.reopen_count = 0 AND NOT EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND (e.kind IN ('level', 'transfer') OR {REASSIGNED}))")
}

/// Audit events of the period on cases matching the filter. Transfers count where the case
/// came from (the case is in the other desk now); the rest where the case is.
fn events_from(c: &str) -> String {
    format!(
        "FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE e.created_at >= $2 AND e.created_at < $3
           AND CASE WHEN e.kind = 'transfer' THEN (e.old_value->>'desk_id')::uuid = ANY($1) ELSE t.desk_id = ANY($1) END{c}"
    )
}

pub async fn summary(conn: &mut AsyncPgConnection, f: &Filter) -> diesel::QueryResult<Summary> {
    let c = f.case_conditions();
    let events = events_from(&c);
    let sql = format!(
        "SELECT r.*,
            (SELECT count(*) FROM tickets t WHERE t.desk_id = ANY($1) AND t.created_at >= $2 AND t.created_at < $3{c}) AS opened,
            (SELECT count(*) FROM tickets t WHERE t.desk_id = ANY($1) AND t.closed_at >= $2 AND t.closed_at < $3 AND t.status = 'closed'{c}) AS closed,
            {start} AS backlog_start,
            {end} AS backlog_end,
            ev.*, sv.*
         FROM (SELECT {RESOLVED_AGGREGATES},
                 count(*) FILTER (WHERE {first_contact}) AS first_contact,
                 count(*) FILTER (WHERE t.reopen_count > 0) AS reopened
               FROM tickets t WHERE t.desk_id = ANY($1) AND t.resolved_at >= $2 AND t.resolved_at < $3{c}) r,
              (SELECT count(*) FILTER (WHERE e.kind = 'transfer') AS transfers,
                      count(*) FILTER (WHERE e.kind = 'rejection') AS rejections,
                      count(*) FILTER (WHERE {REASSIGNED}) AS reassignments
               {events} AND e.kind IN ('transfer', 'rejection', 'assignment')) ev,
              (SELECT count(*) AS sent, count(*) FILTER (WHERE s.state <> 'pending') AS concluded,
                      count(*) FILTER (WHERE s.state = 'answered') AS answered,
                      count(*) FILTER (WHERE s.state = 'answered' AND s.satisfied) AS satisfied,
                      (avg(s.rating) FILTER (WHERE s.state = 'answered'))::float8 AS mean_rating
               FROM surveys s JOIN tickets t ON t.id = s.ticket_id
               WHERE s.desk_id = ANY($1) AND s.created_at >= $2 AND s.created_at < $3{c}) sv",
        start = backlog_at(&c, "$2"),
        end = backlog_at(&c, "$3"),
        first_contact = first_contact(),
    );
    let r: SummaryRow = f.query(sql).get_result(conn).await?;
    let levels: Vec<LevelRow> = f
        .query(format!(
            "SELECT (e.new_value->>'level')::int AS level, count(*) AS n {events}
               AND e.kind = 'level' AND (e.new_value->>'level')::int > (e.old_value->>'level')::int
             GROUP BY 1 ORDER BY 1"
        ))
        .load(conn)
        .await?;
    let resolved = r.agg.resolved;
    Ok(Summary {
        period: f.period(),
        opened: r.opened,
        resolved,
        closed: r.closed,
        backlog_start: r.backlog_start,
        backlog_end: r.backlog_end,
        attention: r.agg.attention(),
        resolution: r.agg.resolution(),
        time_to_attend: r.agg.attend(),
        time_to_resolve: r.agg.resolve(),
        first_contact: r.first_contact,
        first_contact_pct: pct(r.first_contact, resolved),
        reopened: r.reopened,
        reopen_pct: pct(r.reopened, resolved),
        escalations: levels.into_iter().map(|l| LevelCount { level: l.level, escalations: l.n }).collect(),
        transfers: r.transfers,
        rejections: r.rejections,
        reassignments: r.reassignments,
        satisfaction: Satisfaction {
            sent: r.sent,
            concluded: r.concluded,
            answered: r.answered,
            response_rate_pct: pct(r.answered, r.concluded),
            satisfied: r.satisfied,
            csat_pct: pct(r.satisfied, r.answered),
            mean_rating: r.mean_rating.map(|m| (m * 100.0).round() / 100.0),
        },
    })
}

#[derive(QueryableByName)]
struct VolumeSql {
    #[diesel(sql_type = Timestamp)]
    bucket: NaiveDateTime,
    #[diesel(sql_type = BigInt)]
    opened: i64,
    #[diesel(sql_type = BigInt)]
    resolved: i64,
    #[diesel(sql_type = BigInt)]
    closed: i64,
    #[diesel(sql_type = BigInt)]
    backlog: i64,
}

/// Registered, resolved and closed cases per bucket, and the backlog at each bucket's end: the
/// backlog when the period began plus the running sum of registered minus finished cases.
pub async fn volume(conn: &mut AsyncPgConnection, f: &Filter, g: Granularity) -> diesel::QueryResult<Volume> {
    let c = f.case_conditions();
    let per = |instant: &str, extra: &str| {
        format!(
            "SELECT date_trunc($12, {instant} AT TIME ZONE '{REPORT_TZ_NAME}') AS b, count(*) AS n FROM tickets t
             WHERE t.desk_id = ANY($1) AND {instant} >= $2 AND {instant} < $3{extra}{c} GROUP BY 1"
        )
    };
    let sql = format!(
        "WITH buckets AS (
            SELECT g AS b FROM generate_series(date_trunc($12, $2 AT TIME ZONE '{REPORT_TZ_NAME}'),
                                               ($3 AT TIME ZONE '{REPORT_TZ_NAME}') - interval '1 day',
                                               ('1 ' || $12)::interval) AS g),
          o AS ({opened}), r AS ({resolved}), c AS ({closed}), f AS ({finished})
         SELECT buckets.b AS bucket, coalesce(o.n, 0) AS opened, coalesce(r.n, 0) AS resolved, coalesce(c.n, 0) AS closed,
                ({start} + sum(coalesce(o.n, 0) - coalesce(f.n, 0)) OVER (ORDER BY buckets.b))::bigint AS backlog
         FROM buckets LEFT JOIN o ON o.b = buckets.b LEFT JOIN r ON r.b = buckets.b
              LEFT JOIN c ON c.b = buckets.b LEFT JOIN f ON f.b = buckets.b
         ORDER BY buckets.b",
        opened = per("t.created_at", ""),
        resolved = per("t.resolved_at", ""),
        closed = per("t.closed_at", " AND t.status = 'closed'"),
        finished = per("coalesce(t.resolved_at, t.closed_at)", ""),
        start = backlog_at(&c, "$2"),
    );
    let rows: Vec<VolumeSql> = f.query(sql).bind::<Text, _>(g.sql()).load(conn).await?;
    Ok(Volume {
        period: f.period(),
        granularity: g,
        rows: rows.into_iter().map(|r| VolumeRow { start: r.bucket.date(), opened: r.opened, resolved: r.resolved, closed: r.closed, backlog: r.backlog }).collect(),
    })
}

#[derive(QueryableByName)]
struct SlaSql {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(embed)]
    agg: ResolvedAgg,
}

/// SLA compliance and times of the cases resolved in the period, by priority or by service.
pub async fn sla(conn: &mut AsyncPgConnection, f: &Filter, by: SlaBy) -> diesel::QueryResult<SlaReport> {
    let c = f.case_conditions();
    // The grouping expressions come from the enum, never from the request's text.
    let (key, name, join, order) = match by {
        SlaBy::Priority => ("t.priority", "NULL::text", "", "array_position(ARRAY['critical', 'high', 'medium', 'low'], t.priority)"),
        SlaBy::Service => ("t.service_id::text", "n.name", " JOIN catalog_nodes n ON n.id = t.service_id", "count(*) DESC, n.name"),
    };
    let sql = format!(
        "SELECT {key} AS key, {name} AS name, {RESOLVED_AGGREGATES}
         FROM tickets t{join} WHERE t.desk_id = ANY($1) AND t.resolved_at >= $2 AND t.resolved_at < $3{c}
         GROUP BY {key}, {name} ORDER BY {order}, 1"
    );
    let rows: Vec<SlaSql> = f.query(sql).load(conn).await?;
    Ok(SlaReport {
        period: f.period(),
        by,
        rows: rows
            .into_iter()
            .map(|r| SlaRow {
                name: r.name.clone().unwrap_or_else(|| priority_label(&r.key).to_owned()),
                resolved: r.agg.resolved,
                attention: r.agg.attention(),
                resolution: r.agg.resolution(),
                time_to_attend: r.agg.attend(),
                time_to_resolve: r.agg.resolve(),
                key: r.key,
            })
            .collect(),
    })
}

#[derive(QueryableByName)]
struct TopSql {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
    #[diesel(sql_type = BigInt)]
    cases: i64,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The services (or categories) with most cases registered in the period.
pub async fn top(conn: &mut AsyncPgConnection, f: &Filter, by: TopBy, limit: i64) -> diesel::QueryResult<TopReport> {
    let c = f.case_conditions();
    let (id, name, join) = match by {
        TopBy::Service => ("n.id", "n.name", "JOIN catalog_nodes n ON n.id = t.service_id"),
        TopBy::Category => ("p.id", "p.name", "JOIN catalog_nodes n ON n.id = t.service_id LEFT JOIN catalog_nodes p ON p.id = n.parent_id"),
    };
    let sql = format!(
        "SELECT {id} AS id, {name} AS name, count(*) AS cases, (sum(count(*)) OVER ())::bigint AS total
         FROM tickets t {join} WHERE t.desk_id = ANY($1) AND t.created_at >= $2 AND t.created_at < $3{c}
         GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT $12"
    );
    // The window sum runs before LIMIT: `total` is every case of the period.
    let rows: Vec<TopSql> = f.query(sql).bind::<BigInt, _>(limit).load(conn).await?;
    let total = rows.as_slice().first().map_or(0, |r| r.total);
    Ok(TopReport {
        period: f.period(),
        by,
        total,
        rows: rows.into_iter().map(|r| TopRow { id: r.id, name: r.name.unwrap_or_else(|| "Sin categoría".to_owned()), cases: r.cases, share_pct: pct(r.cases, total) }).collect(),
    })
}

/// Where a drill-down's case `t` must be, beyond desk and filters: the population `m` counts.
fn measure_condition(m: Measure) -> String {
    const RESOLVED: &str = "t.resolved_at >= $2 AND t.resolved_at < $3";
    match m {
        Measure::Opened => "t.created_at >= $2 AND t.created_at < $3".to_owned(),
        Measure::Resolved => RESOLVED.to_owned(),
        Measure::Closed => "t.closed_at >= $2 AND t.closed_at < $3 AND t.status = 'closed'".to_owned(),
        // What `backlog_at($3)` counts, case by case.
        Measure::Backlog => format!("t.created_at < $3 AND ({OPEN} OR coalesce(t.resolved_at, t.closed_at) >= $3)"),
        Measure::AttentionMet => format!("{RESOLVED} AND t.response_met"),
        Measure::AttentionMissed => format!("{RESOLVED} AND NOT t.response_met"),
        Measure::ResolutionMet => format!("{RESOLVED} AND t.resolution_met"),
        Measure::ResolutionMissed => format!("{RESOLVED} AND NOT t.resolution_met"),
        Measure::FirstContact => format!("{RESOLVED} AND {}", first_contact()),
        Measure::Reopened => format!("{RESOLVED} AND t.reopen_count > 0"),
        // Driven from the audit trail's kind index: few cases have such events.
        Measure::Escalated => "t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.kind = 'level' AND e.created_at >= $2 AND e.created_at < $3
                                 AND (e.new_value->>'level')::int > (e.old_value->>'level')::int)"
            .to_owned(),
        Measure::Rejected => "t.id IN (SELECT e.ticket_id FROM ticket_events e WHERE e.kind = 'rejection' AND e.created_at >= $2 AND e.created_at < $3)".to_owned(),
    }
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
}

/// Ids of the cases a figure counts, newest first, `limit` of them after case number `before`.
pub async fn measure_cases(conn: &mut AsyncPgConnection, f: &Filter, m: Measure, before: Option<i64>, limit: i64) -> diesel::QueryResult<Vec<Uuid>> {
    let c = f.case_conditions();
    let keyset = if before.is_some() { " AND t.number < $13" } else { "" };
    let sql = format!("SELECT t.id FROM tickets t WHERE t.desk_id = ANY($1) AND {}{c}{keyset} ORDER BY t.number DESC LIMIT $12", measure_condition(m));
    let rows: Vec<IdRow> = f.query(sql).bind::<BigInt, _>(limit).bind::<BigInt, _>(before.unwrap_or(0)).load(conn).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
