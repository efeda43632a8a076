//! Bad input always gets problem+json naming the fault, never a 500; the envelope is hardened.
use reqwest::Method;

use crate::support::app::spawn_app;

#[tokio::test]
async fn malformed_bodies_are_problems() {
    let app = spawn_app().await;
    let send = |body: &'static str, ct: &'static str| {
        app.client.post(app.url("/auth/login")).header("content-type", ct).body(body).send()
    };
    let r = send("{not json", "application/json").await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert_eq!(body["type"], "/problems/bad_request");

    let r = send("username=x&password=y", "application/x-www-form-urlencoded").await.unwrap();
    assert_eq!(r.status(), 400);

    let r = send(r#"{"username": 5, "password": "x"}"#, "application/json").await.unwrap();
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "username");
    assert_eq!(body["errors"][0]["code"], "invalid_type");

    let r = send(r#"{"username": "x", "password": "y", "admin": true}"#, "application/json").await.unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "admin");
    assert_eq!(body["errors"][0]["code"], "unknown_field");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let huge = format!(r#"{{"username": "x", "password": "{}"}}"#, "a".repeat(300 * 1024));
    let r = app.client.post(app.url("/auth/login")).header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn unknown_routes_ids_and_query_values_are_problems() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.get("/no-such-thing", &admin).await.assert_problem(404, "not_found");
    app.get("/users/not-a-uuid", &admin).await.assert_problem(404, "not_found");
    app.get(&format!("/users/{}", uuid::Uuid::now_v7()), &admin).await.assert_problem(404, "not_found");
    app.get("/users?active=maybe", &admin).await.assert_problem(400, "bad_request");
    app.get("/users?role=root", &admin).await.assert_problem(400, "bad_request");
    let r = app.call_with(Method::PATCH, "/organizations/00000000-0000-0000-0000-000000000000", Some(&admin), Some(serde_json::json!({})), &[("If-Match", "abc")]).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["If-Match"]);
}

#[tokio::test]
async fn security_headers_and_cors() {
    let app = crate::support::app::spawn_app_with(|c| c.cors_origins = vec!["http://localhost:5173".into()]).await;
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));

    let preflight = app
        .client
        .request(Method::OPTIONS, app.url("/auth/login"))
        .header("Origin", "http://localhost:5173")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "http://localhost:5173");

    let foreign = app.client.get(app.url("/health")).header("Origin", "https://evil.example").send().await.unwrap();
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn docs_are_served_without_internet() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.client.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let r = app.client.get(format!("{}/api/docs/", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("swagger"), "{html}");
    assert!(!html.contains("https://"), "docs page must not load from a CDN");
    let js = app.client.get(format!("{}/api/docs/swagger-ui-bundle.js", app.base)).send().await.unwrap();
    assert_eq!(js.status(), 200);
}
