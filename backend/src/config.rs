//! Configuration from environment variables. Every variable is documented in README.md.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::directory::{LdapAttributes, LdapConfig};

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: url::Url,
    pub jwt_secret: Vec<u8>,
    pub dev_mode: bool,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub ldap: Option<LdapConfig>,
    pub smtp_url: Option<url::Url>,
    /// Sender of mail from desks without a mailbox of their own (`MESA_MAIL_FROM`).
    pub mail_from: String,
    pub cors_origins: Vec<String>,
    pub spa_dir: Option<PathBuf>,
    pub login_throttle: ThrottleConfig,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    /// Requests per minute and bearer token, and per client address (`MESA_RATE_LIMIT_PER_TOKEN`,
    /// `MESA_RATE_LIMIT_PER_ADDRESS`); 0: no limit.
    pub rate_limit_per_token: u32,
    pub rate_limit_per_address: u32,
    /// Where attachments are stored (local disk).
    pub attachments_dir: PathBuf,
    pub attachment_max_bytes: usize,
    pub attachment_max_files: usize,
    /// Largest message the mailbox intake reads (`MESA_MAILBOX_MAX_MESSAGE_BYTES`).
    pub mailbox_max_message_bytes: usize,
    /// Extra CAs for mailbox TLS (`MESA_MAILBOX_CA_FILE`).
    pub mailbox_ca: Vec<rustls_pki_types::CertificateDer<'static>>,
    /// Each desk's mailbox password, `MESA_MAILBOX_PASSWORD_<DESK CODE>` (see [`mailbox_password_variable`]).
    pub mailbox_passwords: SecretLookup,
}

/// What the job runner needs of the configuration besides the database, also in `mesa worker`
/// (which reads no server settings): where attachments go, their limits, the largest mail.
#[derive(Clone, Debug)]
pub struct IntakeConfig {
    pub attachments_dir: PathBuf,
    pub attachment_max_bytes: usize,
    pub attachment_max_files: usize,
    pub mailbox_max_message_bytes: usize,
    /// Certificate authorities trusted for mailbox TLS besides Mozilla's roots
    /// (`MESA_MAILBOX_CA_FILE`, PEM): an institution's own CA that signs its mail server.
    pub mailbox_ca: Vec<rustls_pki_types::CertificateDer<'static>>,
}

impl IntakeConfig {
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(IntakeConfig {
            attachments_dir: var("MESA_ATTACHMENTS_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".data/attachments")),
            attachment_max_bytes: parse_positive("MESA_ATTACHMENT_MAX_BYTES", var("MESA_ATTACHMENT_MAX_BYTES"), 10 * 1024 * 1024)? as usize,
            attachment_max_files: parse_positive("MESA_ATTACHMENT_MAX_FILES", var("MESA_ATTACHMENT_MAX_FILES"), 10)? as usize,
            mailbox_max_message_bytes: parse_positive("MESA_MAILBOX_MAX_MESSAGE_BYTES", var("MESA_MAILBOX_MAX_MESSAGE_BYTES"), 25 * 1024 * 1024)? as usize,
            mailbox_ca: match var("MESA_MAILBOX_CA_FILE") {
                None => Vec::new(),
                Some(path) => read_certificates(&path).map_err(|m| err("MESA_MAILBOX_CA_FILE", format!("{path}: {m}")))?,
            },
        })
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }
}

/// Every certificate of a PEM file; at least one.
fn read_certificates(path: &str) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, String> {
    use rustls_pki_types::pem::PemObject;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let certs = rustls_pki_types::CertificateDer::pem_slice_iter(&bytes).collect::<Result<Vec<_>, _>>().map_err(|e| format!("not PEM certificates: {e}"))?;
    if certs.is_empty() {
        return Err("holds no certificate".into());
    }
    Ok(certs)
}

