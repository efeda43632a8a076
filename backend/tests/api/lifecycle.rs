//! Who may act on a case once it changed hands, what the requester reads of the agents' reasons,
//! and the case's level following its group.
use serde_json::{json, Value};

use crate::tickets::desk;

fn texts(events: &Value) -> String {
    events.to_string()
}

#[tokio::test]
async fn an_escalated_case_belongs_to_its_new_group() {
    let d = desk().await;
    let n = d.open(&d.pedro, "El equipo no enciende").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    d.ok(&d.agent_n1, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Tarjeta madre"})).await;
    // The former agent no longer decides the case, nor is offered to.
    for (action, body) in [("take", json!({})), ("resolve", json!({"solution": "Listo"})), ("reject", json!({"reason": "No aplica"}))] {
        d.act(&d.agent_n1, n, action, body).await.assert_problem(403, "forbidden");
    }
    let seen = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    assert_eq!(seen["allowed_actions"], json!(["assign", "classify", "escalate", "hold"]));
    assert_eq!(seen["version"], 3, "the refused actions changed nothing");
    // ...but still writes follow-ups.
    let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Ya se probó otra fuente", "visibility": "private"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The new group's agent takes and works it; an admin (desk-wide) may decide it too.
    let x = d.app.get(&format!("/tickets/{n}"), &d.agent_n2).await.body;
    assert_eq!(x["allowed_actions"], json!(["take", "assign", "classify", "escalate", "hold", "resolve", "reject"]));
    d.ok(&d.agent_n2, n, "take", json!({})).await;
    let x = d.ok(&d.admin, n, "resolve", json!({"solution": "Se cambió la fuente"})).await;
    assert_eq!(x["status"], "resolved");
}

#[tokio::test]
async fn escalation_and_hold_reasons_are_private_unless_marked_public() {
    let d = desk().await;
    // Lucía (Hacienda) is served by her CTO's team.
    let n = d.open(&d.lucia, "Impresora atascada").await["number"].as_i64().unwrap();
    d.ok(&d.cto_hacienda, n, "take", json!({})).await;
    d.ok(&d.cto_hacienda, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "El contratista no responde"})).await;
    let mine = d.app.get(&format!("/tickets/{n}/events"), &d.lucia).await.body;
    assert!(!texts(&mine).contains("El contratista no responde"), "{mine}");
    // She still reads that it was escalated.
    let level = mine.as_array().unwrap().iter().find(|e| e["kind"] == "level").expect("the escalation shows");
    assert_eq!(level["new_value"], json!({"level": 2}));
    let staff = d.app.get(&format!("/tickets/{n}/events"), &d.agent_n2).await.body;
    let escalation = staff.as_array().unwrap().iter().find(|e| e["kind"] == "status" && e["new_value"]["status"] == "assigned" && e["actor"].is_object()).unwrap();
    assert_eq!(escalation["new_value"]["reason"], "El contratista no responde");

    // Marked public, the requester reads it.
    d.ok(&d.agent_n2, n, "take", json!({})).await;
    d.ok(&d.agent_n2, n, "escalate", json!({"level": 3, "group_id": d.n3, "reason": "Garantía del fabricante", "public": true})).await;
    assert!(texts(&d.app.get(&format!("/tickets/{n}/events"), &d.lucia).await.body).contains("Garantía del fabricante"));

    // A hold's note: the agents' unless public, on the case and in the timeline.
    d.ok(&d.agent_n3, n, "take", json!({})).await;
    d.ok(&d.agent_n3, n, "hold", json!({"reason": "waiting_provider", "note": "Proveedor con mora en el contrato"})).await;
    let hers = d.app.get(&format!("/tickets/{n}"), &d.lucia).await.body;
    assert_eq!((hers["hold"]["reason"].clone(), hers["hold"]["note"].clone()), (json!("waiting_provider"), Value::Null));
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n3).await.body["hold"]["note"], "Proveedor con mora en el contrato");
    assert!(!texts(&d.app.get(&format!("/tickets/{n}/events"), &d.lucia).await.body).contains("mora"));
    d.ok(&d.agent_n3, n, "resume", json!({})).await;
    d.ok(&d.agent_n3, n, "hold", json!({"reason": "waiting_requester", "note": "Envíe la placa del equipo", "public": true})).await;
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.lucia).await.body["hold"]["note"], "Envíe la placa del equipo");
    assert!(texts(&d.app.get(&format!("/tickets/{n}/events"), &d.lucia).await.body).contains("Envíe la placa del equipo"));
}

