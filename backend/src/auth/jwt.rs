//! Short-lived access tokens (HS256 JWT).
use std::time::Duration;

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

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
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
}
