//! Mailbox intake (issue 16, item 4) against a real Dovecot: new mail becomes a case, replies
//! become follow-ups, strangers and closed cases are refused with an answer, auto-replies,
//! bounces and loops are ignored, each message is imported once, malformed mail is skipped, and
//! the settings API. The job is driven through `jobs::run_one_with` with the test's clock.
use std::cell::Cell;
use std::sync::Arc;

use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use mesa::config::{IntakeConfig, SecretLookup};
use mesa::db::schema::{desk_mailboxes, followups, jobs, mailbox_answers, mailbox_messages, tickets, users};
use mesa::jobs::Services;
use mesa::mailbox::Intake;
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::imap::{Dovecot, PASSWORD, USER};
use crate::tickets::{desk, Desk};

const PW: &str = "Buena.Clave2026";
/// Small limits, so a test mail can pass them.
const MAX_FILE: usize = 4096;
const MAX_MESSAGE: usize = 64 * 1024;

struct Mail {
    d: Desk,
    imap: Dovecot,
    service: String,
    services: Services,
    round: Cell<i64>,
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_owned()
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

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    let s = base64::engine::general_purpose::STANDARD.encode(bytes);
    s.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\r\n")
}

/// A message: headers (`From`, `Subject`, `Message-ID` and any others), a text body and files.
fn message(headers: &[(&str, &str)], body: &str, files: &[(&str, &str, Vec<u8>)]) -> Vec<u8> {
    let mut out = String::new();
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("MIME-Version: 1.0\r\n");
    if files.is_empty() {
        out.push_str(&format!("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n", body.replace('\n', "\r\n")));
    } else {
        out.push_str(
            "Content-Type: multipart/mixed; boundary=\"BOUNDARY\"\r\n\r\n--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        );
        out.push_str(&body.replace('\n', "\r\n"));
        out.push_str("\r\n");
        for (name, ctype, bytes) in files {
            out.push_str(&format!(
                "--BOUNDARY\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                b64(bytes)
            ));
        }
        out.push_str("--BOUNDARY--\r\n");
    }
    out.into_bytes()
}

fn mail_from(from: &str, subject: &str, message_id: &str, body: &str) -> Vec<u8> {
    message(&[("From", from), ("To", "mesadeservicios@cali.gov.co"), ("Subject", subject), ("Message-ID", message_id)], body, &[])
}

async fn set_email(d: &Desk, username: &str, email: &str) {
    let mut c = d.app.pool.get().await.unwrap();
    diesel::update(users::table.filter(users::username.eq(username))).set(users::email.eq(email)).execute(&mut c).await.unwrap();
}

fn intake(d: &Desk, passwords: SecretLookup) -> Services {
    intake_trusting(d, passwords, None)
}

/// The intake, trusting the CA in this PEM file besides Mozilla's roots (`MESA_MAILBOX_CA_FILE`).
fn intake_trusting(d: &Desk, passwords: SecretLookup, ca: Option<&std::path::Path>) -> Services {
    let mut files = IntakeConfig::from_lookup(|k| match k {
        "MESA_MAILBOX_CA_FILE" => ca.map(|p| p.display().to_string()),
        _ => None,
    })
    .unwrap();
    files.attachments_dir = d.app.files.path().to_path_buf();
    files.attachment_max_bytes = MAX_FILE;
    files.attachment_max_files = 3;
    files.mailbox_max_message_bytes = MAX_MESSAGE;
    // Outgoing mail without an SMTP server: answers wait in the outbox, where the tests read them.
    let mail = Arc::new(mesa::notify::MailEnv::new(url::Url::parse("http://mesa.test").unwrap(), "mesa@mesa.test".into(), None).unwrap());
    Services { intake: Some(Arc::new(Intake::new(&files, passwords, "http://mesa.test").unwrap().with_mail(mail))), mail: None }
}

fn mailbox_body(port: u16, service: &str, policy: &str) -> Value {
    json!({"host": "127.0.0.1", "port": port, "tls_mode": "none", "username": USER, "default_service_id": service, "unknown_sender": policy, "poll_seconds": 60})
}

async fn setup(policy: &str) -> Mail {
    setup_on(Dovecot::start_async().await, policy).await
}

async fn setup_on(imap: Dovecot, policy: &str) -> Mail {
    let d = desk().await;
    let service = d
        .app
        .post(&format!("/desks/{}/catalog/nodes", d.desk), Some(&d.admin), json!({"kind": "service", "name": "Solicitudes por correo", "service": {"responsible_group_id": d.n1}}))
        .await;
    assert_eq!(service.status, 201, "{}", service.body);
    let service = id(&service.body);
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"mailbox": "mesadeservicios@cali.gov.co"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = d.app.call(Method::PUT, &format!("/desks/{}/mailbox", d.desk), Some(&d.admin), Some(mailbox_body(imap.port, &service, policy))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    set_email(&d, "lucia.martinez", "Lucia.Martinez@Hacienda.gov.co").await;
    set_email(&d, "pedro.suarez", "pedro.suarez@educacion.gov.co").await;
    set_email(&d, "agente.n1", "agente.n1@cali.gov.co").await;
    let services = intake(&d, SecretLookup::from_pairs(&[("MESA_MAILBOX_PASSWORD_TIC", PASSWORD)]));
    Mail { d, imap, service, services, round: Cell::new(0) }
}

type JobState = (Option<String>, Option<chrono::DateTime<Utc>>, i32);

impl Mail {
    /// Runs the due jobs at the next round of the test's clock (an hour apart, so the mailbox
    /// is due each time); panics if the mailbox job recorded an error.
    async fn run(&self) {
        self.round.set(self.round.get() + 1);
        let now = Utc::now() + Duration::hours(self.round.get());
        while mesa::jobs::run_one_with(&self.d.app.pool, &self.services, now).await.unwrap().is_some() {}
        let (error, failed, _) = self.job().await;
        assert!(error.is_none() && failed.is_none(), "the mailbox job failed: {error:?}; dovecot:\n{}", self.imap.log());
    }

    async fn job(&self) -> JobState {
        let mut c = self.d.app.pool.get().await.unwrap();
        jobs::table.filter(jobs::kind.eq(mesa::jobs::MAILBOX_POLL)).select((jobs::last_error, jobs::failed_at, jobs::attempts)).first(&mut c).await.unwrap()
    }

    async fn outcomes(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let mut c = self.d.app.pool.get().await.unwrap();
        mailbox_messages::table
            .order((mailbox_messages::uid, mailbox_messages::received_at))
            .select((mailbox_messages::outcome, mailbox_messages::reason, mailbox_messages::sender))
            .load(&mut c)
            .await
            .unwrap()
    }

    async fn answers(&self) -> Vec<(String, String, Value)> {
        let mut c = self.d.app.pool.get().await.unwrap();
        mailbox_answers::table.order(mailbox_answers::created_at).select((mailbox_answers::kind, mailbox_answers::to_address, mailbox_answers::vars)).load(&mut c).await.unwrap()
    }

    async fn count(&self) -> (i64, i64) {
        let mut c = self.d.app.pool.get().await.unwrap();
        let t = tickets::table.count().get_result(&mut c).await.unwrap();
        let f = followups::table.count().get_result(&mut c).await.unwrap();
        (t, f)
    }

    /// The only case, as its requester's token sees it.
    async fn case(&self, token: &str) -> Value {
        let page = self.d.app.get("/tickets", token).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{}", page.body);
        self.d.app.get(&format!("/tickets/{}", items[0]["number"]), token).await.body
    }
}

#[tokio::test]
async fn new_mail_opens_a_case_with_its_attachments_and_replies_become_public_followups() {
    let m = setup("register").await;
    let big = vec![b'x'; MAX_FILE + 1];
    m.imap
        .append(&[message(
            &[
                ("From", "\"Lucía Martínez\" <lucia.martinez@hacienda.gov.co>"),
                ("Subject", "=?UTF-8?Q?No_enciende_el_equipo_de_facturaci=C3=B3n?="),
                ("Message-ID", "<caso-1@hacienda.gov.co>"),
            ],
            "Buenos días,\nel equipo de facturación no enciende.",
            &[("oficio.pdf", "application/pdf", pdf()), ("programa.exe", "application/octet-stream", exe()), ("registro.txt", "text/plain", big)],
        )])
        .await;
    m.run().await;
    let case = m.case(&m.d.lucia).await;
    let number = case["number"].as_i64().unwrap();
    assert_eq!(case["channel"], "email");
    assert_eq!(case["subject"], "No enciende el equipo de facturación");
    assert_eq!(case["service"]["id"].as_str().or(case["service_id"].as_str()), Some(m.service.as_str()), "{case}");
    assert_eq!(case["assigned_group"]["id"], json!(m.d.n1), "routed as a registration is");
    let description = case["description"].as_str().unwrap();
    assert!(description.starts_with("Buenos días,\nel equipo de facturación no enciende."), "{description}");
    assert!(description.contains("programa.exe") && description.contains("registro.txt"), "the files left out are noted: {description}");
    let files = m.d.app.get(&format!("/tickets/{number}/attachments"), &m.d.lucia).await.body;
    assert_eq!(files.as_array().unwrap().len(), 1, "only the PDF passes the upload checks: {files}");
    assert_eq!((files[0]["file_name"].as_str(), files[0]["content_type"].as_str()), (Some("oficio.pdf"), Some("application/pdf")));
    let events = m.d.app.get(&format!("/tickets/{number}/events"), &m.d.agent_n1).await.body;
    assert!(events.as_array().unwrap().iter().any(|e| e["kind"] == "created"), "{events}");

    // A reply by subject, quoting the mail it answers.
    m.imap
        .append(&[
            mail_from(
                "lucia.martinez@hacienda.gov.co",
                &format!("RE: [Mesa #{number}] Caso registrado"),
                "<respuesta-1@hacienda.gov.co>",
                &format!("Ya lo reinicié y sigue igual.\n\nEl jue, 3 dic 2026 a las 10:00, Mesa <mesadeservicios@cali.gov.co> escribió:\n> Su caso {number} fue registrado\n"),
            ),
            // A reply by the thread headers, from an agent of the desk, with a file.
            message(
                &[
                    ("From", "Agente <AGENTE.N1@cali.gov.co>"),
                    ("Subject", "Re: su solicitud"),
                    ("Message-ID", "<respuesta-2@cali.gov.co>"),
                    ("In-Reply-To", &format!("<mesa.{number}.0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b@mesa.test>")),
                    ("References", &format!("<mesa.{number}@mesa.test>")),
                ],
                "Voy en camino.\n> texto citado",
                &[("acta.pdf", "application/pdf", pdf())],
            ),
        ])
        .await;
    m.run().await;
    let list = m.d.app.get(&format!("/tickets/{number}/followups"), &m.d.lucia).await.body;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(
        (list[0]["body"].as_str(), list[0]["visibility"].as_str(), list[0]["from_requester"].as_bool()),
        (Some("Ya lo reinicié y sigue igual."), Some("public"), Some(true))
    );
    assert_eq!((list[1]["body"].as_str(), list[1]["from_requester"].as_bool()), (Some("Voy en camino."), Some(false)));
    assert_eq!(list[1]["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(m.outcomes().await.iter().map(|o| o.0.as_str()).collect::<Vec<_>>(), ["created", "followup", "followup"]);
    let (seen, all) = m.imap.seen().await;
    assert_eq!(seen, all, "every message read is marked seen");
    assert!(m.answers().await.is_empty());
}

#[tokio::test]
async fn a_strangers_reply_and_a_reply_to_a_closed_case_are_refused_with_an_answer() {
    let m = setup("register").await;
    let case = m.d.open(&m.d.lucia, "Caso de Lucía").await;
    let number = case["number"].as_i64().unwrap();
    m.imap
        .append(&[
            // Another requester.
            mail_from("pedro.suarez@educacion.gov.co", &format!("RE: [Mesa #{number}] Caso de Lucía"), "<p1@educacion.gov.co>", "Quiero ver este caso"),
            // Nobody Mesa knows: not registered for a reply, whatever the desk's policy.
            mail_from("intruso@example.com", &format!("[Mesa #{number}]"), "<x1@example.com>", "hola"),
            // A number that does not exist: the same answer (numbers reveal nothing).
            mail_from("pedro.suarez@educacion.gov.co", "[Mesa #999999]", "<p2@educacion.gov.co>", "hola"),
        ])
        .await;
    m.run().await;
    assert_eq!(m.count().await, (1, 0), "nothing written");
    assert_eq!(
        m.outcomes().await.iter().map(|o| (o.0.as_str(), o.1.as_deref())).collect::<Vec<_>>(),
        [("refused", Some("not_allowed")), ("refused", Some("not_allowed")), ("refused", Some("not_allowed"))]
    );
    let mut conn = m.d.app.pool.get().await.unwrap();
    let strangers: i64 = users::table.filter(users::email.eq("intruso@example.com")).count().get_result(&mut conn).await.unwrap();
    assert_eq!(strangers, 0, "a reply registers nobody");
    let answers = m.answers().await;
    assert_eq!(
        answers.iter().map(|a| (a.0.as_str(), a.1.as_str())).collect::<Vec<_>>(),
        [("reply_not_allowed", "pedro.suarez@educacion.gov.co"), ("reply_not_allowed", "intruso@example.com"), ("reply_not_allowed", "pedro.suarez@educacion.gov.co")]
    );
    assert_eq!(answers[0].2["number"], number);
    assert_eq!(answers[0].2["desk"], "Tecnologías de la Información");

    // The requester cancels; a reply afterwards is refused as closed.
    m.d.ok(&m.d.lucia, number, "cancel", json!({})).await;
    m.imap.append(&[mail_from("lucia.martinez@hacienda.gov.co", &format!("RE: [Mesa #{number}]"), "<l9@hacienda.gov.co>", "Una cosa más")]).await;
    m.run().await;
    assert_eq!(m.count().await, (1, 0));
    let answers = m.answers().await;
    assert_eq!((answers[3].0.as_str(), answers[3].1.as_str()), ("reply_closed", "lucia.martinez@hacienda.gov.co"));

    // Each answer is queued for delivery with its record, in the recipient's language, and the
    // stranger's never names the case.
    let queued: Vec<(String, String, String, String)> = mesa::db::schema::outbox::table
        .order(mesa::db::schema::outbox::created_at)
        .select((mesa::db::schema::outbox::kind, mesa::db::schema::outbox::to_address, mesa::db::schema::outbox::subject, mesa::db::schema::outbox::body_text))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        queued.iter().map(|q| (q.0.as_str(), q.1.as_str())).collect::<Vec<_>>(),
        [
            ("intake_refused", "pedro.suarez@educacion.gov.co"),
            ("intake_refused", "intruso@example.com"),
            ("intake_refused", "pedro.suarez@educacion.gov.co"),
            ("intake_refused", "lucia.martinez@hacienda.gov.co")
        ]
    );
    assert!(queued[0].3.contains("no corresponde a un caso en el que usted pueda escribir"), "{}", queued[0].3);
    assert!(!queued[1].3.contains(&number.to_string()), "{}", queued[1].3);
    assert!(queued[3].3.contains(&format!("el caso #{number} ya está cerrado")), "{}", queued[3].3);
}

#[tokio::test]
async fn auto_replies_bounces_and_loops_are_ignored_and_each_message_is_imported_once() {
    let m = setup("register").await;
    let lucia = "lucia.martinez@hacienda.gov.co";
    let dsn = b"From: MAILER-DAEMON@mx.cali.gov.co\r\nSubject: Undelivered Mail\r\nMessage-ID: <dsn1@mx>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\nNo se pudo entregar\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--R--\r\n".to_vec();
    let good = mail_from(lucia, "Impresora atascada", "<bueno-1@hacienda.gov.co>", "La impresora del piso 3 está atascada");
    m.imap
        .append(&[
            message(&[("From", lucia), ("Subject", "Fuera de la oficina"), ("Message-ID", "<a1@h>"), ("Auto-Submitted", "auto-replied")], "Estoy de vacaciones", &[]),
            message(&[("From", lucia), ("Subject", "Boletín"), ("Message-ID", "<a2@h>"), ("Precedence", "bulk")], "Noticias", &[]),
            message(&[("From", lucia), ("Subject", "Respuesta automática"), ("Message-ID", "<a3@h>"), ("X-Autoreply", "yes")], "Auto", &[]),
            message(&[("From", lucia), ("Subject", "Rebote"), ("Message-ID", "<a4@h>"), ("Return-Path", "<>")], "Rebote", &[]),
            dsn,
            mail_from("MesaDeServicios@cali.gov.co", "[Mesa #1] Su caso", "<a6@cali.gov.co>", "Nuestro propio correo"),
            mail_from(lucia, "Reenvío", "<mesa.1.0190a1b2-c3d4@mesa.test>", "Lleva un Message-ID de Mesa"),
            good.clone(),
            // The same message delivered twice (two recipients, a retry by the sender's server).
            good,
        ])
        .await;
    m.run().await;
    assert_eq!(
        m.outcomes().await.iter().map(|o| (o.0.as_str(), o.1.as_deref())).collect::<Vec<_>>(),
        [
            ("ignored", Some("auto_submitted")),
            ("ignored", Some("bulk")),
            ("ignored", Some("auto_reply")),
            ("ignored", Some("bounce")),
            ("ignored", Some("bounce")),
            ("ignored", Some("loop")),
            ("ignored", Some("loop")),
            ("created", None),
        ]
    );
    assert_eq!(m.count().await, (1, 0), "one case, and no follow-up from the loop");
    assert!(m.answers().await.is_empty(), "nothing answers an automatic mail");

    // A runner that died after importing and before recording its place reads everything again:
    // nothing is imported twice.
    let mut conn = m.d.app.pool.get().await.unwrap();
    diesel::update(desk_mailboxes::table).set(desk_mailboxes::last_uid.eq(0)).execute(&mut conn).await.unwrap();
    m.run().await;
    assert_eq!(m.count().await, (1, 0));
    assert_eq!(m.outcomes().await.len(), 8);
    let (seen, all) = m.imap.seen().await;
    assert_eq!((seen.len(), all.len()), (9, 9));
}

#[tokio::test]
async fn malformed_mail_is_skipped_and_the_next_good_message_is_still_imported() {
    let m = setup("register").await;
    let lucia = "lucia.martinez@hacienda.gov.co";
    let mut bad_encoding =
        b"From: lucia.martinez@hacienda.gov.co\r\nSubject: roto\r\nMessage-ID: <roto@h>\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            .to_vec();
    bad_encoding.extend_from_slice(b"\xff\xfe\xfa\xfb texto ilegible\r\n");
    let oversized = mail_from(lucia, "Enorme", "<enorme@h>", &"x".repeat(MAX_MESSAGE + 10));
    m.imap
        .append(&[
            bad_encoding,
            message(&[("Subject", "Sin remitente"), ("Message-ID", "<sin@h>")], "¿De quién soy?", &[]),
            b"\x00\x01\x02 not a mail at all \xff".to_vec(),
            oversized,
            message(
                &[("From", lucia), ("Subject", "Adjunto enorme"), ("Message-ID", "<adj@h>")],
                "Va un archivo grande",
                &[("grande.pdf", "application/pdf", {
                    let mut p = pdf();
                    p.resize(MAX_FILE * 2, b' ');
                    p
                })],
            ),
            mail_from(lucia, &"Asunto muy largo ".repeat(100), "<bueno@h>", "Este sí se registra"),
        ])
        .await;
    m.run().await;
    let outcomes = m.outcomes().await;
    let kinds: Vec<(&str, Option<&str>)> = outcomes.iter().map(|o| (o.0.as_str(), o.1.as_deref())).collect();
    assert_eq!(kinds[..2], [("skipped", Some("bad_encoding")), ("skipped", Some("no_sender"))]);
    assert!(kinds[2].0 == "skipped", "garbage: {kinds:?}");
    assert_eq!(kinds[3], ("skipped", Some("too_large")));
    // An attachment over the limit is left out, not the mail.
    assert_eq!(kinds[4..], [("created", None), ("created", None)]);
    assert_eq!(m.count().await, (2, 0));
    let mut conn = m.d.app.pool.get().await.unwrap();
    let subjects: Vec<String> = tickets::table.order(tickets::number).select(tickets::subject).load(&mut conn).await.unwrap();
    assert_eq!(subjects[1].chars().count(), 200, "a huge subject is cut to the API's limit: {}", subjects[1]);
    let (seen, all) = m.imap.seen().await;
    assert_eq!(seen, all, "skipped messages are not read again");
    // Nothing comes back on the next run.
    m.run().await;
    assert_eq!(m.outcomes().await.len(), 6);
}

#[tokio::test]
async fn unknown_senders_are_registered_or_instructed_by_the_desks_policy() {
    let m = setup("register").await;
    m.imap
        .append(&[
            mail_from("\"Carmen Ríos\" <Carmen.Rios@Salud.gov.co>", "Necesito acceso", "<c1@salud.gov.co>", "Hola"),
            mail_from("carmen.rios@salud.gov.co", "Otra cosa", "<c2@salud.gov.co>", "Hola de nuevo"),
        ])
        .await;
    m.run().await;
    let mut conn = m.d.app.pool.get().await.unwrap();
    let carmen: Vec<(Uuid, String, String)> =
        users::table.filter(users::email.eq("carmen.rios@salud.gov.co")).select((users::id, users::display_name, users::role)).load(&mut conn).await.unwrap();
    assert_eq!(carmen.len(), 1, "registered once");
    assert_eq!((carmen[0].1.as_str(), carmen[0].2.as_str()), ("Carmen Ríos", "requester"));
    let theirs: i64 = tickets::table.filter(tickets::requester_id.eq(carmen[0].0)).count().get_result(&mut conn).await.unwrap();
    assert_eq!(theirs, 2);

    // `instruct`: nothing opened, an answer with instructions.
    let r = m.d.app.call(Method::PUT, &format!("/desks/{}/mailbox", m.d.desk), Some(&m.d.admin), Some(mailbox_body(m.imap.port, &m.service, "instruct"))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    m.imap.append(&[mail_from("desconocido@example.com", "Ayuda", "<d1@example.com>", "Hola")]).await;
    m.run().await;
    assert_eq!(m.count().await.0, 2);
    let answers = m.answers().await;
    assert_eq!(answers.iter().map(|a| (a.0.as_str(), a.1.as_str())).collect::<Vec<_>>(), [("unknown_sender_instructions", "desconocido@example.com")]);
    assert_eq!(answers[0].2["portal_url"], "http://mesa.test");
    let instructions: Vec<(String, String)> = mesa::db::schema::outbox::table
        .filter(mesa::db::schema::outbox::to_address.eq("desconocido@example.com"))
        .select((mesa::db::schema::outbox::kind, mesa::db::schema::outbox::body_text))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(instructions.len(), 1);
    assert_eq!(instructions[0].0, "intake_instructions");
    assert!(instructions[0].1.contains("http://mesa.test"), "{}", instructions[0].1);
    let nobody: i64 = users::table.filter(users::email.eq("desconocido@example.com")).count().get_result(&mut conn).await.unwrap();
    assert_eq!(nobody, 0);
}

#[tokio::test]
async fn a_mailbox_that_cannot_be_read_fails_the_job_with_its_reason_and_it_keeps_trying() {
    let m = setup("register").await;
    m.imap.append(&[mail_from("lucia.martinez@hacienda.gov.co", "Hola", "<h1@h>", "x")]).await;
    let now = Utc::now() + Duration::hours(1);
    // No password configured.
    let none = intake(&m.d, SecretLookup::from_pairs(&[]));
    mesa::jobs::run_one_with(&m.d.app.pool, &none, now).await.unwrap();
    let (error, _, attempts) = m.job().await;
    assert!(error.as_deref().unwrap_or("").contains("MESA_MAILBOX_PASSWORD_TIC"), "{error:?}");
    assert_eq!(attempts, 1);
    // A wrong one.
    let wrong = intake(&m.d, SecretLookup::from_pairs(&[("MESA_MAILBOX_PASSWORD_TIC", "wrong")]));
    mesa::jobs::run_one_with(&m.d.app.pool, &wrong, now + Duration::hours(1)).await.unwrap();
    let (error, _, attempts) = m.job().await;
    assert!(error.as_deref().unwrap_or("").contains("logging in"), "{error:?}");
    assert_eq!(attempts, 2);
    assert_eq!(m.count().await, (0, 0));
    // A runner without the intake leaves the job alone.
    assert!(mesa::jobs::run_one(&m.d.app.pool, now + Duration::days(1)).await.unwrap().is_none());
    // Fixed: it imports and the failures are forgotten.
    m.round.set(3);
    m.run().await;
    assert_eq!(m.count().await, (1, 0));
    assert_eq!(m.job().await.2, 0);
}

#[tokio::test]
async fn mailbox_settings_are_for_the_desks_managers_and_never_show_the_password() {
    let m = setup("register").await;
    let d = &m.d;
    let path = format!("/desks/{}/mailbox", d.desk);
    let got = d.app.get(&path, &d.admin).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.body["password_configured"], false, "the server's configuration has none");
    assert_eq!(got.body["password_variable"], "MESA_MAILBOX_PASSWORD_TIC");
    assert_eq!(got.body["tls_mode"], "none");
    assert!(!got.body.to_string().contains(PASSWORD));
    assert!(got.body.get("password").is_none());
    let etag = got.headers.get("etag").unwrap().to_str().unwrap().to_owned();

    // Other roles, other desks' supervisors, unknown desks.
    for (name, role) in [("otro.supervisor", Role::Supervisor), ("solo.agente", Role::Agent)] {
        d.app.create_local_user(name, PW, role).await;
        let token = d.app.token(name, PW).await;
        d.app.get(&path, &token).await.assert_problem(403, "forbidden");
        d.app.call(Method::PUT, &path, Some(&token), Some(mailbox_body(1143, &m.service, "register"))).await.assert_problem(403, "forbidden");
    }
    d.app.get(&path, &d.lucia).await.assert_problem(403, "forbidden");
    let forged = format!("/desks/{}/mailbox", Uuid::now_v7());
    d.app.get(&forged, &d.admin).await.assert_problem(404, "not_found");
    d.app.call(Method::PUT, &forged, Some(&d.admin), Some(mailbox_body(1143, &m.service, "register"))).await.assert_problem(404, "not_found");
    d.app.get("/desks/not-a-desk/mailbox", &d.admin).await.assert_problem(404, "not_found");

    // Validation names the field.
    let (_, other_service) = {
        let desk = id(&d.app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Administrativos"})).await.body);
        let group = id(&d.app.post("/groups", Some(&d.admin), json!({"desk_id": desk, "name": "Generales", "level": 1})).await.body);
        let s = d.app.post(&format!("/desks/{desk}/catalog/nodes"), Some(&d.admin), json!({"kind": "service", "name": "Aseo", "service": {"responsible_group_id": group}})).await;
        (desk, id(&s.body))
    };
    let put = |body: Value| {
        let path = path.clone();
        async move { d.app.call(Method::PUT, &path, Some(&d.admin), Some(body)).await }
    };
    let cases = [
        (json!({"default_service_id": other_service}), "default_service_id", "unknown_reference"),
        (json!({"default_service_id": d.service}), "default_service_id", "needs_form"),
        (json!({"default_service_id": d.vpn}), "default_service_id", "needs_form"),
        (json!({"default_service_id": Uuid::now_v7()}), "default_service_id", "unknown_reference"),
        (json!({"host": "imap.cali.gov.co"}), "tls_mode", "insecure"),
        (json!({"host": "imap cali"}), "host", "invalid"),
        (json!({"host": "x".repeat(300)}), "host", "too_long"),
        (json!({"host": ""}), "host", "required"),
        (json!({"port": 70000}), "port", "out_of_range"),
        (json!({"poll_seconds": 5}), "poll_seconds", "out_of_range"),
        (json!({"folder": "IN\"BOX"}), "folder", "invalid"),
        (json!({"username": ""}), "username", "required"),
    ];
    for (change, field, code) in cases {
        let mut body = mailbox_body(m.imap.port, &m.service, "register");
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = put(body.clone()).await;
        r.assert_problem(422, "validation_failed");
        assert!(r.body["errors"].as_array().unwrap().iter().any(|e| e["field"] == field && e["code"] == code), "{change}: {}", r.body);
    }
    let mut nul = mailbox_body(m.imap.port, &m.service, "register");
    nul["host"] = json!("127.0.0.1\u{0}");
    assert_eq!(put(nul).await.status, 422);
    let mut unknown = mailbox_body(m.imap.port, &m.service, "register");
    unknown["password"] = json!("secreto");
    let r = put(unknown).await;
    assert!(r.status.is_client_error() && r.body.to_string().contains("password"), "a password is not taken: {}", r.body);
    let r = put(json!({"host": "127.0.0.1"})).await;
    assert_eq!(r.status, 422, "{}", r.body);

    // Disabling ends the job; a stale If-Match is refused.
    let mut off = mailbox_body(m.imap.port, &m.service, "register");
    off["enabled"] = json!(false);
    let r = d.app.call_with(Method::PUT, &path, Some(&d.admin), Some(off.clone()), &[("If-Match", &etag)]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], 2);
    d.app.call_with(Method::PUT, &path, Some(&d.admin), Some(off), &[("If-Match", &etag)]).await.assert_problem(412, "version_mismatch");
    m.imap.append(&[mail_from("lucia.martinez@hacienda.gov.co", "Hola", "<h1@h>", "x")]).await;
    assert!(mesa::jobs::run_one_with(&d.app.pool, &m.services, Utc::now() + Duration::hours(5)).await.unwrap().is_none(), "a disabled mailbox is not read");
    assert_eq!(m.count().await, (0, 0));

    // The desk's supervisor may set it too.
    let sup = d.app.create_local_user("supervisora.tic", PW, Role::Supervisor).await;
    d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [sup]})).await;
    let token = d.app.token("supervisora.tic", PW).await;
    let r = d.app.call(Method::PUT, &path, Some(&token), Some(mailbox_body(m.imap.port, &m.service, "instruct"))).await;
    assert_eq!((r.status.as_u16(), r.body["unknown_sender"].as_str(), r.body["enabled"].as_bool()), (200, Some("instruct"), Some(true)), "{}", r.body);
    m.run().await;
    assert_eq!(m.count().await, (1, 0), "enabled again, it reads the mailbox");
}

