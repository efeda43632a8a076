//! Cases through the HTTP API: the seeds' workflow, forbidden transitions, idempotency,
//! concurrency, visibility, bad input, attachments and search.
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::{spawn_app, Reply, TestApp};

const PW: &str = "Buena.Clave2026";

/// Desk TIC with groups at levels 1–3 (one agent each, plus Hacienda's own first level),
/// a service routed by organization, and requesters in two organizations.
pub struct Desk {
    pub app: TestApp,
    pub admin: String,
    pub desk: String,
    pub service: String,
    pub vpn: String,
    pub n1: String,
    pub n2: String,
    pub n3: String,
    pub hacienda_n1: String,
    pub agent_n1: String,
    pub agent_n2: String,
    pub agent_n3: String,
    pub cto_hacienda: String,
    pub lucia: String,
    pub pedro: String,
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
}

async fn token_for(app: &TestApp, name: &str, role: Role) -> (String, String) {
    let uid = app.create_local_user(name, PW, role).await.to_string();
    (uid, app.token(name, PW).await)
}

pub async fn desk() -> Desk {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let hacienda = id(&app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Hacienda"})).await.body);
    let educacion = id(&app.post("/organizations", Some(&admin), json!({"name": "Secretaría de Educación"})).await.body);
    let desk = id(&app.post("/desks", Some(&admin), json!({"code": "TIC", "name": "Tecnologías de la Información"})).await.body);
    let mut groups = Vec::new();
    for (name, level) in [("Mesa N1", 1), ("Especialistas N2", 2), ("Proveedor N3", 3), ("CTO Hacienda N1", 1)] {
        groups.push(id(&app.post("/groups", Some(&admin), json!({"desk_id": desk, "name": name, "level": level})).await.body));
    }
    let mut agents = Vec::new();
    for (i, name) in ["agente.n1", "especialista.n2", "proveedor.n3", "cto.hacienda"].iter().enumerate() {
        let (uid, token) = token_for(&app, name, Role::Agent).await;
        let r = app.call(Method::PUT, &format!("/groups/{}/members", groups[i]), Some(&admin), Some(json!({"user_ids": [uid]}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        agents.push(token);
    }
    let cat = id(&app.post(&format!("/desks/{desk}/catalog/nodes"), Some(&admin), json!({"kind": "category", "name": "TIC"})).await.body);
    let service = app
        .post(
            &format!("/desks/{desk}/catalog/nodes"),
            Some(&admin),
            json!({
                "parent_id": cat, "kind": "service", "name": "Soporte virtual o en sitio",
                "service": {
                    "default_type": "incident", "default_priority": "medium", "responsible_group_id": groups[0],
                    "routes": [{"organization_id": hacienda, "group_id": groups[3]}],
                    "form_fields": [
                        {"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo"}, "required": true},
                        {"key": "cantidad", "type": "number", "label": {"es": "Cantidad"}}
                    ]
                }
            }),
        )
        .await;
    assert_eq!(service.status, 201, "{}", service.body);
    let vpn = app
        .post(
            &format!("/desks/{desk}/catalog/nodes"),
            Some(&admin),
            json!({
                "parent_id": cat, "kind": "service", "name": "Acceso remoto (VPN)",
                "service": {"responsible_group_id": groups[0], "required_attachments": [{"key": "formato_vpn", "label": {"es": "Formato VPN firmado"}}]}
            }),
        )
        .await;
    let lucia_id = app.create_local_user("lucia.martinez", PW, Role::Requester).await;
    let pedro_id = app.create_local_user("pedro.suarez", PW, Role::Requester).await;
    app.patch(&format!("/users/{lucia_id}"), &admin, json!({"organization_id": hacienda})).await;
    app.patch(&format!("/users/{pedro_id}"), &admin, json!({"organization_id": educacion})).await;
    let lucia = app.token("lucia.martinez", PW).await;
    let pedro = app.token("pedro.suarez", PW).await;
    let mut agents = agents.into_iter();
    Desk {
        admin,
        desk,
        service: id(&service.body),
        vpn: id(&vpn.body),
        n1: groups[0].clone(),
        n2: groups[1].clone(),
        n3: groups[2].clone(),
        hacienda_n1: groups[3].clone(),
        agent_n1: agents.next().unwrap(),
        agent_n2: agents.next().unwrap(),
        agent_n3: agents.next().unwrap(),
        cto_hacienda: agents.next().unwrap(),
        lucia,
        pedro,
        app,
    }
}

impl Desk {
    pub async fn open(&self, token: &str, subject: &str) -> Value {
        let r = self
            .app
            .post("/tickets", Some(token), json!({"service_id": self.service, "subject": subject, "description": "Detalle del caso", "fields": {"placa_equipo": "PC-0042"}}))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.body
    }

    pub async fn act(&self, token: &str, number: i64, action: &str, body: Value) -> Reply {
        self.app.post(&format!("/tickets/{number}/{action}"), Some(token), body).await
    }

    pub async fn ok(&self, token: &str, number: i64, action: &str, body: Value) -> Value {
        let r = self.act(token, number, action, body).await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
        r.body
    }

    /// A well-formed body for each action, so only the role or the state can refuse it.
    fn valid_body(&self, action: &str) -> Value {
        match action {
            "assign" => json!({"group_id": self.n1}),
            "classify" => json!({"impact": "low", "urgency": "low"}),
            "escalate" => json!({"level": 2, "group_id": self.n2, "reason": "x"}),
            "hold" => json!({"reason": "waiting_requester"}),
            "resolve" => json!({"solution": "x"}),
            "reject" | "reopen" => json!({"reason": "x"}),
            _ => json!({}),
        }
    }

    /// A second desk, "Administrativos", with a level-1 group and a service routed to it; returns
    /// (group, service).
    async fn second_desk(&self) -> (String, String) {
        let desk = id(&self.app.post("/desks", Some(&self.admin), json!({"code": "ADM", "name": "Administrativos"})).await.body);
        let group = id(&self.app.post("/groups", Some(&self.admin), json!({"desk_id": desk, "name": "Servicios generales", "level": 1})).await.body);
        let service = id(&self
            .app
            .post(&format!("/desks/{desk}/catalog/nodes"), Some(&self.admin), json!({"kind": "service", "name": "Aire acondicionado", "service": {"responsible_group_id": group}}))
            .await
            .body);
        (group, service)
    }

    async fn count_tickets(&self) -> i64 {
        use diesel::prelude::*;
        use diesel_async::RunQueryDsl;
        let mut conn = self.app.pool.get().await.unwrap();
        mesa::db::schema::tickets::table.count().get_result(&mut conn).await.unwrap()
    }
}

#[tokio::test]
async fn the_seeds_workflow_end_to_end() {
    let d = desk().await;
    // Pedro (Educación) goes to the default first level; Lucía (Hacienda) to her CTO's team.
    let t = d.open(&d.pedro, "El equipo no enciende").await;
    assert_eq!((t["status"].clone(), t["level"].clone(), t["channel"].clone()), (json!("assigned"), json!(1), json!("portal")));
    assert_eq!(t["assigned_group"]["id"], d.n1);
    assert_eq!(t["assigned_agent"]["name"], "Usuario agente.n1");
    assert_eq!(t["type"], "incident");
    assert_eq!(t["allowed_actions"], json!(["cancel"]));
    let routed = d.open(&d.lucia, "Impresora atascada").await;
    assert_eq!(routed["assigned_group"]["id"], d.hacienda_n1);
    let n = t["number"].as_i64().unwrap();
    assert!(routed["number"].as_i64().unwrap() > n);

    let x = d.ok(&d.agent_n1, n, "take", json!({})).await;
    assert_eq!(x["status"], "in_progress");
    // Pedro cannot cancel once someone works on it.
    let r = d.act(&d.pedro, n, "cancel", json!({})).await;
    r.assert_problem(409, "invalid_transition");
    assert_eq!(r.body["allowed_actions"], json!([]));

    let x = d.ok(&d.agent_n1, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Requiere revisión de la tarjeta madre"})).await;
    assert_eq!((x["level"].clone(), x["status"].clone()), (json!(2), json!("assigned")));
    assert_eq!(x["assigned_agent"]["name"], "Usuario especialista.n2");
    d.ok(&d.agent_n2, n, "take", json!({})).await;
    // Level 3 needs a level-3 group.
    d.act(&d.agent_n2, n, "escalate", json!({"level": 3, "group_id": d.n2, "reason": "Garantía"})).await.assert_problem(422, "validation_failed");
    d.ok(&d.agent_n2, n, "escalate", json!({"level": 3, "group_id": d.n3, "reason": "Garantía del fabricante"})).await;
    d.ok(&d.agent_n3, n, "take", json!({})).await;
    let x = d.ok(&d.agent_n3, n, "hold", json!({"reason": "waiting_provider", "note": "Repuesto en camino"})).await;
    assert_eq!(x["hold"]["reason"], "waiting_provider");
    d.ok(&d.agent_n3, n, "resume", json!({})).await;
    d.act(&d.agent_n3, n, "resolve", json!({"solution": "  "})).await.assert_problem(422, "validation_failed");
    let x = d.ok(&d.agent_n3, n, "resolve", json!({"solution": "Se reemplazó la fuente de poder", "solution_type": "on_site"})).await;
    assert_eq!(x["status"], "resolved");
    // Pedro is not satisfied: the case goes back to work.
    let x = d.ok(&d.pedro, n, "reopen", json!({"reason": "Sigue sin encender"})).await;
    assert_eq!((x["status"].clone(), x["reopen_count"].clone()), (json!("in_progress"), json!(1)));
    d.ok(&d.agent_n3, n, "resolve", json!({"solution": "Se cambió el cable de poder"})).await;
    let x = d.ok(&d.pedro, n, "close", json!({})).await;
    assert_eq!(x["status"], "closed");
    assert!(x["closed_at"].is_string());

    let events = d.app.get(&format!("/tickets/{n}/events"), &d.pedro).await.body;
    let kinds: Vec<&str> = events.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "level").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "solution").count(), 2);
    let statuses: Vec<&str> = events.as_array().unwrap().iter().filter(|e| e["kind"] == "status").map(|e| e["new_value"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["in_progress", "assigned", "in_progress", "assigned", "in_progress", "on_hold", "in_progress", "resolved", "in_progress", "resolved", "closed"]);
    // An escalation's reason is the agents' (issue 15): they read it, Pedro reads the change.
    let staff_events = d.app.get(&format!("/tickets/{n}/events"), &d.agent_n3).await.body;
    let escalation =
        staff_events.as_array().unwrap().iter().find(|e| e["kind"] == "status" && e["new_value"]["reason"] == "Garantía del fabricante").expect("escalation reason recorded");
    assert_eq!(escalation["actor"]["name"], "Usuario especialista.n2");
    assert_eq!(kinds[0], "created");
    let auto = events.as_array().unwrap().iter().find(|e| e["kind"] == "assignment").unwrap();
    assert!(auto["actor"].is_null(), "the desk assigned it, not the requester");
    assert_eq!(auto["new_value"]["group_name"], "Mesa N1");
    assert_eq!(auto["new_value"]["agent_name"], "Usuario agente.n1");
}

#[tokio::test]
async fn reject_with_redirect_and_cancel() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Arreglar el aire acondicionado").await["number"].as_i64().unwrap();
    d.act(&d.agent_n1, n, "reject", json!({})).await.assert_problem(422, "validation_failed");
    let x = d.ok(&d.agent_n1, n, "reject", json!({"reason": "No es un servicio de TI", "redirected_to": "Servicios administrativos - Mantenimiento"})).await;
    assert_eq!(x["status"], "rejected");
    let seen = d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body;
    assert_eq!(seen["rejection"]["redirected_to"], "Servicios administrativos - Mantenimiento");

    let n = d.open(&d.pedro, "Ya no lo necesito").await["number"].as_i64().unwrap();
    let x = d.ok(&d.pedro, n, "cancel", json!({})).await;
    assert_eq!(x["status"], "cancelled");
}

#[tokio::test]
async fn forbidden_transitions_answer_409_with_the_allowed_actions() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Caso").await["number"].as_i64().unwrap();
    let staff_actions = ["take", "assign", "classify", "escalate", "hold", "resume", "resolve", "reject", "reopen", "close"];
    // Assigned: resume, reopen, close do not apply.
    for action in ["resume", "reopen", "close"] {
        let r = d.act(&d.agent_n1, n, action, json!({"reason": "x"})).await;
        r.assert_problem(409, "invalid_transition");
        assert_eq!(r.body["allowed_actions"], json!(["take", "assign", "classify", "escalate", "hold", "resolve", "reject"]), "{action}");
    }
    // Requesters may not do staff work at all.
    let valid: Vec<(&str, Value)> = ["take", "assign", "classify", "escalate", "hold", "resolve", "reject"].into_iter().map(|a| (a, d.valid_body(a))).collect();
    for (action, body) in valid {
        d.act(&d.pedro, n, action, body).await.assert_problem(403, "forbidden");
    }
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    d.act(&d.agent_n1, n, "take", json!({})).await.assert_problem(409, "invalid_transition");
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Listo"})).await;
    d.ok(&d.pedro, n, "close", json!({})).await;
    // Closed is final: every action conflicts, and nothing changes.
    let before = d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body;
    for action in staff_actions {
        let r = d.act(&d.agent_n1, n, action, d.valid_body(action)).await;
        assert_eq!(r.status, 409, "{action}: {}", r.body);
        assert_eq!(r.body["allowed_actions"], json!([]));
    }
    d.act(&d.pedro, n, "cancel", json!({})).await.assert_problem(409, "invalid_transition");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body, before);
}

