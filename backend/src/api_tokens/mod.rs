//! API tokens: long-lived bearer credentials for integrations and scripts. Each acts as one user
//! and only within its scopes (both the user's role and the token's scopes must allow an
//! operation); optional expiry and source networks; only a SHA-256 of the secret is stored.
pub mod auth;
pub mod routes;
pub mod scopes;

use std::net::IpAddr;

use base64::Engine;
use ipnet::IpNet;
use sha2::{Digest, Sha256};

/// What every API token starts with, so the extractor tells them from login (JWT) tokens and
/// secret scanners can find leaked ones.
pub const TOKEN_PREFIX: &str = "mesa_";

/// Characters of the token kept in clear (`mesa_` and 7 more) to tell tokens apart in lists.
const SHOWN_CHARS: usize = 12;

/// A new secret: `mesa_` + base64url of 32 random bytes (256 bits).
pub fn generate() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored and looked up: the secret's SHA-256 (the secret has 256 random bits, so a fast
/// hash suffices; a password hash would cost every request).
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The start of the token shown in lists.
pub fn shown_prefix(token: &str) -> String {
    token.chars().take(SHOWN_CHARS).collect()
}

/// Whether the text could be an API token at all (a cheap check before any query).
pub fn looks_like_token(token: &str) -> bool {
    token.len() == TOKEN_PREFIX.len() + 43 && token.starts_with(TOKEN_PREFIX) && token[TOKEN_PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A network in CIDR notation (`10.20.0.0/16`, `2001:db8::/32`) or one address (`10.20.1.5`),
/// in canonical form (host bits cleared).
pub fn parse_network(text: &str) -> Option<IpNet> {
    let text = text.trim();
    let net = match text.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => IpNet::from(text.parse::<IpAddr>().ok()?),
    };
    Some(net.trunc())
}

/// Whether a caller at `ip` may use a token limited to `networks` (empty: from anywhere). An
/// unknown address passes only an unlimited token. IPv4-mapped IPv6 addresses count as IPv4.
pub fn allowed_from(networks: &[String], ip: Option<IpAddr>) -> bool {
    if networks.is_empty() {
        return true;
    }
    let Some(ip) = ip.map(|ip| ip.to_canonical()) else { return false };
    networks.iter().filter_map(|n| parse_network(n)).any(|n| n.contains(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_recognised() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(looks_like_token(&a), "{a}");
        assert_eq!(a.len(), 48);
        assert_eq!(shown_prefix(&a).len(), 12);
        assert!(a.starts_with(&shown_prefix(&a)));
        assert_eq!(hash(&a).len(), 32);
        assert_ne!(hash(&a), hash(&b));
        assert!(!looks_like_token("mesa_short"));
        assert!(!looks_like_token("eyJhbGciOiJIUzI1NiJ9.e30.sig"));
        assert!(!looks_like_token(&format!("{}!", &a[..47])));
    }

    #[test]
    fn networks_parse_and_match() {
        assert_eq!(parse_network("10.20.3.4/16").unwrap().to_string(), "10.20.0.0/16");
        assert_eq!(parse_network(" 192.168.1.7 ").unwrap().to_string(), "192.168.1.7/32");
        assert_eq!(parse_network("2001:db8::1/32").unwrap().to_string(), "2001:db8::/32");
        for bad in ["", "10.0.0.0/33", "10.0.0", "intranet", "10.0.0.0/8/8", "::/129"] {
            assert!(parse_network(bad).is_none(), "{bad}");
        }
        let nets = vec!["10.20.0.0/16".to_owned(), "2001:db8::/32".to_owned()];
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(allowed_from(&nets, ip("10.20.255.1")));
        assert!(allowed_from(&nets, ip("::ffff:10.20.0.9")), "IPv4-mapped");
        assert!(allowed_from(&nets, ip("2001:db8:ffff::1")));
        assert!(!allowed_from(&nets, ip("10.21.0.1")));
        assert!(!allowed_from(&nets, ip("127.0.0.1")));
        assert!(!allowed_from(&nets, None));
        assert!(allowed_from(&[], None), "no limit");
    }
}