#[tokio::test]
async fn a_cases_level_is_always_its_groups_level() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Equipo lento").await["number"].as_i64().unwrap();
    // Handing a level-1 case to a level-2 group would bypass the escalation's reason: refused.
    let r = d.act(&d.agent_n1, n, "assign", json!({"group_id": d.n2})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!((r.body["errors"][0]["field"].clone(), r.body["errors"][0]["code"].clone()), (json!("group_id"), json!("wrong_level")));
    // A group of the same level is fine; escalating moves the level with the group.
    let x = d.ok(&d.agent_n1, n, "assign", json!({"group_id": d.hacienda_n1})).await;
    assert_eq!((x["assigned_group"]["id"].clone(), x["level"].clone()), (json!(d.hacienda_n1), json!(1)));
    let x = d.ok(&d.admin, n, "escalate", json!({"level": 3, "group_id": d.n3, "reason": "Proveedor"})).await;
    assert_eq!((x["assigned_group"]["id"].clone(), x["level"].clone()), (json!(d.n3), json!(3)));
}

async fn edit(d: &crate::tickets::Desk, token: &str, n: i64, version: Option<i64>, body: Value) -> crate::support::app::Reply {
    let tag = version.map(|v| format!("\"{v}\""));
    let headers: Vec<(&str, &str)> = tag.as_deref().map(|t| vec![("If-Match", t)]).unwrap_or_default();
    d.app.call_with(reqwest::Method::PATCH, &format!("/tickets/{n}"), Some(token), Some(body), &headers).await
}

#[tokio::test]
async fn editing_a_case_records_each_changed_field() {
    let d = desk().await;
    let t = d.open(&d.pedro, "Equipo no enciende").await;
    let n = t["number"].as_i64().unwrap();
    let v = t["version"].as_i64().unwrap();
    // If-Match is required, and must be current.
    edit(&d, &d.agent_n1, n, None, json!({"subject": "x"})).await.assert_problem(428, "precondition_required");
    edit(&d, &d.agent_n1, n, Some(v + 5), json!({"subject": "x"})).await.assert_problem(412, "version_mismatch");
    // Validated as registration validates: the service's required field cannot go, unknown ones are refused.
    assert_eq!(edit(&d, &d.agent_n1, n, Some(v), json!({"subject": " ", "contact_phone": "1".repeat(41)})).await.error_fields(), ["subject", "contact_phone"]);
    let r = edit(&d, &d.agent_n1, n, Some(v), json!({"fields": {"placa_equipo": null, "color": "rojo"}})).await;
    r.assert_problem(422, "validation_failed");
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, ["fields.color", "fields.placa_equipo"]);
    // Staff edit an open case; each changed field is an audit entry with both values.
    let r = edit(
        &d,
        &d.agent_n1,
        n,
        Some(v),
        json!({"subject": "El equipo PC-0042 no enciende", "description": "Detalle del caso", "fields": {"placa_equipo": "PC-0043", "cantidad": 1}, "contact_phone": "3001234567"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.body["subject"].clone(), r.body["fields"].clone(), r.body["version"].clone()),
        (json!("El equipo PC-0042 no enciende"), json!({"placa_equipo": "PC-0043", "cantidad": 1}), json!(v + 1))
    );
    let events = d.app.get(&format!("/tickets/{n}/events"), &d.agent_n1).await.body;
    let edits: Vec<&Value> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "edit").collect();
    let changed: Vec<&str> = edits.iter().map(|e| e["new_value"]["field"].as_str().unwrap()).collect();
    assert_eq!(changed, ["subject", "contact_phone", "fields.cantidad", "fields.placa_equipo"], "the description did not change");
    assert_eq!((edits[0]["old_value"]["value"].clone(), edits[0]["new_value"]["value"].clone()), (json!("Equipo no enciende"), json!("El equipo PC-0042 no enciende")));
    // The phone is personal data: Pedro's timeline shows the other changes, not it.
    let his = d.app.get(&format!("/tickets/{n}/events"), &d.pedro).await.body;
    let his_edits: Vec<&str> = his.as_array().unwrap().iter().filter(|e| e["kind"] == "edit").map(|e| e["new_value"]["field"].as_str().unwrap()).collect();
    assert_eq!(his_edits, ["subject", "fields.cantidad", "fields.placa_equipo"]);
    // An edit that changes nothing changes nothing.
    let r = edit(&d, &d.agent_n1, n, Some(v + 1), json!({"subject": "El equipo PC-0042 no enciende", "fields": {"cantidad": 1}})).await;
    assert_eq!((r.status.as_u16(), r.body["version"].clone()), (200, json!(v + 1)));
    assert_eq!(d.app.get(&format!("/tickets/{n}/events"), &d.agent_n1).await.body.as_array().unwrap().len(), events.as_array().unwrap().len());

    // The requester edits only while the case waits for them (or nobody has it yet).
    edit(&d, &d.pedro, n, Some(v + 1), json!({"description": "Más detalle"})).await.assert_problem(409, "not_editable");
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let x = d.ok(&d.agent_n1, n, "hold", json!({"reason": "waiting_requester", "note": "Indique la sede", "public": true})).await;
    let r = edit(&d, &d.pedro, n, x["version"].as_i64(), json!({"description": "Está en la sede principal, piso 3"})).await;
    assert_eq!((r.status.as_u16(), r.body["description"].clone()), (200, json!("Está en la sede principal, piso 3")), "{}", r.body);
    assert_eq!(r.body["status"], "on_hold", "editing is not answering: the agent resumes");
    // A closed case is not edited by anyone.
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Listo"})).await;
    let x = d.ok(&d.pedro, n, "close", json!({})).await;
    edit(&d, &d.agent_n1, n, x["version"].as_i64(), json!({"subject": "Otro"})).await.assert_problem(409, "not_editable");
}

