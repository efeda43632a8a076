//! Cases: registration, lifecycle, assignment, escalation, follow-ups, attachments, audit, search.
pub mod access;
pub mod actions;
pub mod audit;
pub mod create;
pub mod domain;
pub mod followups;
pub mod lifecycle;
pub mod lists;
pub mod model;
pub mod queries;
pub mod render;
pub mod routes;
pub mod state_machine;

use utoipa_actix_web::service_config::ServiceConfig;

/// The case routes. `/tickets/queues` comes before `/tickets/{number}`, which would swallow it.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::queue_counts)
        .service(create::create_ticket)
        .service(routes::list_tickets)
        .service(routes::get_ticket)
        .service(actions::edit_ticket)
        .service(actions::take)
        .service(actions::assign)
        .service(actions::classify)
        .service(actions::escalate)
        .service(actions::hold)
        .service(actions::resume)
        .service(actions::resolve)
        .service(actions::reject)
        .service(actions::cancel)
        .service(actions::reopen)
        .service(actions::close)
        .service(actions::transfer)
        .service(followups::list_followups)
        .service(followups::create_followup)
        .service(followups::list_events)
        .service(followups::list_attachments)
        .service(followups::download_attachment);
}