/// The variable holding a desk's mailbox password: `MESA_MAILBOX_PASSWORD_` and the desk's code
/// in upper case, `-` written `_` (shells do not take `-` in names): `ADM-2` → `MESA_MAILBOX_PASSWORD_ADM_2`.
pub fn mailbox_password_variable(desk_code: &str) -> String {
    format!("MESA_MAILBOX_PASSWORD_{}", desk_code.to_ascii_uppercase().replace('-', "_"))
}

/// Secrets looked up by a name known only at run time (a desk's mailbox password), read when
/// needed so a new desk needs no restart of the lookup's owner; never printed.
#[derive(Clone)]
pub struct SecretLookup(Arc<Lookup>);

type Lookup = dyn Fn(&str) -> Option<String> + Send + Sync;

impl SecretLookup {
    /// The process environment; an empty value counts as unset.
    pub fn env() -> Self {
        SecretLookup(Arc::new(|k| std::env::var(k).ok().filter(|v| !v.is_empty())))
    }

    /// Fixed secrets (tests, or a caller that read them elsewhere).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        let map: std::collections::HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        SecretLookup(Arc::new(move |k| map.get(k).cloned()))
    }

    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }
}

impl std::fmt::Debug for SecretLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretLookup(..)")
    }
}

#[derive(Clone, Debug)]
pub struct ThrottleConfig {
    pub max_failures_per_user: i32,
    pub max_failures_per_ip: i32,
    pub window: Duration,
}

/// A bad or missing variable: printed as one line naming it.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("configuration error: {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { var, message: message.into() }
}