#[tokio::test]
async fn a_transferred_case_belongs_to_the_other_desk() {
    let d = desk().await;
    // "Servicios administrativos", with its own group, agent and SLA policy.
    let adm = d.app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body["id"].as_str().unwrap().to_owned();
    let group = d.app.post("/groups", Some(&d.admin), json!({"desk_id": adm, "name": "Mantenimiento", "level": 1})).await.body["id"].as_str().unwrap().to_owned();
    let uid = d.app.create_local_user("tecnico.mantenimiento", "Buena.Clave2026", mesa::users::domain::Role::Agent).await;
    let r = d.app.call(reqwest::Method::PUT, &format!("/groups/{group}/members"), Some(&d.admin), Some(json!({"user_ids": [uid]}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let tecnico = d.app.token("tecnico.mantenimiento", "Buena.Clave2026").await;
    let service = d
        .app
        .post(
            &format!("/desks/{adm}/catalog/nodes"),
            Some(&d.admin),
            json!({"kind": "service", "name": "Aire acondicionado", "service": {"responsible_group_id": group, "default_type": "request"}}),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let target = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let policy = d
        .app
        .post(
            "/sla-policies",
            Some(&d.admin),
            json!({"name": "ANS ADM", "targets": {"critical": target(60, 240), "high": target(120, 480), "medium": target(300, 1140), "low": target(1080, 1710)}}),
        )
        .await;
    assert_eq!(policy.status, 201, "{}", policy.body);
    let r = d.app.patch(&format!("/desks/{adm}"), &d.admin, json!({"sla_policy_id": policy.body["id"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let t = d.open(&d.pedro, "El aire acondicionado gotea").await;
    assert!(t["sla"].is_null(), "the TIC desk of these tests measures nothing");
    let n = t["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "No es un equipo de cómputo", "visibility": "private"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // Not by the requester; not to the case's own desk.
    d.act(&d.pedro, n, "transfer", json!({"service_id": service, "reason": "x"})).await.assert_problem(403, "forbidden");
    assert_eq!(d.act(&d.agent_n1, n, "transfer", json!({"service_id": d.vpn, "reason": "x"})).await.error_fields(), ["service_id"]);
    d.act(&d.agent_n1, n, "transfer", json!({"service_id": service, "reason": " "})).await.assert_problem(422, "validation_failed");

    let x = d.ok(&d.agent_n1, n, "transfer", json!({"service_id": service, "reason": "Corresponde a mantenimiento de sedes"})).await;
    assert_eq!((x["desk_id"].clone(), x["service"]["id"].clone(), x["type"].clone()), (json!(adm), json!(service), json!("request")));
    assert_eq!((x["assigned_group"]["id"].clone(), x["assigned_agent"]["name"].clone()), (json!(group), json!("Usuario tecnico.mantenimiento")));
    assert_eq!((x["status"].clone(), x["level"].clone()), (json!("assigned"), json!(1)));
    assert_eq!(x["sla"]["policy_id"], policy.body["id"], "measured by the new desk's policy");
    assert!(x["resolution_due_at"].is_string());
    // The old desk's agents no longer see it; the new desk's do, with the whole timeline; Pedro still does.
    d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.assert_problem(404, "not_found");
    let seen = d.app.get(&format!("/tickets/{n}"), &tecnico).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.body["allowed_actions"][0], "take");
    let notes = d.app.get(&format!("/tickets/{n}/followups"), &tecnico).await.body;
    assert_eq!(notes[0]["body"], "No es un equipo de cómputo");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["desk_id"], json!(adm));
    let events = d.app.get(&format!("/tickets/{n}/events"), &d.pedro).await.body;
    assert!(events.as_array().unwrap().iter().any(|e| e["kind"] == "transfer" && e["new_value"]["reason"] == "Corresponde a mantenimiento de sedes"));
    d.ok(&tecnico, n, "take", json!({})).await;
}
