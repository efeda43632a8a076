//! Webhooks end to end: a receiver written from the documentation alone (Python's standard
//! library, `RECEIVER`) checks every signature and records what it accepts; the job runner is
//! driven through `run_one_with`'s `now`. Events of a case's life, the outbox in the change's own
//! transaction, a receiver down then up (retried, none lost, none twice), a webhook disabled after
//! failing for long with the admins' mail, the SSRF guard before and after DNS resolution, and the
//! admin API's refusals.
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use mesa::db::schema::{outbox, users, webhook_deliveries, webhooks};
use mesa::notify::MailEnv;
use reqwest::Method;
use serde_json::{json, Value};

use crate::sla::{bogota, measured_desk, registered_at};
use crate::support::app::TestApp;
use crate::support::slapd::free_port;
use crate::tickets::desk;

/// The receiver, from the README's "Verifying a delivery" alone: HMAC-SHA256 over "<t>.<body>"
/// with the secret, constant-time comparison, a 300-second replay window. Accepted events are
/// appended to a file as JSON lines; a bad signature is answered 401 and recorded nowhere.
const RECEIVER: &str = r#"
import hashlib, hmac, http.server, json, sys, time

secret, port, out = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3]

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = dict(p.split("=", 1) for p in self.headers.get("Mesa-Signature", "").split(",") if "=" in p)
        try:
            t = int(parts["t"])
        except (KeyError, ValueError):
            return self.answer(400)
        expected = hmac.new(secret, str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts.get("v1", "")) or abs(time.time() - t) > 300:
            return self.answer(401)
        with open(out, "a") as f:
            f.write(json.dumps({"event": json.loads(body), "type": self.headers["Mesa-Event"], "delivery": self.headers["Mesa-Delivery"]}) + "\n")
        self.answer(204)

    def answer(self, status):
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("127.0.0.1", port), Hook).serve_forever()
"#;

fn python() -> PathBuf {
    std::env::var("MESA_TEST_PYTHON").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from("python3"))
}

/// The receiver process; killed when dropped.
struct Receiver {
    child: Child,
    out: PathBuf,
}

impl Receiver {
    fn start(dir: &Path, port: u16, secret: &str) -> Receiver {
        let script = dir.join("receiver.py");
        std::fs::write(&script, RECEIVER).unwrap();
        let out = dir.join("events.jsonl");
        let child = Command::new(python()).arg(&script).arg(secret).arg(port.to_string()).arg(&out).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("python");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < StdDuration::from_secs(10), "the receiver did not start");
            std::thread::sleep(StdDuration::from_millis(20));
        }
        Receiver { child, out }
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out).unwrap_or_default().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mail_env() -> MailEnv {
    MailEnv::new(url::Url::parse("https://mesa.example.gov.co").unwrap(), "mesa@example.gov.co".into(), None).unwrap()
}

/// Runs the job runner until nothing is due at `now`, then at `now` + 6 s (the delivery job comes
/// back every 5 s).
async fn run_jobs(app: &TestApp, now: DateTime<Utc>) {
    mesa::webhooks::ensure_job(&mut app.pool.get().await.unwrap()).await.unwrap();
    let services = mesa::jobs::Services { mail: Some(std::sync::Arc::new(mail_env())), ..Default::default() };
    for at in [now, now + Duration::seconds(6)] {
        let mut n = 0;
        while mesa::jobs::run_one_with(&app.pool, &services, at).await.unwrap().is_some() {
            n += 1;
            assert!(n < 1000, "the runner keeps finding work");
        }
    }
}

