//! Service-level agreements: business calendars, targets per priority and service, clocks on
//! cases that pause while on hold, escalation rules, and the jobs that watch them.
pub mod business_time;
pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod holidays;
pub mod policy;
pub mod routes;
pub mod rules;
pub mod store;
