pub mod app;
pub mod db;
pub mod imap;
pub mod postgres;
pub mod slapd;
pub mod smtp;
