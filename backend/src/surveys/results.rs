//! Survey results for supervisors and admins: per desk, service, group, agent or period, counted
//! by SQL aggregates over the surveys (each attributed to the desk, service, group and agent of
//! its resolution, and to the period of its sending in the desk's time zone).
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::responses::{Forbidden, Invalid, Unauthenticated};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::tickets::access::Scope;
use crate::users::domain::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Desk,
    Service,
    Group,
    Agent,
    Period,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    fn sql(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsQuery {
    /// `desk` (default), `service`, `group`, `agent` (who resolved), or `period`.
    #[param(example = "period")]
    pub group_by: Option<GroupBy>,
    /// With `group_by=period`: `day`, `week`, `month` (default), `quarter`, `year`.
    #[param(example = "month")]
    pub period: Option<Period>,
    /// Surveys sent (cases resolved) at or after (RFC 3339).
    #[param(example = "2026-10-01T05:00:00Z")]
    pub from: Option<DateTime<Utc>>,
    /// Surveys sent before (RFC 3339).
    #[param(example = "2027-01-01T05:00:00Z")]
    pub to: Option<DateTime<Utc>>,
    /// One desk only.
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk_id: Option<Uuid>,
}

/// One row of results.
#[derive(Serialize, ToSchema, Debug, PartialEq)]
pub struct SurveyResultRow {
    /// The desk, service, group or agent id, or the period's first day (`YYYY-MM-DD`); `null` for
    /// resolutions without a group or agent.
    #[schema(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub key: Option<String>,
    /// The desk's, service's, group's or agent's name.
    #[schema(example = "Tecnologías de la Información")]
    pub name: Option<String>,
    /// Surveys sent (one per resolution).
    #[schema(example = 120)]
    pub sent: i64,
    /// Still waiting for an answer (left out of the rates).
    #[schema(example = 14)]
    pub pending: i64,
    #[schema(example = 96)]
    pub responses: i64,
    /// Responses over the surveys whose time is over (answered, expired or withdrawn).
    #[schema(example = 0.906)]
    pub response_rate: Option<f64>,
    #[schema(example = 4.6)]
    pub average_rating: Option<f64>,
    #[schema(example = 88)]
    pub satisfied: i64,
    /// CSAT: the share of responses that were satisfied.
    #[schema(example = 0.917)]
    pub csat: Option<f64>,
    /// Responses that reopened the case ("Abierto por encuesta").
    #[schema(example = 8)]
    pub reopened: i64,
    /// Reopened by survey over the surveys whose time is over.
    #[schema(example = 0.075)]
    pub reopen_rate: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct SurveyResults {
    pub group_by: GroupBy,
    pub period: Option<Period>,
    pub rows: Vec<SurveyResultRow>,
}

#[derive(QueryableByName)]
struct Aggregate {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    desk_name: Option<String>,
    #[diesel(sql_type = BigInt)]
    sent: i64,
    #[diesel(sql_type = BigInt)]
    pending: i64,
    #[diesel(sql_type = BigInt)]
    responses: i64,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    response_rate: Option<f64>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    average_rating: Option<f64>,
    #[diesel(sql_type = BigInt)]
    satisfied: i64,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    csat: Option<f64>,
    #[diesel(sql_type = BigInt)]
    reopened: i64,
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    reopen_rate: Option<f64>,
}

/// Satisfaction survey results of the caller's desks (supervisors: the desks they manage or
/// work; admins: every desk), grouped as asked.
#[utoipa::path(tag = "surveys", security(("bearer_auth" = [])), params(ResultsQuery),
    responses((status = 200, body = SurveyResults), Unauthenticated, Forbidden, Invalid))]