pub const DEV_JWT_SECRET: &str = "mesa-dev-mode-secret-do-not-use-in-production!";
pub const MIN_SECRET_LEN: usize = 32;

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut config = Self::from_lookup(|k| std::env::var(k).ok())?;
        config.mailbox_passwords = SecretLookup::env();
        Ok(config)
    }

    /// Reads through `get` so tests can supply variables without touching the process environment.
    /// Mailbox passwords are not read through it (their names depend on the desks): none are
    /// known until `mailbox_passwords` is set ([`Config::from_env`] reads the environment's).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let database_url = var("DATABASE_URL").ok_or_else(|| err("DATABASE_URL", "is required (postgres://user@host:port/db)"))?;
        if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            return Err(err("DATABASE_URL", "must start with postgres:// or postgresql://"));
        }

        let dev_mode = parse_bool("MESA_DEV_MODE", var("MESA_DEV_MODE"))?.unwrap_or(false);

        let bind_text = var("MESA_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().map_err(|_| err("MESA_BIND", format!("'{bind_text}' is not host:port, e.g. 127.0.0.1:8080")))?;

        let public_text = var("MESA_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = url::Url::parse(&public_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| err("MESA_PUBLIC_URL", format!("'{public_text}' is not an http(s) URL")))?;

        let jwt_secret = match var("MESA_JWT_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_LEN => s.into_bytes(),
            Some(_) => return Err(err("MESA_JWT_SECRET", format!("must be at least {MIN_SECRET_LEN} characters"))),
            None if dev_mode => DEV_JWT_SECRET.as_bytes().to_vec(),
            None => return Err(err("MESA_JWT_SECRET", "is required (or set MESA_DEV_MODE=true for development)")),
        };

        let access_token_ttl = parse_secs("MESA_ACCESS_TOKEN_TTL", var("MESA_ACCESS_TOKEN_TTL"), 900)?;
        let refresh_token_ttl = parse_secs("MESA_REFRESH_TOKEN_TTL", var("MESA_REFRESH_TOKEN_TTL"), 14 * 24 * 3600)?;

        let ldap = match var("MESA_LDAP_URL") {
            None => None,
            Some(url) => {
                let parsed = url::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "ldap" | "ldaps"));
                if parsed.is_none() {
                    return Err(err("MESA_LDAP_URL", format!("'{url}' is not an ldap:// or ldaps:// URL")));
                }
                let required = |k: &'static str| var(k).ok_or_else(|| err(k, "is required when MESA_LDAP_URL is set"));
                let user_filter = var("MESA_LDAP_USER_FILTER").unwrap_or_else(|| "(sAMAccountName={username})".into());
                if !user_filter.contains("{username}") || !user_filter.starts_with('(') || !user_filter.ends_with(')') {
                    return Err(err("MESA_LDAP_USER_FILTER", "must be a parenthesised filter containing {username}"));
                }
                let defaults = LdapAttributes::default();
                let attr = |k: &str, d: String| var(k).unwrap_or(d);
                Some(LdapConfig {
                    url,
                    bind_dn: required("MESA_LDAP_BIND_DN")?,
                    bind_password: required("MESA_LDAP_BIND_PASSWORD")?,
                    base_dn: required("MESA_LDAP_BASE_DN")?,
                    user_filter,
                    // Explicitly empty disables `x@domain` matching; unset keeps the AD default.
                    upn_attribute: match get("MESA_LDAP_UPN_ATTRIBUTE") {
                        Some(v) if v.trim().is_empty() => None,
                        Some(v) => Some(v.trim().to_owned()),
                        None => Some("userPrincipalName".into()),
                    },
                    attributes: LdapAttributes {
                        username: attr("MESA_LDAP_ATTR_USERNAME", defaults.username),
                        display_name: attr("MESA_LDAP_ATTR_DISPLAY_NAME", defaults.display_name),
                        email: attr("MESA_LDAP_ATTR_EMAIL", defaults.email),
                        phone: attr("MESA_LDAP_ATTR_PHONE", defaults.phone),
                        department: attr("MESA_LDAP_ATTR_DEPARTMENT", defaults.department),
                        company: attr("MESA_LDAP_ATTR_COMPANY", defaults.company),
                        identity_number: attr("MESA_LDAP_ATTR_IDENTITY", defaults.identity_number),
                    },
                    timeout: parse_secs("MESA_LDAP_TIMEOUT", var("MESA_LDAP_TIMEOUT"), 5)?,
                })
            }
        };

        let MailSettings { smtp_url, mail_from } = mail_settings(&get, &public_url)?;

        let cors_origins = match var("MESA_CORS_ORIGINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| match url::Url::parse(o) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.path() == "/" => Ok(o.trim_end_matches('/').to_owned()),
                    _ => Err(err("MESA_CORS_ORIGINS", format!("'{o}' is not an origin like https://mesa.example.gov.co"))),
                })
                .collect::<Result<_, _>>()?,
        };

        let spa_dir = var("MESA_SPA_DIR").map(PathBuf::from);
        let IntakeConfig { attachments_dir, attachment_max_bytes, attachment_max_files, mailbox_max_message_bytes, mailbox_ca } = IntakeConfig::from_lookup(&get)?;
        let trust_forwarded_for = parse_bool("MESA_TRUST_FORWARDED_FOR", var("MESA_TRUST_FORWARDED_FOR"))?.unwrap_or(false);

        let login_throttle = ThrottleConfig {
            max_failures_per_user: parse_positive("MESA_LOGIN_MAX_FAILURES", var("MESA_LOGIN_MAX_FAILURES"), 5)?,
            max_failures_per_ip: parse_positive("MESA_LOGIN_MAX_FAILURES_PER_IP", var("MESA_LOGIN_MAX_FAILURES_PER_IP"), 20)?,
            window: Duration::from_secs(15 * 60),
        };
        // A person's browser makes a few requests a page; a whole office may share one address
        // behind its NAT (unless the proxy's X-Forwarded-For is trusted).
        let rate_limit_per_token = parse_count("MESA_RATE_LIMIT_PER_TOKEN", var("MESA_RATE_LIMIT_PER_TOKEN"), 600)?;
        let rate_limit_per_address = parse_count("MESA_RATE_LIMIT_PER_ADDRESS", var("MESA_RATE_LIMIT_PER_ADDRESS"), 3000)?;

        Ok(Config {
            database_url,
            bind,
            public_url,
            jwt_secret,
            dev_mode,
            access_token_ttl,
            refresh_token_ttl,
            ldap,
            smtp_url,
            mail_from,
            cors_origins,
            spa_dir,
            login_throttle,
            trust_forwarded_for,
            rate_limit_per_token,
            rate_limit_per_address,
            attachments_dir,
            attachment_max_bytes,
            attachment_max_files,
            mailbox_max_message_bytes,
            mailbox_ca,
            mailbox_passwords: SecretLookup::from_pairs(&[]),
        })
    }
}

