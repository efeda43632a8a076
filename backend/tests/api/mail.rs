//! Outgoing mail against a real SMTP server (aiosmtpd, `support::smtp`): what the seeds'
//! workflow sends to whom, in which language and thread; SMTP down; a worker killed mid-delivery;
//! retries and the failed state; the admins' outbox; desks' templates; opt-outs. Time is driven
//! through the job runner's `now`.
use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use mesa::db::schema::{jobs, outbox, users};
use mesa::notify::{self, Kind, Lang, MailEnv};
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::TestApp;
use crate::support::smtp::{Mail, SmtpSink};
use crate::tickets::{desk, Desk};

const PUBLIC: &str = "https://mesa.itagui.gov.co";
const HOST: &str = "mesa.itagui.gov.co";
const MAILBOX: &str = "mesadeservicios@itagui.gov.co";

fn env(smtp: Option<url::Url>) -> MailEnv {
    MailEnv::new(url::Url::parse(PUBLIC).unwrap(), "mesa@itagui.gov.co".into(), smtp.as_ref()).unwrap()
}

async fn set_email(app: &TestApp, username: &str, email: &str, locale: &str) {
    let mut c = app.pool.get().await.unwrap();
    let n = diesel::update(users::table.filter(users::username.eq(username))).set((users::email.eq(email), users::locale.eq(locale))).execute(&mut c).await.unwrap();
    assert_eq!(n, 1, "{username}");
}

/// The demo desk with addresses: Pedro reads English, everyone else Spanish; a supervisor; the
/// desk's mailbox. Returns the supervisor's token.
async fn mail_desk() -> (Desk, String) {
    let d = desk().await;
    let boss = add_addresses(&d).await;
    (d, boss)
}

/// Addresses and languages for the desk's people, a supervisor and the desk's mailbox; returns
/// the supervisor's token.
async fn add_addresses(d: &Desk) -> String {
    for (user, locale) in
        [("pedro.suarez", "en-US"), ("lucia.martinez", "es-CO"), ("agente.n1", "es-CO"), ("especialista.n2", "es-CO"), ("proveedor.n3", "es-CO"), ("cto.hacienda", "es-CO")]
    {
        set_email(&d.app, user, &format!("{user}@itagui.gov.co"), locale).await;
    }
    let boss = d.app.create_local_user("supervisor.tic", "Buena.Clave2026", Role::Supervisor).await;
    set_email(&d.app, "supervisor.tic", "supervisor.tic@itagui.gov.co", "es-CO").await;
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [boss], "mailbox": MAILBOX})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    d.app.token("supervisor.tic", "Buena.Clave2026").await
}

/// Runs the job runner (mail included) until nothing is due at `now`, then at `now` + 6 s (the
/// mail jobs come back every 5 s).
async fn run_jobs(app: &TestApp, env: &MailEnv, now: DateTime<Utc>) {
    notify::ensure_jobs(&mut app.pool.get().await.unwrap()).await.unwrap();
    let services = mesa::jobs::Services { mail: Some(std::sync::Arc::new(env.clone())), ..Default::default() };
    for at in [now, now + Duration::seconds(6)] {
        let mut n = 0;
        while mesa::jobs::run_one_with(&app.pool, &services, at).await.unwrap().is_some() {
            n += 1;
            assert!(n < 1000, "the runner keeps finding work");
        }
    }
}

fn summary(mails: &[Mail]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = mails.iter().map(|m| (m.to.join(","), m.subject.clone())).collect();
    v.sort();
    v
}

async fn count(app: &TestApp, state: &str) -> i64 {
    let mut c = app.pool.get().await.unwrap();
    outbox::table.filter(outbox::state.eq(state)).count().get_result(&mut c).await.unwrap()
}

fn assert_unique(mails: &[Mail]) {
    let ids: HashSet<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), mails.len(), "every mail arrives once");
}

