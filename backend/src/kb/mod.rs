//! The knowledge base (issue 19): articles with a symptom and the solution's steps in Markdown
//! (rendered to harmless HTML on the server), links and files, a category of the desk's catalog
//! and an audience; written by agents, reviewed and published by the desk's supervisors; every
//! revision kept with diffs; views, "was this helpful?" votes, suggestions while a requester
//! types a new request (with deflections counted), and the articles of a case.
pub mod attachments;
pub mod cases;
pub mod domain;
pub mod routes;
pub mod schema;
pub mod store;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(routes::list_articles)
        .service(routes::create_article)
        .service(routes::suggestions)
        .service(routes::stats)
        .service(routes::preview)
        .service(routes::get_article)
        .service(routes::edit_article)
        .service(routes::submit_article)
        .service(routes::publish_article)
        .service(routes::return_article)
        .service(routes::archive_article)
        .service(routes::list_versions)
        .service(routes::diff_versions)
        .service(routes::vote)
        .service(routes::record_view)
        .service(routes::record_deflection)
        .service(attachments::upload)
        .service(attachments::download)
        .service(cases::propose)
        .service(cases::case_articles)
        .service(cases::link_article);
}
