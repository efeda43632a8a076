//! API tests: the real server on loopback, each test on its own Postgres database; directory
//! tests against a real slapd.
mod auth_local;
mod catalog;
mod cli;
mod compose;
mod db_faults;
mod directory;
mod directory_login;
mod errors;
mod health;
mod intake;
mod jobs;
mod kb;
mod lifecycle;
mod mail;
mod mailbox;
mod openapi_contract;
mod organizations;
mod reports;
mod seed;
mod sla;
mod supervision;
mod support;
mod surveys;
mod tickets;
mod tokens;
mod users;