#[tokio::test]
async fn the_seeds_workflow_mails_each_step_to_the_right_people_in_their_language_and_thread() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    // Pedro (Educación) is served by the general first level: agente.n1.
    let n = d.open(&d.pedro, "El equipo no enciende").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "classify", json!({"priority": "high", "priority_reason": "Afecta a toda la dependencia"})).await;
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let private = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Nota interna: el proveedor tiene mora", "visibility": "private"})).await;
    assert_eq!(private.status, 201, "{}", private.body);
    let public = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Estamos revisando la fuente de poder"})).await;
    assert_eq!(public.status, 201, "{}", public.body);
    d.ok(&d.agent_n1, n, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Razón privada del escalamiento"})).await;
    d.ok(&d.agent_n2, n, "take", json!({})).await;
    d.ok(&d.agent_n2, n, "hold", json!({"reason": "waiting_requester", "note": "Envíe la placa del equipo", "public": true})).await;
    let answer = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.pedro), json!({"body": "The asset tag is PC-0042"})).await;
    assert_eq!(answer.status, 201, "{}", answer.body);
    d.ok(&d.agent_n2, n, "resolve", json!({"solution": "Se cambió la fuente de poder"})).await;
    d.ok(&d.pedro, n, "close", json!({})).await;
    // Nothing left Mesa while the requests ran.
    assert!(sink.messages().is_empty());

    run_jobs(&d.app, &env, Utc::now()).await;
    let mails = sink.messages();
    let s = |to: &str, subject: &str| (format!("{to}@itagui.gov.co"), format!("[Mesa #{n}] {subject}"));
    let mut expected = vec![
        s("pedro.suarez", "Case registered: El equipo no enciende"),
        s("agente.n1", "Caso registrado: El equipo no enciende"),
        s("pedro.suarez", "Service order: El equipo no enciende"),
        s("pedro.suarez", "New follow-up: El equipo no enciende"),
        s("pedro.suarez", "Escalated to level 2: El equipo no enciende"),
        s("especialista.n2", "Escalado a nivel 2: El equipo no enciende"),
        s("supervisor.tic", "Escalado a nivel 2: El equipo no enciende"),
        s("pedro.suarez", "Case on hold: El equipo no enciende"),
        s("especialista.n2", "Nuevo seguimiento: El equipo no enciende"),
        s("pedro.suarez", "Case resolved: El equipo no enciende"),
    ];
    expected.sort();
    assert_eq!(summary(&mails), expected);
    assert_unique(&mails);
    for m in &mails {
        assert!(m.message_id.starts_with(&format!("<mesa.{n}.")) && m.message_id.ends_with(&format!("@{HOST}>")), "{}", m.message_id);
        assert_eq!(m.in_reply_to, format!("<mesa.{n}@{HOST}>"));
        assert_eq!(m.references, format!("<mesa.{n}@{HOST}>"));
        assert_eq!(m.auto_submitted, "auto-generated");
        assert_eq!((m.from.as_str(), m.reply_to.as_deref()), (MAILBOX, Some(MAILBOX)));
        assert!(m.text.contains(&format!("{PUBLIC}/tickets/{n}")), "{}", m.text);
        for secret in ["Nota interna", "mora", "Razón privada"] {
            assert!(!m.raw.contains(secret) && !m.text.contains(secret) && !m.html.contains(secret), "{secret} leaked in {}", m.subject);
        }
    }
    let body = |subject: &str| mails.iter().find(|m| m.subject.contains(subject)).unwrap_or_else(|| panic!("{subject}")).clone();
    assert!(body("Case on hold").text.contains("Envíe la placa del equipo"));
    assert!(body("Case resolved").text.contains("Se cambió la fuente de poder"));
    assert!(body("Nuevo seguimiento").text.contains("The asset tag is PC-0042"));
    assert!(body("New follow-up").text.contains("Estamos revisando la fuente de poder"));
    assert!(body("Service order").text.contains("Afecta a toda la dependencia") && body("Service order").text.contains("High"));
    assert!(body("Case resolved").html.contains("Se cambió la fuente de poder"));
    // Nothing is sent twice when the jobs run again.
    run_jobs(&d.app, &env, Utc::now() + Duration::minutes(1)).await;
    assert_eq!(sink.messages().len(), mails.len());
    assert_eq!(count(&d.app, "sent").await, mails.len() as i64);
}

