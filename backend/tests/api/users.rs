use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::json;

use crate::support::app::spawn_app;

#[tokio::test]
async fn admin_creates_lists_updates_and_deactivates_users() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app
        .post(
            "/users",
            Some(&admin),
            json!({"username": "Nuevo.Agente", "display_name": "Nuevo Agente", "password": "Clave.Segura2026", "role": "agent", "email": "nuevo@cali.gov.co"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["username"], "nuevo.agente");
    assert_eq!(r.headers["etag"], "\"1\"");
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!(app.login("nuevo.agente", "Clave.Segura2026").await.status, 200);

    // Duplicate username.
    app.post("/users", Some(&admin), json!({"username": "nuevo.agente", "display_name": "X", "password": "Clave.Segura2026", "role": "agent"}))
        .await
        .assert_problem(409, "username_taken");

    let list = app.get("/users?role=agent", &admin).await;
    assert_eq!(list.status, 200);
    let names: Vec<_> = list.body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["nuevo.agente"]);

    // Optimistic concurrency: a stale If-Match is refused and nothing changes.
    let r = app.call_with(Method::PATCH, &format!("/users/{id}"), Some(&admin), Some(json!({"role": "supervisor"})), &[("If-Match", "\"7\"")]).await;
    r.assert_problem(412, "version_mismatch");
    let r = app.call_with(Method::PATCH, &format!("/users/{id}"), Some(&admin), Some(json!({"role": "supervisor", "phone": "3001234567"})), &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["role"], "supervisor");
    assert_eq!(r.body["version"], 2);
    // Clearing a nullable field with null.
    let r = app.patch(&format!("/users/{id}"), &admin, json!({"phone": null})).await;
    assert_eq!(r.body["phone"], serde_json::Value::Null);
    assert_eq!(r.body["email"], "nuevo@cali.gov.co");

    assert_eq!(app.call(Method::DELETE, &format!("/users/{id}"), Some(&admin), None).await.status, 204);
    assert_eq!(app.get(&format!("/users/{id}"), &admin).await.body["active"], false);
}

#[tokio::test]
async fn validation_names_every_bad_field_and_stores_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app.post("/users", Some(&admin), json!({"username": "a b", "display_name": " ", "password": "corta", "role": "agent", "email": "no-es-correo", "locale": "fr"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["username", "display_name", "email", "locale", "password"]);
    let r = app.post("/users", Some(&admin), json!({"username": "x.y", "display_name": "X", "password": "Clave.Segura2026", "role": "root"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["role"]);
    let r = app
        .post("/users", Some(&admin), json!({"username": "x.y", "display_name": "X", "password": "Clave.Segura2026", "role": "agent", "organization_id": uuid::Uuid::now_v7()}))
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["organization_id"]);
    let list = app.get("/users", &admin).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 1, "only the admin exists");
}

#[tokio::test]
async fn admin_cannot_lock_themself_out() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me = app.get("/me", &admin).await;
    let id = me.body["id"].as_str().unwrap();
    app.patch(&format!("/users/{id}"), &admin, json!({"role": "agent"})).await.assert_problem(409, "own_admin_account");
    app.patch(&format!("/users/{id}"), &admin, json!({"active": false})).await.assert_problem(409, "own_admin_account");
    app.call(Method::DELETE, &format!("/users/{id}"), Some(&admin), None).await.assert_problem(409, "own_admin_account");
}

#[tokio::test]
async fn password_reset_ends_sessions() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = app.create_local_user("ana.torres", "Buena.Clave2026", Role::Agent).await;
    let refresh = app.login("ana.torres", "Buena.Clave2026").await.body["refresh_token"].as_str().unwrap().to_owned();
    let r = app.patch(&format!("/users/{id}"), &admin, json!({"password": "Nueva.Clave2026"})).await;
    assert_eq!(r.status, 200);
    app.post("/auth/refresh", None, json!({"refresh_token": refresh})).await.assert_problem(401, "invalid_refresh_token");
    app.login("ana.torres", "Buena.Clave2026").await.assert_problem(401, "invalid_credentials");
    assert_eq!(app.login("ana.torres", "Nueva.Clave2026").await.status, 200);
}

