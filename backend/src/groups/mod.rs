//! Support groups: agents of one desk at one level (1 first level, 2 specialists, 3 providers).
pub mod domain;
pub mod routes;