#[tokio::test]
async fn with_smtp_down_changes_succeed_and_once_it_is_back_every_mail_arrives_once() {
    let (d, _) = mail_desk().await;
    let port = crate::support::slapd::free_port();
    let env = env(Some(url::Url::parse(&format!("smtp://127.0.0.1:{port}")).unwrap()));
    let n = d.open(&d.pedro, "Sin red").await["number"].as_i64().unwrap();
    let started = std::time::Instant::now();
    for i in 0..200 {
        let r = d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": format!("Avance {i}")})).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let elapsed = started.elapsed();
    // The jobs run while nobody listens: everything is expanded and waits, nothing is lost.
    let now = Utc::now();
    run_jobs(&d.app, &env, now).await;
    assert_eq!(count(&d.app, "pending").await, 202, "200 follow-ups and the registration's two");
    let mut c = d.app.pool.get().await.unwrap();
    let attempts: Vec<i32> = outbox::table.select(outbox::attempts).load(&mut c).await.unwrap();
    assert!(attempts.iter().all(|a| *a == 0), "an unreachable server costs the mails no attempt");
    let (error, run_at): (Option<String>, DateTime<Utc>) = jobs::table.filter(jobs::kind.eq(notify::DELIVER)).select((jobs::last_error, jobs::run_at)).first(&mut c).await.unwrap();
    assert!(error.unwrap().contains("SMTP server"), "the delivery job says why");
    assert!(run_at > now + Duration::seconds(20), "and backs off");
    let admin_view = d.app.get("/outbox?state=pending&limit=200", &d.admin).await;
    assert_eq!(admin_view.body["items"].as_array().unwrap().len(), 200);
    assert!(admin_view.body["next_cursor"].is_string());

    let sink = tokio::task::spawn_blocking(move || SmtpSink::start_on(port)).await.unwrap();
    run_jobs(&d.app, &env, now + Duration::minutes(10)).await;
    let mails = sink.messages();
    assert_eq!(mails.len(), 202);
    assert_unique(&mails);
    assert_eq!(count(&d.app, "sent").await, 202);
    println!("200 follow-ups with SMTP down took {elapsed:?}");
}

#[tokio::test]
async fn a_worker_killed_mid_delivery_leaves_its_mails_to_be_sent_once_after_its_lease() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    for subject in ["Uno", "Dos", "Tres"] {
        d.open(&d.pedro, subject).await;
    }
    let now = Utc::now();
    let mut c = d.app.pool.get().await.unwrap();
    notify::expand::run(&mut c, &env, now).await.unwrap();
    assert_eq!(count(&d.app, "pending").await, 6);
    // A worker claims four and dies before sending them.
    let claimed = notify::delivery::claim(&mut c, now, 4).await.unwrap();
    assert_eq!(claimed.len(), 4);
    drop(claimed);
    // The others go out; the dead worker's wait for its lease.
    run_jobs(&d.app, &env, now).await;
    assert_eq!(sink.messages().len(), 2);
    let after = now + notify::delivery::LEASE + Duration::seconds(1);
    run_jobs(&d.app, &env, after).await;
    let mails = sink.messages();
    assert_eq!(mails.len(), 6);
    assert_unique(&mails);
    run_jobs(&d.app, &env, after + Duration::hours(1)).await;
    assert_eq!(sink.messages().len(), 6, "none twice");
}

