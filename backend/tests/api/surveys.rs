//! Closure by the requester's verdict (issue 17): the survey every resolution sends, answered
//! through its link or from the case; acceptance by silence, reminders and desisted archival
//! driven by an explicit `now`; results against a hand-computed fixture.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use mesa::db::schema::{survey_reminders, surveys, ticket_pauses};
use mesa::reference::Reference;
use mesa::tickets::lifecycle::{self, Command, Who};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::app::{Reply, TestApp};
use crate::tickets::{desk, Desk};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

async fn ticket_id(d: &Desk, n: i64) -> Uuid {
    d.app.get(&format!("/tickets/{n}"), &d.admin).await.body["id"].as_str().unwrap().parse().unwrap()
}

/// A case of Pedro's, taken by the first-level agent.
async fn taken_case(d: &Desk, subject: &str) -> i64 {
    let n = d.open(&d.pedro, subject).await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    n
}

/// Resolves a case through the lifecycle at an instant the test chooses (as the system would).
async fn resolve_at(app: &TestApp, n: i64, when: DateTime<Utc>) {
    let mut conn = app.pool.get().await.unwrap();
    conn.transaction(async |conn| -> mesa::error::AppResult<()> {
        let reference = Reference::load(conn).await?;
        let old = mesa::tickets::queries::by_number(conn, n, true).await?;
        let cmd = Command::Resolve { solution: "Se reinstaló el controlador".into(), solution_type: None };
        let found = lifecycle::prepare(conn, &reference, &old, &cmd).await?;
        let decision = lifecycle::decide(&old, &cmd, &found, &Who::SYSTEM, when)?;
        lifecycle::commit(conn, &reference, &old, decision, None, when).await?;
        Ok(())
    })
    .await
    .unwrap();
}

/// The token of the case's pending survey, from the link the solution mail carries.
async fn token_of(d: &Desk, n: i64) -> String {
    let id = ticket_id(d, n).await;
    let mut conn = d.app.pool.get().await.unwrap();
    let link = mesa::surveys::link_for(&mut conn, &d.app.config, id).await.unwrap().expect("a pending survey");
    assert!(link.starts_with(&format!("{}/survey/", d.app.config.public_url.as_str().trim_end_matches('/'))), "{link}");
    link.rsplit('/').next().unwrap().to_owned()
}

async fn public_get(app: &TestApp, token: &str) -> Reply {
    app.call(Method::GET, &format!("/surveys/{token}"), None, None).await
}

async fn public_answer(app: &TestApp, token: &str, body: Value) -> Reply {
    app.call(Method::POST, &format!("/surveys/{token}"), None, Some(body)).await
}

async fn events(d: &Desk, n: i64) -> Vec<Value> {
    d.app.get(&format!("/tickets/{n}/events"), &d.admin).await.body.as_array().unwrap().clone()
}

fn status_events(events: &[Value]) -> Vec<Value> {
    events.iter().filter(|e| e["kind"] == "status").map(|e| e["new_value"].clone()).collect()
}

async fn survey_states(app: &TestApp, ticket: Uuid) -> Vec<String> {
    let mut conn = app.pool.get().await.unwrap();
    surveys::table.filter(surveys::ticket_id.eq(ticket)).order(surveys::created_at).select(surveys::state).load(&mut conn).await.unwrap()
}

