//! Bad input always gets problem+json naming the fault, never a 500; the envelope is hardened.
use reqwest::Method;

use crate::support::app::spawn_app;

#[tokio::test]
async fn malformed_bodies_are_problems() {
    let app = spawn_app().await;
    let send = |body: &'static str, ct: &'static str| app.client.post(app.url("/auth/login")).header("content-type", ct).body(body).send();
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

/// A NUL character cannot be stored in Postgres text: every place text enters refuses it as 422
/// naming the field, and nothing is written.
#[tokio::test]
async fn nul_characters_are_refused_naming_the_field() {
    let d = crate::tickets::desk().await;
    let app = &d.app;
    let case = d.open(&d.lucia, "Impresora sin tóner").await;
    let n = case["number"].as_i64().unwrap();
    let nul = "antes\u{0}después";

    let r = app.post("/auth/login", None, serde_json::json!({"username": nul, "password": "x"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["username"]);

    for (field, body) in [
        ("subject", serde_json::json!({"service_id": d.service, "subject": nul, "description": "d", "fields": {"placa_equipo": "PC-1"}})),
        ("description", serde_json::json!({"service_id": d.service, "subject": "s", "description": nul, "fields": {"placa_equipo": "PC-1"}})),
        ("fields.placa_equipo", serde_json::json!({"service_id": d.service, "subject": "s", "description": "d", "fields": {"placa_equipo": nul}})),
    ] {
        let r = app.post("/tickets", Some(&d.lucia), body).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field]);
    }
    let r = app.post(&format!("/tickets/{n}/followups"), Some(&d.lucia), serde_json::json!({"body": nul, "visibility": "public"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["body"]);
    d.ok(&d.agent_n1, n, "take", serde_json::json!({})).await;
    let r = d.act(&d.agent_n1, n, "resolve", serde_json::json!({"solution": nul})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["solution"]);

    let me = app.get("/me", &d.agent_n1).await.body;
    let r = app
        .call(Method::PUT, &format!("/users/{}/availability", me["id"].as_str().unwrap()), Some(&d.agent_n1), Some(serde_json::json!({"absent_until": null, "note": nul})))
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["note"]);

    let r = app.get("/tickets?q=impresora%00", &d.agent_n1).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["q"]);

    // Nothing was written: one case, no follow-up, still in progress.
    let page = app.get("/tickets", &d.admin).await.body;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let case = app.get(&format!("/tickets/{n}"), &d.admin).await.body;
    assert_ne!(case["status"], "resolved");
    assert_eq!(app.get(&format!("/tickets/{n}/followups"), &d.admin).await.body.as_array().map(Vec::len), Some(0));
}

/// `{…}xx` is not a JSON body: nothing is created from it.
#[tokio::test]
async fn trailing_bytes_after_a_json_body_are_refused() {
    let d = crate::tickets::desk().await;
    let body = serde_json::json!({"service_id": d.service, "subject": "s", "description": "d", "fields": {"placa_equipo": "PC-1"}}).to_string();
    let send = |text: String| d.app.client.post(d.app.url("/tickets")).bearer_auth(&d.lucia).header("content-type", "application/json").body(text).send();
    for tail in ["xx", "{}", " ,"] {
        let r = send(format!("{body}{tail}")).await.unwrap();
        assert_eq!(r.status(), 400, "{tail:?}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    }
    let r = send(format!("{body} \n")).await.unwrap();
    assert_eq!(r.status(), 201, "trailing whitespace is fine");
    assert_eq!(d.app.get("/tickets", &d.admin).await.body["items"].as_array().unwrap().len(), 1);
}

/// A method a path does not answer is 405 with `Allow`; a path no route has stays 404; error
/// answers made outside the handlers (here by the CORS middleware) are problem+json too.
#[tokio::test]
async fn unsupported_methods_are_405_and_framework_errors_problems() {
    let app = crate::support::app::spawn_app_with(|c| c.cors_origins = vec!["http://localhost:5173".into()]).await;
    let admin = app.admin().await;
    for (method, path, allow) in [
        (Method::TRACE, "/tickets", "GET, POST"),
        (Method::DELETE, "/tickets/1", "GET, PATCH"),
        (Method::PUT, "/auth/login", "POST"),
        (Method::from_bytes(b"PROPFIND").unwrap(), "/users", "GET, POST"),
    ] {
        let r = app.call(method.clone(), path, Some(&admin), None).await;
        r.assert_problem(405, "method_not_allowed");
        assert_eq!(r.headers["allow"], allow, "{method} {path}");
    }
    app.call(Method::TRACE, "/no-such-thing", Some(&admin), None).await.assert_problem(404, "not_found");

    // A CORS preflight for a method the API never allows is refused by the CORS middleware.
    let r =
        app.client.request(Method::OPTIONS, app.url("/tickets")).header("origin", "http://localhost:5173").header("access-control-request-method", "TRACE").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], 400);
    assert_eq!(body["code"], "bad_request");
}