#[tokio::test]
async fn a_refused_mail_backs_off_then_fails_and_an_admin_sends_it_again() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    // Only Pedro has an address: one mail per case.
    let mut c = d.app.pool.get().await.unwrap();
    diesel::update(users::table.filter(users::username.eq("agente.n1"))).set(users::email.eq(None::<String>)).execute(&mut c).await.unwrap();
    drop(c);
    d.open(&d.pedro, "Backoff").await;
    let now = Utc::now();
    let mut c = d.app.pool.get().await.unwrap();
    notify::expand::run(&mut c, &env, now).await.unwrap();
    // The server answers "try later" every time (recorded as delivery records a 4xx).
    let mut at = now;
    let max = notify::delivery::RETRY.max_attempts;
    let mut delays = Vec::new();
    let mut id = None;
    for attempt in 1..=max {
        let mut claimed = notify::delivery::claim(&mut c, at, 1).await.unwrap();
        let m = claimed.pop().unwrap_or_else(|| panic!("attempt {attempt} is due at {at}"));
        assert_eq!(m.attempts, attempt);
        id = Some(m.id);
        notify::delivery::record_refusal(&mut c, &m, "451 4.3.0 try again later", false, at, 0.0).await.unwrap();
        let (state, next): (String, DateTime<Utc>) = outbox::table.find(m.id).select((outbox::state, outbox::next_attempt_at)).first(&mut c).await.unwrap();
        if attempt < max {
            assert_eq!(state, "pending");
            assert!(notify::delivery::claim(&mut c, next - Duration::milliseconds(1), 1).await.unwrap().iter().all(|x| x.id != m.id), "not before its backoff");
            delays.push(next - at);
            at = next;
        } else {
            assert_eq!(state, "failed");
        }
    }
    // Postgres keeps microseconds.
    assert!((delays[0] - Duration::minutes(1)).num_milliseconds().abs() < 1, "{delays:?}");
    assert!(delays.windows(2).all(|w| w[1] >= w[0]) && *delays.last().unwrap() <= Duration::hours(1), "{delays:?}");
    let id = id.unwrap();
    let failed = d.app.get("/outbox?state=failed", &d.admin).await;
    assert_eq!(failed.body["items"].as_array().unwrap().len(), 1, "{}", failed.body);
    assert_eq!(failed.body["items"][0]["last_error"], "451 4.3.0 try again later");
    // Never claimed again by itself.
    assert!(notify::delivery::claim(&mut c, at + Duration::days(30), 10).await.unwrap().iter().all(|x| x.id != id));
    let retried = d.app.post(&format!("/outbox/{id}/retry"), Some(&d.admin), json!({})).await;
    assert_eq!((retried.status.as_u16(), retried.body["state"].as_str(), retried.body["attempts"].as_i64()), (200, Some("pending"), Some(0)), "{}", retried.body);
    d.app.post(&format!("/outbox/{id}/retry"), Some(&d.admin), json!({})).await.assert_problem(409, "mail_not_failed");
    run_jobs(&d.app, &env, Utc::now()).await;
    assert_eq!(sink.messages().len(), 1);
    assert_eq!(count(&d.app, "sent").await, 1);

    // An address the server can never take fails at once, with the reason.
    set_email(&d.app, "pedro.suarez", "pedro@@itagui", "en").await;
    d.open(&d.pedro, "Dirección rota").await;
    // (The mail jobs ran at now + 6 s above: they are next due 5 s after that.)
    run_jobs(&d.app, &env, Utc::now() + Duration::minutes(1)).await;
    let failed = d.app.get("/outbox?state=failed", &d.admin).await;
    let item = &failed.body["items"][0];
    assert_eq!((item["to_address"].as_str(), item["attempts"].as_i64()), (Some("pedro@@itagui"), Some(1)), "{}", failed.body);
    assert!(item["last_error"].as_str().unwrap().contains("to"), "{item}");
}

#[tokio::test]
async fn the_outbox_is_for_admins_only_and_pages_with_a_cursor() {
    let (d, boss) = mail_desk().await;
    let env = env(None);
    for s in ["A", "B", "C"] {
        d.open(&d.pedro, s).await;
    }
    // Without SMTP, mail is expanded and stays pending, visible.
    run_jobs(&d.app, &env, Utc::now()).await;
    assert_eq!(count(&d.app, "pending").await, 6);
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/outbox?limit=4&cursor={c}"),
            None => "/outbox?limit=4".to_owned(),
        };
        let page = d.app.get(&path, &d.admin).await;
        assert_eq!(page.status, 200, "{}", page.body);
        for item in page.body["items"].as_array().unwrap() {
            assert!(seen.insert(item["id"].as_str().unwrap().to_owned()), "no mail twice across pages");
            assert_eq!(item["state"], "pending");
            assert!(item.get("body_text").is_none(), "bodies only one by one");
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 6);
    let one = seen.iter().next().unwrap().clone();
    let mail = d.app.get(&format!("/outbox/{one}"), &d.admin).await;
    assert_eq!(mail.status, 200);
    assert!(mail.body["body_text"].as_str().unwrap().contains("tickets/"));
    // Nobody else sees or retries mail, whatever id they forge.
    for token in [&d.pedro, &d.agent_n1, &boss] {
        d.app.get("/outbox", token).await.assert_problem(403, "forbidden");
        d.app.get(&format!("/outbox/{one}"), token).await.assert_problem(403, "forbidden");
        d.app.post(&format!("/outbox/{one}/retry"), Some(token), json!({})).await.assert_problem(403, "forbidden");
    }
    d.app.get(&format!("/outbox/{}", uuid::Uuid::now_v7()), &d.admin).await.assert_problem(404, "not_found");
    d.app.post(&format!("/outbox/{}/retry", uuid::Uuid::now_v7()), Some(&d.admin), json!({})).await.assert_problem(404, "not_found");
    d.app.post(&format!("/outbox/{one}/retry"), Some(&d.admin), json!({})).await.assert_problem(409, "mail_not_failed");
    assert_eq!(d.app.get("/outbox?cursor=garbage", &d.admin).await.error_fields(), ["cursor"]);
    assert_eq!(d.app.get("/outbox?limit=100000", &d.admin).await.error_fields(), ["limit"]);
    assert_eq!(d.app.get("/outbox?state=lost", &d.admin).await.status, 400);
    assert_eq!(d.app.get("/outbox?state=failed", &d.admin).await.body["items"], json!([]));
}

