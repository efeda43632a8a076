//! Requests per minute for every API endpoint, per bearer token and per client address, in this
//! process's memory (GCRA, `governor`): with several instances behind a balancer each counts its
//! own share. Answers carry the `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and
//! `RateLimit-Policy` fields of draft-ietf-httpapi-ratelimit-headers-07, for the tighter of the
//! two limits; over a limit, 429 `rate_limited` with `Retry-After`.
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use governor::clock::{Clock, QuantaClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

type Keyed = RateLimiter<[u8; 16], DashMapStateStore<[u8; 16]>, QuantaClock, StateInformationMiddleware>;

/// Forgetting the keys whose buckets are full again, every so many requests, bounds the memory.
const SWEEP_EVERY: u64 = 4096;

pub struct RateLimits {
    per_token: Option<Limit>,
    per_address: Option<Limit>,
    clock: QuantaClock,
    requests: AtomicU64,
}

struct Limit {
    per_minute: u32,
    limiter: Keyed,
}

/// What one limiter says of a request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the whole quota is available again.
    pub reset_secs: u64,
    /// Set when the request is refused: seconds until it would pass.
    pub retry_after_secs: Option<u64>,
}

impl RateLimits {
    /// Limits per minute; 0 turns one off.
    pub fn new(per_token: u32, per_address: u32) -> Arc<Self> {
        let clock = QuantaClock::default();
        let limit = |n: u32| {
            NonZeroU32::new(n).map(|n| Limit {
                per_minute: n.get(),
                limiter: RateLimiter::dashmap_with_clock(Quota::per_minute(n), clock.clone()).with_middleware::<StateInformationMiddleware>(),
            })
        };
        Arc::new(RateLimits { per_token: limit(per_token), per_address: limit(per_address), clock, requests: AtomicU64::new(0) })
    }

    fn check(&self, limit: &Limit, key: &[u8; 16]) -> Verdict {
        let period = 60.0 / f64::from(limit.per_minute);
        match limit.limiter.check_key(key) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Verdict { limit: limit.per_minute, remaining, reset_secs: (f64::from(limit.per_minute - remaining) * period).ceil() as u64, retry_after_secs: None }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                let wait_secs = ceil_secs(wait).max(1);
                Verdict { limit: limit.per_minute, remaining: 0, reset_secs: (f64::from(limit.per_minute) * period).ceil() as u64, retry_after_secs: Some(wait_secs) }
            }
        }
    }

    /// The request's verdict: the refusal if any limit refuses, else the one with least left.
    pub fn decide(&self, token: Option<&str>, address: Option<&str>) -> Option<Verdict> {
        if self.requests.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for l in [&self.per_token, &self.per_address].into_iter().flatten() {
                l.limiter.retain_recent();
                l.limiter.shrink_to_fit();
            }
        }
        let mut verdicts = Vec::with_capacity(2);
        if let (Some(l), Some(t)) = (&self.per_token, token) {
            verdicts.push(self.check(l, &key("token", t)));
        }
        if let (Some(l), Some(a)) = (&self.per_address, address) {
            verdicts.push(self.check(l, &key("address", a)));
        }
        verdicts.into_iter().min_by_key(|v| (v.retry_after_secs.is_none(), v.remaining))
    }
}