#[get("/surveys/results")]
pub async fn survey_results(state: web::Data<AppState>, user: CurrentUser, query: web::Query<ResultsQuery>) -> AppResult<web::Json<SurveyResults>> {
    if !matches!(user.role(), Role::Admin | Role::Supervisor) {
        return Err(AppError::Forbidden);
    }
    let q = query.into_inner();
    if let (Some(f), Some(t)) = (q.from, q.to) {
        if t <= f {
            return Err(AppError::field("to", "before_from", "must be after `from`"));
        }
    }
    let group_by = q.group_by.unwrap_or(GroupBy::Desk);
    let period = (group_by == GroupBy::Period).then(|| q.period.unwrap_or(Period::Month));
    let mut conn = state.pool.get().await?;
    let reference = state.reference(&mut conn, &user).await?;
    let scope = Scope::of(&user, &reference);
    // `None`: every desk (admins).
    let desks: Option<Vec<Uuid>> = (!scope.is_admin()).then(|| scope.desk_ids.clone());
    // The grouping expressions come from the enums above, never from the request's text.
    let key = match group_by {
        GroupBy::Desk => "s.desk_id::text".to_owned(),
        GroupBy::Service => "s.service_id::text".to_owned(),
        GroupBy::Group => "s.group_id::text".to_owned(),
        GroupBy::Agent => "s.agent_id::text".to_owned(),
        GroupBy::Period => format!("to_char(date_trunc('{}', s.created_at AT TIME ZONE d.timezone), 'YYYY-MM-DD')", period.unwrap_or(Period::Month).sql()),
    };
    let sql = format!(
        "SELECT {key} AS key, min(d.name) AS desk_name,
                count(*) AS sent,
                count(*) FILTER (WHERE s.state = 'pending') AS pending,
                count(*) FILTER (WHERE s.state = 'answered') AS responses,
                (count(*) FILTER (WHERE s.state = 'answered'))::float8 / NULLIF(count(*) FILTER (WHERE s.state <> 'pending'), 0) AS response_rate,
                (avg(s.rating) FILTER (WHERE s.state = 'answered'))::float8 AS average_rating,
                count(*) FILTER (WHERE s.state = 'answered' AND s.satisfied) AS satisfied,
                (count(*) FILTER (WHERE s.state = 'answered' AND s.satisfied))::float8 / NULLIF(count(*) FILTER (WHERE s.state = 'answered'), 0) AS csat,
                count(*) FILTER (WHERE s.state = 'answered' AND NOT s.satisfied) AS reopened,
                (count(*) FILTER (WHERE s.state = 'answered' AND NOT s.satisfied))::float8 / NULLIF(count(*) FILTER (WHERE s.state <> 'pending'), 0) AS reopen_rate
         FROM surveys s JOIN desks d ON d.id = s.desk_id
         WHERE ($1::uuid[] IS NULL OR s.desk_id = ANY($1))
           AND ($2::uuid IS NULL OR s.desk_id = $2)
           AND ($3::timestamptz IS NULL OR s.created_at >= $3)
           AND ($4::timestamptz IS NULL OR s.created_at < $4)
         GROUP BY 1 ORDER BY 1 NULLS LAST"
    );
    let rows: Vec<Aggregate> = diesel::sql_query(sql)
        .bind::<Nullable<Array<SqlUuid>>, _>(desks)
        .bind::<Nullable<SqlUuid>, _>(q.desk_id)
        .bind::<Nullable<Timestamptz>, _>(q.from)
        .bind::<Nullable<Timestamptz>, _>(q.to)
        .load(&mut conn)
        .await?;
    let agents: Vec<Uuid> = if group_by == GroupBy::Agent { rows.iter().filter_map(|r| r.key.as_deref()?.parse().ok()).collect() } else { vec![] };
    let names = reference.user_names(&mut conn, &agents).await?;
    let name = |r: &Aggregate| -> Option<String> {
        let id: Option<Uuid> = r.key.as_deref().and_then(|k| k.parse().ok());
        match group_by {
            GroupBy::Desk => r.desk_name.clone(),
            GroupBy::Service => id.map(|i| reference.node_name(i)),
            GroupBy::Group => id.map(|i| reference.group_name(i)),
            GroupBy::Agent => id.and_then(|i| names.get(&i).cloned()),
            GroupBy::Period => None,
        }
    };
    Ok(web::Json(SurveyResults {
        group_by,
        period,
        rows: rows
            .iter()
            .map(|r| SurveyResultRow {
                key: r.key.clone(),
                name: name(r),
                sent: r.sent,
                pending: r.pending,
                responses: r.responses,
                response_rate: r.response_rate,
                average_rating: r.average_rating,
                satisfied: r.satisfied,
                csat: r.csat,
                reopened: r.reopened,
                reopen_rate: r.reopen_rate,
            })
            .collect(),
    }))
}