#[tokio::test]
async fn a_desk_words_its_mail_its_own_way_and_a_broken_template_is_refused() {
    let (d, boss) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    let base = format!("/desks/{}/mail-templates", d.desk);
    let list = d.app.get(&base, &boss).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body.as_array().unwrap().len(), Kind::ALL.len() * 2);
    let builtin = d.app.get(&format!("{base}/resolved/en"), &boss).await;
    assert_eq!((builtin.body["custom"].as_bool(), builtin.body["kind"].as_str()), (Some(false), Some("resolved")));
    assert!(builtin.body["text"].as_str().unwrap().contains("{{ solution }}"));

    let resolved_en = format!("{base}/resolved/en");
    let put = |body: Value| d.app.call(Method::PUT, &resolved_en, Some(&boss), Some(body));
    let good = json!({"subject": "Done: {{ subject }}", "text": "Dear {{ recipient }}, fixed: {{ solution }}", "html": "<p>Dear {{ recipient }}, fixed: {{ solution }}</p>"});
    for (broken, field) in [
        (json!({"subject": "Done", "text": "{% if %}", "html": "<p></p>"}), "text"),
        (json!({"subject": "Done", "text": "x", "html": "{{ no_such_variable }}"}), "html"),
        (json!({"subject": "{{ subject | no_such_filter }}", "text": "x", "html": "x"}), "subject"),
        (json!({"subject": " ", "text": "x", "html": "x"}), "subject"),
        (json!({"subject": "x", "text": "x".repeat(100_001), "html": "x"}), "text"),
        (json!({"subject": "x", "text": "a\u{0}b", "html": "x"}), "text"),
    ] {
        let r = put(broken.clone()).await;
        assert_eq!(r.status, 422, "{broken}: {}", r.body);
        assert_eq!(r.error_fields()[0].split('.').next(), Some(field), "{}", r.body);
    }
    // Preview: the template as it would mail the sample case; broken ones are refused there too.
    let preview = d.app.post(&format!("{base}/resolved/en/preview"), Some(&boss), json!({"template": good})).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(preview.body["subject"], "[Mesa #1234] Done: The computer does not start");
    assert!(preview.body["text"].as_str().unwrap().contains("fixed: The power supply was replaced."));
    let bad = d.app.post(&format!("{base}/resolved/en/preview"), Some(&boss), json!({"template": {"subject": "x", "text": "{{", "html": "x"}})).await;
    assert_eq!(bad.error_fields(), ["text"]);
    assert_eq!(d.app.post(&format!("{base}/resolved/es/preview"), Some(&boss), json!({})).await.status, 200, "the current template");

    // Who may: admins and the desk's supervisors; not agents, requesters; unknown kinds are 404.
    for token in [&d.agent_n1, &d.pedro] {
        d.app.call(Method::PUT, &format!("{base}/resolved/en"), Some(token), Some(good.clone())).await.assert_problem(403, "forbidden");
        d.app.get(&base, token).await.assert_problem(403, "forbidden");
    }
    d.app.get(&format!("/desks/{}/mail-templates", uuid::Uuid::now_v7()), &d.admin).await.assert_problem(404, "not_found");
    d.app.get(&format!("{base}/no_such_kind/en"), &boss).await.assert_problem(404, "not_found");
    d.app.get(&format!("{base}/resolved/fr"), &boss).await.assert_problem(404, "not_found");

    let saved = put(good.clone()).await;
    assert_eq!((saved.status.as_u16(), saved.body["custom"].as_bool()), (200, Some(true)), "{}", saved.body);
    // Pedro reads English: his resolution mail is the desk's; the Spanish one stays built-in.
    let n = d.open(&d.pedro, "Pantalla negra").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Cable <HDMI> cambiado"})).await;
    run_jobs(&d.app, &env, Utc::now()).await;
    let mails = sink.messages();
    let resolved = mails.iter().find(|m| m.subject.contains("Done")).expect("the desk's wording");
    assert_eq!(resolved.subject, format!("[Mesa #{n}] Done: Pantalla negra"));
    assert!(resolved.text.contains("fixed: Cable <HDMI> cambiado"));
    assert!(resolved.html.contains("Cable &lt;HDMI&gt; cambiado"), "{}", resolved.html);
    let r = d.app.call(Method::DELETE, &format!("{base}/resolved/en"), Some(&boss), None).await;
    assert_eq!(r.status, 204);
    assert_eq!(d.app.get(&format!("{base}/resolved/en"), &boss).await.body["custom"], false);
}

