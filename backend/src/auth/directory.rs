//! Login against a directory (Active Directory or any LDAP v3 server).
//!
//! The flow is the classic "search then bind":
//!
//! 1. normalise what the user typed (`nombre.apellido`, `DOMINIO\nombre.apellido` or
//!    `nombre.apellido@dominio`) and refuse an empty user name or password without contacting
//!    the server (an empty password would be an *unauthenticated bind*, which many servers
//!    accept as anonymous);
//! 2. bind as the service account and search the subtree under `base_dn` with the configured
//!    filter, the user name escaped against filter injection; exactly one entry must match;
//! 3. refuse disabled accounts (`userAccountControl` bit `0x2`, as on Active Directory);
//! 4. bind as the entry found with the user's password (result code 49 means wrong password).
//!
//! Every network step is bounded by [`LdapConfig::timeout`]. The password is never logged.

use std::collections::HashMap;
use std::time::Duration;

use ldap3::{ldap_escape, Ldap, LdapConnAsync, LdapConnSettings, LdapError, Scope, SearchEntry, SearchOptions};

/// LDAP result code for `invalidCredentials`.
const RC_INVALID_CREDENTIALS: u32 = 49;
/// LDAP result code for `sizeLimitExceeded` (more entries than the size limit asked for).
const RC_SIZE_LIMIT_EXCEEDED: u32 = 4;
/// LDAP result code for `referral`.
const RC_REFERRAL: u32 = 10;
/// Active Directory's `ACCOUNTDISABLE` flag in `userAccountControl`.
const UAC_ACCOUNT_DISABLE: i64 = 0x2;
/// Attribute read to detect disabled accounts.
const UAC_ATTRIBUTE: &str = "userAccountControl";
/// Placeholder replaced by the (escaped) user name in [`LdapConfig::user_filter`].
const USERNAME_PLACEHOLDER: &str = "{username}";

/// Names of the directory attributes read for a user. An empty name means "do not read it".
#[derive(Clone, Debug)]
pub struct LdapAttributes {
    /// Canonical login name (`sAMAccountName` on AD, `uid` on OpenLDAP).
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub phone: String,
    pub department: String,
    pub company: String,
    /// The identity document's number (cédula).
    pub identity_number: String,
}

