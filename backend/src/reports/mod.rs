//! Reports for supervisors and admins ("Elaborar las estadísticas e informes"): a period's
//! volumes, backlog, SLA compliance, business times, first-contact resolution, escalations,
//! satisfaction and top services, as JSON or CSV; and a desk's quarter as PDF and XLSX.
pub mod domain;
pub mod filter;
pub mod pdf;
pub mod quarterly;
pub mod queries;
pub mod routes;
pub mod table;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::report_summary)
        .service(routes::report_volume)
        .service(routes::report_sla)
        .service(routes::report_top)
        .service(routes::report_cases)
        .service(quarterly::report_quarterly);
}
