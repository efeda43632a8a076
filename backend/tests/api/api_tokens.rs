//! API tokens: lifecycle, who may mint and see them, every operation's scope, rate limits.
use std::collections::HashMap;

use mesa::api_tokens::scopes::SCOPES;
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::{spawn_app, spawn_app_with, Reply, TestApp};

async fn mint(app: &TestApp, login: &str, body: Value) -> Reply {
    app.post("/api-tokens", Some(login), body).await
}

/// A token acting as the caller with these scopes.
async fn token_with(app: &TestApp, login: &str, scopes: &[&str]) -> (String, String) {
    let r = mint(app, login, json!({"name": "integración", "scopes": scopes})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    (r.body["token"].as_str().unwrap().to_owned(), r.body["api_token"]["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_token_is_shown_once_listed_by_prefix_and_revoked_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = mint(&app, &admin, json!({"name": "Gestión documental", "scopes": ["tickets:read", "tickets:read", "profile:read"]})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let token = r.body["token"].as_str().unwrap().to_owned();
    let id = r.body["api_token"]["id"].as_str().unwrap().to_owned();
    assert!(token.starts_with("mesa_") && token.len() == 48, "{token}");
    assert_eq!(r.body["api_token"]["scopes"], json!(["tickets:read", "profile:read"]), "deduplicated");
    assert_eq!(r.body["api_token"]["prefix"].as_str().unwrap(), &token[..12]);

    let list = app.get("/api-tokens", &admin).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
    assert!(!list.body.to_string().contains(&token), "the secret is never listed");
    assert!(list.body["items"][0].get("token").is_none());
    assert!(!app.get(&format!("/api-tokens/{id}"), &admin).await.body.to_string().contains(&token));

    // Only the hash is stored.
    {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        use mesa::db::schema::api_tokens;
        let mut conn = app.pool.get().await.unwrap();
        let hash: Vec<u8> = api_tokens::table.select(api_tokens::token_hash).first(&mut conn).await.unwrap();
        assert_eq!(hash, mesa::api_tokens::hash(&token));
    }

    let me = app.get("/me", &token).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["username"], "admin");
    assert_eq!(app.get("/tickets", &token).await.status, 200);
    let seen = app.get(&format!("/api-tokens/{id}"), &admin).await;
    assert!(seen.body["last_used_at"].is_string(), "{}", seen.body);
    assert_eq!(seen.body["last_used_address"], "127.0.0.1");

    let revoked = app.call(Method::DELETE, &format!("/api-tokens/{id}"), Some(&admin), None).await;
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    app.get("/me", &token).await.assert_problem(401, "invalid_token");
    app.get("/tickets", &token).await.assert_problem(401, "invalid_token");
    assert!(app.get(&format!("/api-tokens/{id}"), &admin).await.body["revoked_at"].is_string());
    // Revoking again changes nothing.
    assert_eq!(app.call(Method::DELETE, &format!("/api-tokens/{id}"), Some(&admin), None).await.status, 204);
}

#[tokio::test]
async fn expired_foreign_network_deactivated_and_forged_tokens_are_refused() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use mesa::db::schema::{api_tokens, users};
    let app = spawn_app().await;
    let admin = app.admin().await;

    let (expiring, id) = token_with(&app, &admin, &["profile:read"]).await;
    assert_eq!(app.get("/me", &expiring).await.status, 200);
    let mut conn = app.pool.get().await.unwrap();
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    diesel::update(api_tokens::table.find(uuid::Uuid::parse_str(&id).unwrap())).set(api_tokens::expires_at.eq(Some(past))).execute(&mut conn).await.unwrap();
    app.get("/me", &expiring).await.assert_problem(401, "invalid_token");

    let elsewhere = mint(&app, &admin, json!({"name": "red", "scopes": ["profile:read"], "allowed_networks": ["10.9.0.0/16", "192.168.4.4"]})).await;
    assert_eq!(elsewhere.body["api_token"]["allowed_networks"], json!(["10.9.0.0/16", "192.168.4.4/32"]));
    app.get("/me", elsewhere.body["token"].as_str().unwrap()).await.assert_problem(401, "invalid_token");
    let here = mint(&app, &admin, json!({"name": "local", "scopes": ["profile:read"], "allowed_networks": ["127.0.0.0/8"]})).await;
    assert_eq!(app.get("/me", here.body["token"].as_str().unwrap()).await.status, 200);
    // A forged X-Forwarded-For is not believed unless the proxy is trusted.
    let spoofed = app.call_with(Method::GET, "/me", elsewhere.body["token"].as_str(), None, &[("X-Forwarded-For", "10.9.1.1")]).await;
    spoofed.assert_problem(401, "invalid_token");

    let agent_id = app.create_local_user("svc.gestion", "Clave.Servicio2026", Role::Agent).await;
    let r = mint(&app, &admin, json!({"name": "de servicio", "scopes": ["tickets:read"], "user_id": agent_id})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["api_token"]["user_id"], agent_id.to_string());
    // Lists name the user a token acts as, so an admin need not look each one up.
    let agent_name = app.get(&format!("/users/{agent_id}"), &admin).await.body["display_name"].clone();
    assert!(agent_name.is_string());
    assert_eq!(r.body["api_token"]["user_name"], agent_name);
    let listed = app.get(&format!("/api-tokens?user_id={agent_id}"), &admin).await.body["items"].clone();
    assert_eq!((listed.as_array().unwrap().len(), listed[0]["user_name"].clone()), (1, agent_name.clone()));
    let token_id = r.body["api_token"]["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&format!("/api-tokens/{token_id}"), &admin).await.body["user_name"], agent_name);
    let service = r.body["token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/tickets", &service).await.status, 200);
    diesel::update(users::table.find(agent_id)).set(users::active.eq(false)).execute(&mut conn).await.unwrap();
    app.get("/tickets", &service).await.assert_problem(401, "invalid_token");

    for forged in ["mesa_", "mesa_AAAA", &format!("mesa_{}", "A".repeat(43)), &format!("{}x", &service[..47])] {
        let r = app.get("/me", forged).await;
        assert_eq!(r.status, 401, "{forged}: {}", r.body);
    }
}

#[tokio::test]
async fn every_field_is_checked() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let cases = [
        (json!({"name": "x", "scopes": ["tickets:delete"]}), "scopes"),
        (json!({"name": "x", "scopes": []}), "scopes"),
        (json!({"name": "x", "scopes": ["tickets:read\u{0}"]}), "scopes.0"),
        (json!({"name": "x", "scopes": ["tickets:read"], "allowed_networks": ["10.0.0.0/33"]}), "allowed_networks.0"),
        (json!({"name": "x", "scopes": ["tickets:read"], "allowed_networks": ["10.0.0.0/8", "intranet"]}), "allowed_networks.1"),
        (json!({"name": "x", "scopes": ["tickets:read"], "allowed_networks": vec!["10.0.0.1"; 51]}), "allowed_networks"),
        (json!({"name": "x", "scopes": ["tickets:read"], "expires_at": "2020-01-01T00:00:00Z"}), "expires_at"),
        (json!({"name": "a\u{0}b", "scopes": ["tickets:read"]}), "name"),
        (json!({"name": "n".repeat(101), "scopes": ["tickets:read"]}), "name"),
        (json!({"name": "   ", "scopes": ["tickets:read"]}), "name"),
        (json!({"name": "x", "scopes": ["tickets:read"], "user_id": uuid::Uuid::now_v7()}), "user_id"),
    ];
    for (body, field) in cases {
        let r = mint(&app, &admin, body.clone()).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.error_fields().contains(&field.to_owned()), "{body}: {}", r.body);
    }
    let r = mint(&app, &admin, json!({"name": "x", "scopes": ["tickets:read"], "expires_at": "99999-01-01T00:00:00Z"})).await;
    assert!(r.status == 400 || r.status == 422, "{}", r.body);
    assert_eq!(app.get("/api-tokens", &admin).await.body["items"], json!([]), "nothing half-written");
}

