//! `mesa seed --demo`: the seeds' real catalogs, groups with members, routing by organization.
use serde_json::{json, Value};

use crate::support::app::spawn_app;

fn find<'a>(nodes: &'a Value, path: &[&str]) -> &'a Value {
    let (first, rest) = path.split_first().unwrap();
    let node = nodes.as_array().unwrap().iter().find(|n| n["name"] == *first).unwrap_or_else(|| panic!("no '{first}' in {}", nodes));
    if rest.is_empty() {
        node
    } else {
        find(&node["children"], rest)
    }
}

fn count_services(nodes: &Value) -> usize {
    nodes.as_array().unwrap().iter().map(|n| if n["kind"] == "service" { 1 } else { count_services(&n["children"]) }).sum()
}

#[tokio::test]
async fn demo_data_loads_twice_and_has_the_seed_catalogs() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    mesa::seed::demo(&mut conn).await.unwrap();
    // As an older release seeded it: 5 h to attend medium cases, longer than the 2.5 h some services promise.
    let old = r#"{"critical": {"tto_minutes": 60, "ttr_minutes": 240}, "high": {"tto_minutes": 120, "ttr_minutes": 480}, "medium": {"tto_minutes": 300, "ttr_minutes": 1140}, "low": {"tto_minutes": 1080, "ttr_minutes": 1710}}"#;
    use diesel_async::RunQueryDsl;
    diesel::sql_query(format!("UPDATE sla_policies SET targets = '{old}' WHERE name = 'ANS Tecnologías de la Información'")).execute(&mut conn).await.unwrap();
    mesa::seed::demo(&mut conn).await.expect("re-running the demo seed is harmless, and brings its policies up to date");
    drop(conn);

    let admin = app.token("admin", mesa::seed::DEMO_PASSWORD).await;
    let desks = app.get("/desks", &admin).await.body;
    let desk = |code: &str| desks.as_array().unwrap().iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no desk {code}")).clone();
    let tic = desk("TIC");
    let adm = desk("ADM");

    let tree = app.get(&format!("/desks/{}/catalog", tic["id"].as_str().unwrap()), &admin).await.body["nodes"].clone();
    let soporte = find(&tree, &["TIC", "Soporte Técnico CTO", "Soporte virtual o en sitio"]);
    let routes = soporte["service"]["routes"].as_array().unwrap();
    assert!(routes.len() >= 2, "each organism's own first-level team");
    assert_ne!(routes[0]["group_id"], routes[1]["group_id"]);
    assert!(count_services(&find(&tree, &["TIC", "Infraestructura y Soporte TI"])["children"]) >= 16);
    for category in
        ["Accesos", "Asignación/Instalación", "Capacitación", "Configuración", "Gestión de usuarios", "Gestión del directorio activo", "Respaldos", "Reubicaciones/Traslados"]
    {
        assert!(count_services(&find(&tree, &["TIC", "Requerimientos", category])["children"]) >= 1, "{category}");
    }
    for category in ["Hardware", "Software", "Telecomunicaciones", "Seguridad"] {
        assert!(count_services(&find(&tree, &["TIC", "Incidentes", category])["children"]) >= 1, "{category}");
    }

    let tree = app.get(&format!("/desks/{}/catalog", adm["id"].as_str().unwrap()), &admin).await.body["nodes"].clone();
    let inmuebles = find(&tree, &["Mantenimiento inmuebles"]);
    let names: Vec<_> = inmuebles["children"].as_array().unwrap().iter().map(|n| n["name"].as_str().unwrap()).collect();
    for s in ["Baños", "Cielo raso", "Cubierta", "Eléctrico", "Hidráulico", "Iluminación", "Pared", "Piso", "Puerta", "Tanque de agua", "Ventana"] {
        assert!(names.contains(&s), "{s} in {names:?}");
    }
    for s in ["Aseo", "Cafetería", "Fumigación", "Jardinería", "Parqueadero", "Soporte de celular", "Transporte", "Vigilancia"] {
        find(&tree, &["Servicios", s]);
    }

    // Groups at every level, with demo agents in them.
    let groups = app.get(&format!("/groups?desk_id={}", tic["id"].as_str().unwrap()), &admin).await.body;
    for level in 1..=3 {
        assert!(groups.as_array().unwrap().iter().any(|g| g["level"] == level && !g["member_ids"].as_array().unwrap().is_empty()), "level {level}");
    }
    // Demo requesters live in different organizations and log in.
    let lucia = app.login("lucia.martinez", mesa::seed::DEMO_PASSWORD).await.body["user"].clone();
    let pedro = app.login("pedro.suarez", mesa::seed::DEMO_PASSWORD).await.body["user"].clone();
    assert_ne!(lucia["organization_id"], pedro["organization_id"]);

    // "Soporte virtual o en sitio" promises 2.5 h: its cases show 2.5 h to resolve (not the
    // attention target), and incidents get 1 h to attend (seed 001).
    let lucia = app.token("lucia.martinez", mesa::seed::DEMO_PASSWORD).await;
    let opened = app
        .post(
            "/tickets",
            Some(&lucia),
            json!({"service_id": soporte["id"], "subject": "Sin imagen", "description": "El monitor no muestra nada", "fields": {"modalidad": "en_sitio"}}),
        )
        .await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    assert_eq!(opened.body["sla"]["resolution"]["target_minutes"], 150);
    assert_eq!(opened.body["sla"]["resolution_rule"]["source"], "service");
    assert_eq!(opened.body["sla"]["response"]["target_minutes"], 60);
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(conn: &mut diesel_async::AsyncPgConnection, sql: &str) -> i64 {
    use diesel_async::RunQueryDsl;
    diesel::sql_query(sql).get_result::<Count>(conn).await.unwrap().n
}

