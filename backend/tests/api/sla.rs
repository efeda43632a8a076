//! SLA clocks, escalation rules and the job queue, with time driven by the test, not by sleeps.
use chrono::{DateTime, Duration, TimeZone, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use mesa::db::schema::{jobs, sla_rule_firings, ticket_events, ticket_pauses, tickets};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::tickets::{desk, Desk};

pub(crate) fn bogota(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::America::Bogota.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn office() -> Value {
    json!(["mon", "tue", "wed", "thu", "fri"].iter().map(|d| json!({"weekday": d, "start": "07:30", "end": "17:00"})).collect::<Vec<_>>())
}

/// The desk of the ticket tests with a Mon–Fri 7:30–17:00 Colombian calendar and a policy:
/// attention critical 1 h … low 18 h; resolution 4 h … 3 days; escalate at breach.
pub(crate) async fn measured_desk(rules: Value) -> (Desk, String) {
    let d = desk().await;
    let cal = d.app.post("/calendars", Some(&d.admin), json!({"name": "Oficina", "country": "CO", "intervals": office()})).await;
    assert_eq!(cal.status, 201, "{}", cal.body);
    let t = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let policy = d
        .app
        .post(
            "/sla-policies",
            Some(&d.admin),
            json!({
                "name": "ANS TIC", "calendar_id": cal.body["id"],
                "targets": {"critical": t(60, 240), "high": t(120, 480), "medium": t(300, 1140), "low": t(1080, 1710)},
                "rules": rules
            }),
        )
        .await;
    assert_eq!(policy.status, 201, "{}", policy.body);
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"sla_policy_id": policy.body["id"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = policy.body["id"].as_str().unwrap().to_owned();
    (d, id)
}

async fn conn(d: &Desk) -> diesel_async::pooled_connection::bb8::PooledConnection<'_, AsyncPgConnection> {
    d.app.pool.get().await.unwrap()
}

/// Moves a case's registration to `at` (the API stamps "now") and re-measures it.
pub(crate) async fn registered_at(d: &Desk, number: i64, at: DateTime<Utc>) -> Uuid {
    let mut c = conn(d).await;
    let id: Uuid = diesel::update(tickets::table.filter(tickets::number.eq(number))).set(tickets::created_at.eq(at)).returning(tickets::id).get_result(&mut c).await.unwrap();
    let reference = mesa::reference::Reference::load(&mut c).await.unwrap();
    mesa::sla::store::refresh(&mut c, &reference, id, at).await.unwrap();
    id
}

#[tokio::test]
async fn calendars_list_computed_holidays_and_refuse_bad_definitions() {
    let d = desk().await;
    let cal = d.app.post("/calendars", Some(&d.admin), json!({"name": "Oficina", "country": "CO", "intervals": office(), "extra_holidays": [{"date": "2026-12-24", "name": "Nochebuena (decreto municipal)"}], "removed_holidays": ["2026-03-23"]})).await;
    assert_eq!(cal.status, 201, "{}", cal.body);
    let holidays = d.app.get(&format!("/calendars/{}/holidays?year=2026", cal.body["id"].as_str().unwrap()), &d.agent_n1).await.body;
    let dates: Vec<&str> = holidays.as_array().unwrap().iter().map(|h| h["date"].as_str().unwrap()).collect();
    for day in
        ["2026-01-12", "2026-04-02", "2026-04-03", "2026-05-18", "2026-06-08", "2026-06-15", "2026-06-29", "2026-07-13", "2026-08-17", "2026-11-02", "2026-11-16", "2026-12-24"]
    {
        assert!(dates.contains(&day), "{day} missing from {dates:?}");
    }
    assert!(!dates.contains(&"2026-03-23"), "removed for this calendar");
    assert!(holidays.as_array().unwrap().iter().all(|h| !h["name"].as_str().unwrap().is_empty()));

    let bad = d.app.post("/calendars", Some(&d.admin), json!({"name": "Mal", "intervals": [{"weekday": "mon", "start": "17:00", "end": "07:30"}]})).await;
    bad.assert_problem(422, "validation_failed");
    assert!(bad.error_fields()[0].starts_with("intervals.0"), "{:?}", bad.error_fields());
    let bad = d.app.post("/calendars", Some(&d.admin), json!({"name": "Mal", "timezone": "America/Cali", "intervals": office()})).await;
    assert_eq!(bad.error_fields(), ["timezone"]);
    d.app.post("/calendars", Some(&d.agent_n1), json!({"name": "X", "intervals": office()})).await.assert_problem(403, "forbidden");
    let r = d.app.post("/sla-policies", Some(&d.admin), json!({"name": "Mala", "targets": {"critical": {"tto_minutes": 0, "ttr_minutes": 10}, "high": {"tto_minutes": 1, "ttr_minutes": 1}, "medium": {"tto_minutes": 1, "ttr_minutes": 1}, "low": {"tto_minutes": 1, "ttr_minutes": 1}}})).await;
    assert_eq!(r.error_fields(), ["targets.critical.tto_minutes"]);
}

#[tokio::test]
async fn clocks_follow_the_calendar_and_stop_while_on_hold() {
    let (d, _) = measured_desk(json!([])).await;
    let t = d.open(&d.pedro, "El equipo no enciende").await;
    let n = t["number"].as_i64().unwrap();
    assert_eq!(t["sla"]["response"]["target_minutes"], 300, "medium: 5 h to attend");
    // Registered Friday 2026-01-09 16:30; made critical: 1 h to attend is due Tuesday 8:00,
    // because Monday 2026-01-12 is a holiday (Reyes Magos, moved to Monday).
    let id = registered_at(&d, n, bogota(2026, 1, 9, 16, 30)).await;
    let r = d.ok(&d.agent_n1, n, "classify", json!({"priority": "critical", "priority_reason": "Equipo del alcalde"})).await;
    assert_eq!(r["sla"]["response"]["due_at"], json!(bogota(2026, 1, 13, 8, 0)));
    assert_eq!(r["sla"]["resolution"]["due_at"], json!(bogota(2026, 1, 13, 11, 0)), "4 h: 30 min Friday + 3.5 h Tuesday");
    assert_eq!(r["sla"]["response"]["state"], "breached", "that was long ago");

    // On hold from Tuesday 10:00 to Wednesday 10:00: the resolution due date moves by exactly
    // one business day (9.5 h).
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    d.ok(&d.agent_n1, n, "hold", json!({"reason": "waiting_third_party"})).await;
    let held = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!(held["sla"]["resolution"]["due_at"], Value::Null, "no due date while paused");
    assert_eq!(held["sla"]["resolution"]["paused"], true);
    d.ok(&d.agent_n1, n, "resume", json!({})).await;
    let mut c = conn(&d).await;
    diesel::update(ticket_pauses::table.filter(ticket_pauses::ticket_id.eq(id)))
        .set((ticket_pauses::started_at.eq(bogota(2026, 1, 13, 10, 0)), ticket_pauses::ended_at.eq(bogota(2026, 1, 14, 10, 0))))
        .execute(&mut c)
        .await
        .unwrap();
    let reference = mesa::reference::Reference::load(&mut c).await.unwrap();
    mesa::sla::store::refresh(&mut c, &reference, id, Utc::now()).await.unwrap();
    drop(c);
    let after = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!(after["sla"]["resolution"]["due_at"], json!(bogota(2026, 1, 14, 11, 0)));
    assert_eq!(after["sla"]["policy_version"], 1);
}

#[tokio::test]
async fn a_case_registered_on_saturday_counts_from_monday() {
    let (d, _) = measured_desk(json!([])).await;
    let n = d.open(&d.pedro, "Caso del sábado").await["number"].as_i64().unwrap();
    registered_at(&d, n, bogota(2026, 2, 7, 11, 0)).await;
    let t = d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body;
    // Medium: 5 h to attend from Monday 7:30.
    assert_eq!(t["sla"]["response"]["due_at"], json!(bogota(2026, 2, 9, 12, 30)));
}

async fn rule_runs(d: &Desk, number: i64, now: DateTime<Utc>) -> (usize, Value) {
    let mut c = conn(d).await;
    let fired = mesa::sla::rules::check(&mut c, now).await.unwrap();
    drop(c);
    (fired, d.app.get(&format!("/tickets/{number}"), &d.agent_n1).await.body)
}

#[tokio::test]
async fn escalation_rules_fire_once_when_time_passes() {
    let rules = json!([
        {"clock": "ttr", "at_share": 0.75, "action": "notify_supervisor"},
        {"clock": "ttr", "at_share": 1.0, "action": "escalate"}
    ]);
    let (d, _) = measured_desk(rules).await;
    let n = d.open(&d.pedro, "Servidor caído").await["number"].as_i64().unwrap();
    // Monday 2026-02-02 8:00, medium: resolution due in 1140 business minutes (two days).
    registered_at(&d, n, bogota(2026, 2, 2, 8, 0)).await;
    let (fired, t) = rule_runs(&d, n, bogota(2026, 2, 2, 12, 0)).await;
    assert_eq!((fired, t["level"].clone()), (0, json!(1)), "nothing yet");
    let (fired, _) = rule_runs(&d, n, bogota(2026, 2, 3, 16, 0)).await;
    assert_eq!(fired, 1, "75 %: notify the supervisor");
    let (fired, t) = rule_runs(&d, n, bogota(2026, 2, 4, 10, 0)).await;
    assert_eq!(fired, 1, "breach: escalate");
    assert_eq!(t["level"], 2);
    assert_eq!(t["assigned_group"]["id"], d.n2);
    // Time passes further: nothing fires twice.
    let (fired, t) = rule_runs(&d, n, bogota(2026, 3, 1, 10, 0)).await;
    assert_eq!((fired, t["level"].clone()), (0, json!(2)));
    let events = d.app.get(&format!("/tickets/{n}/events"), &d.agent_n1).await.body;
    let rule_events: Vec<&Value> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "sla_rule").collect();
    assert_eq!(rule_events.len(), 2);
    assert!(rule_events.iter().all(|e| e["actor"].is_null() && e["visibility"] == "private"));
    // The requester does not see the internal alerts.
    let public = d.app.get(&format!("/tickets/{n}/events"), &d.pedro).await.body;
    assert!(public.as_array().unwrap().iter().all(|e| e["kind"] != "sla_rule"));
}

#[tokio::test]
async fn two_runners_in_parallel_never_fire_a_rule_twice() {
    let (d, _) = measured_desk(json!([{"clock": "ttr", "at_share": 1.0, "action": "raise_priority"}])).await;
    let mut numbers = Vec::new();
    for i in 0..40 {
        numbers.push(d.open(&d.pedro, &format!("Caso {i}")).await["number"].as_i64().unwrap());
    }
    let mut c = conn(&d).await;
    diesel::update(tickets::table).set(tickets::created_at.eq(bogota(2026, 2, 2, 8, 0))).execute(&mut c).await.unwrap();
    drop(c);
    let now = bogota(2026, 3, 2, 8, 0);
    let url = d.app.config.database_url.clone();
    let runner = |url: String| async move {
        use diesel_async::AsyncConnection;
        let mut c = AsyncPgConnection::establish(&url).await.unwrap();
        let mut fired = 0;
        for _ in 0..3 {
            fired += mesa::sla::rules::check(&mut c, now).await.unwrap();
        }
        fired
    };
    let (a, b) = tokio::join!(tokio::spawn(runner(url.clone())), tokio::spawn(runner(url)));
    assert_eq!(a.unwrap() + b.unwrap(), 40, "each case's rule fired exactly once across both runners");
    let mut c = conn(&d).await;
    let firings: i64 = sla_rule_firings::table.count().get_result(&mut c).await.unwrap();
    let events: i64 = ticket_events::table.filter(ticket_events::kind.eq("sla_rule")).count().get_result(&mut c).await.unwrap();
    assert_eq!((firings, events), (40, 40));
    let high: i64 = tickets::table.filter(tickets::priority.eq("high")).count().get_result(&mut c).await.unwrap();
    assert_eq!(high, 40, "medium raised to high once, not twice");
}

#[tokio::test]
async fn a_runner_killed_mid_job_leaves_work_another_finishes() {
    let (d, _) = measured_desk(json!([])).await;
    for i in 0..7 {
        d.open(&d.pedro, &format!("Caso {i}")).await;
    }
    // Setting the desk's policy queued a recomputation: let it finish first.
    while mesa::jobs::run_one(&d.app.pool, Utc::now()).await.unwrap().is_some() {}
    let mut c = conn(&d).await;
    // Forget every due date, then queue a recomputation in chunks of two.
    diesel::update(tickets::table).set((tickets::response_due_at.eq(None::<DateTime<Utc>>), tickets::resolution_due_at.eq(None::<DateTime<Utc>>))).execute(&mut c).await.unwrap();
    let job = mesa::jobs::enqueue_recompute(&mut c, "test").await.unwrap();
    diesel::update(jobs::table.find(job)).set(jobs::payload.eq(json!({"cursor": Uuid::nil(), "done": 0, "chunk": 2}))).execute(&mut c).await.unwrap();
    let t0 = Utc::now();

    // Runner A claims it, does one chunk, and dies.
    let claimed = mesa::jobs::claim(&mut c, t0).await.unwrap().expect("a job is due");
    assert_eq!(claimed.id, job);
    let finished = mesa::jobs::run_recompute(&mut c, &claimed, t0, Some(1)).await.unwrap();
    assert!(!finished);
    // While A's lease runs, nobody else takes the job.
    assert!(mesa::jobs::claim(&mut c, t0 + Duration::seconds(30)).await.unwrap().is_none());
    // After the lease, runner B takes it from where A committed.
    let later = Utc::now() + mesa::jobs::LEASE + Duration::seconds(1);
    let again = mesa::jobs::claim(&mut c, later).await.unwrap().expect("the lease expired");
    assert_eq!(again.payload["done"], 2);
    assert!(mesa::jobs::run_recompute(&mut c, &again, later, None).await.unwrap());
    let (done, payload): (Option<DateTime<Utc>>, Value) = jobs::table.find(job).select((jobs::done_at, jobs::payload)).first(&mut c).await.unwrap();
    assert!(done.is_some());
    assert_eq!(payload["done"], 7, "every case once: nothing lost, nothing repeated");
    let missing: i64 = tickets::table.filter(tickets::resolution_due_at.is_null()).count().get_result(&mut c).await.unwrap();
    assert_eq!(missing, 0);
    assert!(mesa::jobs::claim(&mut c, later + Duration::hours(1)).await.unwrap().is_none(), "nothing left");
}

#[tokio::test]
async fn changing_the_calendar_recomputes_due_dates_in_the_background() {
    let (d, _) = measured_desk(json!([])).await;
    let n = d.open(&d.pedro, "Caso").await["number"].as_i64().unwrap();
    registered_at(&d, n, bogota(2026, 2, 2, 8, 0)).await;
    let before = d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["sla"]["resolution"]["due_at"].clone();
    assert_eq!(before, json!(bogota(2026, 2, 4, 8, 0)), "1140 min: Monday 540 + Tuesday 570 + 30 on Wednesday");
    let cals = d.app.get("/calendars", &d.admin).await.body;
    let cal = &cals[0];
    let r = d
        .app
        .call(
            Method::PATCH,
            &format!("/calendars/{}", cal["id"].as_str().unwrap()),
            Some(&d.admin),
            Some(json!({
                "name": "Oficina", "country": "CO", "intervals": office(), "extra_holidays": [{"date": "2026-02-03", "name": "Día cívico"}]
            })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    while mesa::jobs::run_one(&d.app.pool, Utc::now()).await.unwrap().is_some() {}
    let after = d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["sla"]["resolution"]["due_at"].clone();
    let parse = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
    assert_eq!(parse(&after) - parse(&before), Duration::days(1), "the civic day off pushes it one day");
}

/// Seed 001's attention by type (incidents 1 h, requests 2 h) and seed 002's resolution per
/// level (specialists 16 h), over the Mon–Fri 7:30–17:00 calendar.
async fn desk_with_overrides() -> (Desk, String) {
    let d = desk().await;
    let cal = d.app.post("/calendars", Some(&d.admin), json!({"name": "Oficina", "country": "CO", "intervals": office()})).await;
    let t = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let policy = d
        .app
        .post(
            "/sla-policies",
            Some(&d.admin),
            json!({
                "name": "ANS por tipo y nivel", "calendar_id": cal.body["id"],
                "targets": {
                    "critical": t(60, 240), "high": t(120, 480), "medium": t(300, 1140), "low": t(1080, 1710),
                    "overrides": [
                        {"ticket_type": "incident", "tto_minutes": 60},
                        {"ticket_type": "request", "tto_minutes": 120},
                        {"level": 2, "ttr_minutes": 960}
                    ]
                }
            }),
        )
        .await;
    assert_eq!(policy.status, 201, "{}", policy.body);
    assert_eq!(policy.body["targets"]["overrides"][0], json!({"ticket_type": "incident", "tto_minutes": 60}));
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"sla_policy_id": policy.body["id"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    (d, policy.body["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn targets_by_type_and_level_set_the_due_dates_and_the_case_names_the_rule() {
    let (d, _) = desk_with_overrides().await;
    let n = d.open(&d.pedro, "El equipo no enciende").await["number"].as_i64().unwrap();
    // Registered Monday 2026-02-02 8:00: an incident (the service's default type), medium priority.
    registered_at(&d, n, bogota(2026, 2, 2, 8, 0)).await;
    let t = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!(t["sla"]["response"]["target_minutes"], 60, "incidents: 1 h to attend, not medium's 5 h");
    assert_eq!(t["sla"]["response"]["due_at"], json!(bogota(2026, 2, 2, 9, 0)));
    assert_eq!(t["sla"]["response_rule"], json!({"source": "override", "ticket_type": "incident", "override_index": 0}));
    assert_eq!(t["sla"]["resolution"]["target_minutes"], 1140);
    assert_eq!(t["sla"]["resolution_rule"], json!({"source": "priority", "priority": "medium"}));

    // Reclassified as a request: 2 h to attend.
    let r = d.ok(&d.agent_n1, n, "classify", json!({"type": "request"})).await;
    assert_eq!(r["sla"]["response"]["due_at"], json!(bogota(2026, 2, 2, 10, 0)));
    assert_eq!(r["sla"]["response_rule"]["ticket_type"], "request");

    // Escalated to the specialists: their 16 h to resolve, from registration: Tuesday 14:30.
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let r = d.ok(&d.agent_n1, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Requiere especialista"})).await;
    assert_eq!(r["sla"]["resolution"]["target_minutes"], 960);
    assert_eq!(r["sla"]["resolution"]["due_at"], json!(bogota(2026, 2, 3, 14, 30)));
    assert_eq!(r["sla"]["resolution_rule"], json!({"source": "override", "level": 2, "override_index": 2}));
    let mut c = conn(&d).await;
    let stored: Option<DateTime<Utc>> = tickets::table.filter(tickets::number.eq(n)).select(tickets::resolution_due_at).first(&mut c).await.unwrap();
    assert_eq!(stored, Some(bogota(2026, 2, 3, 14, 30)), "the stored due date (queues, rules) follows the level");
}

/// A service whose promise is `minutes` in the ticket tests' desk.
async fn promising_service(d: &Desk, name: &str, minutes: i32) -> crate::support::app::Reply {
    let tree = d.app.get(&format!("/desks/{}/catalog", d.desk), &d.admin).await.body;
    let category = tree["nodes"][0]["id"].clone();
    d.app
        .post(
            &format!("/desks/{}/catalog/nodes", d.desk),
            Some(&d.admin),
            json!({"parent_id": category, "kind": "service", "name": name,
                   "service": {"default_type": "incident", "responsible_group_id": d.n1, "promised_resolution": "2 horas y media", "resolution_minutes": minutes}}),
        )
        .await
}

#[tokio::test]
async fn a_services_promise_is_the_resolution_its_cases_show() {
    let (d, _) = desk_with_overrides().await;
    let r = promising_service(&d, "Soporte en sitio", 150).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let service = r.body["id"].as_str().unwrap().to_owned();
    let opened = d.app.post("/tickets", Some(&d.pedro), json!({"service_id": service, "subject": "Pantalla azul", "description": "Desde esta mañana"})).await;
    assert_eq!(opened.status, 201, "{}", opened.body);
    assert_eq!(opened.body["sla"]["resolution"]["target_minutes"], 150, "2.5 h as promised");
    assert_eq!(opened.body["sla"]["resolution_rule"], json!({"source": "service"}));
    assert_eq!(opened.body["sla"]["response"]["target_minutes"], 60);

    // Data stored before promises were checked may contradict the policy: the case still shows the
    // promise, never the attention target in its place.
    let n = opened.body["number"].as_i64().unwrap();
    let mut c = conn(&d).await;
    diesel::sql_query(format!("UPDATE services SET resolution_minutes = 45 WHERE node_id = '{service}'")).execute(&mut c).await.unwrap();
    let id = registered_at(&d, n, bogota(2026, 2, 2, 8, 0)).await;
    drop(c);
    let t = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!(t["sla"]["resolution"]["target_minutes"], 45);
    let mut c = conn(&d).await;
    let due: Option<DateTime<Utc>> = tickets::table.find(id).select(tickets::resolution_due_at).first(&mut c).await.unwrap();
    assert_eq!(due, Some(bogota(2026, 2, 2, 8, 45)));
}

#[tokio::test]
async fn attention_longer_than_a_promised_resolution_is_refused() {
    let (d, policy_id) = desk_with_overrides().await;
    // Requests get 2 h to attend: a service cannot promise to resolve in 1.5 h.
    let r = promising_service(&d, "Demasiado rápido", 90).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["service.resolution_minutes"]);
    assert!(r.body.to_string().contains("ANS por tipo y nivel"), "{}", r.body);
    assert_eq!(promising_service(&d, "Soporte en sitio", 150).await.status, 201);

    // The policy cannot then give requests 3 h to attend: the field and the service are named.
    let t = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let url = format!("/sla-policies/{policy_id}");
    let current = d.app.get(&url, &d.admin).await.body;
    let mut body = json!({"name": current["name"], "calendar_id": current["calendar_id"], "targets": current["targets"]});
    body["targets"]["overrides"][1]["tto_minutes"] = json!(180);
    let r = d.app.call(Method::PATCH, &url, Some(&d.admin), Some(body.clone())).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["targets.overrides.1.tto_minutes"]);
    assert!(r.body.to_string().contains("Soporte en sitio"), "{}", r.body);
    body["targets"]["overrides"][1]["tto_minutes"] = json!(150);
    let r = d.app.call(Method::PATCH, &url, Some(&d.admin), Some(body)).await;
    assert_eq!(r.status, 200, "up to the promise is fine: {}", r.body);

    // Nor can the desk take a policy giving 5 h to attend (the older, per-priority one).
    let other = d
        .app
        .post(
            "/sla-policies",
            Some(&d.admin),
            json!({"name": "Solo prioridad", "targets": {"critical": t(60, 240), "high": t(120, 480), "medium": t(300, 1140), "low": t(1080, 1710)}}),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.body);
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"sla_policy_id": other.body["id"]})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["sla_policy_id"]);
    // A policy attending within less than its own resolution is refused on its own.
    let bad = d
        .app
        .post("/sla-policies", Some(&d.admin), json!({"name": "Incoherente", "targets": {"critical": t(60, 240), "high": t(120, 480), "medium": t(120, 1140), "low": t(120, 1710), "overrides": [{"level": 3, "ttr_minutes": 90}]}}))
        .await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.error_fields(), ["targets.high.tto_minutes", "targets.medium.tto_minutes", "targets.low.tto_minutes"]);
}
