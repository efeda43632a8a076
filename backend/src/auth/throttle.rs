//! Failed-login counters in Postgres, so every backend instance sees the same ones.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Integer, Interval, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use crate::config::ThrottleConfig;
use crate::db::schema::login_throttle;
use crate::error::AppError;

/// The counters a login attempt touches, with their limits.
pub struct ThrottleKeys {
    pub user: String,
    pub ip: Option<String>,
}

impl ThrottleKeys {
    /// `DOMINIO\maria.gomez`, `maria.gomez@dominio` and `MARIA.GOMEZ` share one counter.
    pub fn new(login: &str, ip: Option<String>) -> Self {
        let login = login.trim().to_lowercase();
        let account = login.rsplit('\\').next().unwrap_or(&login);
        let account = account.split('@').next().unwrap_or(account);
        ThrottleKeys { user: format!("user:{account}"), ip: ip.map(|ip| format!("ip:{ip}")) }
    }

    fn with_limits(&self, cfg: &ThrottleConfig) -> Vec<(String, i32)> {
        let mut keys = vec![(self.user.clone(), cfg.max_failures_per_user)];
        if let Some(ip) = &self.ip {
            keys.push((ip.clone(), cfg.max_failures_per_ip));
        }
        keys
    }

    fn names(&self) -> Vec<String> {
        let mut v = vec![self.user.clone()];
        v.extend(self.ip.clone());
        v
    }
}

/// Counts this attempt against every key before the password is checked, so parallel attempts
/// cannot all pass a check made before any of them is recorded. The counters are raised in one
/// statement whose row locks serialise concurrent attempts on the same key; when any counter
/// would go past its limit the transaction rolls back (a refused attempt is not counted, so it
/// neither lengthens a block nor eats the address's budget) and the answer is 429 with the seconds
/// until the blocking window ends. An attempt that turns out well gives its reservation back
/// (`succeeded`, `release`).
pub async fn reserve(conn: &mut AsyncPgConnection, keys: &ThrottleKeys, cfg: &ThrottleConfig) -> Result<(), AppError> {
    let names = keys.names();
    let window = diesel::data_types::PgInterval::from_microseconds(cfg.window.as_micros() as i64);
    let limits = keys.with_limits(cfg);
    let window_len = chrono::Duration::from_std(cfg.window).expect("window fits");
    conn.transaction(async move |conn| -> Result<(), AppError> {
        // Keys in a fixed order, so two attempts sharing two keys lock them alike (no deadlock).
        // A counter whose window has passed starts again at one.
        let rows: Vec<ThrottleRow> = diesel::sql_query(
            "INSERT INTO login_throttle (key, window_start, failures) SELECT k, now(), 1 FROM unnest($1) AS k ORDER BY k \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.window_start + $2 < now() THEN 1 ELSE login_throttle.failures + 1 END, \
               window_start = CASE WHEN login_throttle.window_start + $2 < now() THEN now() ELSE login_throttle.window_start END \
             RETURNING key, window_start, failures, now() AS now",
        )
        .bind::<Array<Text>, _>(names)
        .bind::<Interval, _>(window)
        .load(conn)
        .await?;
        let wait = rows
            .iter()
            .filter_map(|r| {
                let limit = limits.iter().find(|(k, _)| *k == r.key)?.1;
                (r.failures > limit).then(|| (r.window_start + window_len - r.now).num_seconds().max(1) as u64)
            })
            .max();
        match wait {
            Some(retry_after_secs) => Err(AppError::TooManyAttempts { retry_after_secs }),
            None => Ok(()),
        }
    })
    .await
}

#[derive(QueryableByName)]
struct ThrottleRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Timestamptz)]
    window_start: DateTime<Utc>,
    #[diesel(sql_type = Integer)]
    failures: i32,
    #[diesel(sql_type = Timestamptz)]
    now: DateTime<Utc>,
}

/// A successful login clears the account's counter, and gives back its reservation on the
/// address's (which counts failures only; one good password must not unlock guessing at every
/// other account from the same place, so that counter is not cleared).
pub async fn succeeded(conn: &mut AsyncPgConnection, keys: &ThrottleKeys) -> QueryResult<()> {
    diesel::delete(login_throttle::table.filter(login_throttle::key.eq(&keys.user))).execute(conn).await?;
    if let Some(ip) = &keys.ip {
        give_back(conn, std::slice::from_ref(ip)).await?;
    }
    Ok(())
}

/// An attempt that ended without a verdict on the password (e.g. the directory was unreachable)
/// gives back its reservations, so an outage does not lock people out.
pub async fn release(conn: &mut AsyncPgConnection, keys: &ThrottleKeys) -> QueryResult<()> {
    give_back(conn, &keys.names()).await
}

async fn give_back(conn: &mut AsyncPgConnection, names: &[String]) -> QueryResult<()> {
    diesel::update(login_throttle::table.filter(login_throttle::key.eq_any(names)).filter(login_throttle::failures.gt(0)))
        .set(login_throttle::failures.eq(login_throttle::failures - 1))
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_login_forms_share_a_key() {
        for login in ["maria.gomez", "MARIA.GOMEZ", "EXAMPLE\\maria.gomez", "maria.gomez@example.org", " Maria.Gomez "] {
            assert_eq!(ThrottleKeys::new(login, None).user, "user:maria.gomez", "{login}");
        }
        assert_eq!(ThrottleKeys::new("x", Some("10.0.0.1".into())).ip.as_deref(), Some("ip:10.0.0.1"));
    }
}