#[tokio::test]
async fn people_mint_only_what_their_role_allows_and_see_only_their_own() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (admin_token_secret, admin_token) = token_with(&app, &admin, &["admin"]).await;
    let requester_id = app.create_local_user("pedro.perez", "Clave.Pedro2026", Role::Requester).await;
    let requester = app.token("pedro.perez", "Clave.Pedro2026").await;

    for scope in ["admin", "reports:read", "catalog:write"] {
        let r = mint(&app, &requester, json!({"name": "x", "scopes": ["tickets:read", scope]})).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), ["scopes"], "{scope}");
    }
    // Nor for an admin on a requester's behalf.
    mint(&app, &admin, json!({"name": "x", "scopes": ["admin"], "user_id": requester_id})).await.assert_problem(422, "validation_failed");
    let admin_id = app.get("/me", &admin).await.body["id"].as_str().unwrap().to_owned();
    mint(&app, &requester, json!({"name": "x", "scopes": ["tickets:read"], "user_id": admin_id})).await.assert_problem(403, "forbidden");

    let (_, own) = token_with(&app, &requester, &["tickets:read", "tickets:write"]).await;
    let list = app.get("/api-tokens", &requester).await;
    assert_eq!(list.body["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect::<Vec<_>>(), [own.as_str()]);
    let asked_for_admins = app.get(&format!("/api-tokens?user_id={admin_id}"), &requester).await;
    assert_eq!(asked_for_admins.body["items"], json!([]));
    app.get(&format!("/api-tokens/{admin_token}"), &requester).await.assert_problem(404, "not_found");
    app.call(Method::DELETE, &format!("/api-tokens/{admin_token}"), Some(&requester), None).await.assert_problem(404, "not_found");
    app.get(&format!("/api-tokens/{}", uuid::Uuid::now_v7()), &requester).await.assert_problem(404, "not_found");
    app.get("/api-tokens/not-a-uuid", &requester).await.assert_problem(404, "not_found");
    assert_eq!(app.get("/me", &admin_token_secret).await.status, 403, "the admin token lacks profile:read");

    // Admins see everyone's, or one user's.
    assert_eq!(app.get("/api-tokens", &admin).await.body["items"].as_array().unwrap().len(), 2);
    let theirs = app.get(&format!("/api-tokens?user_id={requester_id}"), &admin).await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.get(&format!("/api-tokens/{own}"), &admin).await.status, 200);
}