async fn allow(app: &TestApp, admin: &str, hosts: Value) {
    let r = app.call(Method::PUT, "/webhooks/allowed-hosts", Some(admin), Some(json!({"hosts": hosts}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// A webhook to the local receiver's port (127.0.0.1 allowed), with its secret.
async fn hook(app: &TestApp, admin: &str, port: u16, events: Value) -> (String, String) {
    allow(app, admin, json!(["127.0.0.1"])).await;
    let r = app.post("/webhooks", Some(admin), json!({"url": format!("http://127.0.0.1:{port}/mesa"), "events": events, "description": "Gestión documental"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    (r.body["id"].as_str().unwrap().to_owned(), r.body["secret"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn sla_alerts_transfers_and_survey_answers_reach_the_receiver() {
    // Resolution targets with an alert at 75 % and an escalation at the breach.
    let (d, _) = measured_desk(json!([
        {"clock": "ttr", "at_share": 0.75, "action": "notify_supervisor"},
        {"clock": "ttr", "at_share": 1.0, "action": "escalate"}
    ]))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (_, secret) = hook(&d.app, &d.admin, port, json!(["case.sla_at_risk", "case.sla_breached", "case.transferred", "survey.answered"])).await;
    let receiver = Receiver::start(dir.path(), port, &secret);

    // A case registered Monday 8:00 (medium: resolution due in two business days) that time overtakes.
    let late = d.open(&d.pedro, "Servidor de archivos caído").await["number"].as_i64().unwrap();
    registered_at(&d, late, bogota(2026, 2, 2, 8, 0)).await;
    for at in [bogota(2026, 2, 3, 16, 0), bogota(2026, 2, 4, 10, 0)] {
        let mut c = d.app.pool.get().await.unwrap();
        assert_eq!(mesa::sla::rules::check(&mut c, at).await.unwrap(), 1, "one rule fires at {at}");
    }
    // A case solved and rated by its requester.
    let rated = d.open(&d.pedro, "La impresora no imprime").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, rated, "take", json!({})).await;
    d.ok(&d.agent_n1, rated, "resolve", json!({"solution": "Se cambió el tóner"})).await;
    let r = d.app.post(&format!("/tickets/{rated}/survey"), Some(&d.pedro), json!({"rating": 5, "solved": true, "comment": "Muy amables"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let answer = d.app.get(&format!("/tickets/{rated}/survey"), &d.pedro).await.body["answer"].clone();
    // A case moved to another desk's service.
    let adm = d.app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body["id"].clone();
    let group = d.app.post("/groups", Some(&d.admin), json!({"desk_id": adm, "name": "Mantenimiento", "level": 1})).await.body["id"].clone();
    let service = d
        .app
        .post(
            &format!("/desks/{}/catalog/nodes", adm.as_str().unwrap()),
            Some(&d.admin),
            json!({"kind": "service", "name": "Aire acondicionado", "service": {"responsible_group_id": group, "default_type": "request"}}),
        )
        .await
        .body["id"]
        .clone();
    let moved = d.open(&d.pedro, "El aire acondicionado gotea").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, moved, "transfer", json!({"service_id": service, "reason": "Corresponde a mantenimiento de sedes"})).await;
    run_jobs(&d.app, Utc::now()).await;

    let got = receiver.received();
    let of = |t: &str| got.iter().filter(|g| g["event"]["type"] == t).map(|g| g["event"]["data"].clone()).collect::<Vec<_>>();
    let types: Vec<&str> = got.iter().map(|g| g["type"].as_str().unwrap()).collect();
    assert_eq!(got.len(), 4, "one delivery per subscribed event, nothing else: {types:?}");
    let [at_risk] = &of("case.sla_at_risk")[..] else { panic!("{types:?}") };
    assert_eq!(
        (at_risk["ticket"]["number"].clone(), at_risk["clock"].clone(), at_risk["at_share"].clone(), at_risk["action"].clone()),
        (json!(late), json!("ttr"), json!(0.75), json!("notify_supervisor"))
    );
    let [breached] = &of("case.sla_breached")[..] else { panic!("{types:?}") };
    assert_eq!((breached["ticket"]["number"].clone(), breached["at_share"].clone(), breached["action"].clone()), (json!(late), json!(1.0), json!("escalate")));
    assert_eq!(breached["ticket"]["level"], 2, "the snapshot after the escalation the rule made");
    let [survey] = &of("survey.answered")[..] else { panic!("{types:?}") };
    assert_eq!(survey["ticket"]["number"], rated);
    assert_eq!(survey["ticket"]["status"], "closed", "a good rating closes the case");
    let mut sent = survey["survey"].clone();
    assert!(sent.as_object_mut().unwrap().remove("survey_id").is_some_and(|id| id.is_string()));
    assert_eq!(sent, answer, "the answer as GET /tickets/{{number}}/survey shows it");
    let [transferred] = &of("case.transferred")[..] else { panic!("{types:?}") };
    assert_eq!((transferred["ticket"]["number"].clone(), transferred["ticket"]["desk_id"].clone()), (json!(moved), adm));
    assert_eq!(transferred["previous_desk_id"], json!(d.desk));
}

async fn log(app: &TestApp, admin: &str, id: &str) -> Vec<Value> {
    let r = app.get(&format!("/webhooks/{id}/deliveries?limit=200"), admin).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_receiver_written_from_the_docs_verifies_every_event_of_a_case() {
    let d = desk().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (id, secret) = hook(&d.app, &d.admin, port, json!(mesa::webhooks::EVENTS)).await;
    let receiver = Receiver::start(dir.path(), port, &secret);

    let n = d.open(&d.pedro, "El equipo no enciende").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let public = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Revisamos la fuente", "visibility": "public"})).await;
    assert_eq!(public.status, 201, "{}", public.body);
    let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Nota interna secreta", "visibility": "private"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    d.ok(&d.agent_n1, n, "assign", json!({"group_id": d.hacienda_n1})).await;
    d.ok(&d.admin, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Tarjeta madre"})).await;
    run_jobs(&d.app, Utc::now()).await;

    let got = receiver.received();
    let types: Vec<&str> = got.iter().map(|g| g["event"]["type"].as_str().unwrap()).collect();
    let count = |t: &str| types.iter().filter(|x| **x == t).count();
    // Registration assigns the case to the group's agent: the take changes its state only.
    for (t, n) in [("case.registered", 1), ("case.followup_added", 1), ("case.assigned", 1), ("case.escalated", 1)] {
        assert_eq!(count(t), n, "{t}: {types:?}");
    }
    assert!(count("case.state_changed") >= 1 && types.iter().all(|t| t.starts_with("case.")), "{types:?}");
    for g in &got {
        let e = &g["event"];
        assert_eq!(g["type"], e["type"], "Mesa-Event names the type");
        assert_eq!(e["data"]["ticket"]["number"], n);
        assert!(e["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok() && DateTime::parse_from_rfc3339(e["occurred_at"].as_str().unwrap()).is_ok(), "{e}");
    }
    let by_type = |t: &str| got.iter().filter(|g| g["event"]["type"] == t).map(|g| g["event"].clone()).collect::<Vec<_>>();
    // The payload is the API's own JSON: the case as GET /tickets/{n} shows it.
    let registered = &by_type("case.registered")[0]["data"]["ticket"];
    assert_eq!(
        (registered["status"].clone(), registered["subject"].clone(), registered["requester"]["name"].is_string()),
        (json!("assigned"), json!("El equipo no enciende"), true)
    );
    // A snapshot of each change: the take shows the case taken, not escalated later.
    let taken = by_type("case.state_changed").into_iter().find(|e| e["data"]["previous_status"] == "assigned").expect("the take");
    assert_eq!((taken["data"]["ticket"]["status"].clone(), taken["data"]["ticket"]["level"].clone()), (json!("in_progress"), json!(1)));
    assert_eq!(by_type("case.escalated")[0]["data"]["previous_level"], 1);
    assert_eq!(by_type("case.escalated")[0]["data"]["ticket"]["level"], 2);
    assert_eq!(by_type("case.followup_added")[0]["data"]["followup"], public.body, "the follow-up as the API shows it");
    assert!(!serde_json::to_string(&got).unwrap().contains("Nota interna secreta"), "private follow-ups are not sent");
    // The log agrees: every delivery delivered once, with the receiver's status.
    let entries = log(&d.app, &d.admin, &id).await;
    assert_eq!(entries.len(), got.len());
    for e in &entries {
        assert_eq!((e["state"].clone(), e["attempts"].clone(), e["last_status_code"].clone()), (json!("delivered"), json!(1), json!(204)), "{e}");
    }
    let delivered: Vec<&str> = got.iter().map(|g| g["delivery"].as_str().unwrap()).collect();
    for e in &entries {
        assert!(delivered.contains(&e["id"].as_str().unwrap()), "Mesa-Delivery names the log's delivery");
    }

    // A webhook subscribed to other events receives none of these; a test event reaches it.
    let r = d.app.patch(&format!("/webhooks/{id}"), &d.admin, json!({"events": ["survey.answered"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    d.ok(&d.agent_n2, n, "take", json!({})).await;
    let r = d.app.post(&format!("/webhooks/{id}/test"), Some(&d.admin), json!({})).await;
    assert_eq!((r.status.as_u16(), r.body["event_type"].clone(), r.body["state"].clone()), (201, json!("ping"), json!("pending")), "{}", r.body);
    // The job comes back 5 s after its last run.
    run_jobs(&d.app, Utc::now() + Duration::seconds(15)).await;
    let before = got.len();
    let got = receiver.received();
    assert_eq!(got.len(), before + 1);
    assert_eq!((got[before]["event"]["type"].clone(), got[before]["event"]["data"]["webhook_id"].clone()), (json!("ping"), json!(id)));
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_receiver_and_retried_until_it_is_right() {
    let d = desk().await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (id, secret) = hook(&d.app, &d.admin, port, json!(["case.registered"])).await;
    // Receiver down: attempts fail, none is lost.
    let mut opened = Vec::new();
    for i in 0..3 {
        opened.push(d.open(&d.pedro, &format!("Caso {i}")).await["number"].as_i64().unwrap());
    }
    let now = Utc::now();
    run_jobs(&d.app, now).await;
    let entries = log(&d.app, &d.admin, &id).await;
    assert_eq!(entries.len(), 3);
    for e in &entries {
        assert_eq!((e["state"].clone(), e["attempts"].clone()), (json!("pending"), json!(1)), "{e}");
        assert!(e["last_error"].as_str().unwrap().to_lowercase().contains("connect"), "{e}");
        // Backoff: 30 s after the attempt, less at most a fifth of jitter.
        let at = |k: &str| DateTime::parse_from_rfc3339(e[k].as_str().unwrap()).unwrap().with_timezone(&Utc);
        let wait = at("next_attempt_at") - at("last_attempt_at");
        assert!(wait >= Duration::seconds(24) && wait <= Duration::seconds(30), "{e}");
    }
    // Not retried before its time.
    run_jobs(&d.app, now + Duration::seconds(15)).await;
    assert!(log(&d.app, &d.admin, &id).await.iter().all(|e| e["attempts"] == 1));

    // A receiver holding another secret refuses every delivery (401): its check is real.
    let wrong = Receiver::start(dir.path(), port, "whsec_not_the_secret");
    run_jobs(&d.app, now + Duration::seconds(40)).await;
    assert!(wrong.received().is_empty());
    for e in log(&d.app, &d.admin, &id).await {
        assert_eq!((e["state"].clone(), e["attempts"].clone(), e["last_status_code"].clone()), (json!("pending"), json!(2), json!(401)), "{e}");
    }
    drop(wrong);

    // The right receiver: everything arrives, once.
    let right = Receiver::start(dir.path(), port, &secret);
    run_jobs(&d.app, now + Duration::minutes(3)).await;
    run_jobs(&d.app, now + Duration::minutes(10)).await;
    let got = right.received();
    let mut numbers: Vec<i64> = got.iter().map(|g| g["event"]["data"]["ticket"]["number"].as_i64().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, opened, "every case once, none lost, none twice");
    let mut ids: Vec<&str> = got.iter().map(|g| g["event"]["id"].as_str().unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 3);
    for e in log(&d.app, &d.admin, &id).await {
        assert_eq!((e["state"].clone(), e["attempts"].clone()), (json!("delivered"), json!(3)), "{e}");
    }
    let w = d.app.get(&format!("/webhooks/{id}"), &d.admin).await.body;
    assert_eq!((w["consecutive_failures"].clone(), w["active"].clone()), (json!(0), json!(true)), "a success ends the run of failures");
}

#[tokio::test]
async fn a_webhook_failing_for_long_is_disabled_and_the_admins_are_mailed() {
    let d = desk().await;
    {
        let mut c = d.app.pool.get().await.unwrap();
        diesel::update(users::table.filter(users::username.eq("admin"))).set(users::email.eq("admin@example.gov.co")).execute(&mut c).await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (id, secret) = hook(&d.app, &d.admin, port, json!(["case.registered"])).await;
    let n = d.open(&d.pedro, "Primero").await["number"].as_i64().unwrap();
    // Nobody listens: a burst of failures within minutes does not disable it…
    let start = Utc::now();
    run_jobs(&d.app, start).await;
    // …failures for hours do: each attempt waits its backoff; the run spans past an hour.
    let mut at = start;
    for _ in 0..40 {
        at += Duration::minutes(10);
        run_jobs(&d.app, at).await;
    }
    let w = d.app.get(&format!("/webhooks/{id}"), &d.admin).await.body;
    assert_eq!(w["active"], false, "{w}");
    assert!(w["disabled_reason"].as_str().unwrap().contains("failed attempts in a row"), "{w}");
    let entries = log(&d.app, &d.admin, &id).await;
    assert_eq!(entries.len(), 1);
    let delivery = entries[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(entries[0]["state"], "failed", "{}", entries[0]);
    assert_eq!(entries[0]["attempts"], mesa::webhooks::delivery::RETRY.max_attempts);
    let mut c = d.app.pool.get().await.unwrap();
    let mails: Vec<(String, String, String)> =
        outbox::table.filter(outbox::kind.eq("webhook_disabled")).select((outbox::to_address, outbox::subject, outbox::body_text)).load(&mut c).await.unwrap();
    assert_eq!(mails.len(), 1, "one notice per admin, once");
    assert_eq!(mails[0].0, "admin@example.gov.co");
    assert!(mails[0].1.contains(&format!("127.0.0.1:{port}")) && mails[0].2.contains(&format!("/api/v1/webhooks/{id}/enable")), "{mails:?}");

    // While disabled nothing new is queued for it.
    d.open(&d.pedro, "Mientras tanto").await;
    assert_eq!(log(&d.app, &d.admin, &id).await.len(), 1);
    // Re-enabled, the failed delivery retried by an admin arrives.
    let receiver = Receiver::start(dir.path(), port, &secret);
    let r = d.app.post(&format!("/webhooks/{id}/enable"), Some(&d.admin), json!({})).await;
    assert_eq!(
        (r.status.as_u16(), r.body["active"].clone(), r.body["consecutive_failures"].clone(), r.body["disabled_reason"].clone()),
        (200, json!(true), json!(0), Value::Null),
        "{}",
        r.body
    );
    let r = d.app.post(&format!("/webhooks/{id}/deliveries/{delivery}/retry"), Some(&d.admin), json!({})).await;
    assert_eq!((r.status.as_u16(), r.body["state"].clone(), r.body["attempts"].clone()), (200, json!("pending"), json!(0)), "{}", r.body);
    d.app.post(&format!("/webhooks/{id}/deliveries/{delivery}/retry"), Some(&d.admin), json!({})).await.assert_problem(409, "delivery_not_failed");
    // The runner's clock was driven hours ahead; the job is due after its last run there.
    run_jobs(&d.app, at + Duration::minutes(1)).await;
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["event"]["data"]["ticket"]["number"], n);
}

#[tokio::test]
async fn the_outbox_row_is_written_in_the_changes_own_transaction() {
    let d = desk().await;
    let (id, _) = hook(&d.app, &d.admin, free_port(), json!(["case.state_changed", "case.assigned", "case.changed"])).await;
    let n = d.open(&d.pedro, "Transaccional").await["number"].as_i64().unwrap();
    let mut c = d.app.pool.get().await.unwrap();
    // The delivery cannot be written: the change fails with it, the case is untouched.
    diesel::sql_query("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$").execute(&mut c).await.unwrap();
    diesel::sql_query("CREATE TRIGGER refuse_delivery BEFORE INSERT ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION refuse()").execute(&mut c).await.unwrap();
    let r = d.act(&d.agent_n1, n, "take", json!({})).await;
    assert_eq!(r.status, 500, "{}", r.body);
    assert_eq!(d.app.get(&format!("/tickets/{n}"), &d.admin).await.body["status"], "assigned");
    diesel::sql_query("DROP TRIGGER refuse_delivery ON webhook_deliveries").execute(&mut c).await.unwrap();
    // The change cannot be written after the delivery (its audit entry fails): no delivery.
    diesel::sql_query("CREATE TRIGGER refuse_event BEFORE INSERT ON ticket_events FOR EACH ROW EXECUTE FUNCTION refuse()").execute(&mut c).await.unwrap();
    assert_eq!(d.act(&d.agent_n1, n, "take", json!({})).await.status, 500);
    diesel::sql_query("DROP TRIGGER refuse_event ON ticket_events").execute(&mut c).await.unwrap();
    let count: i64 = webhook_deliveries::table.count().get_result(&mut c).await.unwrap();
    assert_eq!(count, 0, "no delivery of a change that did not happen");
    // Once nothing refuses, the take happens and is queued (its state change).
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let entries = log(&d.app, &d.admin, &id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0]["event_type"].clone(), entries[0]["payload"]["data"]["ticket"]["status"].clone()), (json!("case.state_changed"), json!("in_progress")));
}

/// Whether a webhook listens is read from the cached reference data (so a change nobody listens
/// to pays no query): every change of a subscription reaches the very next request.
#[tokio::test]
async fn a_subscription_change_applies_to_the_next_registration() {
    let d = desk().await;
    let (id, _) = hook(&d.app, &d.admin, free_port(), json!(["survey.answered"])).await;
    let queued = async |id: &str| log(&d.app, &d.admin, id).await.len();
    d.open(&d.pedro, "Nadie escucha el registro").await;
    assert_eq!(queued(&id).await, 0);
    for (change, subject, expected) in [
        (json!({"events": ["case.registered"]}), "Ahora se escucha", 1),
        (json!({"active": false}), "Desactivado", 1),
        (json!({"active": true}), "Activo otra vez", 2),
        (json!({"events": ["case.registered", "case.escalated"]}), "Con otro evento más", 3),
    ] {
        let r = d.app.patch(&format!("/webhooks/{id}"), &d.admin, change.clone()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        d.open(&d.pedro, subject).await;
        assert_eq!(queued(&id).await, expected, "after {change}");
    }
    // Deleted, nothing is queued any more; a new webhook hears the next registration.
    assert_eq!(d.app.call(Method::DELETE, &format!("/webhooks/{id}"), Some(&d.admin), None).await.status, 204);
    d.open(&d.pedro, "Sin webhook").await;
    let (other, _) = hook(&d.app, &d.admin, free_port(), json!(["case.registered"])).await;
    d.open(&d.pedro, "Webhook nuevo").await;
    assert_eq!(queued(&other).await, 1);
}

#[tokio::test]
async fn ssrf_targets_are_refused_until_an_admin_allows_the_host() {
    let d = desk().await;
    let (app, admin) = (&d.app, &d.admin);
    for url in [
        "http://127.0.0.1:9/x",
        "http://10.1.2.3/x",
        "http://172.16.0.1/x",
        "http://192.168.1.10/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://[fd00:ec2::254]/x",
        "http://100.64.0.1/x",
        "http://0.0.0.0/x",
        "http://2130706433/x",
        "http://localhost:9/x",
    ] {
        let r = app.post("/webhooks", Some(admin), json!({"url": url, "events": ["case.registered"]})).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!((r.body["errors"][0]["field"].clone(), r.body["errors"][0]["code"].clone()), (json!("url"), json!("forbidden_address")), "{url}: {}", r.body);
    }
    // Allowed, a loopback receiver works; off the list again, deliveries are refused after DNS
    // resolution (a name) or before connecting (a literal), and nothing reaches it.
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    allow(app, admin, json!(["LOCALHOST", "127.0.0.1"])).await;
    assert_eq!(app.get("/webhooks/allowed-hosts", admin).await.body, json!({"hosts": ["127.0.0.1", "localhost"]}));
    let mut ids = Vec::new();
    let mut secret = String::new();
    for host in ["localhost", "127.0.0.1"] {
        let r = app.post("/webhooks", Some(admin), json!({"url": format!("http://{host}:{port}/mesa"), "events": ["case.registered"]})).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.body["id"].as_str().unwrap().to_owned());
        secret = r.body["secret"].as_str().unwrap().to_owned();
    }
    let receiver = Receiver::start(dir.path(), port, &secret);
    allow(app, admin, json!([])).await;
    for id in &ids {
        let r = app.post(&format!("/webhooks/{id}/test"), Some(admin), json!({})).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    run_jobs(app, Utc::now()).await;
    assert!(receiver.received().is_empty());
    for id in &ids {
        let e = &log(app, admin, id).await[0];
        assert_eq!(e["state"], "pending");
        let err = e["last_error"].as_str().unwrap();
        assert!(err.contains("refused") && err.contains("loopback"), "{err}");
    }
    // Allowed again, the pending ones go out at their next attempt.
    allow(app, admin, json!(["localhost", "127.0.0.1"])).await;
    run_jobs(app, Utc::now() + Duration::minutes(1)).await;
    assert_eq!(receiver.received().iter().filter(|g| g["event"]["type"] == "ping").count(), 1, "the second webhook's secret is the receiver's");
    for id in &ids {
        let e = &log(app, admin, id).await[0];
        assert!(!e["last_error"].as_str().unwrap_or("").contains("refused"), "reached the receiver: {e}");
    }
    // Bad hosts on the list are named.
    let r = app.call(Method::PUT, "/webhooks/allowed-hosts", Some(admin), Some(json!({"hosts": ["ok.example", "http://x/", "a b", "host:80"]}))).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["hosts.1", "hosts.2", "hosts.3"]);
}

#[tokio::test]
async fn the_admin_api_refuses_bad_input_forged_ids_and_non_admins() {
    let d = desk().await;
    let (app, admin) = (&d.app, &d.admin);
    let ok = json!({"url": "https://hooks.example.org/mesa", "events": ["case.registered"]});
    // Non-admins.
    for token in [&d.agent_n1, &d.pedro] {
        app.post("/webhooks", Some(token), ok.clone()).await.assert_problem(403, "forbidden");
        app.get("/webhooks", token).await.assert_problem(403, "forbidden");
        app.get("/webhooks/allowed-hosts", token).await.assert_problem(403, "forbidden");
    }
    app.call(Method::GET, "/webhooks", None, None).await.assert_problem(401, "invalid_token");
    // Validation names the field.
    let cases: Vec<(Value, &str)> = vec![
        (json!({"url": "ftp://hooks.example.org/", "events": ["case.registered"]}), "url"),
        (json!({"url": "https://user:pw@hooks.example.org/", "events": ["case.registered"]}), "url"),
        (json!({"url": "hooks.example.org", "events": ["case.registered"]}), "url"),
        (json!({"url": format!("https://hooks.example.org/{}", "a".repeat(3000)), "events": ["case.registered"]}), "url"),
        (json!({"url": "https://hooks.example.org/\u{0}", "events": ["case.registered"]}), "url"),
        (json!({"url": "https://hooks.example.org/", "events": []}), "events"),
        (json!({"url": "https://hooks.example.org/", "events": ["case.registered", "case.deleted"]}), "events.1"),
        (json!({"url": "https://hooks.example.org/", "events": ["ping"]}), "events.0"),
        (json!({"url": "https://hooks.example.org/", "events": ["case.registered"], "description": "x".repeat(501)}), "description"),
        (json!({"url": "https://hooks.example.org/", "events": ["case.registered"], "secret": "mine"}), "secret"),
    ];
    for (body, field) in cases {
        let r = app.post("/webhooks", Some(admin), body).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{}", r.body);
    }
    // The secret is shown on creation and rotation only.
    let r = app.post("/webhooks", Some(admin), ok.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let first = r.body["secret"].as_str().unwrap().to_owned();
    assert!(first.starts_with("whsec_") && first.len() == 70);
    let got = app.get(&format!("/webhooks/{id}"), admin).await;
    assert!(got.body.get("secret").is_none() && app.get("/webhooks", admin).await.body[0].get("secret").is_none());
    let rotated = app.post(&format!("/webhooks/{id}/rotate-secret"), Some(admin), json!({})).await;
    assert_eq!(rotated.status, 200);
    assert_ne!(rotated.body["secret"].as_str().unwrap(), first);
    // If-Match: stale refused, current accepted.
    let v = rotated.body["version"].as_i64().unwrap();
    let stale = app.call_with(Method::PATCH, &format!("/webhooks/{id}"), Some(admin), Some(json!({"active": false})), &[("If-Match", &format!("\"{}\"", v - 1))]).await;
    stale.assert_problem(412, "version_mismatch");
    let r = app.call_with(Method::PATCH, &format!("/webhooks/{id}"), Some(admin), Some(json!({"active": false, "description": null})), &[("If-Match", &format!("\"{v}\""))]).await;
    assert_eq!((r.status.as_u16(), r.body["active"].clone()), (200, json!(false)), "{}", r.body);
    app.patch(&format!("/webhooks/{id}"), admin, json!({"events": ["nope"]})).await.assert_problem(422, "validation_failed");
    // Forged and foreign ids.
    let forged = uuid::Uuid::now_v7();
    app.get(&format!("/webhooks/{forged}"), admin).await.assert_problem(404, "not_found");
    app.patch(&format!("/webhooks/{forged}"), admin, json!({"active": true})).await.assert_problem(404, "not_found");
    app.post(&format!("/webhooks/{forged}/test"), Some(admin), json!({})).await.assert_problem(404, "not_found");
    app.post(&format!("/webhooks/{forged}/enable"), Some(admin), json!({})).await.assert_problem(404, "not_found");
    app.post(&format!("/webhooks/{forged}/rotate-secret"), Some(admin), json!({})).await.assert_problem(404, "not_found");
    app.get(&format!("/webhooks/{forged}/deliveries"), admin).await.assert_problem(404, "not_found");
    let ping = app.post(&format!("/webhooks/{id}/test"), Some(admin), json!({})).await.body;
    let delivery = ping["id"].as_str().unwrap();
    app.post(&format!("/webhooks/{forged}/deliveries/{delivery}/retry"), Some(admin), json!({})).await.assert_problem(404, "not_found");
    app.post(&format!("/webhooks/{id}/deliveries/{forged}/retry"), Some(admin), json!({})).await.assert_problem(404, "not_found");
    app.post(&format!("/webhooks/{id}/deliveries/{delivery}/retry"), Some(admin), json!({})).await.assert_problem(409, "delivery_not_failed");
    app.get(&format!("/webhooks/{id}/deliveries?cursor=garbage"), admin).await.assert_problem(422, "validation_failed");
    app.get(&format!("/webhooks/{id}/deliveries?limit=100000"), admin).await.assert_problem(422, "validation_failed");
    // The log pages by cursor, newest first, without gaps or repeats.
    for _ in 0..4 {
        app.post(&format!("/webhooks/{id}/test"), Some(admin), json!({})).await;
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = app.get(&format!("/webhooks/{id}/deliveries?limit=2{q}"), admin).await.body;
        seen.extend(page["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!((seen.len(), &seen), (5, &sorted));
    // Deleting takes the log with it; the id is then unknown.
    assert_eq!(app.call(Method::DELETE, &format!("/webhooks/{id}"), Some(admin), None).await.status, 204);
    app.call(Method::DELETE, &format!("/webhooks/{id}"), Some(admin), None).await.assert_problem(404, "not_found");
    let mut c = app.pool.get().await.unwrap();
    assert_eq!(webhook_deliveries::table.count().get_result::<i64>(&mut c).await.unwrap(), 0);
    assert_eq!(webhooks::table.count().get_result::<i64>(&mut c).await.unwrap(), 0);
}
