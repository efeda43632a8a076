use mesa::users::domain::Role;
use serde_json::json;

use crate::support::app::{spawn_app, TEST_JWT_SECRET};

async fn logged_in(app: &crate::support::app::TestApp) -> (String, String) {
    app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let r = app.login("ana.torres", "Buena.Clave2026").await;
    (r.body["access_token"].as_str().unwrap().into(), r.body["refresh_token"].as_str().unwrap().into())
}

#[tokio::test]
async fn missing_expired_tampered_and_foreign_tokens_are_refused() {
    let app = spawn_app().await;
    let (access, _) = logged_in(&app).await;
    let me = app.call(reqwest::Method::GET, "/me", None, None).await;
    me.assert_problem(401, "invalid_token");
    assert_eq!(me.headers["www-authenticate"], "Bearer");

    let claims = mesa::jwt::JwtKeys::new(TEST_JWT_SECRET.as_bytes(), std::time::Duration::from_secs(900)).verify(&access).unwrap();
    let keys = mesa::jwt::JwtKeys::new(TEST_JWT_SECRET.as_bytes(), std::time::Duration::from_secs(60));
    let expired = keys.issue(claims.sub, Role::Agent, claims.generation, chrono::Utc::now().timestamp() - 3600);
    app.get("/me", &expired).await.assert_problem(401, "invalid_token");

    // Payload swapped for one claiming admin: signature mismatch.
    let forged_payload = keys.issue(claims.sub, Role::Admin, claims.generation, chrono::Utc::now().timestamp());
    let mut parts: Vec<&str> = access.split('.').collect();
    parts[1] = forged_payload.split('.').nth(1).unwrap();
    app.get("/me", &parts.join(".")).await.assert_problem(401, "invalid_token");

    let foreign = mesa::jwt::JwtKeys::new(b"some-other-installation-secret!!", std::time::Duration::from_secs(60)).issue(
        claims.sub,
        Role::Admin,
        claims.generation,
        chrono::Utc::now().timestamp(),
    );
    app.get("/me", &foreign).await.assert_problem(401, "invalid_token");

    // alg=none
    let header = base64_url(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{header}.{}.", access.split('.').nth(1).unwrap());
    app.get("/me", &unsigned).await.assert_problem(401, "invalid_token");

    assert_eq!(app.get("/me", &access).await.status, 200);
}

fn base64_url(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    let (_, r1) = logged_in(&app).await;

    let second = app.post("/auth/refresh", None, json!({"refresh_token": r1})).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    assert_eq!(app.get("/me", second.body["access_token"].as_str().unwrap()).await.status, 200);

    let third = app.post("/auth/refresh", None, json!({"refresh_token": r2})).await;
    assert_eq!(third.status, 200);
    let r3 = third.body["refresh_token"].as_str().unwrap().to_owned();

    // r1 was already used, longer ago than the grace window for parallel refreshes: someone
    // replays a stolen token. The whole family dies, r3 included.
    backdate_rotations(&app).await;
    app.post("/auth/refresh", None, json!({"refresh_token": r1})).await.assert_problem(401, "invalid_refresh_token");
    app.post("/auth/refresh", None, json!({"refresh_token": r3})).await.assert_problem(401, "invalid_refresh_token");

    // Another login (another family) is unaffected.
    let other = app.login("ana.torres", "Buena.Clave2026").await;
    let fresh = other.body["refresh_token"].as_str().unwrap();
    assert_eq!(app.post("/auth/refresh", None, json!({"refresh_token": fresh})).await.status, 200);
}

#[tokio::test]
async fn refresh_tokens_are_stored_only_as_hashes() {
    let app = spawn_app().await;
    let (_, refresh) = logged_in(&app).await;
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let mut conn = app.pool.get().await.unwrap();
    let hashes: Vec<Vec<u8>> = mesa::db::schema::refresh_tokens::table.select(mesa::db::schema::refresh_tokens::token_hash).load(&mut conn).await.unwrap();
    assert_eq!(hashes.len(), 1);
    assert_eq!(hashes[0].len(), 32);
    assert!(!hashes[0].windows(8).any(|w| refresh.as_bytes().windows(8).any(|r| r == w)));
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = spawn_app().await;
    let (_, refresh) = logged_in(&app).await;
    let r = app.post("/auth/logout", None, json!({"refresh_token": refresh})).await;
    assert_eq!(r.status, 204);
    app.post("/auth/refresh", None, json!({"refresh_token": refresh})).await.assert_problem(401, "invalid_refresh_token");
    // Idempotent, and unknown tokens reveal nothing.
    assert_eq!(app.post("/auth/logout", None, json!({"refresh_token": refresh})).await.status, 204);
    assert_eq!(app.post("/auth/logout", None, json!({"refresh_token": "nope"})).await.status, 204);
    app.post("/auth/refresh", None, json!({"refresh_token": "garbage"})).await.assert_problem(401, "invalid_refresh_token");
}

#[tokio::test]
async fn deactivation_ends_sessions_and_access() {
    let app = spawn_app().await;
    let (access, refresh) = logged_in(&app).await;
    let admin = app.admin().await;
    let me = app.get("/me", &access).await;
    let id = me.body["id"].as_str().unwrap().to_owned();
    assert_eq!(app.call(reqwest::Method::DELETE, &format!("/users/{id}"), Some(&admin), None).await.status, 204);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
    app.post("/auth/refresh", None, json!({"refresh_token": refresh})).await.assert_problem(401, "invalid_refresh_token");
}

/// Moves every rotation a minute back, past the grace window in which parallel refreshes with the
/// same token are answered alike.
async fn backdate_rotations(app: &crate::support::app::TestApp) {
    use diesel_async::RunQueryDsl;
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query("UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' WHERE used_at IS NOT NULL").execute(&mut conn).await.unwrap();
}

async fn revoked_refresh_tokens(app: &crate::support::app::TestApp) -> i64 {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use mesa::db::schema::refresh_tokens as rt;
    let mut conn = app.pool.get().await.unwrap();
    rt::table.filter(rt::revoked_at.is_not_null()).count().get_result(&mut conn).await.unwrap()
}

#[tokio::test]
async fn parallel_refreshes_with_one_token_all_stay_logged_in() {
    let app = spawn_app().await;
    let (_, r1) = logged_in(&app).await;
    // Ten tabs find the access token expired at once and refresh with the same token.
    let replies = futures_util::future::join_all((0..10).map(|_| app.post("/auth/refresh", None, json!({"refresh_token": r1})))).await;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.body);
    }
    for r in &replies {
        assert_eq!(app.get("/me", r.body["access_token"].as_str().unwrap()).await.status, 200);
    }
    // None of that looked like reuse: every refresh token handed out still works, in turn.
    let refresh: Vec<String> = replies.iter().map(|r| r.body["refresh_token"].as_str().unwrap().to_owned()).collect();
    for token in &refresh {
        let r = app.post("/auth/refresh", None, json!({"refresh_token": token})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(app.get("/me", r.body["access_token"].as_str().unwrap()).await.status, 200);
    }
    assert_eq!(revoked_refresh_tokens(&app).await, 0);
}