#[tokio::test]
async fn idempotent_creation_returns_the_first_ticket() {
    let d = desk().await;
    let body =
        json!({"service_id": d.service, "subject": "Oficio 2026-123", "description": "Radicado desde gestión documental", "fields": {"placa_equipo": "N/A"}, "channel": "api"});
    let send = |b: Value| d.app.call_with(Method::POST, "/tickets", Some(&d.pedro), Some(b), &[("Idempotency-Key", "orfeo-2026-123")]);
    let first = send(body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let again = send(body.clone()).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["number"], first.body["number"]);
    let mut other = body.clone();
    other["subject"] = json!("Otro asunto");
    send(other).await.assert_problem(409, "idempotency_key_reused");

    // Concurrent retries create exactly one case.
    let mut body2 = body.clone();
    body2["subject"] = json!("Oficio 2026-124");
    let futures: Vec<_> = (0..6).map(|_| d.app.call_with(Method::POST, "/tickets", Some(&d.pedro), Some(body2.clone()), &[("Idempotency-Key", "orfeo-2026-124")])).collect();
    let replies = futures_util::future::join_all(futures).await;
    let numbers: std::collections::HashSet<_> = replies.iter().map(|r| r.body["number"].as_i64().unwrap_or_else(|| panic!("{}", r.body))).collect();
    assert_eq!(numbers.len(), 1);
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    assert_eq!(d.count_tickets().await, 2);
}