/// What `GET /api-tokens/scopes` offers is exactly what minting accepts, for each role.
#[tokio::test]
async fn the_scopes_offered_are_the_ones_a_token_may_get() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.create_local_user("pedro.perez", "Clave.Pedro2026", Role::Requester).await;
    app.create_local_user("ana.agente", "Clave.Ana2026", Role::Agent).await;
    app.create_local_user("sara.supervisora", "Clave.Sara2026", Role::Supervisor).await;
    let people = [
        (admin, SCOPES.len()),
        (app.token("sara.supervisora", "Clave.Sara2026").await, SCOPES.len() - 1),
        (app.token("ana.agente", "Clave.Ana2026").await, SCOPES.len() - 3),
        (app.token("pedro.perez", "Clave.Pedro2026").await, SCOPES.len() - 4),
    ];
    for (token, expected) in people {
        let offered = app.get("/api-tokens/scopes", &token).await;
        assert_eq!(offered.status, 200, "{}", offered.body);
        let items = offered.body["items"].as_array().unwrap();
        assert_eq!(items.iter().map(|i| i["scope"].as_str().unwrap()).collect::<Vec<_>>(), SCOPES);
        assert_eq!(items.iter().filter(|i| i["grantable"] == true).count(), expected, "{}", offered.body);
        for item in items {
            let r = mint(&app, &token, json!({"name": "x", "scopes": [item["scope"]]})).await;
            assert_eq!(r.status == 201, item["grantable"] == true, "{item}: {}", r.body);
        }
    }
    app.call(Method::GET, "/api-tokens/scopes", None, None).await.assert_problem(401, "invalid_token");
}

#[tokio::test]
async fn an_api_token_mints_no_tokens_of_either_kind() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (token, _) = token_with(&app, &admin, &["admin", "profile:read"]).await;
    mint(&app, &token, json!({"name": "x", "scopes": ["admin"]})).await.assert_problem(403, "forbidden");
    assert_eq!(app.get("/api-tokens", &token).await.status, 200, "listing is an admin-scoped read");
    app.post("/auth/refresh", None, json!({"refresh_token": token})).await.assert_problem(401, "invalid_refresh_token");
    // A token on a public operation changes nothing there.
    assert_eq!(app.call(Method::GET, "/health", Some(&token), None).await.status, 200);
}

/// A syntactically valid value for a path parameter.
fn path_value(param: &Value) -> String {
    let schema = &param["schema"];
    if schema["format"] == "uuid" {
        uuid::Uuid::now_v7().to_string()
    } else if schema["type"] == "integer" {
        "1".into()
    } else {
        "x".into()
    }
}