#[tokio::test]
async fn reuse_after_the_grace_window_still_revokes_the_family() {
    let app = spawn_app().await;
    let (_, r1) = logged_in(&app).await;
    let second = app.post("/auth/refresh", None, json!({"refresh_token": r1})).await;
    assert_eq!(second.status, 200);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    backdate_rotations(&app).await;
    app.post("/auth/refresh", None, json!({"refresh_token": r1})).await.assert_problem(401, "invalid_refresh_token");
    app.post("/auth/refresh", None, json!({"refresh_token": r2})).await.assert_problem(401, "invalid_refresh_token");
    assert!(revoked_refresh_tokens(&app).await > 0);
}

#[tokio::test]
async fn a_logged_out_token_gets_no_grace() {
    let app = spawn_app().await;
    let (_, r1) = logged_in(&app).await;
    let second = app.post("/auth/refresh", None, json!({"refresh_token": r1})).await;
    let r2 = second.body["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(app.post("/auth/logout", None, json!({"refresh_token": r2})).await.status, 204);
    app.post("/auth/refresh", None, json!({"refresh_token": r1})).await.assert_problem(401, "invalid_refresh_token");
    app.post("/auth/refresh", None, json!({"refresh_token": r2})).await.assert_problem(401, "invalid_refresh_token");
}

async fn user_id(app: &crate::support::app::TestApp, access: &str) -> String {
    app.get("/me", access).await.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn logout_ends_the_access_tokens() {
    let app = spawn_app().await;
    let (access, refresh) = logged_in(&app).await;
    // A second login (another device) of the same user.
    let other = app.login("ana.torres", "Buena.Clave2026").await;
    let (other_access, other_refresh) = (other.body["access_token"].as_str().unwrap(), other.body["refresh_token"].as_str().unwrap());
    assert_eq!(app.get("/me", &access).await.status, 200);
    assert_eq!(app.post("/auth/logout", None, json!({"refresh_token": refresh})).await.status, 204);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
    // Every access token of the user ends; the other device's session goes on after a refresh.
    app.get("/me", other_access).await.assert_problem(401, "invalid_token");
    let renewed = app.post("/auth/refresh", None, json!({"refresh_token": other_refresh})).await;
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let renewed_access = renewed.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/me", &renewed_access).await.status, 200);
    // Logging out again with the dead token ends nothing more.
    assert_eq!(app.post("/auth/logout", None, json!({"refresh_token": refresh})).await.status, 204);
    assert_eq!(app.get("/me", &renewed_access).await.status, 200);
}

#[tokio::test]
async fn password_reset_ends_the_access_tokens() {
    let app = spawn_app().await;
    let (access, refresh) = logged_in(&app).await;
    let admin = app.admin().await;
    let id = user_id(&app, &access).await;
    let r = app.patch(&format!("/users/{id}"), &admin, json!({"password": "Otra.Clave2026"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
    app.post("/auth/refresh", None, json!({"refresh_token": refresh})).await.assert_problem(401, "invalid_refresh_token");
    // Only that user's: the admin's token still works, and the new password logs in.
    assert_eq!(app.get("/me", &admin).await.status, 200);
    assert_eq!(app.get("/me", &app.token("ana.torres", "Otra.Clave2026").await).await.status, 200);
}

#[tokio::test]
async fn role_change_ends_the_access_tokens() {
    let app = spawn_app().await;
    let (access, refresh) = logged_in(&app).await;
    let admin = app.admin().await;
    let id = user_id(&app, &access).await;
    let r = app.patch(&format!("/users/{id}"), &admin, json!({"role": "supervisor"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
    // The session survives: a refresh gives a token carrying the new role.
    let renewed = app.post("/auth/refresh", None, json!({"refresh_token": refresh})).await;
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    let renewed_access = renewed.body["access_token"].as_str().unwrap();
    let claims = mesa::jwt::JwtKeys::new(TEST_JWT_SECRET.as_bytes(), std::time::Duration::from_secs(900)).verify(renewed_access).unwrap();
    assert_eq!(claims.role, Role::Supervisor);
    assert_eq!(app.get("/me", renewed_access).await.body["role"], "supervisor");
    // Other changes (contact data) end nothing.
    assert_eq!(app.patch(&format!("/users/{id}"), &admin, json!({"phone": "3001234567"})).await.status, 200);
    assert_eq!(app.get("/me", renewed_access).await.status, 200);
}

#[tokio::test]
async fn deactivated_tokens_stay_dead_after_reactivation() {
    let app = spawn_app().await;
    let (access, _) = logged_in(&app).await;
    let admin = app.admin().await;
    let id = user_id(&app, &access).await;
    assert_eq!(app.call(reqwest::Method::DELETE, &format!("/users/{id}"), Some(&admin), None).await.status, 204);
    assert_eq!(app.patch(&format!("/users/{id}"), &admin, json!({"active": true})).await.status, 200);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");

    // The same through PATCH active=false.
    let access = app.token("ana.torres", "Buena.Clave2026").await;
    assert_eq!(app.patch(&format!("/users/{id}"), &admin, json!({"active": false})).await.status, 200);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
    assert_eq!(app.patch(&format!("/users/{id}"), &admin, json!({"active": true})).await.status, 200);
    app.get("/me", &access).await.assert_problem(401, "invalid_token");
}
