//! The `mesa` binary itself: configuration errors, the request log.
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mesa");

fn serve_with(env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("serve").env_clear().env("PATH", std::env::var("PATH").unwrap());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn bad_configuration_stops_start_up_with_one_line_naming_the_variable() {
    let db = "postgres://postgres@127.0.0.1:1/none";
    let secret = "0123456789abcdef0123456789abcdef";
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "DATABASE_URL"),
        (&[("DATABASE_URL", db)], "MESA_JWT_SECRET"),
        (&[("DATABASE_URL", db), ("MESA_JWT_SECRET", "short")], "MESA_JWT_SECRET"),
        (&[("DATABASE_URL", db), ("MESA_JWT_SECRET", secret), ("MESA_BIND", "nowhere")], "MESA_BIND"),
        (&[("DATABASE_URL", db), ("MESA_JWT_SECRET", secret), ("MESA_LDAP_URL", "ldap://ad.local")], "MESA_LDAP_BIND_DN"),
        (&[("DATABASE_URL", db), ("MESA_JWT_SECRET", secret), ("MESA_SMTP_URL", "mail.local")], "MESA_SMTP_URL"),
    ];
    for (env, var) in cases {
        let out = serve_with(env);
        assert_eq!(out.status.code(), Some(2), "{env:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        let lines: Vec<_> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{stderr}");
        assert!(lines[0].starts_with(&format!("mesa: configuration error: {var}: ")), "{stderr}");
    }
}

#[test]
fn openapi_command_prints_the_checked_in_contract() {
    let out = Command::new(BIN).arg("openapi").output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let checked_in = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json")).unwrap();
    assert!(printed.trim_end() == checked_in.trim_end(), "`mesa openapi` differs from openapi/openapi.json: regenerate it");
}

/// One line per request with method, path, status and latency; never a password, a token or a query string.
#[tokio::test]
async fn request_log_has_no_secrets() {
    let db = crate::support::db::TestDb::new().await;
    let port = crate::support::slapd::free_port();
    let user = Command::new(BIN)
        .args(["user", "create", "--username", "logcheck", "--role", "admin"])
        .env("DATABASE_URL", &db.url)
        .env("MESA_NEW_USER_PASSWORD", "Secreto.Unico2026")
        .output()
        .unwrap();
    assert!(user.status.success(), "{}", String::from_utf8_lossy(&user.stderr));

    let mut child = Command::new(BIN)
        .arg("serve")
        .env("DATABASE_URL", &db.url)
        .env("MESA_JWT_SECRET", "0123456789abcdef0123456789abcdef")
        .env("MESA_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(format!("{base}/api/v1/health")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "mesa serve did not start");
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "logcheck", "password": "Secreto.Unico2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let refresh = login["refresh_token"].as_str().unwrap().to_owned();
    client.get(format!("{base}/api/v1/me?access_token={token}")).bearer_auth(&token).send().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let lines: Vec<String> = rx.try_iter().collect();
    let log = lines.join("\n");
    for secret in ["Secreto.Unico2026", token.as_str(), refresh.as_str(), "Bearer"] {
        assert!(!log.contains(secret), "the log leaks {secret}:\n{log}");
    }
    let me_line = lines.iter().find(|l| l.contains("\"GET /api/v1/me\"")).unwrap_or_else(|| panic!("no request line:\n{log}"));
    assert!(me_line.contains(" 200 "), "{me_line}");
    assert!(me_line.trim_end().ends_with("ms"), "{me_line}");
    assert!(lines.iter().any(|l| l.contains("\"POST /api/v1/auth/login\" 200")), "{log}");
}