#[tokio::test]
async fn a_bad_rating_reopens_a_good_one_closes_and_each_resolution_sends_its_survey() {
    let d = desk().await;
    let n = taken_case(&d, "La impresora no imprime").await;
    let id = ticket_id(&d, n).await;
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Se reinstaló el controlador"})).await;
    let first = token_of(&d, n).await;

    // The public page needs no login; it shows what is rated.
    let page = public_get(&d.app, &first).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!((page.body["state"].clone(), page.body["ticket_number"].clone(), page.body["ask_solved"].clone()), (json!("pending"), json!(n), json!(true)));
    assert_eq!(page.body["solution"], "Se reinstaló el controlador");
    assert_eq!(page.body["subject"], "La impresora no imprime");
    // The requester sees the same on the case, with the link of their mail; staff without it.
    let mine = d.app.get(&format!("/tickets/{n}/survey"), &d.pedro).await.body;
    assert_eq!(mine["state"], "pending");
    assert!(mine["link"].as_str().unwrap().ends_with(&format!("/survey/{first}")));
    assert_eq!(d.app.get(&format!("/tickets/{n}/survey"), &d.agent_n1).await.body["link"], Value::Null);

    // Unsatisfied: back to work with the same agent, "reopened by survey", the comment public.
    let r = public_answer(&d.app, &first, json!({"rating": 2, "solved": true, "comment": "Sigue saliendo en blanco"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.body["state"].clone(), r.body["answer"]["satisfied"].clone(), r.body["ticket_status"].clone()), (json!("answered"), json!(false), json!("in_progress")));
    let t = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!((t["status"].clone(), t["reopen_count"].clone(), t["reopen_reason"].clone()), (json!("in_progress"), json!(1), json!("survey")));
    assert_eq!(t["assigned_agent"]["name"], "Usuario agente.n1");
    assert!(!t["allowed_actions"].as_array().unwrap().contains(&json!("close")));
    let followups = d.app.get(&format!("/tickets/{n}/followups"), &d.agent_n1).await.body;
    let comment = followups.as_array().unwrap().iter().find(|f| f["body"] == "Sigue saliendo en blanco").expect("the comment is a follow-up");
    assert_eq!((comment["visibility"].clone(), comment["from_requester"].clone()), (json!("public"), json!(true)));
    let trail = events(&d, n).await;
    assert!(trail.iter().any(|e| e["kind"] == "survey_answered" && e["new_value"]["rating"] == 2 && e["new_value"]["satisfied"] == false));
    assert_eq!(status_events(&trail).last().unwrap()["reopen_reason"], "survey", "the supervisor's notice hangs on it");
    // The resolution clock runs again: the pause of the resolution is over.
    {
        let mut conn = d.app.pool.get().await.unwrap();
        let open: i64 = ticket_pauses::table.filter(ticket_pauses::ticket_id.eq(id)).filter(ticket_pauses::ended_at.is_null()).count().get_result(&mut conn).await.unwrap();
        assert_eq!(open, 0);
    }
    // Queues list and filter it.
    let listed = d.app.get("/tickets?reopen_reason=survey", &d.agent_n1).await.body;
    let rows = listed["items"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["number"].clone(), rows[0]["reopen_reason"].clone()), (json!(n), json!("survey")));
    let other = taken_case(&d, "Otro caso").await;
    assert!(!d.app.get("/tickets?reopen_reason=survey", &d.agent_n1).await.body["items"].as_array().unwrap().iter().any(|t| t["number"] == other));
    d.app.get("/tickets?reopen_reason=whim", &d.agent_n1).await.assert_problem(400, "bad_request");

    // The token is spent: a second answer changes nothing.
    let version = t["version"].clone();
    public_answer(&d.app, &first, json!({"rating": 5, "solved": true})).await.assert_problem(409, "survey_already_answered");
    // No one overrides the bad rating into a close: the case is not resolved.
    d.act(&d.admin, n, "close", json!({"reason": "Aceptado por teléfono"})).await.assert_problem(409, "invalid_transition");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body["version"], version);

    // The second resolution sends a second survey; the reason is gone with it.
    let x = d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Se cambió el tóner"})).await;
    assert_eq!(x["reopen_reason"], Value::Null);
    let second = token_of(&d, n).await;
    assert_ne!(first, second);
    public_answer(&d.app, &first, json!({"rating": 5, "solved": true})).await.assert_problem(409, "survey_already_answered");
    let r = public_answer(&d.app, &second, json!({"rating": 4, "solved": true})).await;
    assert_eq!((r.status.as_u16(), r.body["ticket_status"].clone()), (200, json!("closed")), "{}", r.body);
    let closing = status_events(&events(&d, n).await).last().unwrap().clone();
    assert_eq!((closing["status"].clone(), closing["close_reason"].clone()), (json!("closed"), json!("survey")));
    assert_eq!(survey_states(&d.app, id).await, ["answered", "answered"]);
}

