//! Reading a mailbox over IMAP (async-imap on tokio; TLS by rustls with Mozilla's roots, no
//! OpenSSL). Every network step has a deadline, so a silent server fails the run instead of
//! holding the job.
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, Context as _};
use async_imap::Session;
use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;

use super::settings::TlsMode;

/// How long one network step (connect, a command and its answer) may take.
const STEP: Duration = Duration::from_secs(30);
/// Most UIDs asked for in one FETCH.
const FETCH_CHUNK: usize = 200;

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + fmt::Debug> Io for T {}

pub struct Server<'a> {
    pub host: &'a str,
    pub port: u16,
    pub tls: TlsMode,
    pub username: &'a str,
    pub password: &'a str,
    /// Trusted besides Mozilla's roots.
    pub extra_roots: &'a [rustls::pki_types::CertificateDer<'static>],
}

/// A logged-in session with one folder selected.
pub struct Folder {
    session: Session<Box<dyn Io>>,
    pub uid_validity: u32,
}

async fn step<T, E: Into<anyhow::Error>>(what: &str, f: impl std::future::Future<Output = Result<T, E>>) -> anyhow::Result<T> {
    match tokio::time::timeout(STEP, f).await {
        Ok(r) => r.map_err(Into::into).with_context(|| what.to_owned()),
        Err(_) => Err(anyhow!("{what}: no answer within {} s", STEP.as_secs())),
    }
}

async fn tls(host: &str, extra_roots: &[rustls::pki_types::CertificateDer<'static>], stream: TcpStream) -> anyhow::Result<Box<dyn Io>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    for ca in extra_roots {
        roots.add(ca.clone()).context("MESA_MAILBOX_CA_FILE: a certificate rustls does not take as a root")?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).map_err(|e| anyhow!("{host} is not a TLS server name: {e}"))?;
    let stream = step("TLS handshake", tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, stream)).await?;
    Ok(Box::new(stream))
}

impl Folder {
    /// Connects, logs in and selects `folder`.
    pub async fn open(s: &Server<'_>, folder: &str) -> anyhow::Result<Folder> {
        let tcp = step(&format!("connecting to {}:{}", s.host, s.port), TcpStream::connect((s.host, s.port))).await?;
        let stream: Box<dyn Io> = match s.tls {
            TlsMode::Tls => tls(s.host, s.extra_roots, tcp).await?,
            TlsMode::Starttls => {
                let mut client = async_imap::Client::new(tcp);
                step("reading the greeting", client.read_response()).await?.ok_or_else(|| anyhow!("the server closed the connection"))?;
                step("STARTTLS", client.run_command_and_check_ok("STARTTLS", None)).await?;
                tls(s.host, s.extra_roots, client.into_inner()).await?
            }
            TlsMode::None => Box::new(tcp),
        };
        let mut client = async_imap::Client::new(stream);
        if s.tls != TlsMode::Starttls {
            step("reading the greeting", client.read_response()).await?.ok_or_else(|| anyhow!("the server closed the connection"))?;
        }
        let mut session = match tokio::time::timeout(STEP, client.login(s.username, s.password)).await {
            Ok(Ok(session)) => session,
            Ok(Err((e, _))) => return Err(anyhow!("logging in as {}: {e}", s.username)),
            Err(_) => return Err(anyhow!("logging in: no answer within {} s", STEP.as_secs())),
        };
        let selected = step(&format!("selecting {folder}"), session.select(folder)).await?;
        let uid_validity = selected.uid_validity.ok_or_else(|| anyhow!("the server gave no UIDVALIDITY for {folder}"))?;
        Ok(Folder { session, uid_validity })
    }

    /// The UIDs above `after`, ascending.
    pub async fn uids_after(&mut self, after: u32) -> anyhow::Result<Vec<u32>> {
        // `n:*` also matches the highest UID when it is below n (RFC 3501): filtered here.
        let found = step("UID SEARCH", self.session.uid_search(format!("UID {}:*", after.saturating_add(1)))).await?;
        let mut uids: Vec<u32> = found.into_iter().filter(|u| *u > after).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Each UID's size in bytes, as the server counts it.
    pub async fn sizes(&mut self, uids: &[u32]) -> anyhow::Result<Vec<(u32, u32)>> {
        let mut out = Vec::with_capacity(uids.len());
        for chunk in uids.chunks(FETCH_CHUNK) {
            let set = chunk.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            let fetches: Vec<_> = step("UID FETCH RFC822.SIZE", async { self.session.uid_fetch(&set, "(UID RFC822.SIZE)").await?.try_collect::<Vec<_>>().await }).await?;
            out.extend(fetches.iter().filter_map(|f| Some((f.uid?, f.size?))));
        }
        out.sort_unstable();
        Ok(out)
    }

    /// The whole message, without setting `\Seen`; `None` when it is gone.
    pub async fn fetch(&mut self, uid: u32) -> anyhow::Result<Option<Vec<u8>>> {
        let fetches: Vec<_> = step("UID FETCH BODY.PEEK[]", async { self.session.uid_fetch(uid.to_string(), "(UID BODY.PEEK[])").await?.try_collect::<Vec<_>>().await }).await?;
        Ok(fetches.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.body()).map(<[u8]>::to_vec))
    }

    /// Marks a message read, once it is imported (or skipped for good).
    pub async fn mark_seen(&mut self, uid: u32) -> anyhow::Result<()> {
        step("UID STORE +FLAGS (\\Seen)", async { self.session.uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)").await?.try_collect::<Vec<_>>().await }).await?;
        Ok(())
    }

    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(STEP, self.session.logout()).await;
    }
}
