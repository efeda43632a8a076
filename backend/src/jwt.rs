//! Short-lived access tokens (HS256 JWT). Outside `auth` so the shared state can hold the keys
//! without the state and the authentication importing each other.
use std::time::Duration;

use hmac::{Hmac, Mac};
use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::users::domain::Role;

const ISSUER: &str = "mesa";

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub iss: String,
    /// The user's `token_generation` at issue; the token is refused once it moves. Tokens issued
    /// before the claim existed read as 0, the column's initial value.
    #[serde(default, rename = "gen")]
    pub generation: i32,
}

/// The only signature Mesa issues or accepts. jsonwebtoken's bundled backends bring every
/// algorithm (RSA, ECDSA, EdDSA and their crates); this provider is HMAC-SHA256 over the `hmac`
/// and `sha2` crates the API already uses, and refuses any other algorithm.
static HS256_ONLY: CryptoProvider = CryptoProvider { signer_factory: hs256_signer, verifier_factory: hs256_verifier, key_utils: KeyUtils::new_unimplemented() };

struct Hs256(Hmac<sha2::Sha256>);

impl Hs256 {
    fn new(algorithm: &Algorithm, secret: &[u8]) -> Result<Self, JwtError> {
        if *algorithm != Algorithm::HS256 {
            return Err(ErrorKind::InvalidAlgorithm.into());
        }
        Hmac::new_from_slice(secret).map(Hs256).map_err(|_| ErrorKind::InvalidKeyFormat.into())
    }
}

impl Signer<Vec<u8>> for Hs256 {
    fn try_sign(&self, msg: &[u8]) -> Result<Vec<u8>, signature::Error> {
        Ok(self.0.clone().chain_update(msg).finalize().into_bytes().to_vec())
    }
}

impl Verifier<Vec<u8>> for Hs256 {
    fn verify(&self, msg: &[u8], tag: &Vec<u8>) -> Result<(), signature::Error> {
        // `verify_slice` compares in constant time.
        self.0.clone().chain_update(msg).verify_slice(tag).map_err(signature::Error::from_source)
    }
}

impl JwtSigner for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

impl JwtVerifier for Hs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::HS256
    }
}

fn hs256_signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>, JwtError> {
    Ok(Box::new(Hs256::new(algorithm, key.as_bytes())?))
}

fn hs256_verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, JwtError> {
    Ok(Box::new(Hs256::new(algorithm, key.try_get_as_bytes()?)?))
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        // Once per process; a second call finds it installed, which is the same provider.
        let _ = HS256_ONLY.install_default();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        validation.leeway = 5;
        JwtKeys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation, ttl }
    }

    pub fn issue(&self, user_id: Uuid, role: Role, generation: i32, now: i64) -> String {
        let claims = Claims { sub: user_id, role, iat: now, exp: now + self.ttl.as_secs() as i64, jti: Uuid::new_v4(), iss: ISSUER.to_owned(), generation };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).expect("HS256 signing cannot fail")
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef", Duration::from_secs(900))
    }

    #[test]
    fn issues_and_verifies() {
        let id = Uuid::now_v7();
        let now = chrono::Utc::now().timestamp();
        let c = keys().verify(&keys().issue(id, Role::Agent, 3, now)).unwrap();
        assert_eq!((c.sub, c.role, c.exp - c.iat, c.generation), (id, Role::Agent, 900, 3));
    }

    #[test]
    fn rejects_expired_tampered_and_foreign_tokens() {
        let id = Uuid::now_v7();
        let now = chrono::Utc::now().timestamp();
        let expired = keys().issue(id, Role::Admin, 0, now - 3600);
        assert!(keys().verify(&expired).is_err());

        let token = keys().issue(id, Role::Requester, 0, now);
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        // Swap in a payload claiming admin; the signature no longer matches.
        let forged = keys().issue(id, Role::Admin, 0, now);
        parts[1] = forged.split('.').nth(1).unwrap().to_owned();
        assert!(keys().verify(&parts.join(".")).is_err());

        let other = JwtKeys::new(b"another-secret-another-secret-xx", Duration::from_secs(900));
        assert!(keys().verify(&other.issue(id, Role::Admin, 0, now)).is_err());
        assert!(keys().verify("not.a.jwt").is_err());
    }

    #[test]
    fn matches_the_reference_signature_and_refuses_other_algorithms() {
        let k = keys();
        // The JWT RFC's HS256 example (RFC 7515 A.1) signs with this provider as with any other.
        let secret =
            base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
                .unwrap();
        let input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let signed = jsonwebtoken::crypto::sign(input.as_bytes(), &EncodingKey::from_secret(&secret), Algorithm::HS256).unwrap();
        assert_eq!(signed, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        // A token claiming another algorithm is refused, not verified with the secret.
        for alg in [Algorithm::HS512, Algorithm::RS256, Algorithm::ES256] {
            assert!(jsonwebtoken::crypto::sign(b"x", &EncodingKey::from_secret(b"k"), alg).is_err(), "{alg:?}");
        }
        let token = k.issue(Uuid::now_v7(), Role::Admin, 0, chrono::Utc::now().timestamp());
        let mut parts: Vec<&str> = token.split('.').collect();
        let rs256 = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, r#"{"alg":"RS256","typ":"JWT"}"#);
        parts[0] = &rs256;
        assert!(k.verify(&parts.join(".")).is_err());
    }
}
