use mesa::users::domain::Role;
use serde_json::json;

use crate::support::app::{spawn_app, spawn_app_with};

#[tokio::test]
async fn local_login_returns_tokens_and_me() {
    let app = spawn_app().await;
    let id = app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let r = app.login("Ana.Torres", "Buena.Clave2026").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.body["expires_in"], 900);
    assert_eq!(r.body["user"]["id"], id.to_string());
    assert_eq!(r.body["user"]["role"], "agent");
    assert!(r.body["user"].get("password_hash").is_none());
    let token = r.body["access_token"].as_str().unwrap();

    // The JWT carries sub, role, exp, iat and jti.
    let claims = mesa::jwt::JwtKeys::new(crate::support::app::TEST_JWT_SECRET.as_bytes(), std::time::Duration::from_secs(900)).verify(token).unwrap();
    assert_eq!((claims.sub, claims.role), (id, Role::Agent));
    assert_eq!(claims.exp - claims.iat, 900);

    let me = app.get("/me", token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["username"], "ana.torres");
    assert!(me.body["last_login_at"].is_string());
}

#[tokio::test]
async fn wrong_password_and_unknown_user_answer_identically() {
    let app = spawn_app().await;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let wrong = app.login("ana.torres", "Mala.Clave2026").await;
    let unknown = app.login("nadie.existe", "Mala.Clave2026").await;
    wrong.assert_problem(401, "invalid_credentials");
    unknown.assert_problem(401, "invalid_credentials");
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn inactive_local_account_cannot_log_in() {
    let app = spawn_app().await;
    let id = app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let admin = app.admin().await;
    let r = app.call(reqwest::Method::DELETE, &format!("/users/{id}"), Some(&admin), None).await;
    assert_eq!(r.status, 204);
    app.login("ana.torres", "Buena.Clave2026").await.assert_problem(401, "invalid_credentials");
}

#[tokio::test]
async fn missing_fields_are_named() {
    let app = spawn_app().await;
    let r = app.post("/auth/login", None, json!({"username": "", "password": ""})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["username", "password"]);
    let r = app.post("/auth/login", None, json!({"username": "x"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["password"]);
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_username() {
    let app = spawn_app_with(|c| c.login_throttle.max_failures_per_user = 3).await;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    for _ in 0..3 {
        app.login("ana.torres", "Mala.Clave").await.assert_problem(401, "invalid_credentials");
    }
    // Every spelling of the account shares the counter, and even the right password waits.
    for login in ["ana.torres", "DOMINIO\\ana.torres", "ana.torres@dominio.gov.co"] {
        let r = app.login(login, "Buena.Clave2026").await;
        r.assert_problem(429, "too_many_attempts");
        let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=900).contains(&retry), "Retry-After {retry}");
    }
    // Another account from the same address is not blocked yet.
    app.create_local_user("otro.usuario", "Buena.Clave2026", Role::Requester).await;
    assert_eq!(app.login("otro.usuario", "Buena.Clave2026").await.status, 200);
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_address() {
    let app = spawn_app_with(|c| c.login_throttle.max_failures_per_ip = 4).await;
    for i in 0..4 {
        app.login(&format!("usuario{i}"), "x").await.assert_problem(401, "invalid_credentials");
    }
    app.login("usuario9", "x").await.assert_problem(429, "too_many_attempts");
}

#[tokio::test]
async fn success_clears_the_account_counter() {
    let app = spawn_app_with(|c| c.login_throttle.max_failures_per_user = 3).await;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    for _ in 0..2 {
        app.login("ana.torres", "Mala.Clave").await;
    }
    assert_eq!(app.login("ana.torres", "Buena.Clave2026").await.status, 200);
    for _ in 0..2 {
        app.login("ana.torres", "Mala.Clave").await.assert_problem(401, "invalid_credentials");
    }
}

#[tokio::test]
async fn update_own_locale() {
    let app = spawn_app().await;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Requester).await;
    let t = app.token("ana.torres", "Buena.Clave2026").await;
    let r = app.patch("/me", &t, json!({"locale": "en"})).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["locale"], "en");
    app.patch("/me", &t, json!({"locale": "fr"})).await.assert_problem(422, "validation_failed");
    let r = app.patch("/me", &t, json!({"role": "admin"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["role"]);
    assert_eq!(app.get("/me", &t).await.body["role"], "requester");
}

/// The failures counted under `key` (`user:…` or `ip:…`), 0 when there is no counter.
async fn throttle_count(app: &crate::support::app::TestApp, key: &str) -> i32 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use mesa::db::schema::login_throttle as lt;
    let mut conn = app.pool.get().await.unwrap();
    lt::table.filter(lt::key.eq(key)).select(lt::failures).first(&mut conn).await.optional().unwrap().unwrap_or(0)
}

/// Statuses of the answers, counted: (401s, 429s).
fn tally(replies: &[crate::support::app::Reply]) -> (usize, usize) {
    for r in replies {
        assert!(matches!(r.status.as_u16(), 401 | 429), "unexpected {}: {}", r.status, r.body);
    }
    let unauthorized = replies.iter().filter(|r| r.status == 401).count();
    (unauthorized, replies.len() - unauthorized)
}

#[tokio::test]
async fn parallel_failures_cannot_pass_the_account_limit() {
    let app = spawn_app().await;
    let limit = app.config.login_throttle.max_failures_per_user as usize;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let replies = futures_util::future::join_all((0..30).map(|_| app.login("ana.torres", "Mala.Clave"))).await;
    // Each attempt is counted before its password is checked: exactly `limit` checks happen.
    assert_eq!(tally(&replies), (limit, 30 - limit));
    for r in replies.iter().filter(|r| r.status == 429) {
        r.assert_problem(429, "too_many_attempts");
        assert!(r.headers.contains_key("retry-after"));
    }
    assert_eq!(throttle_count(&app, "user:ana.torres").await, limit as i32);
    assert_eq!(throttle_count(&app, "ip:127.0.0.1").await, limit as i32, "refused attempts do not count");
}

#[tokio::test]
async fn parallel_failures_cannot_pass_the_address_limit() {
    let app = spawn_app().await;
    let limit = app.config.login_throttle.max_failures_per_ip as usize;
    let app = &app;
    let replies = futures_util::future::join_all((0..30).map(|i| async move { app.login(&format!("usuario{i}"), "x").await })).await;
    assert_eq!(tally(&replies), (limit, 30 - limit));
    assert_eq!(throttle_count(app, "ip:127.0.0.1").await, limit as i32);
}

#[tokio::test]
async fn right_password_sent_with_parallel_wrong_ones_waits_for_the_limit() {
    let app = spawn_app().await;
    let limit = app.config.login_throttle.max_failures_per_user as usize;
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let attempts = (0..25).map(|i| {
        let app = &app;
        async move {
            let password = if i == 12 { "Buena.Clave2026" } else { "Mala.Clave" };
            app.login("ana.torres", password).await
        }
    });
    let mut replies = futures_util::future::join_all(attempts).await;
    let right = replies.remove(12);
    let (wrong_checked, _) = tally(&replies);
    let counter = throttle_count(&app, "user:ana.torres").await as usize;
    // Whatever the order the server saw them in, at most `limit` passwords were checked before the
    // right one's; it logs in only if it was one of the first `limit`, and its success clears the
    // counter, which then counts the attempts that came after it (again at most `limit`).
    if right.status == 200 {
        assert!(counter <= limit, "counter {counter}");
        assert!(wrong_checked < counter + limit, "{wrong_checked} wrong passwords checked, {counter} after the success");
    } else {
        right.assert_problem(429, "too_many_attempts");
        assert_eq!((wrong_checked, counter), (limit, limit));
    }
}