/// What outgoing mail needs: also read by `mesa worker`, which needs no other setting.
pub struct MailSettings {
    pub smtp_url: Option<url::Url>,
    pub mail_from: String,
}

/// `MESA_SMTP_URL` (checked as delivery reads it: `crate::notify::delivery::SmtpTarget`) and
/// `MESA_MAIL_FROM` (default `mesa@` the host of `MESA_PUBLIC_URL`).
pub fn mail_settings(get: &impl Fn(&str) -> Option<String>, public_url: &url::Url) -> Result<MailSettings, ConfigError> {
    let var = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let smtp_url = match var("MESA_SMTP_URL") {
        None => None,
        Some(s) => {
            let url = url::Url::parse(&s).map_err(|_| err("MESA_SMTP_URL", format!("'{s}' is not an smtp:// or smtps:// URL")))?;
            crate::notify::delivery::SmtpTarget::parse(&url).map_err(|m| err("MESA_SMTP_URL", m))?;
            Some(url)
        }
    };
    let mail_from = var("MESA_MAIL_FROM").unwrap_or_else(|| format!("mesa@{}", public_url.host_str().unwrap_or("localhost")));
    if mail_from.parse::<lettre::Address>().is_err() {
        return Err(err("MESA_MAIL_FROM", format!("'{mail_from}' is not an email address (set MESA_MAIL_FROM)")));
    }
    Ok(MailSettings { smtp_url, mail_from })
}

/// The public URL alone, as `Config` reads it (for commands that need no other setting).
pub fn public_url_from(get: &impl Fn(&str) -> Option<String>) -> Result<url::Url, ConfigError> {
    let var = |k: &str| get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let bind = var("MESA_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
    let public_text = var("MESA_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
    url::Url::parse(&public_text).ok().filter(|u| matches!(u.scheme(), "http" | "https")).ok_or_else(|| err("MESA_PUBLIC_URL", format!("'{public_text}' is not an http(s) URL")))
}

fn parse_bool(var: &'static str, v: Option<String>) -> Result<Option<bool>, ConfigError> {
    match v.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => Ok(None),
        Some("1" | "true" | "yes" | "on") => Ok(Some(true)),
        Some("0" | "false" | "no" | "off") => Ok(Some(false)),
        Some(other) => Err(err(var, format!("'{other}' is not a boolean (true/false)"))),
    }
}

fn parse_secs(var: &'static str, v: Option<String>, default: u64) -> Result<Duration, ConfigError> {
    let secs = match v {
        None => default,
        Some(s) => s.parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| err(var, format!("'{s}' is not a positive number of seconds")))?,
    };
    Ok(Duration::from_secs(secs))
}

fn parse_positive(var: &'static str, v: Option<String>, default: i32) -> Result<i32, ConfigError> {
    match v {
        None => Ok(default),
        Some(s) => s.parse::<i32>().ok().filter(|n| *n > 0).ok_or_else(|| err(var, format!("'{s}' is not a positive integer"))),
    }
}