#[tokio::test]
async fn every_operation_refuses_a_token_without_its_scope() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let spec: Value = app.client.get(format!("{}/api/openapi.json", app.base)).send().await.unwrap().json().await.unwrap();
    // For each scope, a token holding every other one.
    let mut lacking: HashMap<&str, String> = HashMap::new();
    for scope in SCOPES {
        let others: Vec<&str> = SCOPES.iter().copied().filter(|s| s != scope).collect();
        lacking.insert(scope, token_with(&app, &admin, &others).await.0);
    }
    let mut walked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(scope) = op["security"].as_array().unwrap().iter().find_map(|r| r["api_token"][0].as_str()) else {
                assert_eq!(op["security"], json!([]), "{method} {path} is neither public nor scoped");
                continue;
            };
            let mut url = path.trim_start_matches("/api/v1").to_owned();
            for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
                url = url.replace(&format!("{{{}}}", p["name"].as_str().unwrap()), &path_value(p));
            }
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            // A body that validates nowhere: the scope must be checked first.
            let body = (m != Method::GET && m != Method::DELETE).then(|| json!({"no such field": "\u{0}"}));
            let r = app.call(m, &url, Some(&lacking[scope]), body).await;
            r.assert_problem(403, "insufficient_scope");
            assert!(r.body["detail"].as_str().unwrap().contains(scope), "{method} {path}: {}", r.body);
            assert_eq!(r.headers["www-authenticate"], format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\""));
            walked += 1;
        }
    }
    assert!(walked > 120, "walked only {walked} operations");

    // With the scope, the same token kind gets through (the admin's role allows everything).
    let cases: [(&str, Method, &str, Option<Value>, u16); 7] = [
        ("tickets:read", Method::GET, "/tickets?view=all", None, 200),
        ("catalog:read", Method::GET, "/desks", None, 200),
        ("profile:read", Method::GET, "/me", None, 200),
        ("profile:write", Method::PATCH, "/me", Some(json!({"phone": "601 3000000"})), 200),
        ("users:read", Method::GET, "/users", None, 200),
        ("admin", Method::GET, "/jobs", None, 200),
        ("reports:read", Method::GET, "/reports/summary", None, 200),
    ];
    for (scope, m, url, body, status) in cases {
        let (token, _) = token_with(&app, &admin, &[scope]).await;
        let r = app.call(m, url, Some(&token), body).await;
        assert_eq!(r.status, status, "{scope} {url}: {}", r.body);
    }
}

#[tokio::test]
async fn the_surplus_of_parallel_requests_per_token_gets_429() {
    let app = spawn_app_with(|c| c.rate_limit_per_token = 5).await;
    let admin = app.admin().await;
    let (token, _) = token_with(&app, &admin, &["profile:read"]).await;
    let replies = futures_util::future::join_all((0..6).map(|_| app.get("/me", &token))).await;
    let refused: Vec<&Reply> = replies.iter().filter(|r| r.status == 429).collect();
    assert_eq!(refused.len(), 1, "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(replies.iter().filter(|r| r.status == 200).count(), 5);
    let r = refused[0];
    r.assert_problem(429, "rate_limited");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry), "{retry}");
    assert_eq!(r.headers["ratelimit-limit"], "5");
    assert_eq!(r.headers["ratelimit-remaining"], "0");
    assert_eq!(r.headers["ratelimit-policy"], "5;w=60");
    let mut remaining: Vec<u32> = replies.iter().filter(|r| r.status == 200).map(|r| r.headers["ratelimit-remaining"].to_str().unwrap().parse().unwrap()).collect();
    remaining.sort();
    assert_eq!(remaining, [0, 1, 2, 3, 4]);
    // Another token (here a login token) is unaffected.
    // Refusals of inner layers carry the fields too.
    let refused_token = app.get("/me", &format!("mesa_{}", "A".repeat(43))).await;
    refused_token.assert_problem(401, "invalid_token");
    assert_eq!(refused_token.headers["ratelimit-remaining"], "4");
    let other = app.get("/me", &admin).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.headers["ratelimit-remaining"], "3", "the admin's login token made two requests");
}

#[tokio::test]
async fn the_surplus_per_address_gets_429_also_without_a_token() {
    let app = spawn_app_with(|c| {
        c.rate_limit_per_address = 4;
        c.trust_forwarded_for = true;
    })
    .await;
    let from = |ip: &'static str| {
        let app = &app;
        async move { app.call_with(Method::GET, "/health", None, None, &[("X-Forwarded-For", ip)]).await }
    };
    let replies = futures_util::future::join_all((0..5).map(|_| from("10.0.0.7"))).await;
    assert_eq!(replies.iter().filter(|r| r.status == 429).count(), 1);
    let refused = replies.iter().find(|r| r.status == 429).unwrap();
    refused.assert_problem(429, "rate_limited");
    assert!(refused.headers.contains_key("retry-after") && refused.headers.contains_key("ratelimit-reset"));
    let elsewhere = from("10.0.0.8").await;
    assert_eq!(elsewhere.status, 200);
    assert_eq!(elsewhere.headers["ratelimit-remaining"], "3");
    // Outside the API (the SPA, the docs) nothing is counted.
    let docs = app.client.get(format!("{}/api/openapi.json", app.base)).header("X-Forwarded-For", "10.0.0.7").send().await.unwrap();
    assert_eq!(docs.status(), 200);
}
