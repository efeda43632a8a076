//! The survey's rules, free of I/O: the desk's definition, the acceptance deadline, what counts
//! as satisfied, which reminder is due.
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldError;
use crate::sla::business_time;
use crate::sla::calendar::Calendar;
use crate::text_enum;

text_enum! {
    /// Where a survey stands.
    pub enum SurveyState {
        /// Waiting for the requester's verdict.
        Pending => "pending",
        Answered => "answered",
        /// Nobody answered within the delay: the case was closed as accepted by silence.
        Expired => "expired",
        /// The case left `resolved` another way (accepted or refused directly, closed by staff).
        Withdrawn => "withdrawn",
    }
}

text_enum! {
    /// How the acceptance delay is counted.
    pub enum DelayUnit {
        /// Calendar hours after the resolution (the seeds' "48 horas").
        Hours => "hours",
        /// Business days of the desk's calendar after the resolution's day, ending when the last
        /// one's working hours end (the seeds' "tres días hábiles").
        BusinessDays => "business_days",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit": "hours", "amount": 48}))]
pub struct Delay {
    pub unit: DelayUnit,
    /// Hours: 1–720; business days: 1–30.
    pub amount: i32,
}

/// A desk's survey: what is asked, what counts as unsatisfied, how long the requester has.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// "Was it solved?" is asked; a "no" is unsatisfied whatever the rating.
    pub ask_solved: bool,
    /// Lowest rating (1–5) that is satisfied.
    pub satisfied_min: i16,
    pub delay: Delay,
    /// Reminders, hours before the deadline.
    pub reminder_hours: Vec<i32>,
    pub staff_close_allowed: bool,
}

/// When a survey sent at `resolved_at` expires and the case closes as accepted.
pub fn deadline(delay: Delay, cal: &Calendar, resolved_at: DateTime<Utc>) -> DateTime<Utc> {
    match delay.unit {
        DelayUnit::Hours => resolved_at + Duration::hours(delay.amount as i64),
        DelayUnit::BusinessDays => business_time::end_of_working_days_after(cal, resolved_at, delay.amount.max(0) as u32),
    }
}

/// Default: a rating of 2 or less, or "not solved", is unsatisfied.
pub fn is_satisfied(def: &Definition, rating: i16, solved: Option<bool>) -> bool {
    rating >= def.satisfied_min && !(def.ask_solved && solved == Some(false))
}

/// The requester's answer, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub rating: i16,
    pub solved: Option<bool>,
    pub comment: Option<String>,
}

pub const COMMENT_MAX: usize = 2000;

