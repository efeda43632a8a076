//! Desks, support groups and catalog trees through the API.
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::{spawn_app, TestApp};

struct Fixture {
    app: TestApp,
    admin: String,
    desk: String,
    n1: String,
    n1_hacienda: String,
    n2: String,
    hacienda: String,
    educacion: String,
    coordinacion: String,
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let hacienda = id(&app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Hacienda"})).await.body);
    let educacion = id(&app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Educación"})).await.body);
    let coordinacion = id(&app.post("/areas", Some(&admin), json!({"organization_id": hacienda, "name": "Coordinación de Tesorería"})).await.body);
    let desk = app.post("/desks", Some(&admin), json!({"code": "TIC", "name": "Tecnologías de la Información"})).await;
    assert_eq!(desk.status, 201, "{}", desk.body);
    let desk = id(&desk.body);
    let group = |name: &'static str, level: i16| {
        let app = &app;
        let admin = &admin;
        let desk = &desk;
        async move { id(&app.post("/groups", Some(admin), json!({"desk_id": desk, "name": name, "level": level})).await.body) }
    };
    let n1 = group("Mesa de servicios - Nivel 1", 1).await;
    let n1_hacienda = group("CTO Hacienda - Nivel 1", 1).await;
    let n2 = group("Especialistas - Nivel 2", 2).await;
    Fixture { app, admin, desk, n1, n1_hacienda, n2, hacienda, educacion, coordinacion }
}

impl Fixture {
    async fn node(&self, body: Value) -> Value {
        let r = self.app.post(&format!("/desks/{}/catalog/nodes", self.desk), Some(&self.admin), body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.body
    }

    async fn category(&self, parent: Option<&str>, name: &str) -> String {
        id(&self.node(json!({"parent_id": parent, "kind": "category", "name": name})).await)
    }

    async fn service(&self, parent: &str, name: &str, service: Value) -> String {
        id(&self.node(json!({"parent_id": parent, "kind": "service", "name": name, "service": service})).await)
    }

    async fn tree(&self, token: &str) -> Value {
        let r = self.app.get(&format!("/desks/{}/catalog", self.desk), token).await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.body["nodes"].clone()
    }

    /// TIC > Soporte Técnico CTO > Soporte virtual o en sitio (routed by organization);
    /// TIC > Accesos > VPN (coordinators only, form + attachment).
    async fn sample(&self) -> (String, String, String, String, String) {
        let tic = self.category(None, "TIC").await;
        let cto = self.category(Some(&tic), "Soporte Técnico CTO").await;
        let soporte = self
            .service(
                &cto,
                "Soporte virtual o en sitio",
                json!({
                    "default_type": "incident", "responsible_group_id": self.n1,
                    "routes": [{"organization_id": self.hacienda, "group_id": self.n1_hacienda}],
                    "promised_resolution": "2 horas y media", "resolution_minutes": 150,
                    "form_fields": [{"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo", "en": "Asset tag"}, "required": false}]
                }),
            )
            .await;
        let accesos = self.category(Some(&tic), "Accesos").await;
        let vpn = self
            .service(
                &accesos,
                "Acceso remoto (VPN)",
                json!({
                    "audience": {"everyone": false, "area_ids": [self.coordinacion]},
                    "responsible_group_id": self.n2,
                    "required_attachments": [{"key": "formato_vpn", "label": {"es": "Formato de solicitud de VPN firmado"}}]
                }),
            )
            .await;
        (tic, cto, soporte, accesos, vpn)
    }
}

fn names(nodes: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for n in nodes.as_array().unwrap() {
        out.push(n["name"].as_str().unwrap().to_owned());
        out.extend(names(&n["children"]));
    }
    out
}

async fn requester(app: &TestApp, username: &str, org: Option<&str>, area: Option<&str>) -> String {
    let uid = app.create_local_user(username, "Buena.Clave2026", Role::Requester).await;
    let admin = app.token("admin", crate::support::app::ADMIN_PASSWORD).await;
    let r = app.patch(&format!("/users/{uid}"), &admin, json!({"organization_id": org, "area_id": area})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    app.token(username, "Buena.Clave2026").await
}

#[tokio::test]
async fn tree_is_nested_in_order_with_service_details() {
    let f = fixture().await;
    let (tic, _, soporte, ..) = f.sample().await;
    // Insert a category first among TIC's children.
    f.node(json!({"parent_id": tic, "kind": "category", "name": "Anuncios", "position": 0})).await;
    let tree = f.tree(&f.admin).await;
    assert_eq!(names(&tree), ["TIC", "Anuncios", "Soporte Técnico CTO", "Soporte virtual o en sitio", "Accesos", "Acceso remoto (VPN)"]);
    let service = &tree[0]["children"][1]["children"][0];
    assert_eq!(service["id"], soporte);
    assert_eq!(service["code"], "soporte-virtual-o-en-sitio");
    assert_eq!(service["service"]["default_type"], "incident");
    assert_eq!(service["service"]["resolution_minutes"], 150);
    assert_eq!(service["service"]["routes"][0]["group_id"], f.n1_hacienda);
    assert_eq!(service["service"]["form_fields"][0]["label"]["es"], "Placa del equipo");
    let positions: Vec<i64> = tree[0]["children"].as_array().unwrap().iter().map(|n| n["position"].as_i64().unwrap()).collect();
    assert_eq!(positions, [0, 1, 2]);
}

#[tokio::test]
async fn visibility_follows_role_area_and_organization() {
    let f = fixture().await;
    f.sample().await;
    let plain = requester(&f.app, "lucia.martinez", Some(&f.hacienda), None).await;
    let coordinator = requester(&f.app, "coordinadora", Some(&f.hacienda), Some(&f.coordinacion)).await;
    assert_eq!(names(&f.tree(&plain).await), ["TIC", "Soporte Técnico CTO", "Soporte virtual o en sitio"], "no VPN, no empty Accesos");
    assert_eq!(names(&f.tree(&coordinator).await).len(), 5);
    f.app.create_local_user("agente", "Buena.Clave2026", Role::Agent).await;
    let agent = f.app.token("agente", "Buena.Clave2026").await;
    assert_eq!(names(&f.tree(&agent).await).len(), 5);

    // A requester cannot open a service they may not request, even by id.
    let tree = f.tree(&f.admin).await;
    let vpn = tree[0]["children"][1]["children"][0]["id"].as_str().unwrap();
    f.app.get(&format!("/catalog/nodes/{vpn}"), &plain).await.assert_problem(404, "not_found");
    assert_eq!(f.app.get(&format!("/catalog/nodes/{vpn}"), &coordinator).await.status, 200);

    // Deactivated nodes disappear for requesters; staff may ask for them.
    let soporte = tree[0]["children"][0]["children"][0]["id"].as_str().unwrap();
    let r = f.app.patch(&format!("/catalog/nodes/{soporte}"), &f.admin, json!({"active": false})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(f.tree(&plain).await, json!([]));
    let all = f.app.get(&format!("/desks/{}/catalog?include_inactive=true", f.desk), &f.admin).await;
    assert_eq!(names(&all.body["nodes"]).len(), 5);

    // A desk limited to Educación is invisible to Hacienda's requesters.
    let r = f.app.patch(&format!("/desks/{}", f.desk), &f.admin, json!({"organization_ids": [f.educacion]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    f.app.get(&format!("/desks/{}/catalog", f.desk), &plain).await.assert_problem(404, "not_found");
    let desks = f.app.get("/desks", &plain).await;
    assert_eq!(desks.body, json!([]));
    assert_eq!(f.app.get("/desks", &agent).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn moves_reorder_and_cycles_are_refused() {
    let f = fixture().await;
    let (tic, cto, soporte, accesos, vpn) = f.sample().await;
    let mv = |node: String, body: Value| {
        let app = &f.app;
        let admin = &f.admin;
        async move { app.post(&format!("/catalog/nodes/{node}/move"), Some(admin), body).await }
    };
    // Under itself, under its grandchild category.
    mv(tic.clone(), json!({"parent_id": tic})).await.assert_problem(409, "cycle");
    mv(tic.clone(), json!({"parent_id": cto})).await.assert_problem(409, "cycle");
    // Under a service.
    let r = mv(accesos.clone(), json!({"parent_id": soporte})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["parent_id"]);
    // Nothing moved.
    assert_eq!(names(&f.tree(&f.admin).await), ["TIC", "Soporte Técnico CTO", "Soporte virtual o en sitio", "Accesos", "Acceso remoto (VPN)"]);

    // Re-parent VPN first under CTO; move Accesos to the top level, first.
    assert_eq!(mv(vpn.clone(), json!({"parent_id": cto, "position": 0})).await.status, 200);
    let r = mv(accesos.clone(), json!({"parent_id": null, "position": 0})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["parent_id"], Value::Null);
    assert_eq!(names(&f.tree(&f.admin).await), ["Accesos", "TIC", "Soporte Técnico CTO", "Acceso remoto (VPN)", "Soporte virtual o en sitio"]);
}

#[tokio::test]
async fn unused_nodes_are_deleted_with_their_subtree() {
    let f = fixture().await;
    let (_, _, _, accesos, vpn) = f.sample().await;
    let r = f.app.call(Method::DELETE, &format!("/catalog/nodes/{accesos}"), Some(&f.admin), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["outcome"], "deleted");
    assert_eq!(r.body["node_ids"].as_array().unwrap().len(), 2);
    f.app.get(&format!("/catalog/nodes/{vpn}"), &f.admin).await.assert_problem(404, "not_found");
}

#[tokio::test]
async fn bad_service_definitions_are_refused_field_by_field() {
    let f = fixture().await;
    let tic = f.category(None, "TIC").await;
    let other_desk = id(&f.app.post("/desks", Some(&f.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body);
    let foreign_group = id(&f.app.post("/groups", Some(&f.admin), json!({"desk_id": other_desk, "name": "Otro", "level": 1})).await.body);
    let r = f
        .app
        .post(
            &format!("/desks/{}/catalog/nodes", f.desk),
            Some(&f.admin),
            json!({
                "parent_id": tic, "kind": "service", "name": "Mal definido",
                "service": {
                    "responsible_group_id": foreign_group,
                    "form_fields": [
                        {"key": "Mal Nombre", "type": "text", "label": {"es": "A"}},
                        {"key": "tipo", "type": "select", "label": {"es": "Tipo"}, "options": []},
                        {"key": "tipo", "type": "number", "label": {"es": ""}}
                    ],
                    "audience": {"everyone": false},
                    "resolution_minutes": 0
                }
            }),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(
        r.error_fields(),
        [
            "service.form_fields.0.key",
            "service.form_fields.1.options",
            "service.form_fields.2.key",
            "service.form_fields.2.label.es",
            "service.resolution_minutes",
            "service.audience",
            "service.responsible_group_id",
        ]
    );
    let r = f.app.post(&format!("/desks/{}/catalog/nodes", f.desk), Some(&f.admin), json!({"kind": "service", "name": "Sin detalles"})).await;
    assert_eq!(r.error_fields(), ["service"]);
    let r = f
        .app
        .post(
            &format!("/desks/{}/catalog/nodes", f.desk),
            Some(&f.admin),
            json!({"kind": "service", "name": "Tipo raro", "service": {"form_fields": [{"key": "a", "type": "color", "label": {"es": "A"}}]}}),
        )
        .await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(names(&f.tree(&f.admin).await), ["TIC"], "nothing was stored");
}

#[tokio::test]
async fn export_import_round_trip_and_bad_import_changes_nothing() {
    let f = fixture().await;
    f.sample().await;
    let export = f.app.get(&format!("/desks/{}/catalog/export", f.desk), &f.admin).await;
    assert_eq!(export.status, 200, "{}", export.body);
    let doc = export.body.clone();
    assert_eq!(doc["format"], "mesa.catalog/v1");
    assert_eq!(doc["nodes"][0]["children"][0]["children"][0]["service"]["routes"][0], json!({"organization": "Secretaría de Hacienda", "group": "CTO Hacienda - Nivel 1"}));

    // Into a fresh desk: groups are created by name, the tree is identical.
    let copy = id(&f.app.post("/desks", Some(&f.admin), json!({"code": "COPIA", "name": "Copia"})).await.body);
    let r = f.app.post(&format!("/desks/{copy}/catalog/import"), Some(&f.admin), doc.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["nodes_created"], 5);
    assert_eq!(r.body["groups_created"], 3);
    let again = f.app.get(&format!("/desks/{copy}/catalog/export"), &f.admin).await.body;
    assert_eq!(again["nodes"], doc["nodes"]);
    assert_eq!(again["groups"], doc["groups"]);

    // Re-importing a changed document updates by code and deactivates what disappeared.
    let mut changed = doc.clone();
    changed["nodes"][0]["children"][0]["name"] = json!("Soporte CTO");
    changed["nodes"][0]["children"].as_array_mut().unwrap().remove(1);
    let r = f.app.post(&format!("/desks/{copy}/catalog/import"), Some(&f.admin), changed).await;
    assert_eq!((r.body["nodes_created"].clone(), r.body["nodes_updated"].clone(), r.body["nodes_deactivated"].clone()), (json!(0), json!(3), json!(2)));

    // A bad document (unknown organization, duplicate code) changes nothing.
    let before = f.app.get(&format!("/desks/{}/catalog/export", f.desk), &f.admin).await.body;
    let mut bad = doc.clone();
    bad["nodes"][0]["name"] = json!("TIC renombrado");
    bad["nodes"][0]["children"][0]["children"][0]["service"]["routes"][0]["organization"] = json!("Secretaría Inexistente");
    let r = f.app.post(&format!("/desks/{}/catalog/import", f.desk), Some(&f.admin), bad).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["nodes.0.children.0.children.0.service.routes.0.organization"]);
    let mut dup = doc.clone();
    dup["nodes"][0]["children"][1]["code"] = json!("tic");
    let r = f.app.post(&format!("/desks/{}/catalog/import", f.desk), Some(&f.admin), dup).await;
    assert_eq!(r.error_fields(), ["nodes.0.children.1.code"]);
    let r = f.app.post(&format!("/desks/{}/catalog/import", f.desk), Some(&f.admin), json!({"format": "mesa.catalog/v1", "nodes": []})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["desk"]);
    assert_eq!(f.app.get(&format!("/desks/{}/catalog/export", f.desk), &f.admin).await.body, before);
}

#[tokio::test]
async fn groups_members_and_availability() {
    let f = fixture().await;
    let agent = f.app.create_local_user("agente.n1", "Buena.Clave2026", Role::Agent).await;
    let requester = f.app.create_local_user("solicitante", "Buena.Clave2026", Role::Requester).await;
    let r = f.app.call(Method::PUT, &format!("/groups/{}/members", f.n1), Some(&f.admin), Some(json!({"user_ids": [agent, requester]}))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["user_ids.1"]);
    let r = f.app.call(Method::PUT, &format!("/groups/{}/members", f.n1), Some(&f.admin), Some(json!({"user_ids": [agent]}))).await;
    assert_eq!(r.body["member_ids"], json!([agent]));
    let listed = f.app.get(&format!("/groups?desk_id={}&level=1", f.desk), &f.admin).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    f.app.post("/groups", Some(&f.admin), json!({"desk_id": f.desk, "name": "mesa de servicios - nivel 1", "level": 1})).await.assert_problem(409, "name_taken");
    f.app.post("/groups", Some(&f.admin), json!({"desk_id": f.desk, "name": "Nivel 4", "level": 4})).await.assert_problem(422, "validation_failed");

    // The agent marks themself absent until Friday.
    let token = f.app.token("agente.n1", "Buena.Clave2026").await;
    let r = f.app.call(Method::PUT, &format!("/users/{agent}/availability"), Some(&token), Some(json!({"absent_until": "2026-11-27T22:00:00Z", "note": "Vacaciones"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["absent_until"], "2026-11-27T22:00:00Z");
    // Not someone else's.
    let other = f.app.create_local_user("agente.dos", "Buena.Clave2026", Role::Agent).await;
    f.app.call(Method::PUT, &format!("/users/{other}/availability"), Some(&token), Some(json!({"absent_until": null}))).await.assert_problem(403, "forbidden");
}

#[tokio::test]
async fn only_managers_change_a_desk() {
    let f = fixture().await;
    let (tic, ..) = f.sample().await;
    let sup = f.app.create_local_user("supervisor.tic", "Buena.Clave2026", Role::Supervisor).await;
    f.app.create_local_user("supervisor.otro", "Buena.Clave2026", Role::Supervisor).await;
    f.app.create_local_user("agente", "Buena.Clave2026", Role::Agent).await;
    let r = f.app.patch(&format!("/desks/{}", f.desk), &f.admin, json!({"supervisor_ids": [sup]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let assigned = f.app.token("supervisor.tic", "Buena.Clave2026").await;
    let unassigned = f.app.token("supervisor.otro", "Buena.Clave2026").await;
    let agent = f.app.token("agente", "Buena.Clave2026").await;
    let plain = requester(&f.app, "lucia", Some(&f.hacienda), None).await;

    let writes: Vec<(Method, String, Value)> = vec![
        (Method::POST, format!("/desks/{}/catalog/nodes", f.desk), json!({"kind": "category", "name": "Nueva"})),
        (Method::PATCH, format!("/catalog/nodes/{tic}"), json!({"name": "TIC 2"})),
        (Method::POST, format!("/catalog/nodes/{tic}/move"), json!({"parent_id": null, "position": 0})),
        (Method::PATCH, format!("/desks/{}", f.desk), json!({"auto_close_hours": 72})),
        (Method::POST, "/groups".into(), json!({"desk_id": f.desk, "name": "Nuevo", "level": 2})),
        (Method::PATCH, format!("/groups/{}", f.n2), json!({"external_provider": true})),
        (Method::PUT, format!("/groups/{}/members", f.n2), json!({"user_ids": []})),
        (Method::GET, format!("/desks/{}/catalog/export", f.desk), Value::Null),
        (Method::POST, format!("/desks/{}/catalog/import", f.desk), json!({"format": "mesa.catalog/v1", "desk": {"code": "TIC", "name": "x"}, "nodes": []})),
        (Method::DELETE, format!("/catalog/nodes/{tic}"), Value::Null),
    ];
    for (method, path, body) in &writes {
        let body = (!body.is_null()).then(|| body.clone());
        for token in [&unassigned, &agent, &plain] {
            f.app.call(method.clone(), path, Some(token), body.clone()).await.assert_problem(403, "forbidden");
        }
    }
    f.app.post("/desks", Some(&assigned), json!({"code": "NUEVA", "name": "Nueva"})).await.assert_problem(403, "forbidden");
    f.app.patch(&format!("/desks/{}", f.desk), &assigned, json!({"supervisor_ids": []})).await.assert_problem(403, "forbidden");
    f.app.get("/groups", &plain).await.assert_problem(403, "forbidden");
    // The assigned supervisor may do all of it.
    for (method, path, body) in &writes[..7] {
        let body = (!body.is_null()).then(|| body.clone());
        let r = f.app.call(method.clone(), path, Some(&assigned), body).await;
        assert!(r.status.is_success(), "{method} {path}: {}", r.body);
    }
}

/// The catalog endpoint answers from one SQL statement whatever the size of the tree.
#[tokio::test]
async fn five_thousand_nodes_in_one_round_trip() {
    use diesel_async::{AsyncConnection, RunQueryDsl};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let f = fixture().await;
    let mut conn = diesel_async::AsyncPgConnection::establish(&f.app.config.database_url).await.unwrap();
    // 50 categories × 99 services + 50 = 5,000 nodes.
    diesel::sql_query(format!(
        "INSERT INTO catalog_nodes (id, desk_id, parent_id, code, kind, name, position)
         SELECT ('00000000-0000-0000-0000-' || lpad(to_hex(c), 12, '0'))::uuid, '{desk}', NULL, 'cat-' || c, 'category', 'Categoría ' || c, c
         FROM generate_series(1, 50) c",
        desk = f.desk
    ))
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query(format!(
        "WITH ins AS (INSERT INTO catalog_nodes (id, desk_id, parent_id, code, kind, name, position)
           SELECT gen_random_uuid(), '{desk}', ('00000000-0000-0000-0000-' || lpad(to_hex(c), 12, '0'))::uuid,
                  'svc-' || c || '-' || s, 'service', 'Servicio ' || c || '.' || s, s
           FROM generate_series(1, 50) c, generate_series(1, 99) s RETURNING id)
         INSERT INTO services (node_id, responsible_group_id) SELECT id, '{group}' FROM ins",
        desk = f.desk,
        group = f.n1
    ))
    .execute(&mut conn)
    .await
    .unwrap();

    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    conn.set_instrumentation(move |event: diesel::connection::InstrumentationEvent<'_>| {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let me = f.app.get("/me", &f.admin).await.body["id"].as_str().unwrap().parse().unwrap();
    let started = std::time::Instant::now();
    let data = mesa::catalog::queries::load_tree(&mut conn, f.desk.parse().unwrap(), me).await.unwrap();
    let load = started.elapsed();
    assert_eq!(AtomicUsize::load(&queries, Ordering::SeqCst), 1);
    assert_eq!(data.nodes.len(), 5000);

    let started = std::time::Instant::now();
    let tree = f.tree(&f.admin).await;
    eprintln!("5,000-node catalog: one query loads it in {load:?}; GET /desks/{{id}}/catalog answers in {:?}", started.elapsed());
    assert_eq!(tree.as_array().unwrap().len(), 50);
    assert_eq!(tree[0]["children"].as_array().unwrap().len(), 99);
}