#[tokio::test]
async fn users_turn_optional_mail_off_and_desks_choose_their_kinds() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    let mine = d.app.get("/me/notifications", &d.pedro).await;
    assert_eq!(mine.status, 200);
    let followup = mine.body["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "followup").unwrap().clone();
    assert_eq!((followup["optional"].as_bool(), followup["enabled"].as_bool()), (Some(true), Some(true)));
    let refused = d.app.call(Method::PUT, "/me/notifications", Some(&d.pedro), Some(json!({"disabled": ["followup", "resolved"]}))).await;
    assert_eq!(refused.error_fields(), ["disabled.1"], "a mandatory kind cannot be turned off");
    assert_eq!(d.app.call(Method::PUT, "/me/notifications", Some(&d.pedro), Some(json!({"disabled": ["nonsense"]}))).await.status, 422);
    let r = d.app.call(Method::PUT, "/me/notifications", Some(&d.pedro), Some(json!({"disabled": ["followup", "followup"]}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "followup").unwrap()["enabled"], false);
    // The desk stops sending classifications.
    let desk = d.app.get(&format!("/desks/{}", d.desk), &d.admin).await.body;
    let kinds: Vec<Value> = desk["notification_kinds"].as_array().unwrap().iter().filter(|k| *k != "classified").cloned().collect();
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"notification_kinds": kinds})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body["notification_kinds"].as_array().unwrap().contains(&json!("classified")));
    assert_eq!(d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"notification_kinds": ["lost"]})).await.status, 422);

    let n = d.open(&d.pedro, "Correo lleno").await["number"].as_i64().unwrap();
    d.app.post(&format!("/tickets/{n}/followups"), Some(&d.agent_n1), json!({"body": "Revisando"})).await;
    d.ok(&d.agent_n1, n, "classify", json!({"priority": "low", "priority_reason": "Solo un usuario"})).await;
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Buzón depurado"})).await;
    run_jobs(&d.app, &env, Utc::now()).await;
    let to_pedro: Vec<String> = sink.messages().into_iter().filter(|m| m.to == ["pedro.suarez@itagui.gov.co"]).map(|m| m.subject).collect();
    assert_eq!(to_pedro.len(), 2, "registration and resolution only: {to_pedro:?}");
    assert!(to_pedro.iter().any(|s| s.contains("Case registered")) && to_pedro.iter().any(|s| s.contains("Case resolved")), "{to_pedro:?}");
}

