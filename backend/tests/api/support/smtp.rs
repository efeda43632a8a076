//! A real SMTP server for tests that keeps what it receives: aiosmtpd (PyPI) with its Maildir
//! handler, on a loopback port, in a temporary directory, stopped when dropped. Each message is a
//! file in `DIR/new/`, parsed here with mail-parser.
//!
//! Python: `MESA_TEST_PYTHON`, else `.data/venv/bin/python` (where `make test` installs aiosmtpd),
//! else `python3`. Without aiosmtpd the test fails saying how to install it; it is never skipped.

#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::{HeaderValue, MessageParser};

pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
    /// Maildirs of earlier runs of this sink (aiosmtpd wants a new one each start).
    archived: Vec<PathBuf>,
    _tempdir: tempfile::TempDir,
}

/// One received mail.
#[derive(Clone, Debug)]
pub struct Mail {
    pub raw: String,
    pub to: Vec<String>,
    pub from: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: String,
    pub auto_submitted: String,
    pub text: String,
    pub html: String,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("MESA_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.data/venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

impl SmtpSink {
    /// Starts a sink on a free port.
    pub fn start() -> SmtpSink {
        Self::start_on(super::slapd::free_port())
    }

    /// Starts a sink on `port` (e.g. where Mesa was told to send while nothing listened).
    pub fn start_on(port: u16) -> SmtpSink {
        let tempdir = tempfile::Builder::new().prefix("mesa-smtp-").tempdir().expect("tempdir");
        // aiosmtpd's Maildir handler makes the directory itself and refuses an existing one.
        let dir = tempdir.path().join("maildir");
        let mut sink = SmtpSink { port, dir, child: None, archived: Vec::new(), _tempdir: tempdir };
        sink.resume();
        sink
    }

    /// Starts the server again after [`SmtpSink::stop`], on the same port and Maildir.
    pub fn resume(&mut self) {
        let py = python();
        let check = Command::new(&py).args(["-c", "import aiosmtpd"]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        if !check.map(|s| s.success()).unwrap_or(false) {
            panic!(
                "{} cannot import aiosmtpd: install it with `python3 -m venv .data/venv && .data/venv/bin/pip install aiosmtpd` (make test does), or set MESA_TEST_PYTHON",
                py.display()
            );
        }
        let log = std::fs::File::create(self._tempdir.path().join(format!("aiosmtpd-{}.log", self.port))).expect("log");
        let mut args = vec!["-m".to_string(), "aiosmtpd".into(), "-n".into(), "-l".into(), format!("127.0.0.1:{}", self.port), "-c".into(), "aiosmtpd.handlers.Mailbox".into()];
        args.push(self.dir.display().to_string());
        if self.dir.exists() {
            // Restarting: keep the messages received before in a sibling Maildir.
            let keep = self.dir.with_file_name(format!("maildir-{}", self.archived.len()));
            std::fs::rename(&self.dir, &keep).expect("keep maildir");
            self.archived.push(keep);
        }
        let child = Command::new(&py).args(&args).stdin(Stdio::null()).stdout(log.try_clone().unwrap()).stderr(log).spawn().expect("start aiosmtpd");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Ok(s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let mut banner = [0u8; 3];
                use std::io::Read;
                let mut s = s;
                s.set_read_timeout(Some(Duration::from_secs(2))).ok();
                if s.read_exact(&mut banner).is_ok() && &banner == b"220" {
                    return;
                }
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(|c| c.try_wait()) {
                panic!("aiosmtpd exited ({status}) on port {}", self.port);
            }
            assert!(Instant::now() < deadline, "aiosmtpd did not answer on port {} within 15 s", self.port);
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// `smtp://127.0.0.1:PORT`, as `MESA_SMTP_URL`.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("smtp://127.0.0.1:{}", self.port)).unwrap()
    }

    /// Stops the server (SMTP down); the received messages stay readable.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while let Ok(None) = child.try_wait() {
                if Instant::now() > deadline {
                    let _ = child.kill();
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            let _ = child.wait();
        }
    }

    /// Every message received so far, oldest file first.
    pub fn messages(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in self.archived.iter().chain(std::iter::once(&self.dir)) {
            if let Ok(entries) = std::fs::read_dir(dir.join("new")) {
                files.extend(entries.flatten().map(|e| e.path()));
            }
        }
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| parse(&std::fs::read(p).unwrap())).collect()
    }
}

fn header_text(v: Option<&HeaderValue>) -> String {
    match v {
        Some(HeaderValue::Text(t)) => t.to_string(),
        Some(HeaderValue::TextList(l)) => l.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" "),
        _ => String::new(),
    }
}

fn parse(raw: &[u8]) -> Mail {
    let m = MessageParser::default().parse(raw).expect("a parsable message");
    let addresses = |a: Option<&mail_parser::Address>| a.map(|a| a.iter().filter_map(|x| x.address().map(str::to_owned)).collect::<Vec<_>>()).unwrap_or_default();
    let raw_text = String::from_utf8_lossy(raw).into_owned();
    // In the raw header (mail-parser keeps ids without their angle brackets).
    let raw_header = |name: &str| raw_text.lines().take_while(|l| !l.is_empty()).find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned)).unwrap_or_default();
    Mail {
        to: addresses(m.to()),
        from: addresses(m.from()).join(","),
        reply_to: addresses(m.reply_to()).into_iter().next(),
        subject: m.subject().unwrap_or_default().to_owned(),
        message_id: raw_header("Message-ID"),
        in_reply_to: raw_header("In-Reply-To"),
        references: raw_header("References"),
        auto_submitted: header_text(m.header("Auto-Submitted")),
        text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
        raw: raw_text,
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
