//! SLA policies: targets per priority and the escalation rules that watch them.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::FieldError;
use crate::tickets::domain::Priority;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Time to attend (registration → an agent takes the case), business minutes.
    pub tto_minutes: i32,
    /// Time to resolve, business minutes (a service's own resolution time wins).
    pub ttr_minutes: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub critical: Target,
    pub high: Target,
    pub medium: Target,
    pub low: Target,
}

impl Targets {
    pub fn for_priority(&self, p: Priority) -> Target {
        match p {
            Priority::Critical => self.critical,
            Priority::High => self.high,
            Priority::Medium => self.medium,
            Priority::Low => self.low,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// Time to attend.
    Tto,
    /// Time to resolve.
    Ttr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleAction {
    /// Tell the desk's supervisors (recorded in the audit trail; emailed by notifications).
    NotifySupervisor,
    /// Raise the case one level, to `group_id` or the desk's first group of that level.
    Escalate,
    /// Hand the case to `group_id`.
    Reassign,
    /// Raise the priority one step.
    RaisePriority,
}

/// At `at_share` of a clock's target (1.0 = breach), do `action` — once per case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Assigned by the server when absent; identifies the rule's firings.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub clock: ClockKind,
    /// Share of the target elapsed, e.g. 0.75 or 1.0 (breach); up to 3.0.
    pub at_share: f64,
    pub action: RuleAction,
    pub group_id: Option<Uuid>,
}

pub fn validate(targets: &Targets, at_risk_share: f64, rules: &[Rule]) -> Vec<FieldError> {
    let mut e = Vec::new();
    for (name, t) in [("critical", targets.critical), ("high", targets.high), ("medium", targets.medium), ("low", targets.low)] {
        if t.tto_minutes <= 0 {
            e.push(FieldError::new(format!("targets.{name}.tto_minutes"), "out_of_range", "must be a positive number of business minutes"));
        }
        if t.ttr_minutes <= 0 {
            e.push(FieldError::new(format!("targets.{name}.ttr_minutes"), "out_of_range", "must be a positive number of business minutes"));
        } else if t.tto_minutes > t.ttr_minutes {
            e.push(FieldError::new(format!("targets.{name}.tto_minutes"), "out_of_range", "attention cannot take longer than resolution"));
        }
    }
    if !(at_risk_share > 0.0 && at_risk_share < 1.0) {
        e.push(FieldError::new("at_risk_share", "out_of_range", "must be between 0 and 1, e.g. 0.75"));
    }
    for (i, r) in rules.iter().enumerate() {
        if !(r.at_share > 0.0 && r.at_share <= 3.0) {
            e.push(FieldError::new(format!("rules.{i}.at_share"), "out_of_range", "must be above 0 and at most 3 (1 = breach)"));
        }
        if r.action == RuleAction::Reassign && r.group_id.is_none() {
            e.push(FieldError::new(format!("rules.{i}.group_id"), "required", "reassigning needs a group"));
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tto: i32, ttr: i32) -> Target {
        Target { tto_minutes: tto, ttr_minutes: ttr }
    }

    #[test]
    fn validation_names_fields() {
        let targets = Targets { critical: t(60, 240), high: t(120, 480), medium: t(300, 100), low: t(0, 1080) };
        let rules = [Rule { id: None, clock: ClockKind::Ttr, at_share: 0.0, action: RuleAction::Reassign, group_id: None }];
        let fields: Vec<_> = validate(&targets, 1.5, &rules).into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["targets.medium.tto_minutes", "targets.low.tto_minutes", "at_risk_share", "rules.0.at_share", "rules.0.group_id"]);
        assert_eq!(targets.for_priority(Priority::High), t(120, 480));
    }
}
