//! Request limits of the public survey endpoints, counted in Postgres (every instance sees the
//! same counters): per client address, so tokens cannot be tried in bulk, and per survey, so one
//! link cannot be hammered. A request past a limit is answered 429 with `Retry-After` and is
//! not counted.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Integer, Interval, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::db::schema::survey_throttle;
use crate::error::AppError;

/// Requests per client address per window (an office may share one address).
pub const PER_ADDRESS: i32 = 60;
/// Requests per survey per window (opening the page, answering, a few reloads).
pub const PER_SURVEY: i32 = 20;
pub const WINDOW: Duration = Duration::minutes(15);

/// The counters a request touches.
pub fn keys(ip: Option<&str>, survey: Option<Uuid>) -> Vec<(String, i32)> {
    let mut k = Vec::new();
    if let Some(ip) = ip {
        k.push((format!("ip:{ip}"), PER_ADDRESS));
    }
    if let Some(s) = survey {
        k.push((format!("survey:{s}"), PER_SURVEY));
    }
    k
}

#[derive(QueryableByName)]
struct Counter {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Timestamptz)]
    window_start: DateTime<Utc>,
    #[diesel(sql_type = Integer)]
    hits: i32,
    #[diesel(sql_type = Timestamptz)]
    now: DateTime<Utc>,
}

/// Counts the request against every key in one statement (its row locks serialise parallel
/// requests); past a limit the transaction rolls back and the answer is 429.
pub async fn hit(conn: &mut AsyncPgConnection, keys: Vec<(String, i32)>) -> Result<(), AppError> {
    if keys.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    names.sort();
    let window = diesel::data_types::PgInterval::from_microseconds(WINDOW.num_microseconds().expect("fits"));
    conn.transaction(async move |conn| -> Result<(), AppError> {
        let rows: Vec<Counter> = diesel::sql_query(
            "INSERT INTO survey_throttle (key, window_start, hits) SELECT k, now(), 1 FROM unnest($1) AS k ORDER BY k \
             ON CONFLICT (key) DO UPDATE SET \
               hits = CASE WHEN survey_throttle.window_start + $2 < now() THEN 1 ELSE survey_throttle.hits + 1 END, \
               window_start = CASE WHEN survey_throttle.window_start + $2 < now() THEN now() ELSE survey_throttle.window_start END \
             RETURNING key, window_start, hits, now() AS now",
        )
        .bind::<Array<Text>, _>(names)
        .bind::<Interval, _>(window)
        .load(conn)
        .await?;
        let wait = rows
            .iter()
            .filter_map(|r| {
                let limit = keys.iter().find(|(k, _)| *k == r.key)?.1;
                (r.hits > limit).then(|| (r.window_start + WINDOW - r.now).num_seconds().max(1) as u64)
            })
            .max();
        match wait {
            Some(retry_after_secs) => Err(AppError::TooManyAttempts { retry_after_secs }),
            None => Ok(()),
        }
    })
    .await
}

/// Forgets counters whose window ended long ago (run by the reminders job).
pub async fn purge(conn: &mut AsyncPgConnection, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::delete(survey_throttle::table.filter(survey_throttle::window_start.lt(now - Duration::days(1)))).execute(conn).await
}
