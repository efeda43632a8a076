//! Failed-login counters in Postgres, so every backend instance sees the same ones.
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Interval, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

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

/// 429 with the seconds until the oldest blocking window ends, when any counter is at its limit.
pub async fn check(conn: &mut AsyncPgConnection, keys: &ThrottleKeys, cfg: &ThrottleConfig) -> Result<(), AppError> {
    let now = Utc::now();
    let rows: Vec<(String, DateTime<Utc>, i32)> = login_throttle::table
        .filter(login_throttle::key.eq_any(keys.names()))
        .select((login_throttle::key, login_throttle::window_start, login_throttle::failures))
        .load(conn)
        .await?;
    let window = chrono::Duration::from_std(cfg.window).expect("window fits");
    let limits = keys.with_limits(cfg);
    let wait = rows
        .iter()
        .filter_map(|(key, start, failures)| {
            let limit = limits.iter().find(|(k, _)| k == key)?.1;
            let ends = *start + window;
            (*failures >= limit && ends > now).then(|| (ends - now).num_seconds().max(1) as u64)
        })
        .max();
    match wait {
        Some(retry_after_secs) => Err(AppError::TooManyAttempts { retry_after_secs }),
        None => Ok(()),
    }
}

pub async fn record_failure(conn: &mut AsyncPgConnection, keys: &ThrottleKeys, cfg: &ThrottleConfig) -> QueryResult<()> {
    // A counter whose window has passed starts again at one.
    diesel::sql_query(
        "INSERT INTO login_throttle (key, window_start, failures) SELECT k, now(), 1 FROM unnest($1) AS k \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_throttle.window_start + $2 < now() THEN 1 ELSE login_throttle.failures + 1 END, \
           window_start = CASE WHEN login_throttle.window_start + $2 < now() THEN now() ELSE login_throttle.window_start END",
    )
    .bind::<Array<Text>, _>(keys.names())
    .bind::<Interval, _>(diesel::data_types::PgInterval::from_microseconds(cfg.window.as_micros() as i64))
    .execute(conn)
    .await?;
    Ok(())
}

/// A successful login clears the account's counter (not the address's: one good password must not
/// unlock guessing at every other account from the same place).
pub async fn clear_user(conn: &mut AsyncPgConnection, keys: &ThrottleKeys) -> QueryResult<()> {
    diesel::delete(login_throttle::table.filter(login_throttle::key.eq(&keys.user))).execute(conn).await?;
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