#[tokio::test]
async fn keyset_pagination_walks_every_user_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for i in 0..7 {
        app.create_local_user(&format!("usuario.{i:02}"), "Buena.Clave2026", Role::Requester).await;
    }
    let mut seen = Vec::new();
    let mut path = "/users?role=requester&limit=3".to_owned();
    loop {
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, 200, "{}", page.body);
        seen.extend(page.body["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/users?role=requester&limit=3&cursor={c}"),
            None => break,
        }
    }
    let expected: Vec<_> = (0..7).map(|i| format!("usuario.{i:02}")).collect();
    assert_eq!(seen, expected);
    app.get("/users?cursor=basura", &admin).await.assert_problem(422, "validation_failed");
    app.get("/users?limit=0", &admin).await.assert_problem(422, "validation_failed");
}

/// Every admin endpoint refuses requesters and agents, and anonymous callers.
#[tokio::test]
async fn role_checks_on_admin_endpoints() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let org = app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Movilidad"})).await;
    let org_id = org.body["id"].as_str().unwrap().to_owned();
    let area = app.post("/areas", Some(&admin), json!({"organization_id": org_id, "name": "Tránsito"})).await;
    let area_id = area.body["id"].as_str().unwrap().to_owned();
    let loc = app.post("/locations", Some(&admin), json!({"name": "Sede Norte"})).await;
    let loc_id = loc.body["id"].as_str().unwrap().to_owned();
    let target = app.create_local_user("objetivo", "Buena.Clave2026", Role::Requester).await;

    app.create_local_user("solicitante", "Buena.Clave2026", Role::Requester).await;
    app.create_local_user("agente", "Buena.Clave2026", Role::Agent).await;
    app.create_local_user("gestor", "Buena.Clave2026", Role::Supervisor).await;
    let requester = app.token("solicitante", "Buena.Clave2026").await;
    let agent = app.token("agente", "Buena.Clave2026").await;
    let supervisor = app.token("gestor", "Buena.Clave2026").await;

    let writes: Vec<(Method, String, serde_json::Value)> = vec![
        (Method::POST, "/users".into(), json!({"username": "z.z", "display_name": "Z", "password": "Clave.Segura2026", "role": "admin"})),
        (Method::PATCH, format!("/users/{target}"), json!({"role": "admin"})),
        (Method::DELETE, format!("/users/{target}"), json!(null)),
        (Method::POST, "/organizations".into(), json!({"name": "Otra"})),
        (Method::PATCH, format!("/organizations/{org_id}"), json!({"name": "Cambio"})),
        (Method::DELETE, format!("/organizations/{org_id}"), json!(null)),
        (Method::POST, "/areas".into(), json!({"organization_id": org_id, "name": "Otra"})),
        (Method::PATCH, format!("/areas/{area_id}"), json!({"name": "Cambio"})),
        (Method::DELETE, format!("/areas/{area_id}"), json!(null)),
        (Method::POST, "/locations".into(), json!({"name": "Otra"})),
        (Method::PATCH, format!("/locations/{loc_id}"), json!({"name": "Cambio"})),
        (Method::DELETE, format!("/locations/{loc_id}"), json!(null)),
    ];
    for (method, path, body) in &writes {
        let body = (!body.is_null()).then(|| body.clone());
        for token in [&requester, &agent, &supervisor] {
            app.call(method.clone(), path, Some(token), body.clone()).await.assert_problem(403, "forbidden");
        }
        app.call(method.clone(), path, None, body.clone()).await.assert_problem(401, "invalid_token");
    }
    // Reading people is for staff (agents look up who is calling); anyone may read their own record.
    app.get("/users", &requester).await.assert_problem(403, "forbidden");
    app.get(&format!("/users/{target}"), &requester).await.assert_problem(403, "forbidden");
    assert_eq!(app.get("/users", &supervisor).await.status, 200);
    assert_eq!(app.get(&format!("/users/{target}"), &agent).await.status, 200);
    let own = app.get("/me", &requester).await.body["id"].as_str().unwrap().to_owned();
    assert_eq!(app.get(&format!("/users/{own}"), &requester).await.status, 200);
    // Nothing changed.
    assert_eq!(app.get(&format!("/organizations/{org_id}"), &requester).await.body["name"], "Secretaría de Movilidad");
    assert_eq!(app.get(&format!("/users/{target}"), &admin).await.body["role"], "requester");
}
