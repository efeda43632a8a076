//! Where people belong: organizations (public bodies), their areas, and physical locations.
pub mod domain;
pub mod queries;
pub mod routes;