#[tokio::test]
async fn other_modules_queue_a_direct_mail_to_an_address() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    let n = d.open(&d.pedro, "Respuesta por correo").await["number"].as_i64().unwrap();
    let desk: uuid::Uuid = d.desk.parse().unwrap();
    let ticket: uuid::Uuid = {
        let mut c = d.app.pool.get().await.unwrap();
        mesa::db::schema::tickets::table.filter(mesa::db::schema::tickets::number.eq(n)).select(mesa::db::schema::tickets::id).first(&mut c).await.unwrap()
    };
    let mut c = d.app.pool.get().await.unwrap();
    notify::queue_direct(&mut c, &env, desk, None, "desconocido@otra.gov.co", Lang::Es, Kind::IntakeRefused, json!({"reason": "su dirección no está registrada"})).await.unwrap();
    notify::queue_direct(&mut c, &env, desk, Some(ticket), "pedro.suarez@itagui.gov.co", Lang::En, Kind::IntakeRefused, json!({"reason": "you may not write on this case"}))
        .await
        .unwrap();
    assert!(notify::queue_direct(&mut c, &env, desk, None, "not an address", Lang::Es, Kind::IntakeInstructions, json!({})).await.is_err());
    drop(c);
    run_jobs(&d.app, &env, Utc::now()).await;
    let mails = sink.messages();
    let unknown = mails.iter().find(|m| m.to == ["desconocido@otra.gov.co"]).unwrap();
    assert_eq!(unknown.subject, "No pudimos procesar su correo");
    assert!(unknown.text.contains("su dirección no está registrada") && unknown.message_id.starts_with("<mesa.mail."));
    assert!(unknown.in_reply_to.is_empty());
    let threaded = mails.iter().find(|m| m.subject.starts_with(&format!("[Mesa #{n}] We could not"))).expect("numbered");
    assert_eq!(threaded.in_reply_to, format!("<mesa.{n}@{HOST}>"));
}

#[tokio::test]
async fn sla_notify_rules_mail_the_assignee_and_the_supervisors_at_risk_and_at_breach() {
    use crate::sla::{bogota, measured_desk, registered_at};
    let rules = json!([
        {"clock": "ttr", "at_share": 0.75, "action": "notify_supervisor"},
        {"clock": "ttr", "at_share": 1.0, "action": "notify_supervisor"}
    ]);
    let (d, _) = measured_desk(rules).await;
    add_addresses(&d).await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    let env = env(Some(sink.url()));
    let n = d.open(&d.pedro, "Servidor caído").await["number"].as_i64().unwrap();
    // Monday 8:00, medium: resolution due in 1140 business minutes (Wednesday 8:00).
    registered_at(&d, n, bogota(2026, 2, 2, 8, 0)).await;
    let mut c = d.app.pool.get().await.unwrap();
    assert_eq!(mesa::sla::rules::check(&mut c, bogota(2026, 2, 3, 16, 0)).await.unwrap(), 1);
    assert_eq!(mesa::sla::rules::check(&mut c, bogota(2026, 2, 4, 10, 0)).await.unwrap(), 1);
    drop(c);
    run_jobs(&d.app, &env, Utc::now()).await;
    let mut sla: Vec<(String, String)> = summary(&sink.messages()).into_iter().filter(|(_, s)| s.contains("ANS") || s.contains("SLA")).collect();
    sla.sort();
    let s = |to: &str, what: &str| (format!("{to}@itagui.gov.co"), format!("[Mesa #{n}] {what}: Servidor caído"));
    assert_eq!(sla, [s("agente.n1", "ANS en riesgo"), s("agente.n1", "ANS incumplido"), s("supervisor.tic", "ANS en riesgo"), s("supervisor.tic", "ANS incumplido")]);
    let breach = sink.messages().into_iter().find(|m| m.subject.contains("ANS incumplido")).unwrap();
    assert!(breach.text.contains("tiempo de solución"), "{}", breach.text);
}

#[tokio::test]
async fn two_runners_expanding_at_once_queue_each_mail_once() {
    use diesel_async::AsyncConnection;
    let (d, _) = mail_desk().await;
    d.open(&d.pedro, "Uno entre muchos").await;
    // 599 more notifications like the registration's (two recipients each).
    let mut c = d.app.pool.get().await.unwrap();
    diesel::sql_query(
        "INSERT INTO notifications (id, kind, ticket_id, desk_id, actor_id, data, created_at)
         SELECT gen_random_uuid(), kind, ticket_id, desk_id, actor_id, data, created_at + i * interval '1 ms'
         FROM notifications, generate_series(1, 599) i",
    )
    .execute(&mut c)
    .await
    .unwrap();
    drop(c);
    let env = env(None);
    let url = d.app.config.database_url.clone();
    let runner = |url: String, env: MailEnv| async move {
        let mut c = diesel_async::AsyncPgConnection::establish(&url).await.unwrap();
        notify::expand::run(&mut c, &env, Utc::now()).await.unwrap()
    };
    let (a, b) = tokio::join!(tokio::spawn(runner(url.clone(), env.clone())), tokio::spawn(runner(url, env)));
    assert_eq!(a.unwrap() + b.unwrap(), 1200, "each notification expanded by one runner");
    assert_eq!(count(&d.app, "pending").await, 1200);
    let mut c = d.app.pool.get().await.unwrap();
    let left: i64 = mesa::db::schema::notifications::table.filter(mesa::db::schema::notifications::expanded_at.is_null()).count().get_result(&mut c).await.unwrap();
    assert_eq!(left, 0);
}

