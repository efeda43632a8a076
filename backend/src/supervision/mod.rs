//! The supervisor's day: one desk's open cases counted by group and agent, at risk, breached and
//! unassigned; and who in a group could take a case now.
pub mod routes;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::desk_overview).service(routes::list_group_members);
}