#[tokio::test]
async fn bad_answers_forged_tokens_other_cases_and_spent_surveys_change_nothing() {
    let d = desk().await;
    let n = taken_case(&d, "Sin red").await;
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Cable cambiado"})).await;
    let token = token_of(&d, n).await;
    let before = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body["version"].clone();

    for (body, fields) in [
        (json!({"rating": 0, "solved": true}), vec!["rating"]),
        (json!({"rating": 6}), vec!["rating", "solved"]),
        (json!({"rating": 99999999999i64, "solved": true}), vec!["rating"]),
        (json!({"rating": "five", "solved": true}), vec!["rating"]),
        (json!({"rating": 3, "solved": true, "comment": "x".repeat(2001)}), vec!["comment"]),
        (json!({"rating": 3, "solved": true, "comment": "con \u{0000} nulo"}), vec!["comment"]),
        (json!({"rating": 3, "solved": true, "admin": true}), vec!["admin"]),
    ] {
        let r = public_answer(&d.app, &token, body.clone()).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), fields, "{body}");
    }
    // Tokens that are not ours: garbage, another id under a copied MAC, a huge one, a NUL.
    let forged = {
        use base64::Engine;
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&token).unwrap();
        let mut other = Uuid::now_v7().as_bytes().to_vec();
        other.extend_from_slice(&raw[16..]);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(other)
    };
    for bad in ["nada", forged.as_str(), &"A".repeat(4000), "%00"] {
        public_get(&d.app, bad).await.assert_problem(404, "not_found");
        public_answer(&d.app, bad, json!({"rating": 5, "solved": true})).await.assert_problem(404, "not_found");
    }
    // From the case page: another requester's case is 404; staff do not answer for the requester.
    let r = d.app.post(&format!("/tickets/{n}/survey"), Some(&d.lucia), json!({"rating": 1, "solved": false})).await;
    r.assert_problem(404, "not_found");
    d.app.get(&format!("/tickets/{n}/survey"), &d.lucia).await.assert_problem(404, "not_found");
    d.app.post(&format!("/tickets/{n}/survey"), Some(&d.agent_n1), json!({"rating": 5, "solved": true})).await.assert_problem(403, "forbidden");
    d.app.post("/tickets/999999/survey", Some(&d.pedro), json!({"rating": 5, "solved": true})).await.assert_problem(404, "not_found");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body["version"], before, "nothing changed");

    // Two answers at once: one counts, the other is refused; one follow-up.
    let case_path = format!("/tickets/{n}/survey");
    let (a, b) = tokio::join!(
        public_answer(&d.app, &token, json!({"rating": 1, "solved": false, "comment": "Primera"})),
        d.app.post(&case_path, Some(&d.pedro), json!({"rating": 5, "solved": true, "comment": "Segunda"}))
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{} / {}", a.body, b.body);
    let followups = d.app.get(&format!("/tickets/{n}/followups"), &d.agent_n1).await.body;
    let comments = followups.as_array().unwrap().iter().filter(|f| f["body"] == "Primera" || f["body"] == "Segunda").count();
    assert_eq!(comments, 1);

    // A survey the case left behind (the requester refused the solution directly) is gone.
    let m = taken_case(&d, "Correo lento").await;
    d.ok(&d.agent_n1, m, "resolve", json!({"solution": "Buzón depurado"})).await;
    let left = token_of(&d, m).await;
    d.act(&d.pedro, m, "reopen", json!({})).await.assert_problem(422, "validation_failed");
    let x = d.ok(&d.pedro, m, "reopen", json!({"reason": "Sigue lento"})).await;
    assert_eq!(x["reopen_reason"], "requester");
    public_answer(&d.app, &left, json!({"rating": 5, "solved": true})).await.assert_problem(410, "survey_withdrawn");
    assert_eq!(public_get(&d.app, &left).await.body["state"], "withdrawn");

    // An expired one too, even before the job closes its case.
    let e = taken_case(&d, "Monitor parpadea").await;
    resolve_at(&d.app, e, Utc::now() - Duration::hours(49)).await;
    let old = token_of(&d, e).await;
    public_answer(&d.app, &old, json!({"rating": 5, "solved": true})).await.assert_problem(410, "survey_expired");
    assert_eq!(d.app.get(&format!("/tickets/{e}"), &d.agent_n1).await.body["status"], "resolved");
}