impl Answer {
    /// A rating 1–5; "solved" when (and only when) the desk asks it; a comment of at most 2,000
    /// characters (blank is none).
    pub fn parse(def: &Definition, rating: i64, solved: Option<bool>, comment: Option<&str>) -> Result<Answer, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=5).contains(&rating) {
            errors.push(FieldError::new("rating", "out_of_range", "must be between 1 and 5"));
        }
        match (def.ask_solved, solved) {
            (true, None) => errors.push(FieldError::new("solved", "required", "say whether the case was solved")),
            (false, Some(_)) => errors.push(FieldError::new("solved", "not_asked", "this desk does not ask whether the case was solved")),
            _ => {}
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if comment.is_some_and(|c| c.chars().count() > COMMENT_MAX) {
            errors.push(FieldError::new("comment", "too_long", format!("at most {COMMENT_MAX} characters")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Answer { rating: rating as i16, solved, comment: comment.map(str::to_owned) })
    }
}

/// The reminder to record now, as (hours before the deadline, when it fell due): the nearest to
/// the deadline among those due, unless it (or one nearer) was already recorded. Reminders that
/// fall before the survey was sent, or once it expired, are never due.
pub fn due_reminder(hours_before: &[i32], sent_at: DateTime<Utc>, expires_at: DateTime<Utc>, now: DateTime<Utc>, recorded: &[i32]) -> Option<(i32, DateTime<Utc>)> {
    if now >= expires_at {
        return None;
    }
    let (h, at) = hours_before.iter().map(|&h| (h, expires_at - Duration::hours(h as i64))).filter(|&(_, at)| at <= now && at > sent_at).min_by_key(|&(h, _)| h)?;
    (!recorded.iter().any(|&r| r <= h)).then_some((h, at))
}

/// Checks a definition's settings; the errors name the fields of `SurveyDefinitionInput`.
pub fn check(delay: Delay, satisfied_min: i16, reminder_hours: &[i32]) -> Vec<FieldError> {
    let mut e = Vec::new();
    let range = match delay.unit {
        DelayUnit::Hours => 1..=720,
        DelayUnit::BusinessDays => 1..=30,
    };
    if !range.contains(&delay.amount) {
        e.push(FieldError::new("acceptance_delay.amount", "out_of_range", format!("must be between {} and {}", range.start(), range.end())));
    }
    if !(1..=5).contains(&satisfied_min) {
        e.push(FieldError::new("satisfied_min_rating", "out_of_range", "must be between 1 and 5"));
    }
    if reminder_hours.len() > 5 {
        e.push(FieldError::new("reminder_hours_before", "too_many", "at most 5 reminders"));
    }
    for (i, h) in reminder_hours.iter().enumerate() {
        if !(1..=720).contains(h) {
            e.push(FieldError::new(format!("reminder_hours_before.{i}"), "out_of_range", "must be between 1 and 720 hours"));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::calendar::CalendarSpec;

    fn def() -> Definition {
        Definition { ask_solved: true, satisfied_min: 3, delay: Delay { unit: DelayUnit::Hours, amount: 48 }, reminder_hours: vec![24], staff_close_allowed: false }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn wire_names() {
        for s in SurveyState::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
        }
        for u in DelayUnit::ALL {
            assert_eq!(serde_json::to_value(u).unwrap(), serde_json::json!(u.as_str()));
        }
    }

    #[test]
    fn unsatisfied_is_a_low_rating_or_not_solved() {
        let d = def();
        assert!(!is_satisfied(&d, 1, Some(true)));
        assert!(!is_satisfied(&d, 2, Some(true)));
        assert!(is_satisfied(&d, 3, Some(true)));
        assert!(!is_satisfied(&d, 5, Some(false)), "not solved reopens whatever the rating");
        let lenient = Definition { ask_solved: false, satisfied_min: 2, ..def() };
        assert!(is_satisfied(&lenient, 2, None));
        assert!(is_satisfied(&lenient, 5, Some(false)), "not asked, not counted");
    }

    #[test]
    fn answers_are_checked_against_the_definition() {
        let d = def();
        assert_eq!(Answer::parse(&d, 4, Some(true), Some("  Gracias  ")).unwrap(), Answer { rating: 4, solved: Some(true), comment: Some("Gracias".into()) });
        assert_eq!(Answer::parse(&d, 4, Some(true), Some("   ")).unwrap().comment, None);
        let fields = |r: Result<Answer, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(Answer::parse(&d, 0, None, Some(&"x".repeat(2001)))), ["rating", "solved", "comment"]);
        assert_eq!(fields(Answer::parse(&d, i64::MAX, Some(true), None)), ["rating"]);
        let not_asked = Definition { ask_solved: false, ..def() };
        assert_eq!(fields(Answer::parse(&not_asked, 3, Some(true), None)), ["solved"]);
        assert!(Answer::parse(&not_asked, 3, None, Some(&"ñ".repeat(2000))).is_ok(), "characters, not bytes");
    }

    #[test]
    fn deadlines_in_hours_or_business_days() {
        let cal = Calendar::new(CalendarSpec::colombia_default());
        let friday = at("2026-11-13T15:00:00Z");
        assert_eq!(deadline(Delay { unit: DelayUnit::Hours, amount: 48 }, &cal, friday), at("2026-11-15T15:00:00Z"));
        // Monday the 16th is a holiday in Colombia: three business days end Thursday at 17:00.
        assert_eq!(deadline(Delay { unit: DelayUnit::BusinessDays, amount: 3 }, &cal, friday), at("2026-11-19T22:00:00Z"));
    }

    #[test]
    fn the_nearest_due_reminder_once() {
        let sent = at("2026-11-13T15:00:00Z");
        let exp = sent + Duration::hours(48);
        let offsets = [24, 4];
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(23), &[]), None);
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(24), &[]), Some((24, sent + Duration::hours(24))));
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(30), &[24]), None);
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(44), &[24]), Some((4, sent + Duration::hours(44))));
        // A runner that was down: only the nearest of those due, and none that an earlier one covers.
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(45), &[]), Some((4, sent + Duration::hours(44))));
        assert_eq!(due_reminder(&offsets, sent, exp, sent + Duration::hours(46), &[4]), None);
        // Expired, or a reminder that would fall before the survey existed.
        assert_eq!(due_reminder(&offsets, sent, exp, exp, &[]), None);
        assert_eq!(due_reminder(&[72], sent, exp, sent + Duration::hours(1), &[]), None);
    }

    #[test]
    fn settings_are_bounded() {
        assert!(check(Delay { unit: DelayUnit::Hours, amount: 48 }, 3, &[24]).is_empty());
        let e = check(Delay { unit: DelayUnit::BusinessDays, amount: 31 }, 0, &[0, 1, 2, 3, 4, 5]);
        let f: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(f, ["acceptance_delay.amount", "satisfied_min_rating", "reminder_hours_before", "reminder_hours_before.0"]);
    }
}
