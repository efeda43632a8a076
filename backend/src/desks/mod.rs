//! Service desks (TIC, Servicios administrativos, …): each with its catalog, groups and settings.
pub mod domain;
pub mod queries;
pub mod routes;
