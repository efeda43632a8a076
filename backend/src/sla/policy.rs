//! SLA policies: targets per priority, more specific targets per type and support level, and the
//! escalation rules that watch them.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::FieldError;
use crate::tickets::domain::{Priority, TicketType};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Time to attend (registration → an agent takes the case), business minutes.
    pub tto_minutes: i32,
    /// Time to resolve, business minutes (a service's own resolution time wins).
    pub ttr_minutes: i32,
}

/// A target more specific than the priority table: for a type (seed 001: attention 1 h for
/// incidents, 2 h for requests), a support level (seed 002: resolution times per level), or both,
/// optionally narrowed to one priority. It may set either clock or both; an unset clock falls
/// through to the next rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<TicketType>,
    /// Support level 1, 2 or 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 1, maximum = 3)]
    pub level: Option<i16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tto_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttr_minutes: Option<i32>,
}

impl TargetOverride {
    fn matches(&self, key: CaseKey) -> bool {
        self.priority.is_none_or(|p| p == key.priority) && self.ticket_type.is_none_or(|t| t == key.ticket_type) && self.level.is_none_or(|l| l == key.level)
    }

    /// Specificity, compared lexicographically: more selectors first, then level, type, priority.
    /// Hence priority+type+level > type+level > priority+level > priority+type > level > type
    /// (for resolution `resolve` looks at the overrides naming a level first).
    fn rank(&self) -> (u8, bool, bool, bool) {
        let (p, t, l) = (self.priority.is_some(), self.ticket_type.is_some(), self.level.is_some());
        (p as u8 + t as u8 + l as u8, l, t, p)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "critical": {"tto_minutes": 60, "ttr_minutes": 240},
    "high": {"tto_minutes": 120, "ttr_minutes": 480},
    "medium": {"tto_minutes": 300, "ttr_minutes": 1080},
    "low": {"tto_minutes": 1080, "ttr_minutes": 2700},
    "overrides": [{"ticket_type": "request", "priority": "low", "tto_minutes": 1080, "ttr_minutes": 4320}]
}))]
pub struct Targets {
    pub critical: Target,
    pub high: Target,
    pub medium: Target,
    pub low: Target,
    /// More specific targets; the most specific matching one wins over the priority table (see
    /// `resolve`). Absent in policies stored before they existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<TargetOverride>,
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

/// What the targets of a case depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseKey {
    pub priority: Priority,
    pub ticket_type: TicketType,
    pub level: i16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetSource {
    /// The policy's table per priority.
    Priority,
    /// One of the policy's `targets.overrides`.
    Override,
    /// The service's promised resolution time.
    Service,
}

/// The target one clock of a case runs against, and the rule it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"source": "priority", "priority": "high"}))]
pub struct AppliedTarget {
    #[serde(skip)]
    pub minutes: i32,
    pub source: TargetSource,
    /// The selectors of the rule that applied (the priority for the priority table; none for a service).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket_type: Option<TicketType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<i16>,
    /// Position in the policy's `targets.overrides`, when one applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub override_index: Option<usize>,
}

impl AppliedTarget {
    fn from_override(i: usize, o: &TargetOverride, minutes: i32) -> Self {
        AppliedTarget { minutes, source: TargetSource::Override, priority: o.priority, ticket_type: o.ticket_type, level: o.level, override_index: Some(i) }
    }