impl Default for LdapAttributes {
    /// Active Directory's attribute names.
    fn default() -> Self {
        LdapAttributes {
            username: "sAMAccountName".into(),
            display_name: "displayName".into(),
            email: "mail".into(),
            phone: "telephoneNumber".into(),
            department: "department".into(),
            company: "company".into(),
            // In Active Directory's schema and in inetOrgPerson alike.
            identity_number: "employeeNumber".into(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct LdapConfig {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    /// Service account used to search for users. Empty: search anonymously.
    pub bind_dn: String,
    pub bind_password: String,
    /// Subtree searched for users.
    pub base_dn: String,
    /// Search filter with a `{username}` placeholder, e.g. `(sAMAccountName={username})` (AD)
    /// or `(uid={username})`. Surrounding parentheses are added if missing.
    pub user_filter: String,
    /// When set (AD: `userPrincipalName`), a login typed as `x@dominio` also matches this
    /// attribute against the whole `x@dominio`.
    pub upn_attribute: Option<String>,
    pub attributes: LdapAttributes,
    /// Bound on connecting (TCP + TLS) and on each LDAP operation.
    pub timeout: Duration,
}

/// The account found and verified in the directory.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryUser {
    pub dn: String,
    /// Canonical login name read from the username attribute, lowercased.
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub department: Option<String>,
    pub company: Option<String>,
    /// Normalized (`users::domain::normalize_identity_number`); a value that is not a document
    /// number is ignored.
    pub identity_number: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// Unknown user, wrong password, empty input or several matching entries: the caller
    /// cannot (and must not be able to) tell these apart.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// `userAccountControl` has the ACCOUNTDISABLE bit (checked before the password).
    #[error("account disabled")]
    Disabled,
    /// The directory could not be used: connection refused, timeout, the service account was
    /// rejected, or any other LDAP error.
    #[error("directory unavailable: {0}")]
    Unavailable(String),
}

/// What the user typed, reduced to what is searched for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalizedLogin {
    /// The bare account name (`nombre.apellido`), substituted for `{username}` in the filter.
    /// Empty when nothing usable was typed.
    pub username: String,
    /// The whole `nombre.apellido@dominio` when the login was typed in that form.
    pub principal: Option<String>,
}

/// Normalise a typed login: trim whitespace, strip a `DOMINIO\` prefix, and split
/// `nombre.apellido@dominio` into the bare name and the whole principal name.
/// Case is kept (directory matching of these attributes is case-insensitive). Pure.
pub fn normalize_login(login: &str) -> NormalizedLogin {
    let mut name = login.trim();
    // `DOMINIO\nombre.apellido` (down-level logon name): keep what follows the first backslash.
    if let Some((_domain, rest)) = name.split_once('\\') {
        name = rest.trim();
    }
    // `nombre.apellido@dominio` (user principal name): the domain never contains '@'.
    if let Some((user, domain)) = name.rsplit_once('@') {
        let user = user.trim();
        let domain = domain.trim();
        if user.is_empty() {
            return NormalizedLogin { username: String::new(), principal: None };
        }
        let principal = if domain.is_empty() { None } else { Some(format!("{user}@{domain}")) };
        return NormalizedLogin { username: user.to_string(), principal };
    }
    NormalizedLogin { username: name.to_string(), principal: None }
}

/// Build the search filter for a normalised login; every user-supplied value is escaped.
fn build_filter(cfg: &LdapConfig, login: &NormalizedLogin) -> String {
    let template = cfg.user_filter.trim();
    let template = if template.starts_with('(') { template.to_string() } else { format!("({template})") };
    let by_name = template.replace(USERNAME_PLACEHOLDER, &ldap_escape(login.username.as_str()));
    match (&cfg.upn_attribute, &login.principal) {
        (Some(upn_attr), Some(principal)) if !upn_attr.trim().is_empty() => {
            format!("(|({}={}){})", upn_attr.trim(), ldap_escape(principal.as_str()), by_name)
        }
        _ => by_name,
    }
}

/// Verify `login` / `password` against the directory and return the account's attributes.
pub async fn authenticate(cfg: &LdapConfig, login: &str, password: &str) -> Result<DirectoryUser, DirectoryError> {
    let normalized = normalize_login(login);
    // Never contact the server for these: an empty password is an anonymous bind.
    if normalized.username.is_empty() || password.is_empty() {
        return Err(DirectoryError::InvalidCredentials);
    }
    let filter = build_filter(cfg, &normalized);

    let settings = LdapConnSettings::new().set_conn_timeout(cfg.timeout);
    let (conn, mut ldap) = match LdapConnAsync::with_settings(settings, &cfg.url).await {
        Ok(pair) => pair,
        Err(e) => {
            log::warn!("directory: cannot connect to {}: {}", cfg.url, e);
            return Err(DirectoryError::Unavailable(format!("cannot connect to {}: {}", cfg.url, e)));
        }
    };
    ldap3::drive!(conn);

    let result = search_and_bind(cfg, &mut ldap, &filter, &normalized, password).await;

    // Always close the connection; a failure here changes nothing for the caller.
    if let Err(e) = ldap.with_timeout(cfg.timeout).unbind().await {
        log::debug!("directory: unbind failed: {}", e);
    }
    result
}

async fn search_and_bind(cfg: &LdapConfig, ldap: &mut Ldap, filter: &str, normalized: &NormalizedLogin, password: &str) -> Result<DirectoryUser, DirectoryError> {
    // 1. Service account.
    if !cfg.bind_dn.is_empty() {
        match ldap.with_timeout(cfg.timeout).simple_bind(&cfg.bind_dn, &cfg.bind_password).await {
            Ok(res) if res.rc == 0 => {}
            Ok(res) => {
                log::error!("directory: service account {} rejected by {} (result code {}: {})", cfg.bind_dn, cfg.url, res.rc, res.text);
                return Err(DirectoryError::Unavailable(format!("service account bind failed (result code {})", res.rc)));
            }
            Err(e) => return Err(unavailable("service account bind", cfg, e)),
        }
    }

    // 2. Search the user.
    let attrs = requested_attributes(&cfg.attributes);
    let time_limit = i32::try_from(cfg.timeout.as_secs().max(1)).unwrap_or(i32::MAX);
    let search =
        ldap.with_timeout(cfg.timeout).with_search_options(SearchOptions::new().sizelimit(2).timelimit(time_limit)).search(&cfg.base_dn, Scope::Subtree, filter, attrs).await;
    let (entries, res) = match search {
        Ok(ldap3::SearchResult(entries, res)) => (entries, res),
        Err(e) => return Err(unavailable("user search", cfg, e)),
    };
    match res.rc {
        0 | RC_REFERRAL => {}
        // More than one entry matched the filter (size limit 2 reached).
        RC_SIZE_LIMIT_EXCEEDED => {
            log::warn!("directory: login matched several entries, refusing it");
            return Err(DirectoryError::InvalidCredentials);
        }
        rc => {
            log::warn!("directory: user search on {} failed (result code {}: {})", cfg.url, rc, res.text);
            return Err(DirectoryError::Unavailable(format!("user search failed (result code {rc})")));
        }
    }
    let mut entries = entries.into_iter();
    let entry = match (entries.next(), entries.next()) {
        (Some(entry), None) => SearchEntry::construct(entry),
        (None, _) => {
            log::debug!("directory: no entry matches the login");
            return Err(DirectoryError::InvalidCredentials);
        }
        (Some(_), Some(_)) => {
            log::warn!("directory: login matched several entries, refusing it");
            return Err(DirectoryError::InvalidCredentials);
        }
    };
    if entry.dn.is_empty() {
        // A bind with an empty DN is anonymous: never treat it as the user's.
        return Err(DirectoryError::InvalidCredentials);
    }
    let attributes = lowercase_keys(entry.attrs);

    // 3. Disabled accounts (Active Directory's userAccountControl).
    if let Some(uac) = first_value(&attributes, UAC_ATTRIBUTE) {
        if uac.trim().parse::<i64>().map(|v| v & UAC_ACCOUNT_DISABLE != 0).unwrap_or(false) {
            log::info!("directory: login refused, account {} is disabled", entry.dn);
            return Err(DirectoryError::Disabled);
        }
    }

    // 4. The user's own bind.
    match ldap.with_timeout(cfg.timeout).simple_bind(&entry.dn, password).await {
        Ok(res) if res.rc == 0 => {}
        Ok(res) if res.rc == RC_INVALID_CREDENTIALS => {
            log::debug!("directory: wrong password for {}", entry.dn);
            return Err(DirectoryError::InvalidCredentials);
        }
        Ok(res) => {
            log::warn!("directory: bind as {} failed (result code {}: {})", entry.dn, res.rc, res.text);
            return Err(DirectoryError::Unavailable(format!("user bind failed (result code {})", res.rc)));
        }
        Err(e) => return Err(unavailable("user bind", cfg, e)),
    }

    let get = |name: &str| -> Option<String> {
        if name.trim().is_empty() {
            None
        } else {
            first_value(&attributes, name).map(str::to_string)
        }
    };
    let username = get(&cfg.attributes.username).unwrap_or_else(|| {
        log::warn!("directory: entry {} has no '{}' attribute, using the typed login name", entry.dn, cfg.attributes.username);
        normalized.username.clone()
    });
    let identity_number = get(&cfg.attributes.identity_number).and_then(|raw| match crate::users::domain::normalize_identity_number(&raw) {
        Ok(n) => Some(n),
        Err(why) => {
            log::warn!("directory: entry {} has an unusable '{}' ({why}), ignored", entry.dn, cfg.attributes.identity_number);
            None
        }
    });
    Ok(DirectoryUser {
        dn: entry.dn,
        username: username.to_lowercase(),
        display_name: get(&cfg.attributes.display_name),
        email: get(&cfg.attributes.email),
        phone: get(&cfg.attributes.phone),
        department: get(&cfg.attributes.department),
        company: get(&cfg.attributes.company),
        identity_number,
    })
}

fn unavailable(step: &str, cfg: &LdapConfig, e: LdapError) -> DirectoryError {
    log::warn!("directory: {} on {} failed: {}", step, cfg.url, e);
    DirectoryError::Unavailable(format!("{step} failed: {e}"))
}

/// The mapped attributes plus `userAccountControl`, without empty or repeated names.
fn requested_attributes(map: &LdapAttributes) -> Vec<String> {
    let mut attrs: Vec<String> = Vec::new();
    for name in [&map.username, &map.display_name, &map.email, &map.phone, &map.department, &map.company, &map.identity_number].into_iter().map(|s| s.trim()).chain([UAC_ATTRIBUTE])
    {
        if !name.is_empty() && !attrs.iter().any(|a| a.eq_ignore_ascii_case(name)) {
            attrs.push(name.to_string());
        }
    }
    attrs
}

/// Servers return attribute names as spelled in their schema, not as requested.
fn lowercase_keys(attrs: HashMap<String, Vec<String>>) -> HashMap<String, Vec<String>> {
    attrs.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()
}

/// First non-blank value of an attribute (looked up case-insensitively).
fn first_value<'a>(attrs: &'a HashMap<String, Vec<String>>, name: &str) -> Option<&'a str> {
    attrs.get(&name.trim().to_ascii_lowercase())?.iter().map(|v| v.as_str()).find(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(username: &str, principal: Option<&str>) -> NormalizedLogin {
        NormalizedLogin { username: username.into(), principal: principal.map(Into::into) }
    }

    fn cfg(filter: &str, upn: Option<&str>) -> LdapConfig {
        LdapConfig {
            url: "ldap://127.0.0.1:1".into(),
            bind_dn: "cn=svc".into(),
            bind_password: "x".into(),
            base_dn: "dc=example,dc=org".into(),
            user_filter: filter.into(),
            upn_attribute: upn.map(Into::into),
            attributes: LdapAttributes::default(),
            timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn plain_name_is_trimmed_and_keeps_case() {
        assert_eq!(normalize_login("maria.gomez"), n("maria.gomez", None));
        assert_eq!(normalize_login("  MARIA.Gomez \t"), n("MARIA.Gomez", None));
    }

    #[test]
    fn domain_prefix_is_stripped() {
        assert_eq!(normalize_login(r"EXAMPLE\maria.gomez"), n("maria.gomez", None));
        assert_eq!(normalize_login(r" example\ maria.gomez "), n("maria.gomez", None));
        assert_eq!(normalize_login(r"\maria.gomez"), n("maria.gomez", None));
    }

    #[test]
    fn principal_name_is_split() {
        assert_eq!(normalize_login("maria.gomez@example.org"), n("maria.gomez", Some("maria.gomez@example.org")));
        assert_eq!(normalize_login(r" EXAMPLE\Maria.Gomez@Example.org "), n("Maria.Gomez", Some("Maria.Gomez@Example.org")));
        assert_eq!(normalize_login("maria.gomez@"), n("maria.gomez", None));
    }

    #[test]
    fn nothing_usable_gives_empty_name() {
        for login in ["", "   ", r"\", r"EXAMPLE\", "@example.org", r"EXAMPLE\@example.org", " @ "] {
            assert_eq!(normalize_login(login).username, "", "login {login:?}");
        }
    }

    #[test]
    fn filter_escapes_user_input() {
        let c = cfg("(sAMAccountName={username})", Some("userPrincipalName"));
        assert_eq!(build_filter(&c, &n("*)(uid=*", None)), r"(sAMAccountName=\2a\29\28uid=\2a)");
        assert_eq!(build_filter(&c, &n("a\\b\0", None)), r"(sAMAccountName=a\5cb\00)");
        assert_eq!(build_filter(&c, &n("x*", Some("x*@dom)"))), r"(|(userPrincipalName=x\2a@dom\29)(sAMAccountName=x\2a))");
    }

    #[test]
    fn filter_uses_upn_only_when_configured() {
        let login = normalize_login("ana.lopez@example.org");
        assert_eq!(build_filter(&cfg("(uid={username})", None), &login), "(uid=ana.lopez)");
        assert_eq!(build_filter(&cfg("uid={username}", Some(" ")), &login), "(uid=ana.lopez)");
        assert_eq!(
            build_filter(&cfg("(&(objectClass=user)(sAMAccountName={username}))", Some("userPrincipalName")), &login),
            "(|(userPrincipalName=ana.lopez@example.org)(&(objectClass=user)(sAMAccountName=ana.lopez)))"
        );
    }

    #[test]
    fn requested_attributes_are_deduplicated() {
        let map = LdapAttributes { company: String::new(), email: "SAMACCOUNTNAME".into(), ..LdapAttributes::default() };
        assert_eq!(requested_attributes(&map), vec!["sAMAccountName", "displayName", "telephoneNumber", "department", "employeeNumber", "userAccountControl"]);
    }

    #[tokio::test]
    async fn empty_input_never_contacts_the_server() {
        // Port 1 on loopback: if the server were contacted this would be Unavailable.
        let c = cfg("(uid={username})", None);
        for (login, password) in [("maria.gomez", ""), ("", "secret"), (r"EXAMPLE\", "secret"), ("  ", "x")] {
            assert!(matches!(authenticate(&c, login, password).await, Err(DirectoryError::InvalidCredentials)), "{login:?}");
        }
    }
}
