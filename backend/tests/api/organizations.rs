use reqwest::Method;
use serde_json::json;

use crate::support::app::spawn_app;

#[tokio::test]
async fn organizations_areas_and_locations_crud() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let org = app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Hacienda", "short_name": "SHAC"})).await;
    assert_eq!(org.status, 201, "{}", org.body);
    let org_id = org.body["id"].as_str().unwrap().to_owned();
    // Names are unique regardless of case.
    app.post("/organizations", Some(&admin), json!({"name": "SECRETARÍA DE HACIENDA"})).await.assert_problem(409, "already_exists");

    let area = app.post("/areas", Some(&admin), json!({"organization_id": org_id, "name": "Tesorería"})).await;
    assert_eq!(area.status, 201);
    let area_id = area.body["id"].as_str().unwrap().to_owned();
    let unknown_org = app.post("/areas", Some(&admin), json!({"organization_id": uuid::Uuid::now_v7(), "name": "X"})).await;
    unknown_org.assert_problem(422, "validation_failed");
    assert_eq!(unknown_org.error_fields(), ["organization_id"]);

    let loc = app.post("/locations", Some(&admin), json!({"name": "CAM", "address": "Av. 2 Norte # 10-70", "organization_id": org_id})).await;
    assert_eq!(loc.status, 201);
    let loc_id = loc.body["id"].as_str().unwrap().to_owned();

    // Anyone logged in may read them (the request form needs them).
    app.create_local_user("solicitante", "Buena.Clave2026", mesa::users::domain::Role::Requester).await;
    let requester = app.token("solicitante", "Buena.Clave2026").await;
    let areas = app.get(&format!("/areas?organization_id={org_id}"), &requester).await;
    assert_eq!(areas.body["items"].as_array().unwrap().len(), 1);
    let found = app.get("/organizations?q=hacien", &requester).await;
    assert_eq!(found.body["items"][0]["short_name"], "SHAC");
    assert_eq!(app.get("/locations?q=norte", &requester).await.body["items"][0]["id"], loc_id);

    // Update with If-Match, clear short_name.
    let r = app.call_with(Method::PATCH, &format!("/organizations/{org_id}"), Some(&admin), Some(json!({"short_name": null, "active": false})), &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["short_name"], serde_json::Value::Null);
    assert_eq!(r.body["active"], false);
    let actives = app.get("/organizations?active=true", &admin).await;
    assert!(actives.body["items"].as_array().unwrap().is_empty());
    let r = app.call_with(Method::PATCH, &format!("/areas/{area_id}"), Some(&admin), Some(json!({"name": "Subdirección de Tesorería"})), &[("If-Match", "\"9\"")]).await;
    r.assert_problem(412, "version_mismatch");
    let r = app.patch(&format!("/locations/{loc_id}"), &admin, json!({"address": null, "organization_id": null})).await;
    assert_eq!((r.body["address"].clone(), r.body["organization_id"].clone()), (serde_json::Value::Null, serde_json::Value::Null));

    // An organization still referred to cannot be deleted: deactivate it instead.
    app.call(Method::DELETE, &format!("/organizations/{org_id}"), Some(&admin), None).await.assert_problem(409, "in_use");
    assert_eq!(app.call(Method::DELETE, &format!("/areas/{area_id}"), Some(&admin), None).await.status, 204);
    assert_eq!(app.call(Method::DELETE, &format!("/locations/{loc_id}"), Some(&admin), None).await.status, 204);
    assert_eq!(app.call(Method::DELETE, &format!("/organizations/{org_id}"), Some(&admin), None).await.status, 204);
    app.get(&format!("/organizations/{org_id}"), &admin).await.assert_problem(404, "not_found");
    app.call(Method::DELETE, &format!("/organizations/{org_id}"), Some(&admin), None).await.assert_problem(404, "not_found");
}

#[tokio::test]
async fn organization_pages_follow_names() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for name in ["Secretaría de Salud", "Secretaría de Educación", "Secretaría de Cultura", "Departamento de Planeación", "Secretaría de Movilidad"] {
        assert_eq!(app.post("/organizations", Some(&admin), json!({"name": name})).await.status, 201);
    }
    let first = app.get("/organizations?limit=2", &admin).await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app.get(&format!("/organizations?limit=2&cursor={cursor}"), &admin).await;
    let names: Vec<_> = first.body["items"].as_array().unwrap().iter().chain(second.body["items"].as_array().unwrap()).map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Departamento de Planeación", "Secretaría de Cultura", "Secretaría de Educación", "Secretaría de Movilidad"]);
}
