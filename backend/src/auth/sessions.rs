//! Refresh tokens: random, stored only as SHA-256, rotated on every use. Presenting a token that
//! was already rotated means it leaked, so the whole family (that login's chain) is revoked.
use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::time::Duration;
use uuid::Uuid;

use crate::db::schema::refresh_tokens as rt;

pub struct IssuedRefresh {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

pub enum Rotation {
    Rotated { user_id: Uuid, refresh: IssuedRefresh },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already used once: the family has now been revoked.
    Reused,
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn issue(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Option<Uuid>,
    ttl: Duration,
) -> QueryResult<IssuedRefresh> {
    let token = new_token();
    let expires_at = Utc::now() + chrono::Duration::from_std(ttl).expect("ttl fits");
    diesel::insert_into(rt::table)
        .values((
            rt::id.eq(Uuid::now_v7()),
            rt::user_id.eq(user_id),
            rt::family_id.eq(family_id.unwrap_or_else(Uuid::now_v7)),
            rt::token_hash.eq(digest(&token)),
            rt::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(IssuedRefresh { token, expires_at })
}

pub async fn rotate(conn: &mut AsyncPgConnection, token: &str, ttl: Duration) -> QueryResult<Rotation> {
    let hash = digest(token);
    conn.transaction(async move |conn| -> QueryResult<Rotation> {
            let row: Option<(Uuid, Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>)> = rt::table
                .filter(rt::token_hash.eq(&hash))
                .select((rt::id, rt::user_id, rt::family_id, rt::expires_at, rt::used_at, rt::revoked_at))
                .for_update()
                .first(conn)
                .await
                .optional()?;
            let Some((id, user_id, family_id, expires_at, used_at, revoked_at)) = row else {
                return Ok(Rotation::Invalid);
            };
            if used_at.is_some() {
                revoke_family_by_id(conn, family_id).await?;
                return Ok(Rotation::Reused);
            }
            if revoked_at.is_some() || expires_at <= Utc::now() {
                return Ok(Rotation::Invalid);
            }
            diesel::update(rt::table.find(id)).set(rt::used_at.eq(Utc::now())).execute(conn).await?;
            let refresh = issue(conn, user_id, Some(family_id), ttl).await?;
            Ok(Rotation::Rotated { user_id, refresh })
        })
    .await
}

async fn revoke_family_by_id(conn: &mut AsyncPgConnection, family_id: Uuid) -> QueryResult<usize> {
    diesel::update(rt::table.filter(rt::family_id.eq(family_id)).filter(rt::revoked_at.is_null()))
        .set(rt::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await
}

/// Logout: revokes the token's whole family. Unknown tokens are ignored (logout is idempotent).
pub async fn revoke(conn: &mut AsyncPgConnection, token: &str) -> QueryResult<()> {
    let family: Option<Uuid> =
        rt::table.filter(rt::token_hash.eq(digest(token))).select(rt::family_id).first(conn).await.optional()?;
    if let Some(family_id) = family {
        revoke_family_by_id(conn, family_id).await?;
    }
    Ok(())
}

/// Every session of a user, e.g. when an admin deactivates the account.
pub async fn revoke_all_for_user(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<usize> {
    diesel::update(rt::table.filter(rt::user_id.eq(user_id)).filter(rt::revoked_at.is_null()))
        .set(rt::revoked_at.eq(Utc::now()))
        .execute(conn)
        .await
}