    /// The policy field that set this target (`None` for a service's promise).
    pub fn field(&self, clock: ClockKind) -> Option<String> {
        let minutes = match clock {
            ClockKind::Tto => "tto_minutes",
            ClockKind::Ttr => "ttr_minutes",
        };
        match (self.source, self.override_index, self.priority) {
            (TargetSource::Override, Some(i), _) => Some(format!("targets.overrides.{i}.{minutes}")),
            (TargetSource::Priority, _, Some(p)) => Some(format!("targets.{p}.{minutes}")),
            _ => None,
        }
    }
}

/// The attention and resolution targets of a case. Each clock is decided on its own: the most
/// specific matching override that sets it (see `TargetOverride::rank`), else the priority table.
/// For resolution, a service's promised time sits between the overrides that name a level and
/// the others: it is what first-level support promises the requester, while a level's target is
/// the agreement of the specialists or provider the case was escalated to.
pub fn resolve(targets: &Targets, key: CaseKey, service_minutes: Option<i32>) -> (AppliedTarget, AppliedTarget) {
    let base = targets.for_priority(key.priority);
    let from_table = |minutes| AppliedTarget { minutes, source: TargetSource::Priority, priority: Some(key.priority), ticket_type: None, level: None, override_index: None };
    // The first of equally specific overrides wins (validation refuses duplicates anyway).
    let best = |clock: fn(&TargetOverride) -> Option<i32>, with_level: Option<bool>| {
        let mut found: Option<(usize, &TargetOverride, i32)> = None;
        for (i, o) in targets.overrides.iter().enumerate() {
            let Some(m) = clock(o) else { continue };
            if !o.matches(key) || with_level.is_some_and(|w| w != o.level.is_some()) {
                continue;
            }
            if found.is_none_or(|(_, f, _)| o.rank() > f.rank()) {
                found = Some((i, o, m));
            }
        }
        found.map(|(i, o, m)| AppliedTarget::from_override(i, o, m))
    };
    let tto = best(|o| o.tto_minutes, None).unwrap_or_else(|| from_table(base.tto_minutes));
    let service = service_minutes.map(|minutes| AppliedTarget { minutes, source: TargetSource::Service, priority: None, ticket_type: None, level: None, override_index: None });
    let ttr = best(|o| o.ttr_minutes, Some(true)).or(service).or_else(|| best(|o| o.ttr_minutes, Some(false))).unwrap_or_else(|| from_table(base.ttr_minutes));
    (tto, ttr)
}

/// Every kind of case a policy can measure.
pub fn every_case() -> impl Iterator<Item = CaseKey> {
    Priority::ALL.iter().flat_map(|&priority| TicketType::ALL.iter().flat_map(move |&ticket_type| (1..=3).map(move |level| CaseKey { priority, ticket_type, level })))
}

/// A kind of case whose attention target would exceed its resolution target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: CaseKey,
    pub attention: AppliedTarget,
    pub resolution: AppliedTarget,
}

/// The kinds of case whose attention would take longer than their resolution, under these
/// targets and, if given, a service's promised resolution time.
pub fn conflicts(targets: &Targets, service_minutes: Option<i32>) -> Vec<Conflict> {
    every_case()
        .filter_map(|key| {
            let (attention, resolution) = resolve(targets, key, service_minutes);
            (attention.minutes > resolution.minutes).then_some(Conflict { key, attention, resolution })
        })
        .collect()
}

impl Conflict {
    /// "medium incidents at level 1".
    pub fn describe(&self) -> String {
        format!("{} {}s at level {}", self.key.priority, self.key.ticket_type, self.key.level)
    }
}

/// Why a service cannot promise `minutes` of resolution under the policy `policy_name`, if it cannot.
pub fn promise_refusal(policy_name: &str, targets: &Targets, minutes: i32) -> Option<String> {
    let c = conflicts(targets, Some(minutes)).into_iter().find(|c| c.resolution.source == TargetSource::Service)?;
    Some(format!("the SLA policy '{policy_name}' gives {} min to attend {}: the promised resolution cannot be shorter", c.attention.minutes, c.describe()))
}

