pub mod app;
pub mod db;
pub mod postgres;
pub mod slapd;
pub mod smtp;
