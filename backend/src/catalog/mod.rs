//! Catálogo de servicios: each desk's tree of categories down to services.
pub mod domain;
pub mod form;
pub mod queries;
pub mod routes;
pub mod transfer;
pub mod tree;
