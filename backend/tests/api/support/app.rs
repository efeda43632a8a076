//! The real server on a loopback port, on its own database, driven over HTTP.
use std::net::TcpListener;

use mesa::config::Config;
use mesa::db::DbPool;
use mesa::state::AppState;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::db::TestDb;

pub const TEST_JWT_SECRET: &str = "test-secret-test-secret-test-secret!";
pub const ADMIN_PASSWORD: &str = "Admin.Clave2026";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub pool: DbPool,
    pub config: Config,
    /// Attachments of this test; deleted with it.
    #[allow(dead_code)]
    pub files: tempfile::TempDir,
    /// Kept for its `Drop`, which deletes the database (`None`: a database the test owns).
    #[allow(dead_code)]
    pub db: Option<TestDb>,
}

pub fn base_config(database_url: &str) -> Config {
    let url = database_url.to_owned();
    Config::from_lookup(move |k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "MESA_JWT_SECRET" => Some(TEST_JWT_SECRET.into()),
        // Tests make many requests from one address; the rate-limit tests turn limits on.
        "MESA_RATE_LIMIT_PER_TOKEN" | "MESA_RATE_LIMIT_PER_ADDRESS" => Some("0".into()),
        _ => None,
    })
    .unwrap()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let db = TestDb::new().await;
    let url = db.url.clone();
    spawn_app_on(Some(db), &url, adjust).await
}

/// The server on the database at `database_url`, already migrated.
pub async fn spawn_app_on(db: Option<TestDb>, database_url: &str, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let files = tempfile::tempdir().unwrap();
    let mut config = base_config(database_url);
    config.attachments_dir = files.path().to_path_buf();
    adjust(&mut config);
    let pool = mesa::db::connect(&config.database_url, 8);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = mesa::startup::build_server(AppState::new(pool.clone(), config.clone()).unwrap().with_worker_pools(4), listener).unwrap();
    tokio::spawn(server);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    TestApp { base, client, pool, config, files, db }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn content_type(&self) -> &str {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts a problem+json answer with this status and code.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.content_type(), "application/problem+json", "body: {}", self.body);
        assert_eq!(self.body["code"], code, "body: {}", self.body);
        assert_eq!(self.body["status"], status);
    }

    /// The fields named in a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"].as_array().map(|a| a.iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()).unwrap_or_default()
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.base, path)
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.call_with(method, path, token, body, &[]).await
    }

    pub async fn call_with(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Reply {
        self.post("/auth/login", None, json!({"username": username, "password": password})).await
    }

    /// Logs in and returns the access token, panicking on failure.
    pub async fn token(&self, username: &str, password: &str) -> String {
        let r = self.login(username, password).await;
        assert_eq!(r.status, 200, "login {username}: {}", r.body);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    /// A local account created straight in the database.
    pub async fn create_local_user(&self, username: &str, password: &str, role: mesa::users::domain::Role) -> uuid::Uuid {
        let mut conn = self.pool.get().await.unwrap();
        let hash = mesa::auth::password::hash(password);
        let user = mesa::users::queries::upsert_local(
            &mut conn,
            mesa::users::queries::NewUser {
                username: username.into(),
                display_name: format!("Usuario {username}"),
                email: None,
                phone: None,
                role,
                auth_source: mesa::users::domain::AuthSource::Local,
                password_hash: Some(hash),
                locale: "es-CO".into(),
                organization_id: None,
                area_id: None,
                location_id: None,
            },
        )
        .await
        .unwrap();
        user.id
    }

    /// An admin and their access token.
    pub async fn admin(&self) -> String {
        self.create_local_user("admin", ADMIN_PASSWORD, mesa::users::domain::Role::Admin).await;
        self.token("admin", ADMIN_PASSWORD).await
    }
}
