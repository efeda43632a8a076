//! When a failed job runs again, and when it gives up: pure, so the schedule is unit-tested and
//! every queue that delivers through the runner (SLA work, the mail outbox's rows — see
//! `notify::delivery::RETRY` —, webhooks next) shares it.
use chrono::{DateTime, Duration, Utc};

/// How a kind of job retries. Delays double from `first_delay` up to `max_delay`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in a row (counting the first run) before the job is marked failed.
    pub max_attempts: i32,
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// A recurring job is never abandoned: after `max_attempts` failures in a row it is flagged
    /// failed (admins see it and its error) but keeps running every `max_delay`.
    pub recurring: bool,
}

/// Share of a delay that jitter may take off, so runners retrying after a shared outage do not
/// all come back in the same second.
const JITTER_SHARE: f64 = 0.2;

/// What the runner does with a job whose attempt number `attempts` just failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Run it again at this time.
    Retry { at: DateTime<Utc> },
    /// Mark it failed; a recurring job is still run again at `next_run`, a one-off is not.
    GiveUp { next_run: Option<DateTime<Utc>> },
}

impl RetryPolicy {
    /// The delay after the `attempt`-th failure (1-based): `first_delay · 2^(attempt−1)`, at most
    /// `max_delay`, shortened by up to a fifth by `jitter` (a number in [0, 1)), never lengthened,
    /// so `max_delay` is a true bound.
    pub fn delay(&self, attempt: i32, jitter: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).clamp(0, 30) as u32;
        let full = self.first_delay.num_milliseconds().saturating_mul(1_i64 << doublings).min(self.max_delay.num_milliseconds());
        let jitter = jitter.clamp(0.0, 1.0);
        Duration::milliseconds(full - (full as f64 * JITTER_SHARE * jitter) as i64)
    }

    /// The decision after attempt number `attempts` failed at `now`.
    pub fn after_failure(&self, attempts: i32, now: DateTime<Utc>, jitter: f64) -> AfterFailure {
        let next = now + self.delay(attempts, jitter);
        if attempts < self.max_attempts {
            AfterFailure::Retry { at: next }
        } else {
            AfterFailure::GiveUp { next_run: self.recurring.then_some(next) }
        }
    }

    /// Whether a claim with this attempt number is past the allowed ones: earlier runners took it
    /// and stopped (crashed, killed) before recording any outcome.
    pub fn abandoned(&self, attempts: i32) -> bool {
        !self.recurring && attempts > self.max_attempts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(recurring: bool) -> RetryPolicy {
        RetryPolicy { max_attempts: 5, first_delay: Duration::seconds(30), max_delay: Duration::minutes(5), recurring }
    }

    #[test]
    fn delays_double_up_to_the_bound() {
        let p = policy(false);
        let secs: Vec<i64> = (1..=7).map(|n| p.delay(n, 0.0).num_seconds()).collect();
        assert_eq!(secs, [30, 60, 120, 240, 300, 300, 300]);
        // Far past any real attempt count, no overflow.
        assert_eq!(p.delay(i32::MAX, 0.0), Duration::minutes(5));
        assert_eq!(p.delay(0, 0.0), Duration::seconds(30));
        assert_eq!(p.delay(-3, 0.0), Duration::seconds(30));
    }

    #[test]
    fn jitter_only_shortens_and_by_at_most_a_fifth() {
        let p = policy(false);
        for attempt in 1..=8 {
            let full = p.delay(attempt, 0.0);
            for j in [0.0, 0.25, 0.5, 0.999, 1.0, 7.0, -1.0] {
                let d = p.delay(attempt, j);
                assert!(d <= full && d >= full * 4 / 5, "attempt {attempt}, jitter {j}: {d}");
            }
        }
        // Even the most jittered delay grows while it doubles.
        assert!(p.delay(2, 0.999) > p.delay(1, 0.0));
    }

    #[test]
    fn a_one_off_job_gives_up_after_its_last_attempt() {
        let p = policy(false);
        let now = Utc::now();
        for n in 1..5 {
            assert_eq!(p.after_failure(n, now, 0.0), AfterFailure::Retry { at: now + p.delay(n, 0.0) });
        }
        assert_eq!(p.after_failure(5, now, 0.0), AfterFailure::GiveUp { next_run: None });
        assert_eq!(p.after_failure(6, now, 0.0), AfterFailure::GiveUp { next_run: None });
        assert!(!p.abandoned(5));
        assert!(p.abandoned(6));
    }

    #[test]
    fn a_recurring_job_is_flagged_but_keeps_running() {
        let p = policy(true);
        let now = Utc::now();
        assert_eq!(p.after_failure(4, now, 0.0), AfterFailure::Retry { at: now + Duration::minutes(4) });
        assert_eq!(p.after_failure(5, now, 0.0), AfterFailure::GiveUp { next_run: Some(now + Duration::minutes(5)) });
        assert_eq!(p.after_failure(50, now, 0.0), AfterFailure::GiveUp { next_run: Some(now + Duration::minutes(5)) });
        assert!(!p.abandoned(500));
    }
}
