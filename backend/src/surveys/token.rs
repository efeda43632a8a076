//! Survey links. The token is the survey's id followed by a MAC of it (HMAC-SHA256, truncated to
//! 128 bits) under a key derived from the server's secret (`MESA_JWT_SECRET`): unguessable, and
//! nothing of it is stored, so the link can be written again for a reminder while only the id is
//! kept. Single use and expiry are the survey row's state, not the token's. Changing the secret
//! invalidates every outstanding link.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

const MAC_LEN: usize = 16;

#[derive(Clone)]
pub struct LinkKey([u8; 32]);

impl LinkKey {
    /// Derived, so a survey MAC is never a valid signature of anything else signed with the secret.
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        m.update(b"mesa/survey-link/v1");
        LinkKey(m.finalize().into_bytes().into())
    }

    fn mac(&self, id: Uuid) -> Hmac<Sha256> {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        m.update(id.as_bytes());
        m
    }

    /// 43 URL-safe characters.
    pub fn token(&self, id: Uuid) -> String {
        let mut raw = id.as_bytes().to_vec();
        raw.extend_from_slice(&self.mac(id).finalize().into_bytes()[..MAC_LEN]);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The survey a token names, if its MAC is ours (compared in constant time).
    pub fn verify(&self, token: &str) -> Option<Uuid> {
        if token.len() > 64 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        if raw.len() != 16 + MAC_LEN {
            return None;
        }
        let id = Uuid::from_slice(&raw[..16]).ok()?;
        self.mac(id).verify_truncated_left(&raw[16..]).ok()?;
        Some(id)
    }
}

/// A request path as logs may show it: a survey link's token is a credential.
pub fn redact_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/api/v1/surveys/", "/survey/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            if !rest.is_empty() && rest != "results" {
                return format!("{prefix}…").into();
            }
        }
    }
    path.into()
}

/// `{public_url}/survey/{token}`, whether or not the public URL ends with a slash.
pub fn url(public_url: &url::Url, token: &str) -> String {
    format!("{}/survey/{token}", public_url.as_str().trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_under_their_key_and_unaltered() {
        let key = LinkKey::from_secret(b"0123456789abcdef0123456789abcdef");
        let id = Uuid::now_v7();
        let t = key.token(id);
        assert_eq!(t.len(), 43);
        assert_eq!(key.verify(&t), Some(id));
        assert_eq!(key.token(id), t, "the same link can be written again");
        // Another key, another survey's id with this MAC, a flipped character, garbage.
        assert_eq!(LinkKey::from_secret(b"another secret another secret!!!").verify(&t), None);
        let other = Uuid::now_v7();
        let mut forged = other.as_bytes().to_vec();
        forged.extend_from_slice(&URL_SAFE_NO_PAD.decode(&t).unwrap()[16..]);
        assert_eq!(key.verify(&URL_SAFE_NO_PAD.encode(forged)), None);
        let mut flipped = t.clone().into_bytes();
        flipped[40] = if flipped[40] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.verify(std::str::from_utf8(&flipped).unwrap()), None);
        for bad in ["", "x", "not a token at all", &"A".repeat(43), &"A".repeat(5000), "\0"] {
            assert_eq!(key.verify(bad), None, "{bad}");
        }
    }

    #[test]
    fn logs_never_show_a_token() {
        assert_eq!(redact_path("/api/v1/surveys/abcDEF"), "/api/v1/surveys/…");
        assert_eq!(redact_path("/survey/abcDEF"), "/survey/…");
        assert_eq!(redact_path("/api/v1/surveys/results"), "/api/v1/surveys/results");
        assert_eq!(redact_path("/api/v1/tickets/4/survey"), "/api/v1/tickets/4/survey");
    }

    #[test]
    fn links_join_the_public_url() {
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(url(&u("https://mesa.cali.gov.co"), "T"), "https://mesa.cali.gov.co/survey/T");
        assert_eq!(url(&u("https://x.gov.co/mesa/"), "T"), "https://x.gov.co/mesa/survey/T");
    }
}
