//! Refresh tokens: random, stored only as SHA-256, rotated on every use. Presenting a token that
//! was already rotated means it leaked, so the whole family (that login's chain) is revoked —
//! except within a short grace window after the rotation, when it is a second tab of the same
//! browser refreshing at the same moment, which gets the same successor.
use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

use crate::db::schema::{refresh_tokens as rt, users};
use crate::users::domain::UserRow;

/// How long after a rotation the old token is answered with its successor instead of being
/// taken as reuse: long enough for tabs refreshing together, short for a thief.
pub const REUSE_GRACE: Duration = Duration::from_secs(30);

/// Most rotations followed from a token presented within its grace window to the live one.
const MAX_CHAIN: usize = 16;

pub struct IssuedRefresh {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub enum Rotation {
    /// `user` is read under a share lock in the rotation's transaction, so a password reset or
    /// deactivation either waits for it (and then revokes the new token and raises the user's
    /// token generation) or is seen by it.
    Rotated { user: Box<UserRow>, refresh: IssuedRefresh },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already used once, longer ago than the grace window: the family has now been revoked.
    Reused,
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    encode(&bytes)
}

/// The token that replaces `token` when it is rotated: HMAC-SHA256 of it under the server secret.
/// Derived rather than random so that a parallel refresh with the same old token can be given the
/// same successor while only hashes are stored; without the secret it is as unguessable as a
/// random token, and anyone holding the old token could get it by refreshing anyway.
fn successor(secret: &[u8], token: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"mesa refresh token successor\0");
    mac.update(token.as_bytes());
    encode(&mac.finalize().into_bytes())
}

/// A new family (a login).
pub async fn issue(conn: &mut AsyncPgConnection, user_id: Uuid, ttl: Duration) -> QueryResult<IssuedRefresh> {
    insert(conn, user_id, Uuid::now_v7(), new_token(), ttl).await
}

async fn insert(conn: &mut AsyncPgConnection, user_id: Uuid, family_id: Uuid, token: String, ttl: Duration) -> QueryResult<IssuedRefresh> {
    let expires_at = Utc::now() + chrono::Duration::from_std(ttl).expect("ttl fits");
    diesel::insert_into(rt::table)
        .values((rt::id.eq(Uuid::now_v7()), rt::user_id.eq(user_id), rt::family_id.eq(family_id), rt::token_hash.eq(digest(&token)), rt::expires_at.eq(expires_at)))
        .execute(conn)
        .await?;
    Ok(IssuedRefresh { token, expires_at })
}

/// user, family, expires, used, revoked.
type TokenState = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
/// expires, used, revoked.
type ChainState = (DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

pub async fn rotate(conn: &mut AsyncPgConnection, token: &str, ttl: Duration, secret: &[u8]) -> QueryResult<Rotation> {
    let token = token.to_owned();
    let secret = secret.to_owned();
    conn.transaction(async move |conn| -> QueryResult<Rotation> {
        // The row lock makes parallel refreshes with one token take turns: the first rotates it,
        // the others find it used moments ago.
        let row: Option<(Uuid, TokenState)> = rt::table
            .filter(rt::token_hash.eq(digest(&token)))
            .select((rt::id, (rt::user_id, rt::family_id, rt::expires_at, rt::used_at, rt::revoked_at)))
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some((id, (user_id, family_id, expires_at, used_at, revoked_at))) = row else {
            return Ok(Rotation::Invalid);
        };
        let now = Utc::now();
        if revoked_at.is_some() {
            return Ok(Rotation::Invalid);
        }
        let refresh = match used_at {
            Some(used) if now - used <= chrono::Duration::from_std(REUSE_GRACE).expect("grace fits") => match live_successor(conn, &secret, &token, now).await? {
                Some(refresh) => refresh,
                None => return Ok(Rotation::Invalid),
            },
            Some(_) => {
                revoke_family_by_id(conn, family_id).await?;
                return Ok(Rotation::Reused);
            }
            None if expires_at <= now => return Ok(Rotation::Invalid),
            None => {
                diesel::update(rt::table.find(id)).set(rt::used_at.eq(now)).execute(conn).await?;
                insert(conn, user_id, family_id, successor(&secret, &token), ttl).await?
            }
        };
        let user = users::table.find(user_id).select(UserRow::as_select()).for_share().first(conn).await?;
        Ok(Rotation::Rotated { user: Box::new(user), refresh })
    })
    .await
}

/// The newest token of the chain after `token`: its successor, or that one's when it was rotated
/// too (a tab that was slower than another one's next refresh). `None` when revoked or expired.
async fn live_successor(conn: &mut AsyncPgConnection, secret: &[u8], token: &str, now: DateTime<Utc>) -> QueryResult<Option<IssuedRefresh>> {
    let mut next = successor(secret, token);
    for _ in 0..MAX_CHAIN {
        let row: Option<ChainState> = rt::table.filter(rt::token_hash.eq(digest(&next))).select((rt::expires_at, rt::used_at, rt::revoked_at)).first(conn).await.optional()?;
        match row {
            Some((expires_at, None, None)) if expires_at > now => return Ok(Some(IssuedRefresh { token: next, expires_at })),
            Some((_, Some(_), None)) => next = successor(secret, &next),
            _ => return Ok(None),
        }
    }
    Ok(None)
}

async fn revoke_family_by_id(conn: &mut AsyncPgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(rt::table.filter(rt::family_id.eq(family_id)).filter(rt::revoked_at.is_null())).set(rt::revoked_at.eq(Utc::now())).execute(conn).await
}

/// Logout: revokes the token's whole family and raises the user's token generation, which ends
/// their access tokens (every one of them: a token does not say which login it came from; the
/// user's other sessions get a new access token with their next refresh). Unknown or already
/// revoked tokens change nothing (logout is idempotent). Returns whether a session ended.
pub async fn revoke(conn: &mut AsyncPgConnection, token: &str) -> QueryResult<bool> {
    let hash = digest(token);
    conn.transaction(async move |conn| -> QueryResult<bool> {
        let found: Option<(Uuid, Uuid)> = rt::table.filter(rt::token_hash.eq(hash)).select((rt::family_id, rt::user_id)).first(conn).await.optional()?;
        let Some((family_id, user_id)) = found else {
            return Ok(false);
        };
        if revoke_family_by_id(conn, family_id).await? == 0 {
            return Ok(false);
        }
        end_access_tokens(conn, user_id).await?;
        Ok(true)
    })
    .await
}

/// Raises the user's token generation: every access token issued so far is refused from now on.
pub async fn end_access_tokens(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<()> {
    diesel::update(users::table.find(user_id)).set(users::token_generation.eq(users::token_generation + 1)).execute(conn).await?;
    Ok(())
}

/// Every session of a user, e.g. when an admin deactivates the account.
pub async fn revoke_all_for_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(rt::table.filter(rt::user_id.eq(user_id)).filter(rt::revoked_at.is_null())).set(rt::revoked_at.eq(Utc::now())).execute(conn).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successors_are_deterministic_per_secret_and_token() {
        let a = successor(b"secret-one", "token");
        assert_eq!(a, successor(b"secret-one", "token"));
        assert_ne!(a, successor(b"secret-two", "token"));
        assert_ne!(a, successor(b"secret-one", "token2"));
        assert_eq!(a.len(), new_token().len());
    }
}
