//! Intake and assignment (issue 15): letters and emails registered by staff with their document
//! reference, the requester's identity number, fair assignment under concurrency, groups with
//! nobody available, visibility of a secretariat's own team, and searching a case number.
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::tickets::{desk, Desk};

const PW: &str = "Buena.Clave2026";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

async fn user_id(d: &Desk, token: &str) -> String {
    id(&d.app.get("/me", token).await.body)
}

fn numbers(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect()
}

async fn supervisor(d: &Desk) -> String {
    let sup = d.app.create_local_user("supervisora.tic", PW, Role::Supervisor).await;
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [sup]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    d.app.token("supervisora.tic", PW).await
}

#[tokio::test]
async fn forty_parallel_registrations_spread_over_four_agents_within_one_case() {
    let d = desk().await;
    let mut members = Vec::new();
    for i in 0..4 {
        members.push(d.app.create_local_user(&format!("agente.paralelo{i}"), PW, Role::Agent).await.to_string());
    }
    let r = d.app.call(Method::PUT, &format!("/groups/{}/members", d.n1), Some(&d.admin), Some(json!({"user_ids": members}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..40 {
        let (client, url, token, service) = (d.app.client.clone(), d.app.url("/tickets"), d.pedro.clone(), d.service.clone());
        tasks.spawn(async move {
            let body = json!({"service_id": service, "subject": format!("Caso simultáneo {i}"), "description": "x", "fields": {"placa_equipo": "PC"}});
            let resp = client.post(url).bearer_auth(token).json(&body).send().await.expect("request");
            assert_eq!(resp.status(), 201);
            let t: Value = resp.json().await.unwrap();
            t["assigned_agent"]["id"].as_str().unwrap().to_owned()
        });
    }
    let mut load = std::collections::HashMap::<String, i32>::new();
    while let Some(agent) = tasks.join_next().await {
        *load.entry(agent.unwrap()).or_default() += 1;
    }
    assert_eq!(load.len(), 4, "{load:?}");
    let (min, max) = (load.values().min().unwrap(), load.values().max().unwrap());
    assert!(max - min <= 1, "uneven: {load:?}");
    // The answers told the truth: the stored assignment is the same.
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use mesa::db::schema::tickets;
    let mut conn = d.app.pool.get().await.unwrap();
    let stored: Vec<(Option<uuid::Uuid>, i64)> =
        tickets::table.group_by(tickets::assigned_agent_id).select((tickets::assigned_agent_id, diesel::dsl::count_star())).load(&mut conn).await.unwrap();
    assert!(stored.iter().all(|(_, n)| (*n as i32 - min).abs() <= 1), "{stored:?}");
}

#[tokio::test]
async fn a_group_with_nobody_available_keeps_its_cases_unassigned_and_flagged_for_supervisors() {
    let d = desk().await;
    let sup = supervisor(&d).await;
    let counts = d.app.get("/tickets/queues", &sup).await.body;
    assert_eq!(counts["unstaffed"], 0);
    // Mesa N1's only agent goes on leave.
    let agent = user_id(&d, &d.agent_n1).await;
    let r = d.app.call(Method::PUT, &format!("/users/{agent}/availability"), Some(&d.admin), Some(json!({"absent_until": "2099-01-01T00:00:00Z"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t = d.open(&d.pedro, "Nadie disponible").await;
    let n = t["number"].as_i64().unwrap();
    assert_eq!((t["assigned_group"]["id"].clone(), t["assigned_agent"].clone(), t["status"].clone()), (json!(d.n1), Value::Null, json!("assigned")));
    let events = d.app.get(&format!("/tickets/{n}/events"), &sup).await.body;
    let assignment = events.as_array().unwrap().iter().find(|e| e["kind"] == "assignment").expect("assignment event");
    assert_eq!(assignment["new_value"]["no_available_agent"], true);
    // A case routed to a group with someone available is not flagged.
    d.open(&d.lucia, "Hacienda sí tiene agente").await;

    let counts = d.app.get("/tickets/queues", &sup).await.body;
    assert_eq!(counts["unstaffed"], 1, "{counts}");
    assert_eq!(numbers(&d.app.get("/tickets?view=unstaffed", &sup).await.body), vec![n]);
    // Agents see the flag-filter too, not the supervisors' count.
    assert_eq!(d.app.get("/tickets/queues", &d.agent_n2).await.body["unstaffed"], Value::Null);
    // Derived, not stored: once the agent is back the case is an ordinary unassigned one.
    d.app.call(Method::PUT, &format!("/users/{agent}/availability"), Some(&d.admin), Some(json!({"absent_until": null}))).await;
    assert_eq!(d.app.get("/tickets/queues", &sup).await.body["unstaffed"], 0);
    assert_eq!(numbers(&d.app.get("/tickets?view=unassigned", &sup).await.body), vec![n]);
    assert!(numbers(&d.app.get("/tickets?view=unstaffed", &sup).await.body).is_empty());
}

#[tokio::test]
async fn staff_register_letters_and_emails_with_their_reference_and_it_is_searchable() {
    let d = desk().await;
    let pedro = user_id(&d, &d.pedro).await;
    let body = |extra: Value| {
        let mut b =
            json!({"service_id": d.service, "subject": "Oficio de la Secretaría", "description": "Solicita soporte", "requester_id": pedro, "fields": {"placa_equipo": "N/A"}});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    // A letter without its filing number.
    let r = d.app.post("/tickets", Some(&d.agent_n1), body(json!({"channel": "letter"}))).await;
    assert_eq!((r.status.as_u16(), r.error_fields()), (422, vec!["external_reference".to_owned()]));
    let r = d.app.post("/tickets", Some(&d.agent_n1), body(json!({"channel": "letter", "external_reference": "x".repeat(101)}))).await;
    assert_eq!((r.status.as_u16(), r.error_fields()), (422, vec!["external_reference".to_owned()]));
    let r = d.app.post("/tickets", Some(&d.agent_n1), body(json!({"channel": "letter", "external_reference": " 2026ER004512 "}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!((r.body["channel"].clone(), r.body["external_reference"].clone()), (json!("letter"), json!("2026ER004512")));
    let letter = r.body["number"].as_i64().unwrap();
    let r = d.app.post("/tickets", Some(&d.agent_n1), body(json!({"channel": "email", "external_reference": "<abc@correo.gov.co>"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let email = r.body["number"].as_i64().unwrap();
    assert_eq!(r.body["channel"], "email");

    // Requesters cannot claim a staff channel nor a document reference.
    for (extra, field) in [
        (json!({"channel": "email"}), "channel"),
        (json!({"channel": "letter", "external_reference": "R-1"}), "channel"),
        (json!({"external_reference": "R-1"}), "external_reference"),
    ] {
        let mut b = json!({"service_id": d.service, "subject": "x", "description": "x", "fields": {"placa_equipo": "N/A"}});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let r = d.app.post("/tickets", Some(&d.pedro), b).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.error_fields().contains(&field.to_owned()), "{extra}: {}", r.body);
    }

    // Shown on the case (the requester too) and in lists; found by search and by the exact filter.
    assert_eq!(d.app.get(&format!("/tickets/{letter}"), &d.pedro).await.body["external_reference"], "2026ER004512");
    let found = d.app.get("/tickets?q=2026ER004512", &d.agent_n1).await.body;
    assert_eq!(numbers(&found), vec![letter]);
    assert_eq!(found["items"][0]["external_reference"], "2026ER004512");
    assert_eq!(numbers(&d.app.get("/tickets?view=requested&q=2026ER004512", &d.pedro).await.body), vec![letter]);
    assert_eq!(numbers(&d.app.get("/tickets?external_reference=2026ER004512", &d.agent_n1).await.body), vec![letter]);
    assert_eq!(numbers(&d.app.get("/tickets?external_reference=%3Cabc%40correo.gov.co%3E", &d.agent_n1).await.body), vec![email]);
    assert!(numbers(&d.app.get("/tickets?external_reference=2026ER0045", &d.agent_n1).await.body).is_empty());
}

#[tokio::test]
async fn a_desk_may_require_the_requesters_identity_number() {
    let d = desk().await;
    let case = |extra: Value| {
        let mut b = json!({"service_id": d.service, "subject": "Sin cédula", "description": "x", "fields": {"placa_equipo": "N/A"}});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    // Not required yet.
    assert_eq!(d.app.post("/tickets", Some(&d.pedro), case(json!({}))).await.status, 201);
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"require_identity_number": true})).await;
    assert_eq!((r.status.as_u16(), r.body["require_identity_number"].clone()), (200, json!(true)));

    let r = d.app.post("/tickets", Some(&d.pedro), case(json!({}))).await;
    assert_eq!((r.status.as_u16(), r.error_fields()), (422, vec!["identity_number".to_owned()]));
    let r = d.app.post("/tickets", Some(&d.pedro), case(json!({"identity_number": "12;34"}))).await;
    assert_eq!((r.status.as_u16(), r.error_fields()), (422, vec!["identity_number".to_owned()]));
    // Given with the request, it is kept on the profile (dots dropped) ...
    let r = d.app.post("/tickets", Some(&d.pedro), case(json!({"identity_number": "79.456.123"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(d.app.get("/me", &d.pedro).await.body["identity_number"], "79456123");
    // ... so the next registration needs nothing more; a different number is refused.
    assert_eq!(d.app.post("/tickets", Some(&d.pedro), case(json!({}))).await.status, 201);
    assert_eq!(d.app.post("/tickets", Some(&d.pedro), case(json!({"identity_number": "79456123"}))).await.status, 201);
    let r = d.app.post("/tickets", Some(&d.pedro), case(json!({"identity_number": "1000"}))).await;
    assert_eq!((r.status.as_u16(), r.body["errors"][0]["code"].clone()), (422, json!("mismatch")));

    // An agent registering for Lucía, who has none: 422 naming it; then typed from the call.
    let lucia = user_id(&d, &d.lucia).await;
    let r = d.app.post("/tickets", Some(&d.agent_n1), case(json!({"requester_id": lucia}))).await;
    assert_eq!((r.status.as_u16(), r.error_fields()), (422, vec!["identity_number".to_owned()]));
    // Lucía fills it in her profile; admins edit and clear it.
    let r = d.app.patch("/me", &d.lucia, json!({"identity_number": "  1.020.304 "})).await;
    assert_eq!((r.status.as_u16(), r.body["identity_number"].clone()), (200, json!("1020304")));
    d.app.patch("/me", &d.lucia, json!({"identity_number": "x".repeat(31)})).await.assert_problem(422, "validation_failed");
    assert_eq!(d.app.post("/tickets", Some(&d.agent_n1), case(json!({"requester_id": lucia}))).await.status, 201);
    let r = d.app.patch(&format!("/users/{lucia}"), &d.admin, json!({"identity_number": null})).await;
    assert_eq!((r.status.as_u16(), r.body["identity_number"].clone()), (200, Value::Null));
    assert_eq!(d.app.post("/tickets", Some(&d.agent_n1), case(json!({"requester_id": lucia}))).await.status, 422);
    let r = d.app.patch(&format!("/users/{lucia}"), &d.admin, json!({"identity_number": "CE-998877"})).await;
    assert_eq!(r.body["identity_number"], "CE-998877");
}

#[tokio::test]
async fn a_secretariats_own_team_sees_and_acts_on_its_organizations_cases_only() {
    let d = desk().await;
    let sup = supervisor(&d).await;
    let educacion = d.open(&d.pedro, "Impresora de Educación").await["number"].as_i64().unwrap();
    let hacienda = d.open(&d.lucia, "Impresora de Hacienda").await["number"].as_i64().unwrap();
    // An unassigned case of each organization in the general first level.
    let agent = user_id(&d, &d.agent_n1).await;
    d.app.call(Method::PUT, &format!("/users/{agent}/availability"), Some(&d.admin), Some(json!({"absent_until": "2099-01-01T00:00:00Z"}))).await;
    let waiting = d.open(&d.pedro, "Educación espera").await["number"].as_i64().unwrap();

    // cto.hacienda: Hacienda's first-level team.
    assert_eq!(d.app.get(&format!("/tickets/{hacienda}"), &d.cto_hacienda).await.status, 200);
    d.app.get(&format!("/tickets/{educacion}"), &d.cto_hacienda).await.assert_problem(404, "not_found");
    d.act(&d.cto_hacienda, educacion, "take", json!({})).await.assert_problem(404, "not_found");
    d.app.get(&format!("/tickets/{educacion}/events"), &d.cto_hacienda).await.assert_problem(404, "not_found");
    assert_eq!(numbers(&d.app.get("/tickets", &d.cto_hacienda).await.body), vec![hacienda]);
    assert!(numbers(&d.app.get("/tickets?q=impresora", &d.cto_hacienda).await.body) == vec![hacienda]);
    assert!(numbers(&d.app.get("/tickets?view=unassigned", &d.cto_hacienda).await.body).is_empty());
    assert_eq!(d.app.get("/tickets/queues", &d.cto_hacienda).await.body["unassigned"], 0);
    // A case of another organization assigned to his group is his to work.
    let x = d.ok(&sup, educacion, "assign", json!({"group_id": d.hacienda_n1})).await;
    assert_eq!(x["assigned_group"]["id"], json!(d.hacienda_n1));
    assert_eq!(d.app.get(&format!("/tickets/{educacion}"), &d.cto_hacienda).await.status, 200);
    d.ok(&d.cto_hacienda, educacion, "take", json!({})).await;

    // The general first level, the specialists and the supervisor keep the whole desk.
    for token in [&d.agent_n1, &d.agent_n2, &sup] {
        assert_eq!(numbers(&d.app.get("/tickets", token).await.body), vec![waiting, hacienda, educacion]);
        assert_eq!(d.app.get(&format!("/tickets/{hacienda}"), token).await.status, 200);
        assert_eq!(d.app.get("/tickets/queues", token).await.body["unassigned"], 1);
    }
}

#[tokio::test]
async fn searching_a_case_number_finds_that_case_first() {
    let d = desk().await;
    let target = d.open(&d.pedro, "Monitor parpadea").await["number"].as_i64().unwrap();
    let mentions = d.open(&d.pedro, &format!("Equipo {target} de la sala")).await["number"].as_i64().unwrap();
    let other = d.open(&d.lucia, "Otro caso").await["number"].as_i64().unwrap();
    for q in [format!("{target}"), format!("%23{target}"), format!("%23%20{target}")] {
        let page = d.app.get(&format!("/tickets?q={q}"), &d.agent_n1).await.body;
        assert_eq!(numbers(&page), vec![target, mentions], "q={q}");
        assert_eq!(numbers(&d.app.get(&format!("/tickets?view=requested&q={q}"), &d.pedro).await.body), vec![target, mentions], "q={q}");
    }
    // Pages do not repeat it; other filters and visibility still apply.
    let first = d.app.get(&format!("/tickets?q={target}&limit=2"), &d.agent_n1).await.body;
    assert_eq!(numbers(&first), vec![target, mentions]);
    assert_eq!(first["next_cursor"], Value::Null);
    assert_eq!(numbers(&d.app.get(&format!("/tickets?q={target}&status=closed"), &d.agent_n1).await.body), Vec::<i64>::new());
    assert!(numbers(&d.app.get(&format!("/tickets?view=requested&q={other}"), &d.pedro).await.body).is_empty());
    assert_eq!(numbers(&d.app.get(&format!("/tickets?q=%23{other}"), &d.admin).await.body), vec![other]);
}