#[tokio::test]
async fn the_public_endpoints_are_rate_limited_per_survey_and_per_address() {
    let d = desk().await;
    let n = taken_case(&d, "Teclado").await;
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Teclado nuevo"})).await;
    let token = token_of(&d, n).await;
    for _ in 0..mesa::surveys::throttle::PER_SURVEY {
        assert_eq!(public_get(&d.app, &token).await.status, 200);
    }
    let r = public_get(&d.app, &token).await;
    r.assert_problem(429, "too_many_attempts");
    assert!(r.headers.get("retry-after").is_some());
    // Guessing tokens from one address stops at its limit.
    // The refused request counted for neither key.
    let left = mesa::surveys::throttle::PER_ADDRESS - mesa::surveys::throttle::PER_SURVEY;
    for i in 0..left {
        assert_eq!(public_get(&d.app, &format!("guess{i}")).await.status, 404);
    }
    public_get(&d.app, "guess-more").await.assert_problem(429, "too_many_attempts");
}

#[tokio::test]
async fn silence_closes_each_case_once_after_the_delay_with_two_runners() {
    let d = desk().await;
    let t0 = Utc::now() - Duration::hours(1);
    let mut cases = Vec::new();
    for i in 0..3 {
        let n = taken_case(&d, &format!("Caso {i}")).await;
        resolve_at(&d.app, n, t0).await;
        cases.push(n);
    }
    let mut conn = d.app.pool.get().await.unwrap();
    assert_eq!(mesa::surveys::jobs::close_expired(&mut conn, t0 + Duration::hours(48) - Duration::seconds(1)).await.unwrap(), 0);
    drop(conn);
    let due = t0 + Duration::hours(48);
    let (mut c1, mut c2) = (d.app.pool.get().await.unwrap(), d.app.pool.get().await.unwrap());
    let (a, b) = tokio::join!(mesa::surveys::jobs::close_expired(&mut c1, due), mesa::surveys::jobs::close_expired(&mut c2, due));
    assert_eq!(a.unwrap() + b.unwrap(), 3, "each case closed once");
    drop((c1, c2));
    for n in &cases {
        let trail = events(&d, *n).await;
        let closings: Vec<Value> = status_events(&trail).into_iter().filter(|s| s["status"] == "closed").collect();
        assert_eq!(closings.len(), 1, "{n}");
        assert_eq!(closings[0]["close_reason"], "silence", "accepted by silence in the audit trail");
        let closing = trail.iter().find(|e| e["kind"] == "status" && e["new_value"]["status"] == "closed").unwrap();
        assert!(closing["actor"].is_null(), "the system closed it");
        assert_eq!(survey_states(&d.app, ticket_id(&d, *n).await).await, ["expired"]);
    }
    // Through the job queue as well: nothing left to do.
    let mut conn = d.app.pool.get().await.unwrap();
    mesa::jobs::ensure_recurring(&mut conn).await.unwrap();
    drop(conn);
    let mut kinds = Vec::new();
    while let Some(kind) = mesa::jobs::run_one(&d.app.pool, due + Duration::minutes(1)).await.unwrap() {
        kinds.push(kind);
    }
    kinds.sort();
    assert_eq!(kinds, ["desist_archive", "sla_check", "survey_auto_close", "survey_reminders"]);
}

