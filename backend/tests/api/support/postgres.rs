//! A Postgres cluster of one test's own, for tests that stop and restart the server (the shared
//! test server cannot be restarted under the other tests). Debian's server binaries, as root via
//! `runuser -u postgres` (initdb refuses root).
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::slapd::free_port;

pub struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

fn server_bin_dir() -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("Postgres server binaries under /usr/lib/postgresql (scripts/deps.sh installs them)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|d| d.join("initdb").is_file())
        .collect();
    dirs.sort_by_key(|d| d.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()));
    dirs.pop().expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

impl PrivatePostgres {
    pub fn start() -> PrivatePostgres {
        let bin = server_bin_dir();
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let ok = Command::new("chown").arg("-R").arg("postgres:postgres").arg(dir.path()).status().unwrap().success();
            assert!(ok, "chown the cluster directory to postgres");
        }
        let pg = PrivatePostgres { bin, port: free_port(), dir };
        pg.run("initdb", &["-D", &pg.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        pg.start_server();
        pg
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self.command(tool).args(args).stdin(Stdio::null()).output().expect("run a Postgres tool");
        assert!(out.status.success(), "{tool} {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    }

    pub fn start_server(&self) {
        let log = self.dir.path().join("server.log").to_string_lossy().into_owned();
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", self.port, self.dir.path().display());
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "-o", &opts, "start"]);
    }

    /// Fast shutdown: the server ends every session (clients see their connections close).
    pub fn stop_server(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl").args(["-D", &self.data(), "-m", "immediate", "stop"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    }
}
