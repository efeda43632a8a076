//! Cases: registration, lifecycle, assignment, escalation, follow-ups, attachments, audit, search.
pub mod access;
pub mod actions;
pub mod create;
pub mod domain;
pub mod followups;
pub mod lifecycle;
pub mod model;
pub mod queries;
pub mod routes;
pub mod state_machine;
