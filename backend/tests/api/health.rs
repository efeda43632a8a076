use crate::support::app::spawn_app;

#[tokio::test]
async fn health_and_ready() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ok");

    let r = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["migration"], mesa::db::latest_migration_version());
}

#[tokio::test]
async fn not_ready_when_migrations_are_missing() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    use diesel_async::RunQueryDsl;
    diesel::sql_query("DELETE FROM __diesel_schema_migrations").execute(&mut conn).await.unwrap();
    drop(conn);
    let r = app.call(reqwest::Method::GET, "/ready", None, None).await;
    r.assert_problem(503, "migrations_pending");
}

#[tokio::test]
async fn not_ready_when_database_is_unreachable() {
    // A port nobody listens on: the pool cannot connect.
    let app = crate::support::app::spawn_app_with(|_| {}).await;
    let port = crate::support::slapd::free_port();
    let bad = mesa::db::connect(&format!("postgres://postgres@127.0.0.1:{port}/none"), 1);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = mesa::startup::build_server(mesa::state::AppState::new(bad, app.config.clone()).unwrap(), listener).unwrap();
    tokio::spawn(server);
    let r = app.client.get(format!("{base}/api/v1/ready")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "database_unavailable");
    let r = app.client.get(format!("{base}/api/v1/health")).send().await.unwrap();
    assert_eq!(r.status(), 200, "liveness does not depend on the database");
}

#[tokio::test]
async fn the_pool_connects_without_jit_compilation() {
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = diesel::sql_types::Text)]
        jit: String,
    }
    let app = spawn_app().await;
    let mut conn = app.pool.get().await.unwrap();
    use diesel_async::RunQueryDsl;
    let s: Setting = diesel::sql_query("SHOW jit").get_result(&mut conn).await.unwrap();
    assert_eq!(s.jit, "off", "reports would spend their time compiling (see db::manager_config)");
}
