//! Closure by the requester's verdict (issue 17): a satisfaction survey on every resolution,
//! answered through an unguessable link or from the case page; a satisfied answer closes the
//! case, an unsatisfied one reopens it ("Abierto por encuesta"); silence past the desk's delay
//! closes it as accepted; cases on hold for missing data past `desist_at` are archived as
//! desisted. Results for supervisors.
//!
//! Mail (issue 16) hangs on what this module leaves in the audit trail: the `survey` event (sent
//! with the resolution; [`link_for`] gives its URL), the `status` events whose `close_reason` is
//! `silence` or whose `reopen_reason` is `survey` (tell the supervisor), the `desisted` status,
//! and the `survey_reminder` events written with each `survey_reminders` row.
pub mod domain;
pub mod jobs;
pub mod results;
pub mod routes;
pub mod store;
pub mod throttle;
pub mod token;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::config::Config;
use crate::db::schema::surveys;

/// The survey routes. `/surveys/results` comes before `/surveys/{token}`, which would swallow it.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(results::survey_results)
        .service(routes::get_public)
        .service(routes::answer_public)
        .service(routes::get_case_survey)
        .service(routes::answer_case_survey)
        .service(routes::get_definition)
        .service(routes::put_definition);
}

/// The public URL of a survey: `{MESA_PUBLIC_URL}/survey/{token}` (the SPA's page).
pub fn url_for(config: &Config, survey_id: Uuid) -> String {
    token::url(&config.public_url, &token::LinkKey::from_secret(&config.jwt_secret).token(survey_id))
}

/// The link of the case's survey still waiting for an answer, if any (for the solution mail and
/// the reminders).
pub async fn link_for(conn: &mut AsyncPgConnection, config: &Config, ticket_id: Uuid) -> QueryResult<Option<String>> {
    let id: Option<Uuid> =
        surveys::table.filter(surveys::ticket_id.eq(ticket_id)).filter(surveys::state.eq(domain::SurveyState::Pending)).select(surveys::id).first(conn).await.optional()?;
    Ok(id.map(|id| url_for(config, id)))
}
