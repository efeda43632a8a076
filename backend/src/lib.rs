//! Mesa: an open-source IT service desk for public-sector IT offices.
pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod health;
pub mod http;
pub mod openapi;
pub mod organizations;
pub mod seed;
pub mod startup;
pub mod state;
pub mod users;
pub mod validate;