/// Keys are digests: no credential is kept in memory, and every key has the same small size.
fn key(kind: &str, value: &str) -> [u8; 16] {
    let digest = Sha256::new().chain_update(kind).chain_update([0]).chain_update(value).finalize();
    digest[..16].try_into().expect("16 of 32 bytes")
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The header fields of a verdict (draft-ietf-httpapi-ratelimit-headers-07).
pub fn header_fields(v: &Verdict) -> [(HeaderName, HeaderValue); 4] {
    let num = |n: u64| HeaderValue::from_str(&n.to_string()).expect("digits");
    [
        (HeaderName::from_static("ratelimit-limit"), num(v.limit.into())),
        (HeaderName::from_static("ratelimit-remaining"), num(v.remaining.into())),
        (HeaderName::from_static("ratelimit-reset"), num(v.reset_secs)),
        (HeaderName::from_static("ratelimit-policy"), HeaderValue::from_str(&format!("{};w=60", v.limit)).expect("ascii")),
    ]
}

fn add_fields(headers: &mut HeaderMap, v: &Verdict) {
    for (name, value) in header_fields(v) {
        headers.insert(name, value);
    }
}

pub async fn limit(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let limits = req.app_data::<web::Data<Arc<RateLimits>>>().cloned();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(limits), Some(state)) = (limits, state) else { return Ok(next.call(req).await?.map_into_left_body()) };
    // The operations of the API (not the SPA's files nor the API's documentation).
    if !req.path().starts_with("/api/v1/") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let token = crate::auth::bearer_token(req.headers());
    let address = crate::auth::routes::client_ip(req.request(), &state);
    let Some(verdict) = limits.decide(token.as_deref(), address.as_deref()) else { return Ok(next.call(req).await?.map_into_left_body()) };
    if let Some(retry_after_secs) = verdict.retry_after_secs {
        let mut res = AppError::RateLimited { retry_after_secs }.error_response();
        add_fields(res.headers_mut(), &verdict);
        return Ok(req.into_response(res).map_into_right_body());
    }
    let mut res = next.call(req).await?;
    add_fields(res.headers_mut(), &verdict);
    Ok(res.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surplus_is_refused_and_keys_are_separate() {
        let limits = RateLimits::new(3, 0);
        let verdicts: Vec<Verdict> = (0..4).map(|_| limits.decide(Some("mesa_a"), Some("10.0.0.1")).unwrap()).collect();
        assert_eq!(verdicts.iter().map(|v| v.remaining).collect::<Vec<_>>(), [2, 1, 0, 0]);
        assert!(verdicts[..3].iter().all(|v| v.retry_after_secs.is_none()));
        // One request comes back every 20 s.
        let retry = verdicts[3].retry_after_secs.unwrap();
        assert!((19..=20).contains(&retry), "{retry}");
        assert_eq!(verdicts[0].reset_secs, 20);
        assert_eq!(verdicts[2].reset_secs, 60);
        assert_eq!(limits.decide(Some("mesa_b"), Some("10.0.0.1")).unwrap().remaining, 2, "another token");
        assert_eq!(limits.decide(None, Some("10.0.0.1")), None, "no address limit");
    }

    #[test]
    fn the_tighter_limit_speaks() {
        let limits = RateLimits::new(5, 2);
        let v = limits.decide(Some("t"), Some("a")).unwrap();
        assert_eq!((v.limit, v.remaining), (2, 1));
        limits.decide(Some("t"), Some("a"));
        let refused = limits.decide(Some("t"), Some("a")).unwrap();
        assert_eq!((refused.limit, refused.remaining), (2, 0));
        assert!(refused.retry_after_secs.is_some());
        assert!(limits.decide(Some("t"), Some("b")).unwrap().retry_after_secs.is_none(), "another address");
        assert!(RateLimits::new(0, 0).decide(Some("t"), Some("a")).is_none(), "both off");
    }

    #[test]
    fn header_values() {
        let v = Verdict { limit: 600, remaining: 599, reset_secs: 1, retry_after_secs: None };
        let fields: Vec<(String, String)> = header_fields(&v).iter().map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned())).collect();
        assert_eq!(
            fields,
            [("ratelimit-limit", "600"), ("ratelimit-remaining", "599"), ("ratelimit-reset", "1"), ("ratelimit-policy", "600;w=60")].map(|(a, b)| (a.to_owned(), b.to_owned()))
        );
        assert_eq!(ceil_secs(Duration::from_millis(1500)), 2);
        assert_eq!(ceil_secs(Duration::from_secs(3)), 3);
    }
}
