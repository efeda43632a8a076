//! A private Dovecot IMAP server for tests: one per test, on a free loopback port, in a temporary
//! directory, with one account, stopped when dropped. Messages are seeded with IMAP APPEND.
//!
//! Needs the Debian package `dovecot-imapd` (`apt-get install -y dovecot-imapd`); no system
//! daemon is used. `DOVECOT` overrides the binary's path.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;

pub const USER: &str = "intake@example.org";
pub const PASSWORD: &str = "intakepass";
const READY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Dovecot {
    pub port: u16,
    /// The IMAPS port and the CA (PEM) that signed the server's certificate, for `start_tls`.
    pub tls: Option<(u16, PathBuf)>,
    child: Child,
    log_path: PathBuf,
    tempdir: tempfile::TempDir,
}

fn conf(dir: &Path, port: u16, tls_port: Option<u16>) -> String {
    let (ssl, imaps) = match tls_port {
        Some(p) => (format!("yes\nssl_cert = <{0}/server.pem\nssl_key = <{0}/server.key", dir.display()), format!("address = 127.0.0.1\n    port = {p}")),
        None => ("no".to_owned(), "port = 0".to_owned()),
    };
    let dir = dir.display();
    format!(
        r#"base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
info_log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/users
}}
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={dir}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    {imaps}
  }}
}}
"#
    )
}

fn binary() -> String {
    std::env::var("DOVECOT").unwrap_or_else(|_| if Path::new("/usr/sbin/dovecot").exists() { "/usr/sbin/dovecot".into() } else { "dovecot".into() })
}

/// A test CA and a certificate it signs for `localhost` and 127.0.0.1 (openssl's command line).
fn make_certificates(dir: &Path) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n").unwrap();
    run(&["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Mesa Test CA"]);
    run(&["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
    run(&["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"]);
}

impl Dovecot {
    pub fn start() -> Dovecot {
        Self::start_with(false)
    }

    /// Also serving IMAPS and STARTTLS with a certificate of a test CA (`tls`).
    pub fn start_tls() -> Dovecot {
        Self::start_with(true)
    }

    fn start_with(with_tls: bool) -> Dovecot {
        let tempdir = tempfile::Builder::new().prefix("mesa-dovecot-").tempdir().expect("tempdir");
        let dir = tempdir.path();
        for d in ["run", "state", "mail"] {
            std::fs::create_dir(dir.join(d)).expect("dovecot dir");
        }
        // Dovecot's unprivileged processes (uid 65534) write the mail and read the users file.
        let _ = Command::new("chmod").args(["-R", "a+rwx"]).arg(dir).status();
        std::fs::write(dir.join("users"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).expect("users");
        if with_tls {
            make_certificates(dir);
        }
        let log_path = dir.join("dovecot.log");
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let port = super::slapd::free_port();
            let tls_port = with_tls.then(super::slapd::free_port);
            std::fs::write(dir.join("dovecot.conf"), conf(dir, port, tls_port)).expect("dovecot.conf");
            let mut child = Command::new(binary())
                .arg("-F")
                .arg("-c")
                .arg(dir.join("dovecot.conf"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(dir.join("stderr.log")).expect("stderr log"))
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}; install it with `apt-get install -y dovecot-imapd`", binary()));
            let deadline = Instant::now() + READY_TIMEOUT;
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    last_log = format!("{}{}", std::fs::read_to_string(&log_path).unwrap_or_default(), std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default());
                    break;
                }
                if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
                    use std::io::Read;
                    s.set_read_timeout(Some(Duration::from_secs(2))).ok();
                    let mut buf = [0u8; 64];
                    if s.read(&mut buf).is_ok_and(|n| buf[..n].starts_with(b"* OK")) {
                        let tls = tls_port.map(|p| (p, dir.join("ca.pem")));
                        return Dovecot { port, tls, child, log_path, tempdir };
                    }
                }
                if Instant::now() > deadline {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("dovecot on port {port} did not greet within {READY_TIMEOUT:?}; log:\n{}", std::fs::read_to_string(&log_path).unwrap_or_default());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("dovecot exited at start-up 5 times; last log:\n{last_log}");
    }

    pub async fn start_async() -> Dovecot {
        tokio::task::spawn_blocking(Dovecot::start).await.expect("dovecot start panicked")
    }

    pub async fn start_tls_async() -> Dovecot {
        tokio::task::spawn_blocking(Dovecot::start_tls).await.expect("dovecot start panicked")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    async fn session(&self) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.expect("connect to dovecot");
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.expect("greeting").expect("greeting");
        client.login(USER, PASSWORD).await.map_err(|(e, _)| e).expect("login")
    }

    /// Appends messages to INBOX, in order (each gets the next UID).
    pub async fn append(&self, messages: &[Vec<u8>]) {
        let mut s = self.session().await;
        for m in messages {
            s.append("INBOX", None, None, m).await.unwrap_or_else(|e| panic!("APPEND: {e}; log:\n{}", self.log()));
        }
        s.logout().await.ok();
    }

    /// The UIDs of INBOX with `\Seen`, and all of them.
    pub async fn seen(&self) -> (Vec<u32>, Vec<u32>) {
        let mut s = self.session().await;
        s.select("INBOX").await.expect("select");
        let fetches: Vec<_> = s.uid_fetch("1:*", "(UID FLAGS)").await.expect("fetch").try_collect().await.expect("fetch");
        let mut seen = Vec::new();
        let mut all = Vec::new();
        for f in &fetches {
            let uid = f.uid.expect("uid");
            all.push(uid);
            if f.flags().any(|fl| matches!(fl, async_imap::types::Flag::Seen)) {
                seen.push(uid);
            }
        }
        s.logout().await.ok();
        seen.sort();
        all.sort();
        (seen, all)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).stdout(Stdio::null()).stderr(Stdio::null()).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while let Ok(None) = self.child.try_wait() {
                if Instant::now() > deadline {
                    let _ = self.child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = self.child.wait();
    }
}
