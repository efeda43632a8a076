//! One SLA clock of one case (time to attend or time to resolve), as pure functions of the
//! calendar, the target, the pauses and "now".
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use uuid::Uuid;

use super::business_time;
use super::calendar::Calendar;
use super::policy::AppliedTarget;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Within,
    /// More than the policy's share (default 75 %) of the target has elapsed.
    AtRisk,
    Breached,
}

/// A clock as the API shows it. Durations are business minutes.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"target_minutes": 480, "elapsed_minutes": 95, "remaining_minutes": 385, "state": "within", "paused": false, "due_at": "2026-12-03T21:15:00Z"}))]
pub struct ClockView {
    pub target_minutes: i64,
    /// `None` while the case is on hold: the due date moves by the paused business time.
    pub due_at: Option<DateTime<Utc>>,
    pub elapsed_minutes: i64,
    /// Negative once breached.
    pub remaining_minutes: i64,
    pub state: ClockState,
    /// Set once the clock stopped (attended / resolved): was the target met?
    pub met: Option<bool>,
    pub paused: bool,
}

pub struct ClockInput<'a> {
    pub start: DateTime<Utc>,
    pub target: Duration,
    /// Periods the clock does not run; an open one (`None` end) runs until now.
    pub pauses: &'a [(DateTime<Utc>, Option<DateTime<Utc>>)],
    /// When the clock stopped for good (the case was taken / resolved), if it did.
    pub stopped_at: Option<DateTime<Utc>>,
}

/// Business time the clock has run by `now`.
pub fn elapsed(cal: &Calendar, c: &ClockInput, now: DateTime<Utc>) -> Duration {
    let end = c.stopped_at.map_or(now, |s| s.min(now));
    business_time::between_with_pauses(cal, c.start, end, c.pauses)
}

/// When the target is reached if nothing else pauses the clock; `None` while paused.
pub fn due(cal: &Calendar, c: &ClockInput) -> Option<DateTime<Utc>> {
    if c.pauses.iter().any(|(_, end)| end.is_none()) {
        return None;
    }
    // The pauses push the due date by the business time they covered (overlaps counted once).
    let until = c.pauses.iter().filter_map(|(_, e)| *e).max().unwrap_or(c.start).max(c.start);
    let paused = business_time::between(cal, c.start, until) - business_time::between_with_pauses(cal, c.start, until, c.pauses);
    Some(business_time::add(cal, c.start, c.target + paused))
}

/// The instant at which `share` of the target has elapsed (for escalation rules); `None` while paused.
pub fn instant_at_share(cal: &Calendar, c: &ClockInput, share: f64) -> Option<DateTime<Utc>> {
    let partial = Duration::milliseconds((c.target.num_milliseconds() as f64 * share).round() as i64);
    due(cal, &ClockInput { target: partial, ..*c })
}

pub fn state(elapsed: Duration, target: Duration, at_risk_share: f64) -> ClockState {
    if elapsed > target {
        ClockState::Breached
    } else if elapsed.num_milliseconds() as f64 >= target.num_milliseconds() as f64 * at_risk_share {
        ClockState::AtRisk
    } else {
        ClockState::Within
    }
}