#[tokio::test]
async fn concurrent_edits_are_refused_with_412() {
    let d = desk().await;
    let t = d.open(&d.pedro, "Caso").await;
    let n = t["number"].as_i64().unwrap();
    let v = t["version"].to_string();
    let r = d.app.call_with(Method::POST, &format!("/tickets/{n}/classify"), Some(&d.agent_n1), Some(json!({"impact": "high", "urgency": "high"})), &[("If-Match", &v)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["priority"], "critical", "impact × urgency matrix");
    // A second agent acting on what they read earlier loses.
    let r = d.app.call_with(Method::POST, &format!("/tickets/{n}/take"), Some(&d.agent_n1), Some(json!({})), &[("If-Match", &v)]).await;
    r.assert_problem(412, "version_mismatch");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body["status"], "assigned");
    // Overriding the matrix needs a reason.
    d.act(&d.agent_n1, n, "classify", json!({"priority": "low"})).await.assert_problem(422, "validation_failed");
    let r = d.ok(&d.agent_n1, n, "classify", json!({"priority": "low", "priority_reason": "Hay equipo de reemplazo"})).await;
    assert_eq!(r["priority"], "low");
}

#[tokio::test]
async fn visibility_for_requesters_and_other_desks() {
    let d = desk().await;
    let t = d.open(&d.pedro, "Caso de Pedro").await;
    let n = t["number"].as_i64().unwrap();
    d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Nota interna: revisar inventario", "visibility": "private"})).await;
    d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Vamos en camino", "visibility": "public"})).await;

    // Another requester: nothing, by any endpoint (no IDOR by number).
    for path in ["", "/followups", "/events", "/attachments"] {
        d.app.get(&format!("/tickets/{n}{path}"), &d.lucia).await.assert_problem(404, "not_found");
    }
    d.act(&d.lucia, n, "cancel", json!({})).await.assert_problem(404, "not_found");
    d.app.post(&format!("/tickets/{n}/followups"), Some(&d.lucia), json!({"body": "hola"})).await.assert_problem(404, "not_found");

    // An agent of another desk sees nothing either.
    let other_desk = id(&d.app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body);
    let g = id(&d.app.post("/groups", Some(&d.admin), json!({"desk_id": other_desk, "name": "Aseo", "level": 1})).await.body);
    let (uid, outsider) = token_for(&d.app, "agente.adm", Role::Agent).await;
    d.app.call(Method::PUT, &format!("/groups/{g}/members"), Some(&d.admin), Some(json!({"user_ids": [uid]}))).await;
    d.app.get(&format!("/tickets/{n}"), &outsider).await.assert_problem(404, "not_found");
    d.act(&outsider, n, "take", json!({})).await.assert_problem(404, "not_found");
    assert_eq!(d.app.get("/tickets", &outsider).await.body["items"], json!([]));

    // Pedro sees his case but never the private follow-up.
    let followups = d.app.get(&format!("/tickets/{n}/followups"), &d.pedro).await.body;
    assert_eq!(followups.as_array().unwrap().len(), 1);
    assert_eq!(followups[0]["body"], "Vamos en camino");
    let events = d.app.get(&format!("/tickets/{n}/events"), &d.pedro).await.body;
    assert!(events.as_array().unwrap().iter().all(|e| e["visibility"] == "public"));
    let staff_events = d.app.get(&format!("/tickets/{n}/events"), &d.agent_n1).await.body;
    assert!(staff_events.as_array().unwrap().len() > events.as_array().unwrap().len());
    assert_eq!(d.app.get(&format!("/tickets/{n}/followups"), &d.agent_n1).await.body.as_array().unwrap().len(), 2);
    // And cannot write a private one.
    d.app.post(&format!("/tickets/{n}/followups"), Some(&d.pedro), json!({"body": "x", "visibility": "private"})).await.assert_problem(403, "forbidden");
    // Lists: his requests only.
    d.open(&d.lucia, "Caso de Lucía").await;
    let mine = d.app.get("/tickets", &d.pedro).await.body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let all = d.app.get("/tickets?view=all", &d.pedro).await.body;
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "view=all is still only what he may see");
}

