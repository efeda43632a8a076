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
    let claims = mesa::auth::jwt::JwtKeys::new(crate::support::app::TEST_JWT_SECRET.as_bytes(), std::time::Duration::from_secs(900))
        .verify(token)
        .unwrap();
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