#[tokio::test]
async fn three_business_days_skip_a_colombian_holiday() {
    let d = desk().await;
    let def = d.app.get(&format!("/desks/{}/survey", d.desk), &d.admin).await;
    assert_eq!(def.status, 200, "{}", def.body);
    assert_eq!(
        (def.body["acceptance_delay"].clone(), def.body["satisfied_min_rating"].clone(), def.body["reminder_hours_before"].clone(), def.body["staff_may_close"].clone()),
        (json!({"unit": "hours", "amount": 48}), json!(3), json!([24]), json!(false))
    );
    let body =
        json!({"ask_solved": true, "satisfied_min_rating": 3, "acceptance_delay": {"unit": "business_days", "amount": 3}, "reminder_hours_before": [24], "staff_may_close": false});
    let r = d.app.call(Method::PUT, &format!("/desks/{}/survey", d.desk), Some(&d.admin), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["acceptance_delay"], json!({"unit": "business_days", "amount": 3}));
    // Friday 13 November 2026, 10:00 in Bogotá; Monday 16 is a holiday: due Thursday 19 at 17:00.
    let n = taken_case(&d, "Acceso al ERP").await;
    resolve_at(&d.app, n, at("2026-11-13T15:00:00Z")).await;
    let id = ticket_id(&d, n).await;
    let mut conn = d.app.pool.get().await.unwrap();
    let expires: DateTime<Utc> = surveys::table.filter(surveys::ticket_id.eq(id)).select(surveys::expires_at).first(&mut conn).await.unwrap();
    assert_eq!(expires, at("2026-11-19T22:00:00Z"));
    assert_eq!(mesa::surveys::jobs::close_expired(&mut conn, at("2026-11-19T21:59:59Z")).await.unwrap(), 0);
    assert_eq!(mesa::surveys::jobs::close_expired(&mut conn, at("2026-11-19T22:00:00Z")).await.unwrap(), 1);
    drop(conn);
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["status"], "closed");
}

#[tokio::test]
async fn reminders_fall_due_once() {
    let d = desk().await;
    let n = taken_case(&d, "VPN").await;
    let t0 = at("2026-11-24T15:00:00Z");
    resolve_at(&d.app, n, t0).await;
    let mut conn = d.app.pool.get().await.unwrap();
    assert_eq!(mesa::surveys::jobs::record_reminders(&mut conn, t0 + Duration::hours(23)).await.unwrap(), 0);
    drop(conn);
    let due = t0 + Duration::hours(24);
    let (mut c1, mut c2) = (d.app.pool.get().await.unwrap(), d.app.pool.get().await.unwrap());
    let (a, b) = tokio::join!(mesa::surveys::jobs::record_reminders(&mut c1, due), mesa::surveys::jobs::record_reminders(&mut c2, due));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(mesa::surveys::jobs::record_reminders(&mut c1, due + Duration::hours(1)).await.unwrap(), 0);
    let rows: Vec<(i32, DateTime<Utc>)> = survey_reminders::table.select((survey_reminders::hours_before, survey_reminders::due_at)).load(&mut c1).await.unwrap();
    assert_eq!(rows, [(24, due)]);
    drop((c1, c2));
    let trail = events(&d, n).await;
    assert_eq!(trail.iter().filter(|e| e["kind"] == "survey_reminder").count(), 1);
    // One reminder mail is queued for the requester, with the survey it reminds of.
    let mut conn = d.app.pool.get().await.unwrap();
    let queued: Vec<serde_json::Value> = mesa::db::schema::notifications::table
        .filter(mesa::db::schema::notifications::kind.eq("survey_reminder"))
        .select(mesa::db::schema::notifications::data)
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert!(queued[0]["survey_id"].is_string(), "{}", queued[0]);
}

