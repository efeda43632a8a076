//! One database per test, cloned from a template migrated once per test run.
use std::sync::OnceLock;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};

/// Admin URL of the server tests may create databases on (`make test` sets it).
pub fn admin_url() -> String {
    std::env::var("MESA_TEST_DATABASE_URL")
        .or_else(|_| std::env::var("DATABASE_URL"))
        .expect("set MESA_TEST_DATABASE_URL (make test does) to a Postgres admin URL, e.g. postgres://postgres@127.0.0.1:55432/postgres")
}

pub fn url_for(db: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{db}")
}

/// The template's name changes whenever a migration file changes, so a stale one is never cloned.
fn template_name() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap());
    }
    let digest = h.finalize();
    format!("mesa_tpl_{}", digest.iter().take(6).map(|b| format!("{b:02x}")).collect::<String>())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

async fn admin_exec(sql: &str) -> diesel::QueryResult<usize> {
    let mut conn = AsyncPgConnection::establish(&admin_url()).await.expect("connect to the test Postgres server");
    diesel::sql_query(sql).execute(&mut conn).await
}

fn template() -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = template_name();
        // Its own thread and runtime: tests run on many runtimes, the template is built once.
        std::thread::spawn(move || {
            block_on(async {
                let exists = admin_exec(&format!("SELECT 1 FROM pg_database WHERE datname = '{name}'")).await.unwrap() == 1;
                if !exists {
                    let building = format!("{name}_building_{}", std::process::id());
                    admin_exec(&format!("CREATE DATABASE {building}")).await.unwrap();
                    let url = url_for(&building);
                    let url2 = url.clone();
                    tokio::task::spawn_blocking(move || {
                        use diesel_migrations::MigrationHarness;
                        let mut c = <diesel_async::async_connection_wrapper::AsyncConnectionWrapper<AsyncPgConnection> as diesel::Connection>::establish(&url2).unwrap();
                        c.run_pending_migrations(mesa::db::MIGRATIONS).unwrap();
                    })
                    .await
                    .unwrap();
                    // Another run may have won the race: keep theirs.
                    if admin_exec(&format!("ALTER DATABASE {building} RENAME TO {name}")).await.is_err() {
                        let _ = admin_exec(&format!("DROP DATABASE {building} WITH (FORCE)")).await;
                    } else {
                        admin_exec(&format!("ALTER DATABASE {name} WITH IS_TEMPLATE true")).await.unwrap();
                    }
                    let _ = url;
                }
            });
            name
        })
        .join()
        .expect("building the template database")
    })
}

/// A fresh, migrated database, dropped when the test ends.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let template = template().to_owned();
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
        // CREATE DATABASE ... TEMPLATE fails while another session clones the same template: retry.
        let mut attempts = 0;
        loop {
            match admin_exec(&sql).await {
                Ok(_) => break,
                Err(e) if attempts < 50 && e.to_string().contains("being accessed by other users") => {
                    attempts += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20 + attempts * 5)).await;
                }
                Err(e) => panic!("creating {name}: {e}"),
            }
        }
        TestDb { url: url_for(&name), name }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = std::thread::spawn(move || block_on(admin_exec(&sql))).join();
    }
}
