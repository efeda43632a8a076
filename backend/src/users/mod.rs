//! People: requesters, agents, supervisors and admins, local or from the directory.
pub mod domain;
pub mod queries;
pub mod routes;