pub fn view(cal: &Calendar, c: &ClockInput, now: DateTime<Utc>, at_risk_share: f64) -> ClockView {
    let run = elapsed(cal, c, now);
    let paused = c.stopped_at.is_none() && c.pauses.iter().any(|(_, e)| e.is_none());
    ClockView {
        target_minutes: c.target.num_minutes(),
        due_at: due(cal, c),
        elapsed_minutes: run.num_minutes(),
        remaining_minutes: (c.target - run).num_minutes(),
        state: state(run, c.target, at_risk_share),
        met: c.stopped_at.map(|_| run <= c.target),
        paused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::CalendarSpec;
    use chrono::TimeZone;

    fn bogota(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        chrono_tz::America::Bogota.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn cal() -> Calendar {
        Calendar::new(CalendarSpec::colombia_default())
    }

    #[test]
    fn on_hold_tuesday_to_wednesday_adds_one_business_day() {
        // Registered Monday 2026-02-02 8:00 with 16 business hours to resolve.
        let start = bogota(2026, 2, 2, 8, 0);
        let target = Duration::hours(16);
        let plain = due(&cal(), &ClockInput { start, target, pauses: &[], stopped_at: None }).unwrap();
        let pauses = [(bogota(2026, 2, 3, 10, 0), Some(bogota(2026, 2, 4, 10, 0)))];
        let held = due(&cal(), &ClockInput { start, target, pauses: &pauses, stopped_at: None }).unwrap();
        assert_eq!(business_time::between(&cal(), plain, held), Duration::minutes(570), "exactly one business day (9.5 h)");
        // While the pause is open there is no due date, and elapsed time stands still.
        let open = [(bogota(2026, 2, 3, 10, 0), None)];
        let c = ClockInput { start, target, pauses: &open, stopped_at: None };
        assert_eq!(due(&cal(), &c), None);
        assert_eq!(elapsed(&cal(), &c, bogota(2026, 2, 3, 16, 0)), elapsed(&cal(), &c, bogota(2026, 2, 3, 10, 0)));
        assert!(view(&cal(), &c, bogota(2026, 2, 3, 16, 0), 0.75).paused);
    }

    #[test]
    fn states_and_met() {
        let start = bogota(2026, 2, 2, 8, 0);
        let c = ClockInput { start, target: Duration::hours(2), pauses: &[], stopped_at: None };
        assert_eq!(view(&cal(), &c, bogota(2026, 2, 2, 9, 0), 0.75).state, ClockState::Within);
        assert_eq!(view(&cal(), &c, bogota(2026, 2, 2, 9, 40), 0.75).state, ClockState::AtRisk);
        let late = view(&cal(), &c, bogota(2026, 2, 2, 10, 30), 0.75);
        assert_eq!((late.state, late.remaining_minutes), (ClockState::Breached, -30));
        let stopped = ClockInput { stopped_at: Some(bogota(2026, 2, 2, 9, 0)), ..c };
        let v = view(&cal(), &stopped, bogota(2026, 2, 5, 9, 0), 0.75);
        assert_eq!((v.met, v.elapsed_minutes, v.state), (Some(true), 60, ClockState::Within));
        assert_eq!(instant_at_share(&cal(), &c, 0.5), Some(bogota(2026, 2, 2, 9, 0)));
    }

    #[test]
    fn overlapping_pauses_count_once() {
        let start = bogota(2026, 2, 2, 8, 0);
        let target = Duration::hours(2);
        let one = [(bogota(2026, 2, 2, 9, 0), Some(bogota(2026, 2, 2, 10, 0)))];
        let overlapping = [(bogota(2026, 2, 2, 9, 0), Some(bogota(2026, 2, 2, 10, 0))), (bogota(2026, 2, 2, 9, 30), Some(bogota(2026, 2, 2, 10, 0)))];
        let a = due(&cal(), &ClockInput { start, target, pauses: &one, stopped_at: None });
        let b = due(&cal(), &ClockInput { start, target, pauses: &overlapping, stopped_at: None });
        assert_eq!(a, Some(bogota(2026, 2, 2, 11, 0)));
        assert_eq!(a, b);
    }
}

/// Both clocks of a case, as the API shows them.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "policy_id": "0193a5a9-a4b5-76c7-b2d9-4d5e6f70819a",
    "policy_version": 2,
    "response": {
        "target_minutes": 120,
        "elapsed_minutes": 27,
        "remaining_minutes": 0,
        "state": "within",
        "paused": false,
        "due_at": "2026-12-03T15:15:00Z",
        "met": true
    },
    "resolution": {"target_minutes": 480, "elapsed_minutes": 95, "remaining_minutes": 385, "state": "within", "paused": false, "due_at": "2026-12-03T21:15:00Z"},
    "response_rule": {"source": "priority", "priority": "high"},
    "resolution_rule": {"source": "priority", "priority": "high"}
}))]
pub struct SlaView {
    pub policy_id: Uuid,
    pub policy_version: i32,
    /// Time to attend: registration until an agent takes the case.
    pub response: ClockView,
    /// Time to resolve.
    pub resolution: ClockView,
    /// Which rule set the attention target: the priority table or one of the policy's overrides.
    pub response_rule: AppliedTarget,
    /// Which rule set the resolution target: the priority table, an override, or the service's promise.
    pub resolution_rule: AppliedTarget,
}