#[tokio::test]
async fn the_same_message_imported_by_two_runners_at_once_makes_one_case_and_one_account() {
    use mesa::mailbox::import::{import, DeskMailbox, Origin, Outcome};
    let m = setup("register").await;
    let intake = m.services.intake.clone().unwrap();
    let mut conn = m.d.app.pool.get().await.unwrap();
    let settings: mesa::mailbox::settings::MailboxRow = desk_mailboxes::table.select(mesa::mailbox::settings::MailboxRow::as_select()).first(&mut conn).await.unwrap();
    drop(conn);
    let desk = Arc::new(DeskMailbox {
        id: settings.desk_id,
        code: "TIC".into(),
        name: "Tecnologías de la Información".into(),
        address: Some("mesadeservicios@cali.gov.co".into()),
        settings,
    });
    // An unknown sender too, so both runners try to register the same person.
    let raw = Arc::new(mail_from("nuevo.usuario@salud.gov.co", "Dos veces a la vez", "<paralelo@salud.gov.co>", "Hola"));
    let mut tasks = tokio::task::JoinSet::new();
    for uid in [1, 2, 3, 4] {
        let (pool, intake, desk, raw) = (m.d.app.pool.clone(), intake.clone(), desk.clone(), raw.clone());
        tasks.spawn(async move {
            let mut conn = pool.get().await.unwrap();
            import(&mut conn, &intake, &desk, Origin { uid_validity: 1, uid }, &raw).await.unwrap()
        });
    }
    let mut outcomes = Vec::new();
    while let Some(o) = tasks.join_next().await {
        outcomes.push(o.unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| matches!(o, Outcome::Created { .. })).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Duplicate).count(), 3, "{outcomes:?}");
    assert_eq!(m.count().await, (1, 0));
    let mut conn = m.d.app.pool.get().await.unwrap();
    let accounts: i64 = users::table.filter(users::email.eq("nuevo.usuario@salud.gov.co")).count().get_result(&mut conn).await.unwrap();
    assert_eq!(accounts, 1);
    // No attachment left behind by the runners that lost.
    let stored = walk(m.d.app.files.path());
    assert!(stored.is_empty(), "{stored:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The intake bench (`tests/bench/mailbox.sh`; not a timed test): a mailbox of `MAILBOX_BENCH_N`
/// messages (default 1,000: new cases, replies, auto-replies, one in ten with a PDF) read by one
/// runner; prints messages per second.
#[tokio::test]
#[ignore = "bench: run through tests/bench/mailbox.sh"]
async fn bench_intake() {
    let n: usize = std::env::var("MAILBOX_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let m = setup("register").await;
    let first = m.d.open(&m.d.lucia, "Caso para respuestas").await["number"].as_i64().unwrap();
    let mut batch = Vec::new();
    for i in 0..n {
        let raw = match i % 10 {
            0 => message(
                &[("From", "lucia.martinez@hacienda.gov.co"), ("Subject", &format!("Con adjunto {i}")), ("Message-ID", &format!("<b{i}@h>"))],
                "Adjunto el oficio",
                &[("oficio.pdf", "application/pdf", pdf())],
            ),
            1 | 2 => mail_from("lucia.martinez@hacienda.gov.co", &format!("RE: [Mesa #{first}] respuesta {i}"), &format!("<b{i}@h>"), "Gracias\n> citado"),
            3 => message(
                &[("From", "pedro.suarez@educacion.gov.co"), ("Subject", "Fuera de la oficina"), ("Message-ID", &format!("<b{i}@h>")), ("Auto-Submitted", "auto-replied")],
                "x",
                &[],
            ),
            _ => mail_from("pedro.suarez@educacion.gov.co", &format!("Solicitud {i}"), &format!("<b{i}@h>"), "El equipo no enciende"),
        };
        batch.push(raw);
    }
    let seeding = std::time::Instant::now();
    for chunk in batch.chunks(200) {
        m.imap.append(chunk).await;
    }
    let seeded = seeding.elapsed();
    let started = std::time::Instant::now();
    m.run().await;
    let took = started.elapsed();
    let outcomes = m.outcomes().await;
    assert_eq!(outcomes.len(), n);
    let count = |o: &str| outcomes.iter().filter(|x| x.0 == o).count();
    println!("\n| messages | created | follow-ups | ignored | seconds | messages/s |");
    println!("|---|---|---|---|---|---|");
    println!("| {n} | {} | {} | {} | {:.2} | {:.1} |", count("created"), count("followup"), count("ignored"), took.as_secs_f64(), n as f64 / took.as_secs_f64());
    println!("(seeding {n} messages by IMAP APPEND took {:.2} s)", seeded.as_secs_f64());
}

#[tokio::test]
async fn mailboxes_are_read_over_tls_and_starttls_and_an_untrusted_certificate_is_refused() {
    let imap = Dovecot::start_tls_async().await;
    let (tls_port, ca) = imap.tls.clone().unwrap();
    let mut m = setup_on(imap, "register").await;
    let path = format!("/desks/{}/mailbox", m.d.desk);
    let mut body = mailbox_body(tls_port, &m.service, "register");
    body["tls_mode"] = json!("tls");
    let r = m.d.app.call(Method::PUT, &path, Some(&m.d.admin), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let secrets = || SecretLookup::from_pairs(&[("MESA_MAILBOX_PASSWORD_TIC", PASSWORD)]);

    // The server's certificate is signed by a CA Mozilla does not list: refused, nothing read.
    m.imap.append(&[mail_from("lucia.martinez@hacienda.gov.co", "Por TLS", "<tls1@h>", "x")]).await;
    mesa::jobs::run_one_with(&m.d.app.pool, &m.services, Utc::now() + Duration::minutes(30)).await.unwrap();
    let (error, _, _) = m.job().await;
    assert!(error.as_deref().unwrap_or("").contains("TLS"), "{error:?}");
    assert_eq!(m.count().await, (0, 0));

    // Trusting the institution's CA (MESA_MAILBOX_CA_FILE): read over IMAPS.
    m.services = intake_trusting(&m.d, secrets(), Some(&ca));
    m.run().await;
    assert_eq!(m.count().await, (1, 0));

    // STARTTLS on the plain port.
    let mut body = mailbox_body(m.imap.port, &m.service, "register");
    body["tls_mode"] = json!("starttls");
    let r = m.d.app.call(Method::PUT, &path, Some(&m.d.admin), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    m.imap.append(&[mail_from("lucia.martinez@hacienda.gov.co", "Por STARTTLS", "<tls2@h>", "x")]).await;
    m.run().await;
    assert_eq!(m.count().await, (2, 0), "the first message was not imported again (another place: read from the start, deduplicated)");
    assert!(m.imap.log().contains("TLS"), "the sessions were encrypted: {}", m.imap.log());
}

#[tokio::test]
async fn a_message_whose_import_fails_is_recorded_and_passed_and_the_job_goes_on() {
    let m = setup("register").await;
    // A fault of this one message: the database refuses its case (a trigger of the test).
    let mut conn = m.d.app.pool.get().await.unwrap();
    diesel::sql_query(
        "CREATE FUNCTION refuse_falla() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           IF NEW.subject = 'FALLA' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    diesel::sql_query("CREATE TRIGGER refuse_falla BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION refuse_falla()").execute(&mut conn).await.unwrap();
    m.imap
        .append(&[
            message(&[("From", "lucia.martinez@hacienda.gov.co"), ("Subject", "FALLA"), ("Message-ID", "<falla@h>")], "x", &[("oficio.pdf", "application/pdf", pdf())]),
            mail_from("lucia.martinez@hacienda.gov.co", "Después de la falla", "<despues@h>", "y"),
        ])
        .await;
    m.run().await;
    assert_eq!(m.outcomes().await.iter().map(|o| (o.0.as_str(), o.1.as_deref())).collect::<Vec<_>>(), [("skipped", Some("import_failed")), ("created", None)]);
    assert_eq!(m.count().await, (1, 0));
    assert_eq!(walk(m.d.app.files.path()).len(), 0, "the failed message's file was removed again; the good one had none");
    let (seen, all) = m.imap.seen().await;
    assert_eq!(seen, all);
}

#[tokio::test]
async fn the_settings_say_whether_the_password_variable_is_set_never_its_value() {
    let app = crate::support::app::spawn_app_with(|c| c.mailbox_passwords = SecretLookup::from_pairs(&[("MESA_MAILBOX_PASSWORD_ADM_2", "clave-secreta-imap")])).await;
    let admin = app.admin().await;
    let desk = id(&app.post("/desks", Some(&admin), json!({"code": "ADM-2", "name": "Administrativos"})).await.body);
    let group = id(&app.post("/groups", Some(&admin), json!({"desk_id": desk, "name": "Generales", "level": 1})).await.body);
    let service =
        id(&app.post(&format!("/desks/{desk}/catalog/nodes"), Some(&admin), json!({"kind": "service", "name": "Correo", "service": {"responsible_group_id": group}})).await.body);
    let mut body = mailbox_body(993, &service, "instruct");
    body["host"] = json!("imap.cali.gov.co");
    body["tls_mode"] = json!("tls");
    let r = app.call(Method::PUT, &format!("/desks/{desk}/mailbox"), Some(&admin), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.body["password_configured"].as_bool(), r.body["password_variable"].as_str()), (Some(true), Some("MESA_MAILBOX_PASSWORD_ADM_2")));
    let got = app.get(&format!("/desks/{desk}/mailbox"), &admin).await;
    assert_eq!(got.body["password_configured"], true);
    assert!(!got.body.to_string().contains("clave-secreta-imap") && !r.body.to_string().contains("clave-secreta-imap"));
    let mut conn = app.pool.get().await.unwrap();
    let stored: Vec<String> =
        diesel::sql_query("SELECT row_to_json(m)::text AS row FROM desk_mailboxes m").load::<RowText>(&mut conn).await.unwrap().into_iter().map(|r| r.row).collect();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains("clave-secreta-imap"), "never stored: {}", stored[0]);
}

#[derive(QueryableByName)]
struct RowText {
    #[diesel(sql_type = diesel::sql_types::Text)]
    row: String,
}