#[tokio::test]
async fn bad_input_is_named_and_stores_nothing() {
    let d = desk().await;
    let post = |b: Value| d.app.post("/tickets", Some(&d.pedro), b);
    let r = post(json!({"service_id": uuid::Uuid::now_v7(), "subject": "x", "description": "y"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["service_id"]);
    let r = post(json!({"service_id": d.service, "subject": "", "description": "y", "fields": {"cantidad": "dos", "color": "rojo"}})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["subject", "fields.color", "fields.placa_equipo", "fields.cantidad"]);
    let r = post(json!({"service_id": d.vpn, "subject": "VPN", "description": "Necesito VPN"})).await;
    assert_eq!(r.error_fields(), ["attachment.formato_vpn"]);
    let r = post(json!({"service_id": d.service, "subject": "x", "description": "y", "type": "problem"})).await;
    assert_eq!(r.error_fields(), ["type"]);
    d.app.get("/tickets/999999", &d.pedro).await.assert_problem(404, "not_found");
    d.app.get("/tickets/not-a-number", &d.pedro).await.assert_problem(404, "not_found");
    d.act(&d.agent_n1, 999999, "take", json!({})).await.assert_problem(404, "not_found");
    assert_eq!(d.count_tickets().await, 0);
}

/// A registration that no webhook listens to is one statement (`register_ticket()`, without
/// BEGIN): its `registered` notification stands or falls with the case, and carries the agent
/// the statement picked.
#[tokio::test]
async fn a_registration_whose_notification_cannot_be_written_stores_nothing() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    use mesa::db::schema::{notifications, ticket_events};
    let d = desk().await;
    let mut c = d.app.pool.get().await.unwrap();
    diesel::sql_query("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$").execute(&mut c).await.unwrap();
    diesel::sql_query("CREATE TRIGGER refuse_notification BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION refuse()").execute(&mut c).await.unwrap();
    let r = d.app.post("/tickets", Some(&d.pedro), json!({"service_id": d.service, "subject": "Sin aviso", "description": "Detalle", "fields": {"placa_equipo": "PC-0042"}})).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(d.count_tickets().await, 0);
    assert_eq!(ticket_events::table.count().get_result::<i64>(&mut c).await.unwrap(), 0, "no event of a case that was not stored");
    diesel::sql_query("DROP TRIGGER refuse_notification ON notifications").execute(&mut c).await.unwrap();

    let case = d.open(&d.pedro, "Con aviso").await;
    let agent = case["assigned_agent"]["id"].clone();
    assert!(agent.is_string(), "routed to an available agent: {case}");
    let sent: Vec<(String, Value)> = notifications::table.select((notifications::kind, notifications::data)).load(&mut c).await.unwrap();
    let [(kind, data)] = &sent[..] else { panic!("one notification: {sent:?}") };
    assert_eq!(kind, "registered");
    assert_eq!((data["agent_id"].clone(), data["status"].clone(), data["level"].clone()), (agent, json!("assigned"), json!(1)), "{data}");
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}

fn exe() -> Vec<u8> {
    let mut b = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    b.resize(256, 0);
    b[0x3c] = 0x80;
    b[0x80..0x84].copy_from_slice(b"PE\0\0");
    b
}

async fn multipart(d: &Desk, token: &str, path: &str, data: Value, files: Vec<(&str, &str, Vec<u8>)>) -> Reply {
    let mut form = reqwest::multipart::Form::new().part("data", reqwest::multipart::Part::text(data.to_string()).mime_str("application/json").unwrap());
    for (part, name, bytes) in files {
        form = form.part(part.to_owned(), reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()));
    }
    let resp = d.app.client.post(d.app.url(path)).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

#[tokio::test]
async fn attachments_are_sniffed_stored_and_protected() {
    let d = desk().await;
    let data = json!({"service_id": d.vpn, "subject": "VPN para teletrabajo", "description": "Adjunto el formato"});
    // A Windows program renamed as a PDF is refused, and nothing is stored.
    let r = multipart(&d, &d.pedro, "/tickets", data.clone(), vec![("attachment.formato_vpn", "formato.pdf", exe())]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.error_fields(), ["attachment.formato_vpn"]);
    assert_eq!(d.count_tickets().await, 0);
    assert_eq!(std::fs::read_dir(d.app.files.path()).unwrap().flat_map(|e| walk(e.unwrap().path())).count(), 0, "no orphan file");

    let r = multipart(&d, &d.pedro, "/tickets", data.clone(), vec![("attachment.formato_vpn", "formato.pdf", pdf()), ("file", "notas.txt", "Horario: 7 a 5".as_bytes().to_vec())])
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let n = r.body["number"].as_i64().unwrap();
    let files = d.app.get(&format!("/tickets/{n}/attachments"), &d.pedro).await.body;
    assert_eq!(files.as_array().unwrap().len(), 2);
    let pdf_meta = files.as_array().unwrap().iter().find(|f| f["requirement_key"] == "formato_vpn").unwrap();
    assert_eq!(pdf_meta["content_type"], "application/pdf");
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(pdf()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(pdf_meta["sha256"], expected);
    let url = format!("{}{}", d.app.base, pdf_meta["download_url"].as_str().unwrap());
    let got = d.app.client.get(&url).bearer_auth(&d.pedro).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "application/pdf");
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf());
    // Not for other requesters.
    assert_eq!(d.app.client.get(&url).bearer_auth(&d.lucia).send().await.unwrap().status(), 404);

    // A private follow-up's file stays among agents.
    let r = multipart(
        &d,
        &d.agent_n1,
        &format!("/tickets/{n}/followups"),
        json!({"body": "Captura del servidor", "visibility": "private"}),
        vec![("file", "log.txt", b"error 500".to_vec())],
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let private_url = format!("{}{}", d.app.base, r.body["attachments"][0]["download_url"].as_str().unwrap());
    assert_eq!(d.app.client.get(&private_url).bearer_auth(&d.pedro).send().await.unwrap().status(), 404);
    assert_eq!(d.app.client.get(&private_url).bearer_auth(&d.agent_n1).send().await.unwrap().status(), 200);
    assert_eq!(d.app.get(&format!("/tickets/{n}/attachments"), &d.pedro).await.body.as_array().unwrap().len(), 2);

    // Oversized: refused by name.
    let big = d.app.config.attachment_max_bytes + 1;
    let r = multipart(&d, &d.pedro, &format!("/tickets/{n}/followups"), json!({"body": "Otro"}), vec![("file", "grande.pdf", [pdf(), vec![b' '; big]].concat())]).await;
    assert!(r.status == 413 || r.status == 422, "{}: {}", r.status, r.body);
    assert!(r.body.to_string().contains("grande.pdf"), "{}", r.body);
}

fn walk(p: std::path::PathBuf) -> Vec<std::path::PathBuf> {
    if p.is_dir() {
        std::fs::read_dir(&p).unwrap().flat_map(|e| walk(e.unwrap().path())).collect()
    } else if p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) {
        vec![]
    } else {
        vec![p]
    }
}

#[tokio::test]
async fn requester_update_resumes_a_case_waiting_for_them() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Caso").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let x = d.ok(&d.agent_n1, n, "hold", json!({"reason": "waiting_requester", "note": "Falta la placa del equipo", "desist_after_days": 3})).await;
    assert!(x["hold"]["desist_at"].is_string());
    let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.pedro), json!({"body": "La placa es PC-0042"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["from_requester"], true);
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["status"], "in_progress");
}