/// Refusals for services whose promised resolution (business minutes) is shorter than an
/// attention target this policy gives their cases; one per policy field, naming the service.
pub fn check_promises<'a>(targets: &Targets, services: impl IntoIterator<Item = (&'a str, i32)>) -> Vec<FieldError> {
    let mut e: Vec<FieldError> = Vec::new();
    for (name, minutes) in services {
        for c in conflicts(targets, Some(minutes)) {
            if c.resolution.source != TargetSource::Service {
                continue;
            }
            let field = c.attention.field(ClockKind::Tto).unwrap_or_else(|| "targets".into());
            if e.iter().any(|f| f.field == field) {
                continue;
            }
            e.push(FieldError::new(
                field,
                "exceeds_promised_resolution",
                format!("{} min to attend {} exceeds the {minutes} min resolution promised by the service '{name}'", c.attention.minutes, c.describe()),
            ));
        }
    }
    e
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
#[schema(example = json!({"clock": "ttr", "at_share": 0.8, "action": "notify_supervisor"}))]
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
        }
    }
    for (i, o) in targets.overrides.iter().enumerate() {
        let at = |f: &str| format!("targets.overrides.{i}.{f}");
        if o.ticket_type.is_none() && o.level.is_none() {
            e.push(FieldError::new(at("ticket_type"), "required", "name a type, a level or both (per-priority targets belong in the priority table)"));
        }
        if o.level.is_some_and(|l| !(1..=3).contains(&l)) {
            e.push(FieldError::new(at("level"), "out_of_range", "must be 1, 2 or 3"));
        }
        if o.tto_minutes.is_none() && o.ttr_minutes.is_none() {
            e.push(FieldError::new(at("tto_minutes"), "required", "set tto_minutes, ttr_minutes or both"));
        }
        for (name, m) in [("tto_minutes", o.tto_minutes), ("ttr_minutes", o.ttr_minutes)] {
            if m.is_some_and(|m| m <= 0) {
                e.push(FieldError::new(at(name), "out_of_range", "must be a positive number of business minutes"));
            }
        }
        if targets.overrides[..i].iter().any(|p| (p.priority, p.ticket_type, p.level) == (o.priority, o.ticket_type, o.level)) {
            e.push(FieldError::new(format!("targets.overrides.{i}"), "duplicate", "another override names the same priority, type and level"));
        }
    }
    // No kind of case may be given longer to attend than to resolve, whichever rules apply to it
    // (non-positive targets are refused above already).
    for c in conflicts(targets, None) {
        let field = c.attention.field(ClockKind::Tto).unwrap_or_default();
        if c.resolution.minutes > 0 && !e.iter().any(|f| f.field == field) {
            let resolution = c.resolution.field(ClockKind::Ttr).unwrap_or_default();
            e.push(FieldError::new(
                field,
                "out_of_range",
                format!("attention cannot take longer than resolution: {} min against {} min ({resolution}) for {}", c.attention.minutes, c.resolution.minutes, c.describe()),
            ));
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
    use Priority::*;
    use TicketType::*;

    fn t(tto: i32, ttr: i32) -> Target {
        Target { tto_minutes: tto, ttr_minutes: ttr }
    }

    fn table() -> Targets {
        Targets { critical: t(60, 240), high: t(120, 480), medium: t(300, 1140), low: t(1080, 1710), overrides: vec![] }
    }

    fn o(priority: Option<Priority>, ticket_type: Option<TicketType>, level: Option<i16>, tto: Option<i32>, ttr: Option<i32>) -> TargetOverride {
        TargetOverride { priority, ticket_type, level, tto_minutes: tto, ttr_minutes: ttr }
    }

    fn key(priority: Priority, ticket_type: TicketType, level: i16) -> CaseKey {
        CaseKey { priority, ticket_type, level }
    }

    #[test]
    fn validation_names_fields() {
        let targets = Targets { critical: t(60, 240), high: t(120, 480), medium: t(300, 100), low: t(0, 1080), overrides: vec![] };
        let rules = [Rule { id: None, clock: ClockKind::Ttr, at_share: 0.0, action: RuleAction::Reassign, group_id: None }];
        let fields: Vec<_> = validate(&targets, 1.5, &rules).into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["targets.low.tto_minutes", "targets.medium.tto_minutes", "at_risk_share", "rules.0.at_share", "rules.0.group_id"]);
        assert_eq!(targets.for_priority(High), t(120, 480));
    }

    #[test]
    fn without_overrides_every_case_follows_the_priority_table() {
        let targets = table();
        for k in every_case() {
            let (tto, ttr) = resolve(&targets, k, None);
            let base = targets.for_priority(k.priority);
            assert_eq!((tto.minutes, ttr.minutes), (base.tto_minutes, base.ttr_minutes), "{k:?}");
            assert_eq!((tto.source, tto.priority, ttr.source), (TargetSource::Priority, Some(k.priority), TargetSource::Priority));
            let (_, promised) = resolve(&targets, k, Some(150));
            assert_eq!((promised.minutes, promised.source), (150, TargetSource::Service), "the service's promise is its cases' resolution target, even below attention");
        }
        assert_eq!(every_case().count(), 4 * 2 * 3);
    }

    /// Attention: priority+type+level, type+level, priority+level, priority+type, level, type, then
    /// the table. Resolution: the overrides naming a level first (so level beats priority+type),
    /// then the service's promise, then the others. With one override of every shape matching the
    /// case, removing the most specific each time must hand each clock to the next in its order,
    /// whatever the order they are listed in.
    #[test]
    fn the_most_specific_override_wins_in_a_fixed_order() {
        let chain = [
            o(Some(Critical), Some(Incident), Some(2), Some(10), Some(110)),
            o(None, Some(Incident), Some(2), Some(20), Some(120)),
            o(Some(Critical), None, Some(2), Some(30), Some(130)),
            o(Some(Critical), Some(Incident), None, Some(40), Some(140)),
            o(None, None, Some(2), Some(50), Some(150)),
            o(None, Some(Incident), None, Some(55), Some(160)),
        ];
        let ttr_order = [0, 1, 2, 4, 3, 5];
        let k = key(Critical, Incident, 2);
        for start in 0..chain.len() {
            for rotation in 0..chain.len() - start {
                let mut listed: Vec<TargetOverride> = chain[start..].to_vec();
                listed.rotate_left(rotation);
                if rotation % 2 == 1 {
                    listed.reverse();
                }
                let targets = Targets { overrides: listed, ..table() };
                let (tto, ttr) = resolve(&targets, k, None);
                let winner = &chain[start];
                assert_eq!(tto.minutes, winner.tto_minutes.unwrap(), "attention from {start}, rotation {rotation}");
                assert_eq!((tto.source, tto.priority, tto.ticket_type, tto.level), (TargetSource::Override, winner.priority, winner.ticket_type, winner.level));
                assert_eq!(targets.overrides[tto.override_index.unwrap()], *winner);
                let ttr_winner = &chain[*ttr_order.iter().find(|&&i| i >= start).unwrap()];
                assert_eq!(ttr.minutes, ttr_winner.ttr_minutes.unwrap(), "resolution from {start}, rotation {rotation}");
                assert_eq!(targets.overrides[ttr.override_index.unwrap()], *ttr_winner);
            }
        }
        let (tto, ttr) = resolve(&table(), k, None);
        assert_eq!((tto.minutes, ttr.minutes, tto.source), (60, 240, TargetSource::Priority));
    }

    #[test]
    fn overrides_that_name_something_else_do_not_apply() {
        let targets = Targets {
            overrides: vec![
                o(Some(Low), Some(Incident), Some(1), Some(1), Some(2)),
                o(None, Some(Request), None, Some(3), Some(4)),
                o(None, None, Some(3), Some(5), Some(6)),
                o(Some(Critical), None, Some(2), Some(7), Some(8)),
            ],
            ..table()
        };
        let (tto, ttr) = resolve(&targets, key(High, Incident, 1), None);
        assert_eq!((tto.minutes, ttr.minutes, tto.source, ttr.source), (120, 480, TargetSource::Priority, TargetSource::Priority));
    }

    #[test]
    fn each_clock_is_decided_on_its_own() {
        // Seed 001: attention 1 h for incidents, 2 h for requests; seed 002: 16 h to resolve at level 2.
        let targets = Targets {
            overrides: vec![o(None, Some(Incident), None, Some(60), None), o(None, Some(Request), None, Some(120), None), o(None, None, Some(2), None, Some(960))],
            ..table()
        };
        let (tto, ttr) = resolve(&targets, key(Medium, Incident, 1), None);
        assert_eq!((tto.minutes, tto.ticket_type, tto.override_index), (60, Some(Incident), Some(0)));
        assert_eq!((ttr.minutes, ttr.source), (1140, TargetSource::Priority), "no override sets resolution at level 1");
        let (tto, ttr) = resolve(&targets, key(Low, Request, 2), None);
        assert_eq!((tto.minutes, tto.override_index), (120, Some(1)), "the level override sets no attention: the type's applies");
        assert_eq!((ttr.minutes, ttr.level, ttr.override_index), (960, Some(2), Some(2)));
    }

    #[test]
    fn a_services_promise_yields_to_level_overrides_only() {
        let targets = Targets { overrides: vec![o(None, Some(Incident), None, None, Some(100)), o(Some(High), None, Some(2), None, Some(900))], ..table() };
        let (_, ttr) = resolve(&targets, key(High, Incident, 1), Some(150));
        assert_eq!((ttr.minutes, ttr.source), (150, TargetSource::Service), "the promise beats a type override");
        let (_, ttr) = resolve(&targets, key(High, Incident, 2), Some(150));
        assert_eq!((ttr.minutes, ttr.source, ttr.level), (900, TargetSource::Override, Some(2)), "escalated: the level's agreement");
        let (_, ttr) = resolve(&targets, key(Medium, Incident, 2), Some(150));
        assert_eq!(ttr.source, TargetSource::Service, "that level override is for high priority only");
        let (_, ttr) = resolve(&targets, key(Medium, Incident, 2), None);
        assert_eq!((ttr.minutes, ttr.override_index), (100, Some(0)));
    }

    #[test]
    fn overrides_are_validated_and_named() {
        let targets = Targets {
            overrides: vec![
                o(Some(High), None, None, Some(10), None),
                o(None, None, Some(4), Some(10), None),
                o(None, Some(Request), None, None, None),
                o(None, Some(Incident), None, Some(0), Some(-5)),
                o(None, Some(Request), None, Some(30), None),
            ],
            ..table()
        };
        let fields: Vec<_> = validate(&targets, 0.75, &[]).into_iter().map(|f| (f.field, f.code)).collect();
        let fields: Vec<(&str, &str)> = fields.iter().map(|(f, c)| (f.as_str(), c.as_str())).collect();
        assert_eq!(
            fields,
            [
                ("targets.overrides.0.ticket_type", "required"),
                ("targets.overrides.1.level", "out_of_range"),
                ("targets.overrides.2.tto_minutes", "required"),
                ("targets.overrides.3.tto_minutes", "out_of_range"),
                ("targets.overrides.3.ttr_minutes", "out_of_range"),
                ("targets.overrides.4", "duplicate"),
            ]
        );
    }

    #[test]
    fn attention_longer_than_resolution_is_refused_whichever_rule_sets_them() {
        // An incident override gives 10 h to attend, more than high's 8 h to resolve.
        let targets = Targets { overrides: vec![o(None, Some(Incident), None, Some(600), None)], ..table() };
        let e = validate(&targets, 0.75, &[]);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].field, "targets.overrides.0.tto_minutes");
        assert!(e[0].message.contains("critical incidents at level 1") && e[0].message.contains("targets.critical.ttr_minutes"), "{}", e[0].message);
        // A level override resolving in 1 h is shorter than low's 18 h to attend.
        let targets = Targets { overrides: vec![o(None, None, Some(3), None, Some(60))], ..table() };
        let fields: Vec<_> = validate(&targets, 0.75, &[]).into_iter().map(|f| f.field).collect();
        assert_eq!(fields, ["targets.high.tto_minutes", "targets.medium.tto_minutes", "targets.low.tto_minutes"]);
        // Narrowing the attention at level 3 makes it consistent.
        let targets = Targets { overrides: vec![o(None, None, Some(3), Some(30), Some(60))], ..table() };
        assert!(validate(&targets, 0.75, &[]).is_empty());
    }

    #[test]
    fn a_promise_shorter_than_an_attention_target_is_named() {
        // "Soporte virtual o en sitio" promises 2.5 h; medium and low give 5 h and 18 h to attend.
        let e = check_promises(&table(), [("Soporte virtual o en sitio", 150)]);
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["targets.medium.tto_minutes", "targets.low.tto_minutes"]);
        assert_eq!(e[0].code, "exceeds_promised_resolution");
        assert!(e[0].message.contains("'Soporte virtual o en sitio'") && e[0].message.contains("300 min"), "{}", e[0].message);
        assert!(check_promises(&table(), [("Restauración", 1710)]).is_empty());
        // Seed 001's attention by type keeps every case within the promise.
        let by_type = Targets { overrides: vec![o(None, Some(Incident), None, Some(60), None), o(None, Some(Request), None, Some(120), None)], ..table() };
        assert!(check_promises(&by_type, [("Soporte virtual o en sitio", 150)]).is_empty());
        // Where every level sets its own resolution, the promise never applies, so it cannot conflict.
        let levels = Targets { overrides: (1..=3).map(|l| o(None, None, Some(l), None, Some(2000))).collect(), ..table() };
        assert!(check_promises(&levels, [("S", 150)]).is_empty());
    }

    #[test]
    fn stored_policies_without_overrides_still_read_and_write_the_same() {
        let old = serde_json::json!({"critical": {"tto_minutes": 60, "ttr_minutes": 240}, "high": {"tto_minutes": 120, "ttr_minutes": 480},
            "medium": {"tto_minutes": 300, "ttr_minutes": 1140}, "low": {"tto_minutes": 1080, "ttr_minutes": 1710}});
        let parsed: Targets = serde_json::from_value(old.clone()).unwrap();
        assert_eq!(parsed, table());
        assert_eq!(serde_json::to_value(&parsed).unwrap(), old);
        let new = Targets { overrides: vec![o(None, Some(Incident), None, Some(60), None)], ..table() };
        let json = serde_json::to_value(&new).unwrap();
        assert_eq!(json["overrides"], serde_json::json!([{"ticket_type": "incident", "tto_minutes": 60}]));
        assert_eq!(serde_json::from_value::<Targets>(json).unwrap(), new);
    }
}
