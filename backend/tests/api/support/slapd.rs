//! A private OpenLDAP server (slapd) for tests: one per test, on a free loopback port, in a
//! temporary directory, loaded with `support/directory.ldif`, stopped when dropped.
//!
//! Needs the Debian packages `slapd` and `ldap-utils` (`apt-get install -y slapd ldap-utils`);
//! no system daemon is used. `SLAPD` overrides the slapd binary's path.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mesa::auth::directory::{LdapAttributes, LdapConfig};

const SUPPORT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/support");
pub const SUFFIX: &str = "dc=example,dc=org";
pub const ROOT_DN: &str = "cn=admin,dc=example,dc=org";
pub const ROOT_PASSWORD: &str = "secret";
pub const SERVICE_DN: &str = "cn=svc-reader,ou=services,dc=example,dc=org";
pub const SERVICE_PASSWORD: &str = "svc-secret";
const READY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Slapd {
    /// `ldap://127.0.0.1:PORT/`
    pub url: String,
    /// The suffix, `dc=example,dc=org`.
    pub base_dn: String,
    /// The root DN (full rights), for loading data.
    pub bind_dn: String,
    pub bind_password: String,
    child: Child,
    log_path: PathBuf,
    tempdir: tempfile::TempDir,
}

impl Slapd {
    /// Start slapd and load `support/directory.ldif`. Panics (with slapd's log) on failure.
    pub fn start() -> Slapd {
        let slapd = Self::start_empty();
        slapd.ldapadd_file(&Path::new(SUPPORT_DIR).join("directory.ldif"));
        slapd
    }

    /// Async convenience wrapper: starting takes ~0.1 s, run it off the async worker.
    pub async fn start_async() -> Slapd {
        tokio::task::spawn_blocking(Slapd::start).await.expect("slapd start panicked")
    }

    /// Start slapd with an empty database (nothing loaded).
    pub fn start_empty() -> Slapd {
        let tempdir = tempfile::Builder::new().prefix("mesa-slapd-").tempdir().expect("tempdir");
        let dir = tempdir.path();
        std::fs::create_dir(dir.join("data")).expect("slapd data dir");
        std::fs::copy(
            // One schema for tests, `make run` and compose.
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/ldap/ad-lite.schema"),
            dir.join("ad-lite.schema"),
        )
        .expect("copy ad-lite.schema");
        let conf = dir.join("slapd.conf");
        std::fs::write(&conf, slapd_conf(dir)).expect("write slapd.conf");
        let log_path = dir.join("slapd.log");

        // The free port is found by binding port 0 and releasing it: another process could take
        // it in between, so start again on a new port if slapd exits at start-up.
        let mut last_log = String::new();
        for _attempt in 0..5 {
            let port = free_port();
            let url = format!("ldap://127.0.0.1:{port}/");
            let log = std::fs::File::create(&log_path).expect("slapd log");
            let mut child = Command::new(slapd_binary())
                .arg("-f")
                .arg(&conf)
                .arg("-h")
                .arg(&url)
                .arg("-d")
                .arg("0")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log fd"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}; install it with `apt-get install -y slapd ldap-utils`", slapd_binary()));
            match wait_ready(&mut child, &url) {
                Ready::Yes => return Slapd { url, base_dn: SUFFIX.to_string(), bind_dn: ROOT_DN.to_string(), bind_password: ROOT_PASSWORD.to_string(), child, log_path, tempdir },
                Ready::Exited => {
                    last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
                    let _ = child.wait();
                }
                Ready::TimedOut => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("slapd at {url} did not answer ldapwhoami within {READY_TIMEOUT:?}; log:\n{}", std::fs::read_to_string(&log_path).unwrap_or_default());
                }
            }
        }
        panic!("slapd exited at start-up 5 times; last log:\n{last_log}");
    }

    /// slapd's output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Add entries (as the root DN). Panics with ldapadd's output on failure.
    pub fn ldapadd(&self, ldif: &str) {
        let path = self.tempdir.path().join(format!("add-{}.ldif", unique()));
        std::fs::write(&path, ldif).expect("write ldif");
        self.ldapadd_file(&path);
    }

    pub fn ldapadd_file(&self, path: &Path) {
        let out = ldap_tool("ldapadd")
            .args(["-x", "-H", &self.url, "-D", &self.bind_dn, "-w", &self.bind_password, "-f"])
            .arg(path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run ldapadd: {e}; install ldap-utils"));
        if !out.status.success() {
            panic!(
                "ldapadd -f {} failed ({}):\n{}{}\nslapd log:\n{}",
                path.display(),
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                self.log()
            );
        }
    }

    /// Module configuration as for Active Directory: service account `svc-reader`, the whole
    /// suffix as base, `(sAMAccountName={username})`, `userPrincipalName`, 5 s timeout.
    pub fn config(&self) -> LdapConfig {
        LdapConfig {
            url: self.url.clone(),
            bind_dn: SERVICE_DN.to_string(),
            bind_password: SERVICE_PASSWORD.to_string(),
            base_dn: self.base_dn.clone(),
            user_filter: "(sAMAccountName={username})".to_string(),
            upn_attribute: Some("userPrincipalName".to_string()),
            attributes: LdapAttributes::default(),
            timeout: Duration::from_secs(5),
        }
    }
}

impl Drop for Slapd {
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

enum Ready {
    Yes,
    Exited,
    TimedOut,
}

/// Poll ldapwhoami (as the root DN) until slapd answers, exits, or READY_TIMEOUT passes.
fn wait_ready(child: &mut Child, url: &str) -> Ready {
    let deadline = Instant::now() + READY_TIMEOUT;
    loop {
        if let Ok(Some(_status)) = child.try_wait() {
            return Ready::Exited;
        }
        let ok = ldap_tool("ldapwhoami")
            .args(["-x", "-o", "nettimeout=1", "-H", url, "-D", ROOT_DN, "-w", ROOT_PASSWORD])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap_or_else(|e| panic!("cannot run ldapwhoami: {e}; install ldap-utils"))
            .success();
        if ok {
            return Ready::Yes;
        }
        if Instant::now() > deadline {
            return Ready::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn slapd_conf(dir: &Path) -> String {
    let dir = dir.display();
    format!(
        r#"include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include {dir}/ad-lite.schema
pidfile {dir}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
access to filter=(userAccountControl:1.2.840.113556.1.4.803:=2) attrs=userPassword by * none
access to attrs=userPassword by self write by anonymous auth by * none
access to * by dn.exact="{SERVICE_DN}" read by self read by * none
database mdb
maxsize 104857600
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {dir}/data
index uid,sAMAccountName,mail eq
"#
    )
}

fn slapd_binary() -> String {
    if let Ok(path) = std::env::var("SLAPD") {
        return path;
    }
    if Path::new("/usr/sbin/slapd").exists() {
        "/usr/sbin/slapd".to_string()
    } else {
        "slapd".to_string()
    }
}

/// An ldap-utils command that ignores the machine's and the user's ldap.conf.
fn ldap_tool(name: &str) -> Command {
    let mut cmd = Command::new(name);
    cmd.env("LDAPNOINIT", "1").stdin(Stdio::null());
    cmd
}

/// A loopback port with nothing listening on it (at the time of the call).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local addr").port()
}

fn unique() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) as u128;
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0) * 1000 + n
}