/// A count where 0 means "off".
fn parse_count(var: &'static str, v: Option<String>, default: u32) -> Result<u32, ConfigError> {
    match v {
        None => Ok(default),
        Some(s) => s.parse::<u32>().map_err(|_| err(var, format!("'{s}' is not a whole number (0 turns the limit off)"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    const DB: (&str, &str) = ("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mesa");
    const SECRET: (&str, &str) = ("MESA_JWT_SECRET", "0123456789abcdef0123456789abcdef");

    #[test]
    fn defaults() {
        let c = load(&[DB, SECRET]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(c.access_token_ttl, Duration::from_secs(900));
        assert!(c.ldap.is_none());
        assert!(c.smtp_url.is_none());
        assert!(c.cors_origins.is_empty());
        assert_eq!(c.login_throttle.max_failures_per_user, 5);
        assert_eq!((c.rate_limit_per_token, c.rate_limit_per_address), (600, 3000));
        let off = load(&[DB, SECRET, ("MESA_RATE_LIMIT_PER_TOKEN", "0"), ("MESA_RATE_LIMIT_PER_ADDRESS", "120")]).unwrap();
        assert_eq!((off.rate_limit_per_token, off.rate_limit_per_address), (0, 120));
        assert_eq!(load(&[DB, SECRET, ("MESA_RATE_LIMIT_PER_TOKEN", "-1")]).unwrap_err().var, "MESA_RATE_LIMIT_PER_TOKEN");
        assert_eq!(load(&[DB, SECRET, ("MESA_RATE_LIMIT_PER_ADDRESS", "lots")]).unwrap_err().var, "MESA_RATE_LIMIT_PER_ADDRESS");
    }

    #[test]
    fn missing_database_url_names_the_variable() {
        assert_eq!(load(&[SECRET]).unwrap_err().var, "DATABASE_URL");
        assert_eq!(load(&[("DATABASE_URL", "mysql://x"), SECRET]).unwrap_err().var, "DATABASE_URL");
    }

    #[test]
    fn jwt_secret_is_mandatory_outside_dev_mode() {
        assert_eq!(load(&[DB]).unwrap_err().var, "MESA_JWT_SECRET");
        assert_eq!(load(&[DB, ("MESA_JWT_SECRET", "short")]).unwrap_err().var, "MESA_JWT_SECRET");
        assert!(load(&[DB, ("MESA_DEV_MODE", "true")]).is_ok());
        assert_eq!(load(&[DB, ("MESA_DEV_MODE", "maybe")]).unwrap_err().var, "MESA_DEV_MODE");
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            ("MESA_BIND", "localhost"),
            ("MESA_PUBLIC_URL", "ftp://x"),
            ("MESA_ACCESS_TOKEN_TTL", "-3"),
            ("MESA_REFRESH_TOKEN_TTL", "soon"),
            ("MESA_SMTP_URL", "http://mail"),
            ("MESA_SMTP_URL", "smtp://mail?tls=sometimes"),
            ("MESA_SMTP_URL", "smtps://mail?tls=starttls"),
            ("MESA_MAIL_FROM", "not an address"),
            ("MESA_CORS_ORIGINS", "https://ok.example, not an origin"),
            ("MESA_LDAP_URL", "http://ad"),
            ("MESA_LOGIN_MAX_FAILURES", "0"),
            ("MESA_ATTACHMENT_MAX_BYTES", "ten"),
            ("MESA_MAILBOX_MAX_MESSAGE_BYTES", "0"),
        ];
        for (var, value) in cases {
            let e = load(&[DB, SECRET, (var, value)]).unwrap_err();
            assert_eq!(e.var, var, "{var}={value} gave {e}");
            assert!(e.to_string().starts_with(&format!("configuration error: {var}: ")));
        }
    }

    #[test]
    fn ldap_requires_its_companions() {
        let url = ("MESA_LDAP_URL", "ldap://127.0.0.1:389");
        assert_eq!(load(&[DB, SECRET, url]).unwrap_err().var, "MESA_LDAP_BIND_DN");
        let full = [DB, SECRET, url, ("MESA_LDAP_BIND_DN", "cn=svc,dc=x"), ("MESA_LDAP_BIND_PASSWORD", "pw"), ("MESA_LDAP_BASE_DN", "dc=x")];
        let c = load(&full).unwrap().ldap.unwrap();
        assert_eq!(c.user_filter, "(sAMAccountName={username})");
        assert_eq!(c.upn_attribute.as_deref(), Some("userPrincipalName"));
        let mut bad_filter = full.to_vec();
        bad_filter.push(("MESA_LDAP_USER_FILTER", "(uid=*)"));
        assert_eq!(load(&bad_filter).unwrap_err().var, "MESA_LDAP_USER_FILTER");
    }

    #[test]
    fn mail_settings_default_to_the_public_host() {
        let c = load(&[DB, SECRET, ("MESA_PUBLIC_URL", "https://mesa.cali.gov.co")]).unwrap();
        assert_eq!(c.mail_from, "mesa@mesa.cali.gov.co");
        // docker compose's public URL and the default one give an address lettre accepts.
        assert_eq!(load(&[DB, SECRET, ("MESA_PUBLIC_URL", "http://localhost:8080")]).unwrap().mail_from, "mesa@localhost");
        assert_eq!(load(&[DB, SECRET]).unwrap().mail_from, "mesa@127.0.0.1");
        let c = load(&[DB, SECRET, ("MESA_MAIL_FROM", "mesa@cali.gov.co"), ("MESA_SMTP_URL", "smtp://user:p%40ss@mail.cali.gov.co:587?tls=starttls")]).unwrap();
        assert_eq!(c.mail_from, "mesa@cali.gov.co");
        assert_eq!(c.smtp_url.unwrap().port(), Some(587));
    }

    #[test]
    fn cors_origins_are_normalised() {
        let c = load(&[DB, SECRET, ("MESA_CORS_ORIGINS", "http://localhost:5173/, https://mesa.cali.gov.co")]).unwrap();
        assert_eq!(c.cors_origins, vec!["http://localhost:5173", "https://mesa.cali.gov.co"]);
    }

    #[test]
    fn mailbox_settings() {
        let c = load(&[DB, SECRET]).unwrap();
        assert_eq!(c.mailbox_max_message_bytes, 25 * 1024 * 1024);
        assert_eq!(c.mailbox_passwords.get("MESA_MAILBOX_PASSWORD_TIC"), None);
        assert_eq!(load(&[DB, SECRET, ("MESA_MAILBOX_MAX_MESSAGE_BYTES", "1048576")]).unwrap().mailbox_max_message_bytes, 1_048_576);
        assert_eq!(mailbox_password_variable("TIC"), "MESA_MAILBOX_PASSWORD_TIC");
        assert_eq!(mailbox_password_variable("ADM-2"), "MESA_MAILBOX_PASSWORD_ADM_2");
        let secrets = SecretLookup::from_pairs(&[("MESA_MAILBOX_PASSWORD_TIC", "s3cret")]);
        assert_eq!(secrets.get("MESA_MAILBOX_PASSWORD_TIC").as_deref(), Some("s3cret"));
        assert_eq!(format!("{secrets:?}"), "SecretLookup(..)", "never printed");
        // The worker's part reads the same variables the same way.
        let i = IntakeConfig::from_lookup(|k| (k == "MESA_ATTACHMENT_MAX_FILES").then(|| "3".to_string())).unwrap();
        assert_eq!((i.attachment_max_files, i.attachment_max_bytes), (3, 10 * 1024 * 1024));
        assert_eq!(IntakeConfig::from_lookup(|k| (k == "MESA_MAILBOX_MAX_MESSAGE_BYTES").then(|| "big".to_string())).unwrap_err().var, "MESA_MAILBOX_MAX_MESSAGE_BYTES");
        assert!(c.mailbox_ca.is_empty());
        let dir = std::env::temp_dir().join(format!("mesa-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let not_pem = dir.join("not.pem");
        std::fs::write(&not_pem, "hello").unwrap();
        for bad in [not_pem.to_str().unwrap(), "/nonexistent/ca.pem"] {
            let e = IntakeConfig::from_lookup(|k| (k == "MESA_MAILBOX_CA_FILE").then(|| bad.to_string())).unwrap_err();
            assert_eq!(e.var, "MESA_MAILBOX_CA_FILE", "{bad}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