#[tokio::test]
async fn cases_waiting_for_missing_data_are_archived_as_desisted_once() {
    let d = desk().await;
    let n = taken_case(&d, "Falta la placa").await;
    d.ok(&d.agent_n1, n, "hold", json!({"reason": "waiting_requester", "note": "Envíe la placa", "public": true, "desist_after_days": 3})).await;
    let other = taken_case(&d, "Espera proveedor").await;
    d.ok(&d.agent_n1, other, "hold", json!({"reason": "waiting_provider"})).await;
    let now = Utc::now();
    let mut conn = d.app.pool.get().await.unwrap();
    assert_eq!(mesa::surveys::jobs::archive_desisted(&mut conn, now + Duration::days(2)).await.unwrap(), 0);
    drop(conn);
    let due = now + Duration::days(3) + Duration::seconds(1);
    let (mut c1, mut c2) = (d.app.pool.get().await.unwrap(), d.app.pool.get().await.unwrap());
    let (a, b) = tokio::join!(mesa::surveys::jobs::archive_desisted(&mut c1, due), mesa::surveys::jobs::archive_desisted(&mut c2, due));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    drop((c1, c2));
    let t = d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body;
    assert_eq!((t["status"].clone(), t["allowed_actions"].clone()), (json!("desisted"), json!([])));
    assert!(t["closed_at"].is_string());
    assert_eq!(status_events(&events(&d, n).await).iter().filter(|s| s["status"] == "desisted").count(), 1);
    assert_eq!(d.app.get(&format!("/tickets/{other}"), &d.pedro).await.body["status"], "on_hold");
    // Final: nothing more happens to it.
    d.act(&d.agent_n1, n, "resume", json!({})).await.assert_problem(409, "invalid_transition");
    assert_eq!(d.app.get("/tickets?status=desisted", &d.agent_n1).await.body["items"][0]["number"], n);
}

#[tokio::test]
async fn staff_close_a_resolved_case_only_where_the_desk_allows_and_with_a_reason() {
    let d = desk().await;
    let n = taken_case(&d, "Cuenta bloqueada").await;
    let x = d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Cuenta desbloqueada"})).await;
    assert_eq!(x["allowed_actions"], json!(["reopen"]), "staff may not close here");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["allowed_actions"], json!(["reopen", "close"]));
    let r = d.act(&d.agent_n1, n, "close", json!({"reason": "Aceptado por teléfono"})).await;
    r.assert_problem(409, "staff_close_not_allowed");
    let body =
        json!({"ask_solved": true, "satisfied_min_rating": 3, "acceptance_delay": {"unit": "hours", "amount": 72}, "reminder_hours_before": [24, 4], "staff_may_close": true});
    // Only the desk's managers; the desk's version guards it.
    d.app.call(Method::PUT, &format!("/desks/{}/survey", d.desk), Some(&d.agent_n1), Some(body.clone())).await.assert_problem(403, "forbidden");
    d.app.get(&format!("/desks/{}/survey", d.desk), &d.pedro).await.assert_problem(403, "forbidden");
    let stale = d.app.call_with(Method::PUT, &format!("/desks/{}/survey", d.desk), Some(&d.admin), Some(body.clone()), &[("If-Match", "\"999\"")]).await;
    stale.assert_problem(412, "version_mismatch");
    let bad = json!({"ask_solved": true, "satisfied_min_rating": 9, "acceptance_delay": {"unit": "hours", "amount": 0}, "reminder_hours_before": [0], "staff_may_close": true});
    let r = d.app.call(Method::PUT, &format!("/desks/{}/survey", d.desk), Some(&d.admin), Some(bad)).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["acceptance_delay.amount", "satisfied_min_rating", "reminder_hours_before.0"]);
    let r = d.app.call(Method::PUT, &format!("/desks/{}/survey", d.desk), Some(&d.admin), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The desk's own settings say the same.
    let desk = d.app.get(&format!("/desks/{}", d.desk), &d.admin).await.body;
    assert_eq!(desk["auto_close_hours"], 72);

    let r = d.act(&d.agent_n1, n, "close", json!({})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["reason"]);
    let x = d.ok(&d.agent_n1, n, "close", json!({"reason": "Aceptado por teléfono"})).await;
    assert_eq!(x["status"], "closed");
    let closing = status_events(&events(&d, n).await).last().unwrap().clone();
    assert_eq!((closing["close_reason"].clone(), closing["reason"].clone()), (json!("staff"), json!("Aceptado por teléfono")));
    assert_eq!(survey_states(&d.app, ticket_id(&d, n).await).await, ["withdrawn"]);
}