/// The case numbers of a list page, in order.
fn numbers(page: &Value) -> Vec<i64> {
    page["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect()
}

/// Every case number of a list (whose path has a query string), following `next_cursor` to the end.
async fn every_page(d: &Desk, token: &str, path: &str) -> Vec<i64> {
    let mut seen = Vec::new();
    let mut next = path.to_owned();
    loop {
        let page = d.app.get(&next, token).await.body;
        seen.extend(numbers(&page));
        match page["next_cursor"].as_str() {
            Some(c) => next = format!("{path}&cursor={c}"),
            None => return seen,
        }
    }
}

#[tokio::test]
async fn queues_filters_pagination_and_search() {
    let d = desk().await;
    let subjects = ["Falla de impresión en la oficina", "Correo sospechoso", "Sin conexión a internet", "Pantalla azul", "Cambio de contraseña"];
    let mut numbers = Vec::new();
    for s in subjects {
        numbers.push(d.open(&d.pedro, s).await["number"].as_i64().unwrap());
    }
    d.app.post(&format!("/tickets/{}/followups", numbers[3]), Some(&d.agent_n1), json!({"body": "Se actualizó el controlador de video", "visibility": "private"})).await;
    d.ok(&d.agent_n1, numbers[0], "take", json!({})).await;

    // Accents ignored, stems matched.
    let found = d.app.get("/tickets?q=impresion", &d.agent_n1).await.body;
    assert_eq!(found["items"].as_array().unwrap().iter().map(|t| t["number"].as_i64().unwrap()).collect::<Vec<_>>(), [numbers[0]]);
    assert_eq!(d.app.get("/tickets?q=conexion", &d.pedro).await.body["items"][0]["number"], numbers[2]);
    // Follow-ups are searched; private ones only by staff.
    assert_eq!(d.app.get("/tickets?q=controlador", &d.agent_n1).await.body["items"][0]["number"], numbers[3]);
    assert_eq!(d.app.get("/tickets?q=controlador", &d.pedro).await.body["items"], json!([]));

    let mine = d.app.get("/tickets?view=mine&status=in_progress", &d.agent_n1).await.body;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    // A list item is the case's summary: what a queue row shows, the same values as the case.
    let item = &mine["items"][0];
    let case = d.app.get(&format!("/tickets/{}", numbers[0]), &d.agent_n1).await.body;
    let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = [
        "id",
        "number",
        "desk_id",
        "service",
        "type",
        "priority",
        "status",
        "subject",
        "requester",
        "channel",
        "external_reference",
        "assigned_group",
        "assigned_agent",
        "level",
        "hold_reason",
        "reopen_reason",
        "resolution_due_at",
        "created_at",
        "updated_at",
        "version",
        "sla",
    ];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    for k in keys.iter().filter(|k| **k != "sla") {
        assert_eq!(item[k], case[k], "{k}");
    }
    // The clocks run between the two requests: the same policy and due date.
    assert_eq!(item["sla"]["resolution"]["due_at"], case["sla"]["resolution"]["due_at"]);
    assert_eq!(item["sla"]["policy_id"], case["sla"]["policy_id"]);
    assert!(item.get("description").is_none() && item.get("allowed_actions").is_none());
    let counts = d.app.get("/tickets/queues", &d.agent_n1).await.body;
    assert_eq!((counts["mine"].clone(), counts["my_groups"].clone()), (json!(5), json!(5)));
    d.app.get("/tickets?status=abierto", &d.agent_n1).await.assert_problem(422, "validation_failed");

    // Keyset pages, newest first, every case once.
    let seen = every_page(&d, &d.agent_n1, "/tickets?view=all&limit=2").await;
    let mut expected = numbers.clone();
    expected.reverse();
    assert_eq!(seen, expected);
    let by_update = d.app.get("/tickets?sort=updated&limit=1", &d.agent_n1).await.body;
    assert_eq!(by_update["items"][0]["number"], numbers[0], "taking it was the latest change");
}

#[tokio::test]
async fn automatic_assignment_balances_and_skips_absent_agents() {
    let d = desk().await;
    let (second, _) = token_for(&d.app, "agente.dos", Role::Agent).await;
    let (absent, _) = token_for(&d.app, "agente.ausente", Role::Agent).await;
    let first: String = d.app.get("/me", &d.agent_n1).await.body["id"].as_str().unwrap().into();
    d.app.call(Method::PUT, &format!("/groups/{}/members", d.n1), Some(&d.admin), Some(json!({"user_ids": [first, second, absent]}))).await;
    d.app.call(Method::PUT, &format!("/users/{absent}/availability"), Some(&d.admin), Some(json!({"absent_until": "2099-01-01T00:00:00Z"}))).await;
    let mut load = std::collections::HashMap::new();
    for i in 0..6 {
        let t = d.open(&d.pedro, &format!("Caso {i}")).await;
        *load.entry(t["assigned_agent"]["id"].as_str().unwrap().to_owned()).or_insert(0) += 1;
    }
    assert_eq!(load.get(&first), Some(&3));
    assert_eq!(load.get(&second), Some(&3));
    assert_eq!(load.get(&absent), None);
}

#[tokio::test]
async fn agents_register_phone_calls_on_behalf() {
    let d = desk().await;
    let pedro_id = d.app.get("/me", &d.pedro).await.body["id"].as_str().unwrap().to_owned();
    let r = d
        .app
        .post(
            "/tickets",
            Some(&d.agent_n1),
            json!({"service_id": d.service, "subject": "Llamada", "description": "Reporta por teléfono", "requester_id": pedro_id, "fields": {"placa_equipo": "X"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["channel"], "phone");
    assert_eq!(r.body["requester"]["id"], pedro_id);
    let n = r.body["number"].as_i64().unwrap();
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.status, 200);
    // Requesters cannot file for others.
    let lucia_id = d.app.get("/me", &d.lucia).await.body["id"].as_str().unwrap().to_owned();
    let r = d
        .app
        .post("/tickets", Some(&d.pedro), json!({"service_id": d.service, "subject": "x", "description": "y", "requester_id": lucia_id, "fields": {"placa_equipo": "X"}}))
        .await;
    assert_eq!(r.error_fields(), ["requester_id"]);
    let _ = (&d.n3, &d.cto_hacienda, &d.desk);
}

#[tokio::test]
async fn catalog_nodes_used_by_cases_are_deactivated_not_deleted() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Caso").await["number"].as_i64().unwrap();
    let parent = d.app.get(&format!("/catalog/nodes/{}", d.service), &d.admin).await.body["parent_id"].as_str().unwrap().to_owned();
    let r = d.app.call(Method::DELETE, &format!("/catalog/nodes/{parent}"), Some(&d.admin), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["outcome"], "deactivated");
    assert_eq!(r.body["node_ids"].as_array().unwrap().len(), 3, "the category and both services");
    let node = d.app.get(&format!("/catalog/nodes/{}", d.service), &d.admin).await.body;
    assert_eq!(node["active"], false);
    // The case keeps its service; requesters no longer see it in the catalog or may use it.
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["service"]["name"], "Soporte virtual o en sitio");
    assert_eq!(d.app.get(&format!("/desks/{}/catalog", d.desk), &d.pedro).await.body["nodes"], json!([]));
    let r = d.app.post("/tickets", Some(&d.pedro), json!({"service_id": d.service, "subject": "x", "description": "y", "fields": {"placa_equipo": "X"}})).await;
    assert_eq!(r.error_fields(), ["service_id"]);
}

#[tokio::test]
async fn search_reads_the_newest_cases_first_and_pages_across_the_window() {
    use diesel_async::SimpleAsyncConnection;
    let d = desk().await;
    let old = d.open(&d.pedro, "Impresora sin tóner (antiguo)").await["number"].as_i64().unwrap();
    // The next cases come 50,000 numbers later: the old one is outside the newest-cases window.
    d.app.pool.get().await.unwrap().batch_execute("SELECT setval('ticket_number_seq', nextval('ticket_number_seq') + 50000)").await.unwrap();
    let mut recent = Vec::new();
    for i in 0..3 {
        recent.push(d.open(&d.pedro, &format!("Impresora atascada {i}")).await["number"].as_i64().unwrap());
    }
    d.open(&d.pedro, "Otro asunto").await;
    assert!(recent[0] - old > 50_000);

    // A full page in the window: only recent cases, newest first.
    let page = d.app.get("/tickets?q=impresora&limit=2", &d.agent_n1).await.body;
    assert_eq!(numbers(&page), [recent[2], recent[1]]);
    // The window is short of a page: the older cases are searched too, in order.
    let page = d.app.get("/tickets?q=impresora&limit=10", &d.agent_n1).await.body;
    assert_eq!(numbers(&page), [recent[2], recent[1], recent[0], old]);
    // Keyset pages cross the window's edge without losing or repeating a case.
    let seen = every_page(&d, &d.agent_n1, "/tickets?q=impresora&limit=1").await;
    assert_eq!(seen, [recent[2], recent[1], recent[0], old]);
    // The requester's search goes through the same windows.
    assert_eq!(numbers(&d.app.get("/tickets?q=impresora", &d.pedro).await.body), [recent[2], recent[1], recent[0], old]);
    assert_eq!(d.count_tickets().await, 5);
}

#[tokio::test]
async fn staff_see_their_desks_and_their_own_requests_elsewhere_merged_in_order() {
    let d = desk().await;
    // A second desk where agente.n1 is only a requester.
    let (group, service) = d.second_desk().await;
    let a = d.open(&d.pedro, "Equipo lento").await["number"].as_i64().unwrap();
    let mine = d.app.post("/tickets", Some(&d.agent_n1), json!({"service_id": service, "subject": "El aire de la oficina gotea", "description": "Gotea sobre el equipo"})).await;
    assert_eq!(mine.status, 201, "{}", mine.body);
    let b = mine.body["number"].as_i64().unwrap();
    let c = d.open(&d.lucia, "Equipo no enciende").await["number"].as_i64().unwrap();
    // The ADM desk's staff write a private note on agente.n1's request.
    let (_, adm_agent) = token_for(&d.app, "agente.adm", Role::Agent).await;
    let adm_id = d.app.get("/me", &adm_agent).await.body["id"].as_str().unwrap().to_owned();
    d.app.call(Method::PUT, &format!("/groups/{group}/members"), Some(&d.admin), Some(json!({"user_ids": [adm_id]}))).await;
    let adm_agent = d.app.token("agente.adm", PW).await;
    let r = d.app.post(&format!("/tickets/{b}/followups"), Some(&adm_agent), json!({"body": "Proveedor de refrigeración citado", "visibility": "private"})).await;
    assert_eq!(r.status, 201, "{}", r.body);

    assert_eq!(numbers(&d.app.get("/tickets?view=all", &d.agent_n1).await.body), [c, b, a]);
    let seen = every_page(&d, &d.agent_n1, "/tickets?view=all&limit=1").await;
    assert_eq!(seen, [c, b, a]);
    assert_eq!(numbers(&d.app.get("/tickets?q=equipo", &d.agent_n1).await.body), [c, b, a]);
    // The private note of the other desk is not theirs to search; its own staff find it.
    assert_eq!(numbers(&d.app.get("/tickets?q=refrigeracion", &d.agent_n1).await.body), Vec::<i64>::new());
    assert_eq!(numbers(&d.app.get("/tickets?q=refrigeracion", &adm_agent).await.body), [b]);
    // Each desk's staff search their desk's words: the ADM agent finds nothing of the TIC desk.
    assert_eq!(numbers(&d.app.get("/tickets?q=gotea+equipo", &adm_agent).await.body), [b]);
    assert_eq!(numbers(&d.app.get("/tickets?q=lento", &adm_agent).await.body), Vec::<i64>::new());
    assert_eq!(numbers(&d.app.get("/tickets?q=lento", &d.agent_n1).await.body), [a]);
    // Phrases keep their word order; a word left out with "-" excludes.
    assert_eq!(numbers(&d.app.get("/tickets?q=%22equipo+no+enciende%22", &d.agent_n1).await.body), [c]);
    assert_eq!(numbers(&d.app.get("/tickets?q=%22enciende+equipo%22", &d.agent_n1).await.body), Vec::<i64>::new());
    assert_eq!(numbers(&d.app.get("/tickets?q=equipo+-lento", &d.agent_n1).await.body), [c, b]);
    // Admins search every desk, private notes included; a query of stop words alone finds nothing.
    assert_eq!(numbers(&d.app.get("/tickets?q=equipo", &d.admin).await.body), [c, b, a]);
    assert_eq!(numbers(&d.app.get("/tickets?q=refrigeracion", &d.admin).await.body), [b]);
    assert_eq!(numbers(&d.app.get("/tickets?q=de+la", &d.admin).await.body), Vec::<i64>::new());
    assert_eq!(numbers(&d.app.get("/tickets?q=equipo", &d.lucia).await.body), [c]);
}

#[tokio::test]
async fn reference_changes_apply_to_the_next_request() {
    let d = desk().await;
    let t = d.open(&d.pedro, "Caso").await;
    let n = t["number"].as_i64().unwrap();
    assert_eq!(t["assigned_group"]["name"], "Mesa N1");
    // Renaming a group shows at once, in every answer.
    let r = d.app.patch(&format!("/groups/{}", d.n1), &d.admin, json!({"name": "Mesa de servicios N1"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.agent_n1).await.body["assigned_group"]["name"], "Mesa de servicios N1");
    assert_eq!(d.app.get("/tickets", &d.pedro).await.body["items"][0]["assigned_group"]["name"], "Mesa de servicios N1");
    // So does renaming a person, whose name the lists just showed (and the server kept).
    let pedro = t["requester"]["id"].as_str().unwrap().to_owned();
    let before = d.app.get("/tickets", &d.agent_n1).await.body["items"][0]["requester"]["name"].clone();
    assert!(before.as_str().is_some_and(|n| !n.is_empty()), "{before}");
    let r = d.app.patch(&format!("/users/{pedro}"), &d.admin, json!({"display_name": "Pedro Antonio Suárez"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(d.app.get("/tickets", &d.agent_n1).await.body["items"][0]["requester"]["name"], "Pedro Antonio Suárez");
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.pedro).await.body["requester"]["name"], "Pedro Antonio Suárez");
    // A deactivated service cannot be requested from the next request on.
    let r = d.app.patch(&format!("/catalog/nodes/{}", d.service), &d.admin, json!({"active": false})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = d.app.post("/tickets", Some(&d.pedro), json!({"service_id": d.service, "subject": "x", "description": "y", "fields": {"placa_equipo": "X"}})).await;
    assert_eq!(r.error_fields(), ["service_id"]);
    // A new route sends the next case to its group.
    d.app.patch(&format!("/catalog/nodes/{}", d.service), &d.admin, json!({"active": true})).await;
    let r = d
        .app
        .patch(
            &format!("/catalog/nodes/{}", d.service),
            &d.admin,
            json!({"service": {
                "responsible_group_id": d.n2,
                "form_fields": [{"key": "placa_equipo", "type": "text", "label": {"es": "Placa del equipo"}, "required": true}]
            }}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(d.open(&d.pedro, "Otro").await["assigned_group"]["id"], json!(d.n2));
}

#[tokio::test]
async fn taking_moves_a_case_to_the_takers_group_and_assignments_name_bad_groups_and_services() {
    let d = desk().await;
    // Lucía's case (Hacienda) in the general first level: cto.hacienda works Hacienda's cases but
    // is not in Mesa N1, so taking it brings it to his own level-1 group.
    let n = d.open(&d.lucia, "Equipo lento").await["number"].as_i64().unwrap();
    d.ok(&d.admin, n, "assign", json!({"group_id": d.n1})).await;
    let x = d.ok(&d.cto_hacienda, n, "take", json!({})).await;
    assert_eq!((x["assigned_group"]["id"].clone(), x["status"].clone()), (json!(d.hacienda_n1), json!("in_progress")));
    let version = x["version"].clone();

    let wrong_level = d.act(&d.cto_hacienda, n, "escalate", json!({"level": 2, "group_id": d.n3, "reason": "Proveedor"})).await;
    wrong_level.assert_problem(422, "validation_failed");
    assert_eq!(wrong_level.body["errors"][0]["code"], "wrong_level");
    let unknown = d.act(&d.cto_hacienda, n, "assign", json!({"group_id": uuid::Uuid::now_v7()})).await;
    assert_eq!((unknown.status.as_u16(), unknown.error_fields()), (422, vec!["group_id".to_owned()]));
    // A group and a service of another desk are not the case's.
    let (group, service) = d.second_desk().await;
    let r = d.act(&d.cto_hacienda, n, "assign", json!({"group_id": group})).await;
    assert_eq!(r.error_fields(), ["group_id"]);
    let r = d.act(&d.cto_hacienda, n, "classify", json!({"service_id": service})).await;
    assert_eq!(r.error_fields(), ["service_id"]);
    // A service of the case's desk is accepted.
    let x = d.ok(&d.cto_hacienda, n, "classify", json!({"service_id": d.vpn})).await;
    assert_eq!(x["service"]["id"], json!(d.vpn));
    assert_eq!(x["version"], version.as_i64().unwrap() + 1, "the refused actions changed nothing");
}

#[tokio::test]
async fn crafted_cursors_are_refused_on_every_list() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Impresora atascada").await["number"].as_i64().unwrap();
    let org = d.app.get("/me", &d.pedro).await.body["organization_id"].as_str().unwrap().to_owned();
    d.app.post("/areas", Some(&d.admin), json!({"organization_id": org, "name": "Despacho"})).await;
    d.app.post("/locations", Some(&d.admin), json!({"name": "Sede principal"})).await;
    let cursor = |key: &str| mesa::http::Cursor { key: key.to_owned(), id: uuid::Uuid::now_v7() }.encode();
    let huge = "9".repeat(5_000);
    let refused = |r: &Reply, what: &str| {
        assert_eq!(r.status, 422, "{what}: {}", r.body);
        assert_eq!(r.error_fields(), ["cursor"], "{what}: {}", r.body);
    };
    // Case lists are keyed by number (newest first) or by a timestamp: nothing else is a cursor.
    let case_lists = ["/tickets?", "/tickets?view=mine&", "/tickets?view=requested&", "/tickets?q=impresora&", "/tickets?sort=updated&", "/tickets?sort=due&"];
    let bad_keys = ["99999999999999999999", "-9223372036854775808", "-1", "0", "+5", "abc", "1e3", huge.as_str(), "12\u{0}", "+262143-01-01T00:00:00Z", "0000-01-01T00:00:00Z"];
    for list in case_lists {
        for key in bad_keys {
            for token in [&d.agent_n1, &d.admin, &d.pedro] {
                refused(&d.app.get(&format!("{list}cursor={}", cursor(key)), token).await, &format!("{list} {key:.30}"));
            }
        }
        refused(&d.app.get(&format!("{list}cursor=not-base64!"), &d.agent_n1).await, list);
    }
    // A number is not a timestamp and the other way round; an empty key means "no due date".
    refused(&d.app.get(&format!("/tickets?sort=updated&cursor={}", cursor("")), &d.agent_n1).await, "updated, empty");
    refused(&d.app.get(&format!("/tickets?cursor={}", cursor("2026-11-23T10:00:00Z")), &d.agent_n1).await, "number, time");
    assert_eq!(d.app.get(&format!("/tickets?sort=due&cursor={}", cursor("")), &d.agent_n1).await.status, 200);
    let r = d.app.get(&format!("/tickets?cursor={}", cursor(&(n + 1).to_string())), &d.agent_n1).await;
    assert_eq!(numbers(&r.body), [n], "a well-formed cursor still pages");
    // Name-keyed lists: any name is a place to start, but not one Postgres text cannot hold or
    // longer than any name.
    for list in ["/users?", "/organizations?", "/areas?", "/locations?"] {
        for key in ["a\u{0}b", huge.as_str()] {
            refused(&d.app.get(&format!("{list}cursor={}", cursor(key)), &d.admin).await, &format!("{list} {key:.30}"));
        }
        for key in ["abc", "-1", "99999999999999999999"] {
            let r = d.app.get(&format!("{list}cursor={}", cursor(key)), &d.admin).await;
            assert_eq!(r.status, 200, "{list} {key}: {}", r.body);
        }
    }
}

#[tokio::test]
async fn an_agent_who_left_a_desks_groups_no_longer_lists_or_counts_its_cases() {
    let d = desk().await;
    let a = d.open(&d.pedro, "Equipo lento").await["number"].as_i64().unwrap();
    let b = d.open(&d.pedro, "Pantalla azul").await["number"].as_i64().unwrap();
    // agente.n1 also works the ADM desk, where a case is assigned to him.
    let (group, service) = d.second_desk().await;
    let me = d.app.get("/me", &d.agent_n1).await.body["id"].as_str().unwrap().to_owned();
    let r = d.app.call(Method::PUT, &format!("/groups/{group}/members"), Some(&d.admin), Some(json!({"user_ids": [me]}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let adm = d.app.post("/tickets", Some(&d.pedro), json!({"service_id": service, "subject": "El aire gotea", "description": "Sobre el escritorio"})).await;
    assert_eq!(adm.body["assigned_agent"]["id"], json!(me), "{}", adm.body);
    let c = adm.body["number"].as_i64().unwrap();
    let queue = "/tickets?view=mine&status=new,assigned,in_progress,on_hold&sort=due&limit=50";
    assert_eq!(numbers(&d.app.get("/tickets?view=mine", &d.agent_n1).await.body), [c, b, a]);
    assert_eq!(d.app.get("/tickets/queues", &d.agent_n1).await.body["mine"], 3);

    // He leaves every group of the TIC desk: its cases stay assigned to him but are not his to see.
    let r = d.app.call(Method::PUT, &format!("/groups/{}/members", d.n1), Some(&d.admin), Some(json!({"user_ids": []}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    d.app.get(&format!("/tickets/{a}"), &d.agent_n1).await.assert_problem(404, "not_found");
    assert_eq!(numbers(&d.app.get("/tickets?view=mine", &d.agent_n1).await.body), [c]);
    assert_eq!(numbers(&d.app.get(queue, &d.agent_n1).await.body), [c]);
    assert_eq!(numbers(&d.app.get("/tickets?view=mine&sort=updated", &d.agent_n1).await.body), [c]);
    assert_eq!(numbers(&d.app.get("/tickets?view=mine&q=equipo", &d.agent_n1).await.body), Vec::<i64>::new());
    let counts = d.app.get("/tickets/queues", &d.agent_n1).await.body;
    assert_eq!((counts["mine"].clone(), counts["my_groups"].clone(), counts["unassigned"].clone()), (json!(1), json!(1), json!(0)), "{counts}");

    // Out of every group: nothing at all.
    d.app.call(Method::PUT, &format!("/groups/{group}/members"), Some(&d.admin), Some(json!({"user_ids": []}))).await;
    assert_eq!(numbers(&d.app.get("/tickets?view=mine", &d.agent_n1).await.body), Vec::<i64>::new());
    assert_eq!(numbers(&d.app.get(queue, &d.agent_n1).await.body), Vec::<i64>::new());
    assert_eq!(d.app.get("/tickets/queues", &d.agent_n1).await.body["mine"], 0);
    // Admins still see every case assigned to anyone.
    assert_eq!(numbers(&d.app.get("/tickets?view=all", &d.admin).await.body), [c, b, a]);
}

#[tokio::test]
async fn requesters_file_cases_for_their_own_organization_only() {
    let d = desk().await;
    let org_of = |token: &str| {
        let token = token.to_owned();
        let app = &d.app;
        async move { app.get("/me", &token).await.body["organization_id"].as_str().unwrap().to_owned() }
    };
    let (hacienda, educacion) = (org_of(&d.lucia).await, org_of(&d.pedro).await);
    let body = |org: Option<&str>| {
        let mut b = json!({"service_id": d.service, "subject": "Impresora atascada", "description": "No imprime", "fields": {"placa_equipo": "PC-1"}});
        if let Some(o) = org {
            b["organization_id"] = json!(o);
        }
        b
    };
    // Lucía (Hacienda) may not file under Educación, and so be routed to its team.
    let r = d.app.post("/tickets", Some(&d.lucia), body(Some(&educacion))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["organization_id"]);
    assert_eq!(d.count_tickets().await, 0);
    // Her own organization, sent or not, is hers and routes to Hacienda's team.
    for org in [Some(hacienda.as_str()), None] {
        let r = d.app.post("/tickets", Some(&d.lucia), body(org)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!((r.body["organization_id"].clone(), r.body["assigned_group"]["id"].clone()), (json!(hacienda), json!(d.hacienda_n1)));
    }
    // Staff registering on someone's behalf choose.
    let lucia_id = d.app.get("/me", &d.lucia).await.body["id"].as_str().unwrap().to_owned();
    let mut on_behalf = body(Some(&educacion));
    on_behalf["requester_id"] = json!(lucia_id);
    let r = d.app.post("/tickets", Some(&d.agent_n1), on_behalf).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!((r.body["organization_id"].clone(), r.body["assigned_group"]["id"].clone()), (json!(educacion), json!(d.n1)));
    assert_eq!(d.count_tickets().await, 3);
}

#[tokio::test]
async fn idempotency_compares_the_parsed_body_not_its_bytes() {
    let d = desk().await;
    let send = |raw: String, key: &'static str| {
        let req = d.app.client.post(d.app.url("/tickets")).bearer_auth(&d.pedro).header("Content-Type", "application/json").header("Idempotency-Key", key).body(raw);
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }
    };
    let service = &d.service;
    let compact = format!(r#"{{"service_id":"{service}","subject":"Oficio 2026-200","description":"Radicado","fields":{{"placa_equipo":"N/A","cantidad":2}},"channel":"api"}}"#);
    // The same request, pretty-printed with its keys (and the nested ones) in another order.
    let reordered = format!("{{\n  \"channel\": \"api\",\n  \"fields\": {{ \"cantidad\": 2, \"placa_equipo\": \"N/A\" }},\n  \"description\": \"Radicado\",\n  \"subject\": \"Oficio 2026-200\",\n  \"service_id\": \"{service}\"\n}}\n");
    let (status, first) = send(compact.clone(), "orfeo-2026-200").await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = send(reordered, "orfeo-2026-200").await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["number"], first["number"]);
    let (status, again) = send(compact.replace(':', " : "), "orfeo-2026-200").await;
    assert_eq!((status, again["number"].clone()), (200, first["number"].clone()));
    // Different content under the same key is still refused.
    let (status, other) = send(compact.replace("\"cantidad\":2", "\"cantidad\":3"), "orfeo-2026-200").await;
    assert_eq!((status, other["code"].clone()), (409, json!("idempotency_key_reused")), "{other}");
    let (status, other) = send(compact.replace("2026-200", "2026-201"), "orfeo-2026-200").await;
    assert_eq!(status, 409, "{other}");
    assert_eq!(d.count_tickets().await, 1);
}

#[tokio::test]
async fn a_case_with_more_words_than_a_search_vector_holds_still_takes_follow_ups() {
    let d = desk().await;
    let n = d.open(&d.pedro, "Impresora atascada").await["number"].as_i64().unwrap();
    // Words of consonants only, which Spanish stemming leaves whole: every one is a new lexeme.
    let word = |mut i: usize| {
        const LETTERS: &[u8] = b"bcdfghjklmnpqrstvwxz";
        let mut w = String::from("q");
        for _ in 0..9 {
            w.push(LETTERS[i % LETTERS.len()] as char);
            i /= LETTERS.len();
        }
        w
    };
    let mut next = 0;
    let mut total = 0;
    let mut first_words = String::new();
    // 60 follow-ups of about 20,000 characters, 1.2 MB of distinct words in all.
    for i in 0..60 {
        let mut body = String::new();
        while body.len() + 11 < 20_000 {
            body.push_str(&word(next));
            body.push(' ');
            next += 1;
        }
        if i == 0 {
            first_words = body.split(' ').take(2).collect::<Vec<_>>().join(" ");
        }
        total += body.len();
        let visibility = if i % 2 == 0 { "public" } else { "private" };
        let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": body, "visibility": visibility})).await;
        assert_eq!(r.status, 201, "follow-up {i} ({total} bytes so far): {}", r.body);
    }
    assert!(total > 1 << 20);
    // The requester still writes, and every follow-up is kept.
    let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.pedro), json!({"body": "¿Alguna novedad?"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(d.app.get(&format!("/tickets/{n}/followups"), &d.agent_n1).await.body.as_array().unwrap().len(), 61);
    // Search still works: the subject and the first follow-ups' words find the case.
    for token in [&d.agent_n1, &d.pedro, &d.admin] {
        assert_eq!(numbers(&d.app.get("/tickets?q=impresora", token).await.body), [n]);
    }
    let q = first_words.replace(' ', "+");
    assert_eq!(numbers(&d.app.get(&format!("/tickets?q={q}"), &d.agent_n1).await.body), [n]);
    assert_eq!(numbers(&d.app.get(&format!("/tickets?q={q}"), &d.pedro).await.body), [n]);
    // Other cases are unaffected.
    let other = d.open(&d.pedro, "Pantalla azul").await["number"].as_i64().unwrap();
    let r = d.app.post(&format!("/tickets/{other}/followups"), Some(&d.agent_n1), json!({"body": "Controlador de video"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(numbers(&d.app.get("/tickets?q=controlador", &d.agent_n1).await.body), [other]);
}

/// Walks `GET /tickets?sort=changed&updated_since=…` page by page (2 per page): the numbers in
/// the order listed, and the last case's `updated_at`.
async fn sync_from(d: &Desk, token: &str, since: &str) -> (Vec<i64>, String) {
    let since = since.replace('+', "%2B");
    let (mut numbers, mut last, mut cursor) = (Vec::new(), String::new(), None::<String>);
    let mut previous: Option<String> = None;
    loop {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let r = d.app.get(&format!("/tickets?sort=changed&updated_since={since}&limit=2{after}"), token).await;
        assert_eq!(r.status, 200, "{}", r.body);
        for t in r.body["items"].as_array().unwrap() {
            let at = t["updated_at"].as_str().unwrap().to_owned();
            let instant = chrono::DateTime::parse_from_rfc3339(&at).unwrap();
            if let Some(p) = &previous {
                assert!(chrono::DateTime::parse_from_rfc3339(p).unwrap() <= instant, "oldest change first");
            }
            previous = Some(at.clone());
            numbers.push(t["number"].as_i64().unwrap());
            last = at;
        }
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (numbers, last),
        }
    }
}

#[tokio::test]
async fn incremental_sync_walks_changes_oldest_first() {
    let d = desk().await;
    let num = |v: Value| v["number"].as_i64().unwrap();
    let a = num(d.open(&d.pedro, "Sincronizar A").await);
    let b = num(d.open(&d.pedro, "Sincronizar B").await);
    let c = num(d.open(&d.lucia, "Sincronizar C").await);
    let ours = |all: &[i64]| all.iter().copied().filter(|n| [a, b, c].contains(n)).collect::<Vec<_>>();

    // Everything since long ago, across pages, each case once, in the order it last changed.
    let (all, mark) = sync_from(&d, &d.admin, "2000-01-01T00:00:00Z").await;
    assert_eq!(ours(&all), [a, b, c]);
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "no case twice across pages");

    // A later change: the next run, from the last instant seen, brings it last; b did not change.
    d.ok(&d.agent_n1, a, "take", json!({})).await;
    let (changed, _) = sync_from(&d, &d.admin, &mark).await;
    assert_eq!(changed.last(), Some(&a), "{changed:?}");
    assert!(!changed.contains(&b), "{changed:?}");

    // A requester syncs only what she may see.
    let (pedro, _) = sync_from(&d, &d.pedro, "2000-01-01T00:00:00Z").await;
    assert_eq!(pedro, [b, a]);

    // Cursors belong to their order; a bad instant is refused.
    let number_cursor = d.app.get("/tickets?limit=1", &d.admin).await.body["next_cursor"].as_str().unwrap().to_owned();
    let r = d.app.get(&format!("/tickets?sort=changed&cursor={number_cursor}"), &d.admin).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["cursor"]);
    assert_eq!(d.app.get("/tickets?sort=changed&updated_since=ayer", &d.admin).await.status, 400);
}
