//! Mailbox intake (issue 16, item 4): each desk may have an IMAP mailbox that a recurring job
//! reads. New mail becomes a case from its sender (channel `email`, the desk's default service,
//! its attachments under the upload checks), a reply becomes a public follow-up by its sender,
//! auto-replies, bounces and loops are ignored, and each message is imported once.
//!
//! - [`settings`]: the desk's mailbox (`GET`/`PUT /desks/{id}/mailbox`); the password comes from
//!   `MESA_MAILBOX_PASSWORD_<DESK CODE>`, never from the database nor the API.
//! - [`parse`] and [`classify`]: pure; a message's facts, text and files, and what it is.
//! - [`answer`]: pure; what to mail back when a message is refused, kept in `mailbox_answers`.
//! - [`imap`]: the IMAP client; [`import`]: one message, one transaction; [`job`]: one run.
pub mod answer;
pub mod classify;
pub mod imap;
pub mod import;
pub mod job;
pub mod parse;
pub mod settings;

pub use import::Intake;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(settings::get_mailbox).service(settings::put_mailbox);
}