/// The link in a mail's text: `{PUBLIC}/survey/{token}`.
fn survey_token(text: &str) -> String {
    let start = text.find(&format!("{PUBLIC}/survey/")).unwrap_or_else(|| panic!("no survey link in {text}")) + PUBLIC.len() + "/survey/".len();
    text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

#[tokio::test]
async fn the_solution_mail_carries_a_working_survey_link_and_a_bad_rating_tells_the_agent_and_supervisors() {
    let (d, _) = mail_desk().await;
    let sink = tokio::task::spawn_blocking(SmtpSink::start).await.unwrap();
    // Signed with the server's secret, as `mesa serve` and `mesa worker` do.
    let env = env(Some(sink.url())).with_survey_secret(crate::support::app::TEST_JWT_SECRET.as_bytes());
    let n = d.open(&d.pedro, "La impresora no imprime").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Se reinstaló el controlador"})).await;
    run_jobs(&d.app, &env, Utc::now()).await;
    let resolved = sink.messages().into_iter().find(|m| m.subject.contains("Case resolved")).expect("the solution mail");
    let token = survey_token(&resolved.text);
    // (HTML-escaped in the page: `/` is written `&#x2f;`.)
    assert!(resolved.html.contains(&token), "{}", resolved.html);

    // The requester follows the link without logging in and rates badly.
    let survey = d.app.call(Method::GET, &format!("/surveys/{token}"), None, None).await;
    assert_eq!(survey.status, 200, "{}", survey.body);
    let r = d.app.call(Method::POST, &format!("/surveys/{token}"), None, Some(json!({"rating": 1, "solved": false, "comment": "Sigue sin imprimir"}))).await;
    assert!(r.status == 200 || r.status == 201, "{} {}", r.status, r.body);
    let before = sink.messages().len();
    // (The mail jobs come back every few seconds: each round runs later than the last.)
    run_jobs(&d.app, &env, Utc::now() + Duration::minutes(1)).await;
    let mails = sink.messages();
    let reopened: Vec<&Mail> = mails[before..].iter().filter(|m| m.subject.contains("reabierto por encuesta")).collect();
    let mut to: Vec<&str> = reopened.iter().flat_map(|m| m.to.iter().map(String::as_str)).collect();
    to.sort();
    assert_eq!(to, ["agente.n1@itagui.gov.co", "supervisor.tic@itagui.gov.co"], "{:?}", mails.iter().map(|m| (&m.subject, &m.to)).collect::<Vec<_>>());
    assert!(reopened[0].text.contains("Abierto por encuesta"), "{}", reopened[0].text);

    // The next resolution sends a new link; the old one is spent.
    d.ok(&d.agent_n1, n, "resolve", json!({"solution": "Se cambió el cable de red"})).await;
    run_jobs(&d.app, &env, Utc::now() + Duration::minutes(2)).await;
    let resolved: Vec<String> = sink.messages().iter().filter(|m| m.subject.contains("Case resolved")).map(|m| survey_token(&m.text)).collect();
    assert_eq!(resolved.len(), 2);
    let token2 = resolved.into_iter().find(|t| *t != token).expect("a second link");
    let again = d.app.call(Method::POST, &format!("/surveys/{token}"), None, Some(json!({"rating": 5, "solved": true}))).await;
    assert_eq!(again.status, 409, "the first survey is spent: {}", again.body);
    assert_eq!(d.app.call(Method::GET, &format!("/surveys/{token2}"), None, None).await.status, 200);
}
