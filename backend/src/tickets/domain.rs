use crate::text_enum;

text_enum! {
    /// Incidente (an interruption) or requerimiento (a service request).
    pub enum TicketType { Incident => "incident", Request => "request" }
}

text_enum! {
    /// Criticidad: how soon the case must be attended and solved.
    pub enum Priority { Critical => "critical", High => "high", Medium => "medium", Low => "low" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names() {
        for t in TicketType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), serde_json::json!(t.as_str()));
        }
        for p in Priority::ALL {
            assert_eq!(serde_json::to_value(p).unwrap(), serde_json::json!(p.as_str()));
            assert_eq!(p.as_str().parse::<Priority>().unwrap(), *p);
        }
    }
}

text_enum! {
    /// How the case arrived. `email` and `letter` are registered by staff on someone's behalf,
    /// with the document's own reference (`external_reference`).
    pub enum Channel { Portal => "portal", Phone => "phone", Api => "api", Email => "email", Letter => "letter" }
}

text_enum! {
    /// Why a case waits (its SLA clock stops meanwhile).
    pub enum HoldReason { WaitingRequester => "waiting_requester", WaitingThirdParty => "waiting_third_party", WaitingProvider => "waiting_provider" }
}

text_enum! {
    /// Why a case is back at work after a resolution (until it is resolved again). `survey`: the
    /// requester's rating was unsatisfied ("Abierto por encuesta").
    pub enum ReopenReason { Survey => "survey", Requester => "requester", Staff => "staff" }
}

text_enum! {
    /// How a resolved case came to be closed (in the `status` event of its closing).
    pub enum CloseReason {
        /// The requester accepted the solution.
        Accepted => "accepted",
        /// The requester's survey answer was satisfied.
        Survey => "survey",
        /// Nobody answered within the desk's delay: accepted by silence.
        Silence => "silence",
        /// Staff closed it with a recorded reason, where the desk allows it.
        Staff => "staff",
    }
}

text_enum! {
    /// Impact or urgency, the two axes of the priority matrix.
    pub enum Level3 { High => "high", Medium => "medium", Low => "low" }
}

text_enum! {
    pub enum Visibility { Public => "public", Private => "private" }
}

/// The desk's impact × urgency → priority matrix: `matrix[impact][urgency]`.
pub fn priority_from_matrix(matrix: &serde_json::Value, impact: Level3, urgency: Level3) -> Option<Priority> {
    matrix.get(impact.as_str())?.get(urgency.as_str())?.as_str()?.parse().ok()
}

#[cfg(test)]
mod matrix_tests {
    use super::*;

    #[test]
    fn default_matrix() {
        let m: serde_json::Value = serde_json::json!({
            "high": {"high": "critical", "medium": "high", "low": "medium"},
            "medium": {"high": "high", "medium": "medium", "low": "low"},
            "low": {"high": "medium", "medium": "low", "low": "low"}
        });
        assert_eq!(priority_from_matrix(&m, Level3::High, Level3::High), Some(Priority::Critical));
        assert_eq!(priority_from_matrix(&m, Level3::Low, Level3::High), Some(Priority::Medium));
        assert_eq!(priority_from_matrix(&m, Level3::Low, Level3::Low), Some(Priority::Low));
        assert_eq!(priority_from_matrix(&serde_json::json!({}), Level3::Low, Level3::Low), None);
    }
}
