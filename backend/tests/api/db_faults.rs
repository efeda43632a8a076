//! The database going away: a restart under load and an outage answer 503
//! `database_unavailable` with `Retry-After` (never a 500), fast, and service resumes by itself.
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::support::app::spawn_app_on;
use crate::support::postgres::PrivatePostgres;

/// Every answer is a success or a 503 that tells the client to come back.
fn check_answer(status: StatusCode, retry_after: Option<&str>, body: &serde_json::Value) {
    assert!(status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE, "{status}: {body}");
    if status == StatusCode::SERVICE_UNAVAILABLE {
        assert_eq!(body["code"], "database_unavailable", "{body}");
        assert_eq!(retry_after, Some("1"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_and_outage_answer_503_then_recover() {
    let pg = PrivatePostgres::start();
    let url = pg.url("postgres");
    mesa::db::migrate(&url).await.unwrap();
    let app = std::sync::Arc::new(spawn_app_on(None, &url, |_| {}).await);
    let admin = app.admin().await;

    // Requests (reads and writes) in flight while Postgres restarts.
    let load = {
        let (app, admin) = (app.clone(), admin.clone());
        tokio::spawn(async move {
            let mut answers = Vec::new();
            for i in 0..400 {
                let r =
                    if i % 2 == 0 { app.get("/organizations", &admin).await } else { app.post("/organizations", Some(&admin), json!({"name": format!("Organismo {i}")})).await };
                check_answer(r.status, r.headers.get("retry-after").and_then(|v| v.to_str().ok()), &r.body);
                answers.push(r.status);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            answers
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pg = tokio::task::spawn_blocking(move || {
        pg.stop_server();
        pg.start_server();
        pg
    })
    .await
    .unwrap();
    let answers = load.await.unwrap();
    assert!(answers.last().unwrap().is_success(), "requests succeed again after the restart");

    // Connections the restart closed are replaced before a request uses them.
    for _ in 0..20 {
        let r = app.get("/organizations", &admin).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    // Down: 503 at once, not after the pool's checkout timeout (5 s).
    let pg = tokio::task::spawn_blocking(move || {
        pg.stop_server();
        pg
    })
    .await
    .unwrap();
    for _ in 0..5 {
        let started = Instant::now();
        let r = app.get("/organizations", &admin).await;
        check_answer(r.status, r.headers.get("retry-after").and_then(|v| v.to_str().ok()), &r.body);
        assert_eq!(r.status, 503);
        assert!(started.elapsed() < Duration::from_secs(3), "answered after {:?}", started.elapsed());
    }

    let pg = tokio::task::spawn_blocking(move || {
        pg.start_server();
        pg
    })
    .await
    .unwrap();
    let r = app.get("/organizations", &admin).await;
    assert_eq!(r.status, 200, "{}", r.body);
    drop(pg);
}

/// A loopback TCP proxy to Postgres whose `cut` dooms the connections open at that moment: each
/// stays open until its client next sends something, then both sides are dropped, as when a server
/// or a network path goes away without the client's socket noticing while it is idle.
struct CutProxy {
    port: u16,
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl CutProxy {
    async fn start(upstream: u16) -> CutProxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let generation = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let current = generation.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let born = current.load(Ordering::SeqCst);
                let current = current.clone();
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let Ok(mut server) = tokio::net::TcpStream::connect(("127.0.0.1", upstream)).await else { return };
                    let (mut cr, mut cw) = client.split();
                    let (mut sr, mut sw) = server.split();
                    let (mut up, mut down) = (vec![0u8; 16384], vec![0u8; 16384]);
                    loop {
                        tokio::select! {
                            n = cr.read(&mut up) => match n {
                                Ok(n) if n > 0 && current.load(Ordering::SeqCst) == born => { if sw.write_all(&up[..n]).await.is_err() { return } }
                                _ => return,
                            },
                            n = sr.read(&mut down) => match n {
                                Ok(n) if n > 0 => { if cw.write_all(&down[..n]).await.is_err() { return } }
                                _ => return,
                            },
                        }
                    }
                });
            }
        });
        CutProxy { port, generation }
    }

    fn cut(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The connection a request takes looks open but is dead: the request's first statement (a read)
/// fails, and is run again on a fresh connection instead of answering 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_connection_broke_before_it_wrote_is_retried() {
    let pg = PrivatePostgres::start();
    mesa::db::migrate(&pg.url("postgres")).await.unwrap();
    let proxy = CutProxy::start(pg.port).await;
    let url = format!("postgres://postgres@127.0.0.1:{}/postgres", proxy.port);
    let app = spawn_app_on(None, &url, |_| {}).await;
    let admin = app.admin().await;
    for _ in 0..3 {
        assert_eq!(app.get("/me", &admin).await.status, 200);
    }
    for _ in 0..3 {
        proxy.cut();
        let r = app.get("/me", &admin).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    drop(pg);
}