/// `mesa-bench-seed N`, small: the cases are what the app would have written, and the app
/// goes on from them.
#[tokio::test]
async fn bench_data_is_what_the_app_writes() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    mesa::seed::demo(&mut conn).await.unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_mesa-bench-seed"))
        .args(["3000", "--requesters", "20", "--batch", "1000"])
        .env("DATABASE_URL", &app.config.database_url)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM tickets").await, 3_000);
    assert!(count(&mut conn, "SELECT count(*) AS n FROM tickets WHERE followup_search <> ''").await > 300);
    // The search words as registration and follow-ups keep them.
    let stale = "SELECT count(*) AS n FROM tickets
                 WHERE search <> case_words(subject, description) OR desk_search <> desk_words(desk_id, search || followup_search)";
    assert_eq!(count(&mut conn, stale).await, 0);
    drop(conn);

    let agent = app.token("agente.n1", mesa::seed::DEMO_PASSWORD).await;
    let lucia = app.token("lucia.martinez", mesa::seed::DEMO_PASSWORD).await;
    let found = app.get("/tickets?q=impresora&limit=5", &agent).await.body;
    assert_eq!(found["items"].as_array().unwrap().len(), 5, "{found}");
    let mine = app.get("/tickets?limit=5", &lucia).await.body;
    assert!(!mine["items"].as_array().unwrap().is_empty(), "{mine}");
    // Numbers go on after the loaded ones.
    let admin = app.token("admin", mesa::seed::DEMO_PASSWORD).await;
    let desks = app.get("/desks", &admin).await.body;
    let tic = desks.as_array().unwrap().iter().find(|d| d["code"] == "TIC").unwrap()["id"].as_str().unwrap().to_owned();
    let tree = app.get(&format!("/desks/{tic}/catalog"), &admin).await.body["nodes"].clone();
    let service = find(&tree, &["TIC", "Soporte Técnico CTO", "Soporte virtual o en sitio"])["id"].clone();
    let body = serde_json::json!({"service_id": service, "subject": "Pantalla parpadea", "description": "Desde hoy", "fields": {"modalidad": "virtual"}});
    let r = app.post("/tickets", Some(&lucia), body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["number"].as_i64().unwrap() > 3_000, "{}", r.body);
}