#[tokio::test]
async fn results_equal_a_hand_computed_fixture() {
    let d = desk().await;
    let now = Utc::now();
    // Five resolutions by agente.n1: ratings 5 and 4 (satisfied), 1 (reopened), one accepted by
    // silence, one still pending.
    let mut cases = Vec::new();
    for i in 0..5 {
        cases.push(taken_case(&d, &format!("Caso {i}")).await);
    }
    for n in &cases[..3] {
        d.ok(&d.agent_n1, *n, "resolve", json!({"solution": "Listo"})).await;
    }
    for (n, rating) in cases[..3].iter().zip([5, 4, 1]) {
        let r = d.app.post(&format!("/tickets/{n}/survey"), Some(&d.pedro), json!({"rating": rating, "solved": true})).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    resolve_at(&d.app, cases[3], now - Duration::hours(49)).await;
    let mut conn = d.app.pool.get().await.unwrap();
    assert_eq!(mesa::surveys::jobs::close_expired(&mut conn, now).await.unwrap(), 1);
    drop(conn);
    d.ok(&d.agent_n1, cases[4], "resolve", json!({"solution": "Listo"})).await;

    // sent 5, pending 1 → 4 over; responses 3 → 3/4; average (5+4+1)/3; satisfied 2 → CSAT 2/3;
    // reopened 1 → 1/4.
    let expect = |row: &Value| {
        assert_eq!(
            (row["sent"].clone(), row["pending"].clone(), row["responses"].clone(), row["satisfied"].clone(), row["reopened"].clone()),
            (json!(5), json!(1), json!(3), json!(2), json!(1)),
            "{row}"
        );
        let close = |k: &str, v: f64| assert!((row[k].as_f64().unwrap() - v).abs() < 1e-9, "{k}: {row}");
        close("response_rate", 0.75);
        close("average_rating", 10.0 / 3.0);
        close("csat", 2.0 / 3.0);
        close("reopen_rate", 0.25);
    };
    let by_desk = d.app.get("/surveys/results", &d.admin).await;
    assert_eq!(by_desk.status, 200, "{}", by_desk.body);
    let rows = by_desk.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["key"].clone(), rows[0]["name"].clone()), (json!(d.desk), json!("Tecnologías de la Información")));
    expect(&rows[0]);
    let by_agent = d.app.get("/surveys/results?group_by=agent", &d.admin).await.body;
    assert_eq!(by_agent["rows"][0]["name"], "Usuario agente.n1");
    expect(&by_agent["rows"][0]);
    let by_group = d.app.get("/surveys/results?group_by=group", &d.admin).await.body;
    assert_eq!(by_group["rows"][0]["name"], "Mesa N1");
    let by_service = d.app.get("/surveys/results?group_by=service", &d.admin).await.body;
    assert_eq!(by_service["rows"][0]["name"], "Soporte virtual o en sitio");
    let by_year = d.app.get("/surveys/results?group_by=period&period=year", &d.admin).await.body;
    let rows = by_year["rows"].as_array().unwrap();
    assert_eq!(rows.iter().map(|r| r["sent"].as_i64().unwrap()).sum::<i64>(), 5);
    assert!(rows[0]["key"].as_str().unwrap().ends_with("-01-01"), "{by_year}");
    // A window that holds nothing; a window backwards.
    let empty = d.app.get("/surveys/results?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", &d.admin).await.body;
    assert_eq!(empty["rows"], json!([]));
    d.app.get("/surveys/results?from=2020-02-01T00:00:00Z&to=2020-01-01T00:00:00Z", &d.admin).await.assert_problem(422, "validation_failed");
    // Supervisors and admins only.
    for who in [&d.agent_n1, &d.pedro] {
        d.app.get("/surveys/results", who).await.assert_problem(403, "forbidden");
    }
}
