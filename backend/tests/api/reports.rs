//! Reports: the figures of a hand-computed quarter (cases with known times, a hold pause and
//! Colombian holidays), who may read them, bad filters, CSV, and the quarterly PDF and XLSX.
use chrono::{DateTime, Utc};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::sla::{bogota, measured_desk};
use crate::tickets::Desk;

const PW: &str = "Buena.Clave2026";
const Q1: &str = "from=2026-01-01&to=2026-03-31";

/// A file answer as bytes: status, content type, body.
async fn fetch(app: &crate::support::app::TestApp, path: &str, token: &str, accept: &str) -> (u16, String, Vec<u8>) {
    let resp = app.client.get(app.url(path)).bearer_auth(token).header("Accept", accept).send().await.expect("request");
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    (status, ct, resp.bytes().await.unwrap().to_vec())
}

async fn csv(app: &crate::support::app::TestApp, path: &str, token: &str) -> String {
    let (status, ct, body) = fetch(app, path, token, "text/csv").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(ct, "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    text
}

async fn exec(c: &mut AsyncPgConnection, sql: String) {
    diesel::sql_query(&sql).execute(c).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn ts(t: DateTime<Utc>) -> String {
    format!("'{}'::timestamptz", t.to_rfc3339())
}

/// Rewrites a case's instants (the API stamps "now"), its hold pause, and its audit events of
/// `kinds` to `events_at`, then re-measures its SLA clocks as a commit would.
struct Times {
    created: DateTime<Utc>,
    taken: Option<DateTime<Utc>>,
    resolved: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    hold: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

async fn set_times(d: &Desk, number: i64, t: Times, events_at: &[(&str, DateTime<Utc>)]) -> Uuid {
    let mut c = d.app.pool.get().await.unwrap();
    let opt = |v: Option<DateTime<Utc>>| v.map_or("NULL".to_owned(), ts);
    let id: Uuid = {
        use diesel::{ExpressionMethods, QueryDsl};
        use mesa::db::schema::tickets;
        tickets::table.filter(tickets::number.eq(number)).select(tickets::id).first(&mut c).await.unwrap()
    };
    exec(
        &mut c,
        format!(
            "UPDATE tickets SET created_at = {}, taken_at = {}, resolved_at = {}, closed_at = coalesce({}, closed_at) WHERE id = '{id}'",
            ts(t.created),
            opt(t.taken),
            opt(t.resolved),
            opt(t.closed)
        ),
    )
    .await;
    // A rejected case keeps the instant it was closed; move it too.
    if t.closed.is_none() && t.resolved.is_none() {
        exec(&mut c, format!("UPDATE tickets SET closed_at = {} WHERE id = '{id}' AND closed_at IS NOT NULL", ts(t.created + chrono::Duration::hours(1)))).await;
    }
    exec(&mut c, format!("DELETE FROM ticket_pauses WHERE ticket_id = '{id}'")).await;
    if let Some((from, to)) = t.hold {
        exec(&mut c, format!("INSERT INTO ticket_pauses (id, ticket_id, reason, started_at, ended_at) VALUES (gen_random_uuid(), '{id}', 'on_hold', {}, {})", ts(from), ts(to)))
            .await;
    }
    if let Some(r) = t.resolved {
        // Waiting for the requester's verdict pauses the clocks from the resolution on.
        exec(&mut c, format!("INSERT INTO ticket_pauses (id, ticket_id, reason, started_at) SELECT gen_random_uuid(), '{id}', 'resolved', {} FROM tickets WHERE id = '{id}' AND status = 'resolved'", ts(r))).await;
    }
    // An event and the others of the same change (an escalation's assignment) move together;
    // the rest to the registration.
    for (kind, at) in events_at {
        exec(
            &mut c,
            format!(
                "UPDATE ticket_events SET created_at = {} WHERE ticket_id = '{id}'
                   AND created_at = (SELECT created_at FROM ticket_events WHERE ticket_id = '{id}' AND kind = '{kind}' LIMIT 1)",
                ts(*at)
            ),
        )
        .await;
    }
    exec(&mut c, format!("UPDATE ticket_events SET created_at = {} WHERE ticket_id = '{id}' AND created_at > now() - interval '1 day'", ts(t.created))).await;
    let reference = mesa::reference::Reference::load(&mut c).await.unwrap();
    mesa::sla::store::refresh(&mut c, &reference, id, Utc::now()).await.unwrap();
    id
}

struct Quarter {
    d: Desk,
    sup: String,
    other_sup: String,
}

/// Six cases around the first quarter of 2026 on a Mon–Fri 7:30–17:00 calendar (medium: 5 h to
/// attend, 19 h to resolve; critical: 1 h and 4 h):
///
/// | case | registered | taken | resolved | business minutes (attend / resolve) |
/// |---|---|---|---|---|
/// | A medium | Fri 09/01 16:30 | Tue 13/01 8:00 | Tue 13/01 10:00 | 60 / 180 (Mon 12 is Reyes) |
/// | B medium, held Tue 3/2 10:00–Wed 4/2 10:00, reopened once | Mon 02/02 8:00 | 9:00 | Wed 04/02 12:00 | 60 / 810 (1,380 counting the hold) |
/// | C critical, escalated to level 2 | Wed 04/03 9:00 | 11:00 | Thu 05/03 9:00 | 120 ✗ / 570 ✗ |
/// | D medium, still new | Mon 30/03 10:00 | | | |
/// | E medium | Mon 29/12/2025 9:00 | 9:30 | Fri 02/01 9:00 | 30 / 1,710 ✗ (1 Jan is a holiday) |
/// | F rejected | Tue 10/02 9:00 | | | |
///
/// A is closed on 15/01. Surveys: A answered 5 (satisfied), C answered 2 (unsatisfied), B
/// expired, E pending.
async fn quarter() -> Quarter {
    let (d, _) = measured_desk(json!([])).await;
    let app = &d.app;
    let sup_id = app.create_local_user("gestora.tic", PW, Role::Supervisor).await;
    assert_eq!(app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [sup_id]})).await.status, 200);
    let sup = app.token("gestora.tic", PW).await;
    let other = app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body["id"].as_str().unwrap().to_owned();
    let other_id = app.create_local_user("gestor.adm", PW, Role::Supervisor).await;
    assert_eq!(app.patch(&format!("/desks/{other}"), &d.admin, json!({"supervisor_ids": [other_id]})).await.status, 200);
    let other_sup = app.token("gestor.adm", PW).await;
    // Finish the recomputation the policy change queued, so it cannot rewrite the fixture later.
    while mesa::jobs::run_one(&app.pool, Utc::now()).await.unwrap().is_some() {}

    let num = |v: Value| v["number"].as_i64().unwrap();
    let a = num(d.open(&d.pedro, "A: el equipo no enciende").await);
    d.ok(&d.agent_n1, a, "take", json!({})).await;
    d.ok(&d.agent_n1, a, "resolve", json!({"solution": "Se cambió la fuente"})).await;
    let b = num(d.open(&d.pedro, "B: sin acceso al sistema de nómina").await);
    d.ok(&d.agent_n1, b, "take", json!({})).await;
    d.ok(&d.agent_n1, b, "hold", json!({"reason": "waiting_third_party"})).await;
    d.ok(&d.agent_n1, b, "resume", json!({})).await;
    d.ok(&d.agent_n1, b, "resolve", json!({"solution": "Se restableció la clave"})).await;
    d.ok(&d.pedro, b, "reopen", json!({"reason": "Sigue sin funcionar"})).await;
    d.ok(&d.agent_n1, b, "resolve", json!({"solution": "Se restableció el perfil"})).await;
    let c = num(d.open(&d.pedro, "C: caída del servidor de correo").await);
    d.ok(&d.agent_n1, c, "classify", json!({"priority": "critical", "priority_reason": "Afecta a toda la alcaldía"})).await;
    d.ok(&d.agent_n1, c, "take", json!({})).await;
    d.ok(&d.agent_n1, c, "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Servidor"})).await;
    d.ok(&d.agent_n2, c, "take", json!({})).await;
    d.ok(&d.agent_n2, c, "resolve", json!({"solution": "Se reinició el servicio"})).await;
    let dd = num(d.open(&d.pedro, "D: instalar impresora").await);
    let e = num(d.open(&d.pedro, "E: cambio de contraseña").await);
    d.ok(&d.agent_n1, e, "take", json!({})).await;
    d.ok(&d.agent_n1, e, "resolve", json!({"solution": "Se cambió"})).await;
    let f = num(d.open(&d.pedro, "F: arreglar el aire acondicionado").await);
    d.ok(&d.agent_n1, f, "reject", json!({"reason": "No es de TI", "redirected_to": "Mantenimiento"})).await;

    let none = None;
    let a_id = set_times(
        &d,
        a,
        Times { created: bogota(2026, 1, 9, 16, 30), taken: Some(bogota(2026, 1, 13, 8, 0)), resolved: Some(bogota(2026, 1, 13, 10, 0)), closed: none, hold: None },
        &[],
    )
    .await;
    let b_id = set_times(
        &d,
        b,
        Times {
            created: bogota(2026, 2, 2, 8, 0),
            taken: Some(bogota(2026, 2, 2, 9, 0)),
            resolved: Some(bogota(2026, 2, 4, 12, 0)),
            closed: None,
            hold: Some((bogota(2026, 2, 3, 10, 0), bogota(2026, 2, 4, 10, 0))),
        },
        &[],
    )
    .await;
    let c_id = set_times(
        &d,
        c,
        Times { created: bogota(2026, 3, 4, 9, 0), taken: Some(bogota(2026, 3, 4, 11, 0)), resolved: Some(bogota(2026, 3, 5, 9, 0)), closed: None, hold: None },
        &[("level", bogota(2026, 3, 4, 12, 0))],
    )
    .await;
    set_times(&d, dd, Times { created: bogota(2026, 3, 30, 10, 0), taken: None, resolved: None, closed: None, hold: None }, &[]).await;
    let e_id = set_times(
        &d,
        e,
        Times { created: bogota(2025, 12, 29, 9, 0), taken: Some(bogota(2025, 12, 29, 9, 30)), resolved: Some(bogota(2026, 1, 2, 9, 0)), closed: None, hold: None },
        &[],
    )
    .await;
    set_times(&d, f, Times { created: bogota(2026, 2, 10, 9, 0), taken: None, resolved: None, closed: None, hold: None }, &[]).await;

    let mut conn = d.app.pool.get().await.unwrap();
    exec(&mut conn, format!("UPDATE tickets SET status = 'closed', closed_at = {} WHERE id = '{a_id}'", ts(bogota(2026, 1, 15, 9, 0)))).await;
    exec(&mut conn, "DELETE FROM surveys".into()).await;
    let survey = |id: Uuid, state: &str, at: DateTime<Utc>, rating: Option<i16>| {
        let (ended, answered, rating, satisfied) = match (state, rating) {
            ("answered", Some(r)) => (ts(at), ts(at), r.to_string(), (r >= 3).to_string()),
            ("pending", _) => ("NULL".into(), "NULL".into(), "NULL".into(), "NULL".into()),
            _ => (ts(at), "NULL".into(), "NULL".into(), "NULL".into()),
        };
        format!(
            "INSERT INTO surveys (id, ticket_id, requester_id, desk_id, service_id, state, created_at, expires_at, ended_at, answered_at, rating, satisfied)
             SELECT gen_random_uuid(), t.id, t.requester_id, t.desk_id, t.service_id, '{state}', {at}, {at} + interval '2 days', {ended}, {answered}, {rating}, {satisfied}
             FROM tickets t WHERE t.id = '{id}'",
            at = ts(at)
        )
    };
    exec(&mut conn, survey(a_id, "answered", bogota(2026, 1, 13, 10, 0), Some(5))).await;
    exec(&mut conn, survey(c_id, "answered", bogota(2026, 3, 5, 9, 0), Some(2))).await;
    exec(&mut conn, survey(b_id, "expired", bogota(2026, 2, 4, 12, 0), None)).await;
    exec(&mut conn, survey(e_id, "pending", bogota(2026, 1, 2, 9, 0), None)).await;
    drop(conn);
    Quarter { d, sup, other_sup }
}

#[tokio::test]
async fn the_quarter_adds_up_to_the_hand_computed_figures() {
    let Quarter { d, sup, .. } = quarter().await;
    let app = &d.app;
    let desk = &d.desk;

    let r = app.get(&format!("/reports/summary?desk={desk}&{Q1}"), &sup).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.body;
    assert_eq!(s["period"], json!({"from": "2026-01-01", "to": "2026-03-31", "time_zone": "America/Bogota"}));
    let counts = |keys: &[&str]| keys.iter().map(|k| s[*k].clone()).collect::<Vec<_>>();
    assert_eq!(
        counts(&["opened", "resolved", "closed", "backlog_start", "backlog_end", "first_contact", "reopened", "transfers", "rejections", "reassignments"]),
        [5, 4, 1, 1, 1, 2, 1, 0, 1, 0].map(|n| json!(n)),
        "{s}"
    );
    assert_eq!(s["attention"], json!({"measured": 4, "met": 3, "met_pct": 75.0}));
    assert_eq!(s["resolution"], json!({"measured": 4, "met": 2, "met_pct": 50.0}), "B is met only because its hold is not counted");
    // Attend: 60, 60, 120, 30. Resolve: 180, 810, 570, 1710 (p90 interpolates between the two
    // largest: 810 + 0.7 × 900).
    assert_eq!(s["time_to_attend"], json!({"measured": 4, "mean_minutes": 67.5, "p90_minutes": 102.0}));
    assert_eq!(s["time_to_resolve"], json!({"measured": 4, "mean_minutes": 817.5, "p90_minutes": 1440.0}));
    assert_eq!((s["first_contact_pct"].clone(), s["reopen_pct"].clone()), (json!(50.0), json!(25.0)));
    assert_eq!(s["escalations"], json!([{"level": 2, "escalations": 1}]));
    assert_eq!(s["satisfaction"], json!({"sent": 4, "concluded": 3, "answered": 2, "response_rate_pct": 66.7, "satisfied": 1, "csat_pct": 50.0, "mean_rating": 3.5}));

    // Per month: January has A registered, A and E resolved, A closed; the backlog empties.
    let v = app.get(&format!("/reports/volume?desk={desk}&{Q1}&granularity=month"), &sup).await.body;
    let rows: Vec<(String, i64, i64, i64, i64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r["start"].as_str().unwrap().to_owned(), r["opened"].as_i64().unwrap(), r["resolved"].as_i64().unwrap(), r["closed"].as_i64().unwrap(), r["backlog"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(rows, [("2026-01-01".into(), 1, 2, 1, 0), ("2026-02-01".into(), 2, 1, 0, 0), ("2026-03-01".into(), 2, 1, 0, 1)]);
    // Every day of the period is a row; 2 January has E's resolution.
    let days = app.get(&format!("/reports/volume?desk={desk}&{Q1}"), &sup).await.body;
    assert_eq!(days["rows"].as_array().unwrap().len(), 90);
    assert_eq!(days["rows"][1], json!({"start": "2026-01-02", "opened": 0, "resolved": 1, "closed": 0, "backlog": 0}));

    let sla = app.get(&format!("/reports/sla?desk={desk}&{Q1}&by=priority"), &sup).await.body;
    let critical = &sla["rows"][0];
    assert_eq!((critical["key"].clone(), critical["name"].clone(), critical["resolved"].clone()), (json!("critical"), json!("Crítica"), json!(1)));
    assert_eq!((critical["attention"]["met_pct"].clone(), critical["resolution"]["met_pct"].clone()), (json!(0.0), json!(0.0)));
    let medium = &sla["rows"][1];
    assert_eq!(medium["attention"], json!({"measured": 3, "met": 3, "met_pct": 100.0}));
    assert_eq!(medium["resolution"], json!({"measured": 3, "met": 2, "met_pct": 66.7}));
    assert_eq!(medium["time_to_resolve"], json!({"measured": 3, "mean_minutes": 900.0, "p90_minutes": 1530.0}));
    let by_service = app.get(&format!("/reports/sla?desk={desk}&{Q1}&by=service"), &sup).await.body;
    assert_eq!((by_service["rows"][0]["name"].clone(), by_service["rows"][0]["resolved"].clone()), (json!("Soporte virtual o en sitio"), json!(4)));

    let top = app.get(&format!("/reports/top?desk={desk}&{Q1}&by=category"), &sup).await.body;
    assert_eq!(top["total"], 5);
    assert_eq!(top["rows"], json!([{"id": top["rows"][0]["id"], "name": "TIC", "cases": 5, "share_pct": 100.0}]));

    // Filters narrow every figure: critical cases only; another organization has none.
    let crit = app.get(&format!("/reports/summary?desk={desk}&{Q1}&priority=critical"), &sup).await.body;
    assert_eq!((crit["opened"].clone(), crit["resolved"].clone(), crit["escalations"][0]["escalations"].clone()), (json!(1), json!(1), json!(1)));
    let org = app.post("/organizations", Some(&d.admin), json!({"name": "Secretaría de Salud"})).await.body["id"].as_str().unwrap().to_owned();
    let none = app.get(&format!("/reports/summary?desk={desk}&{Q1}&organization={org}"), &sup).await.body;
    assert_eq!((none["opened"].clone(), none["resolved"].clone(), none["attention"]["met_pct"].clone()), (json!(0), json!(0), Value::Null));
    // Without `desk`, a supervisor's own desks: the same figures.
    assert_eq!(app.get(&format!("/reports/summary?{Q1}"), &sup).await.body["opened"], 5);
}

#[tokio::test]
async fn every_report_table_exports_to_csv_in_es_co() {
    let Quarter { d, sup, .. } = quarter().await;
    let app = &d.app;
    let text = csv(app, &format!("/reports/sla?desk={}&{Q1}", d.desk), &sup).await;
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert!(lines.next().unwrap().starts_with("Prioridad;Resueltos;Atención medida;"));
    assert_eq!(lines.next().unwrap(), "Crítica;1;1;0;0,0;1;0;0,0;120,0;120,0;570,0;570,0");
    assert_eq!(lines.next().unwrap(), "Media;3;3;3;100,0;3;2;66,7;50,0;60,0;900,0;1.530,0");
    let summary = csv(app, &format!("/reports/summary?desk={}&{Q1}&format=csv", d.desk), &sup).await;
    assert!(summary.contains("\r\nTiempo medio de solución (min hábiles);817,5\r\n"), "{summary}");
    assert!(summary.contains("\r\nSatisfacción (CSAT, %);50,0\r\n"));
    let volume = csv(app, &format!("/reports/volume?desk={}&{Q1}&granularity=month&format=csv", d.desk), &sup).await;
    assert!(volume.contains("\r\n01/03/2026;2;1;0;1\r\n"), "{volume}");
    let top = csv(app, &format!("/reports/top?desk={}&{Q1}&format=csv", d.desk), &sup).await;
    // `format=json` wins over `Accept`.
    let (_, ct, _) = fetch(app, &format!("/reports/top?desk={}&{Q1}&format=json", d.desk), &sup, "text/csv").await;
    assert_eq!(ct, "application/json");
    assert!(top.contains("Soporte virtual o en sitio;5;100,0"), "{top}");
}

#[tokio::test]
async fn reports_are_for_supervisors_of_the_desk_and_admins() {
    let Quarter { d, sup, other_sup } = quarter().await;
    let app = &d.app;
    for path in ["summary", "volume", "sla", "top"] {
        let path = format!("/reports/{path}?desk={}", d.desk);
        for token in [&d.pedro, &d.agent_n1, &other_sup] {
            app.get(&path, token).await.assert_problem(403, "forbidden");
        }
        assert_eq!(app.get(&path, &sup).await.status, 200);
        assert_eq!(app.get(&path, &d.admin).await.status, 200);
        assert_eq!(app.call(Method::GET, &path, None, None).await.status, 401);
    }
    // Requesters and agents may not read every desk either.
    app.get("/reports/summary", &d.agent_n1).await.assert_problem(403, "forbidden");
    // Another desk's supervisor, without naming a desk, sees only hers (nothing here).
    assert_eq!(app.get(&format!("/reports/summary?{Q1}"), &other_sup).await.body["opened"], 0);
    // An unknown desk: 404.
    app.get(&format!("/reports/summary?desk={}", Uuid::now_v7()), &sup).await.assert_problem(404, "not_found");
    app.get(&format!("/reports/quarterly?desk={}&year=2026&quarter=1", d.desk), &other_sup).await.assert_problem(403, "forbidden");
    app.get(&format!("/reports/quarterly?desk={}&year=2026&quarter=1", d.desk), &d.agent_n1).await.assert_problem(403, "forbidden");
}

#[tokio::test]
async fn bad_filters_are_422_naming_the_field() {
    let Quarter { d, sup, .. } = quarter().await;
    let app = &d.app;
    for (query, field) in [
        ("desk=42", "desk"),
        ("service=x", "service"),
        ("agent=1%20OR%201=1", "agent"),
        ("priority=urgent", "priority"),
        ("type=bug", "type"),
        ("channel=fax", "channel"),
        ("from=2026-02-30", "from"),
        ("to=31/03/2026", "to"),
        ("from=2026-03-01&to=2026-01-01", "from"),
        ("from=2020-01-01&to=2026-01-01", "from"),
        ("format=pdf", "format"),
    ] {
        let r = app.get(&format!("/reports/summary?{query}"), &sup).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{query}");
    }
    for (path, field) in [
        ("/reports/volume?granularity=year", "granularity"),
        ("/reports/sla?by=agent", "by"),
        ("/reports/top?limit=0", "limit"),
        ("/reports/quarterly?year=2026&quarter=1", "desk"),
        ("/reports/quarterly?desk=DESK&year=2026&quarter=5", "quarter"),
        ("/reports/quarterly?desk=DESK&year=1900&quarter=1", "year"),
        ("/reports/quarterly?desk=DESK&quarter=1&format=docx", "format"),
    ] {
        let r = app.get(&path.replace("DESK", &d.desk), &sup).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{path}");
    }
}

/// The first letters of the subjects of every case a drill-down lists, walking its pages.
async fn drilled(app: &crate::support::app::TestApp, query: &str, token: &str, limit: usize) -> String {
    let mut letters = String::new();
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let r = app.get(&format!("/reports/cases?{query}&limit={limit}{after}"), token).await;
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        let items = r.body["items"].as_array().unwrap();
        assert!(items.len() <= limit);
        letters.extend(items.iter().map(|t| t["subject"].as_str().unwrap().chars().next().unwrap()));
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return letters,
        }
    }
}

#[tokio::test]
async fn every_figure_drills_down_to_the_cases_it_counts() {
    let Quarter { d, sup, other_sup } = quarter().await;
    let app = &d.app;
    let q = format!("desk={}&{Q1}", d.desk);
    let s = app.get(&format!("/reports/summary?{q}"), &sup).await.body;
    // Newest case first (the fixture registered A to F in order); each list as long as its figure.
    for (measure, cases, figure) in [
        ("opened", "FDCBA", &s["opened"]),
        ("resolved", "ECBA", &s["resolved"]),
        ("closed", "A", &s["closed"]),
        ("backlog", "D", &s["backlog_end"]),
        ("attention_met", "EBA", &s["attention"]["met"]),
        ("attention_missed", "C", &json!(s["attention"]["measured"].as_i64().unwrap() - s["attention"]["met"].as_i64().unwrap())),
        ("resolution_met", "BA", &s["resolution"]["met"]),
        ("resolution_missed", "EC", &json!(s["resolution"]["measured"].as_i64().unwrap() - s["resolution"]["met"].as_i64().unwrap())),
        ("first_contact", "EA", &s["first_contact"]),
        ("reopened", "B", &s["reopened"]),
        ("escalated", "C", &s["escalations"][0]["escalations"]),
        ("rejected", "F", &s["rejections"]),
    ] {
        let listed = drilled(app, &format!("{q}&measure={measure}"), &sup, 2).await;
        assert_eq!(listed, cases, "{measure}");
        assert_eq!(json!(listed.len()), *figure, "{measure} lists as many cases as its figure counts");
    }
    // A row's drill-down narrows with the row's own filter; the admin reads it too.
    assert_eq!(drilled(app, &format!("{q}&measure=resolved&priority=critical"), &d.admin, 50).await, "C");
    let first = app.get(&format!("/reports/cases?{q}&measure=opened"), &sup).await.body;
    assert_eq!(first["items"][0]["service"]["name"], "Soporte virtual o en sitio");
    assert!(first["next_cursor"].is_null());
    // Another desk's supervisor, requesters and agents read none of them.
    for token in [&other_sup, &d.pedro, &d.agent_n1] {
        app.get(&format!("/reports/cases?{q}&measure=opened"), token).await.assert_problem(403, "forbidden");
    }
    assert_eq!(app.get(&format!("/reports/cases?{Q1}&measure=opened"), &other_sup).await.body["items"], json!([]));
    for (query, field) in [
        ("", "measure"),
        ("&measure=everything", "measure"),
        ("&measure=opened&cursor=bm9wZQ", "cursor"),
        ("&measure=opened&limit=201", "limit"),
        ("&measure=opened&limit=-1", "limit"),
        ("&measure=opened&priority=urgent", "priority"),
    ] {
        let r = app.get(&format!("/reports/cases?{q}{query}"), &sup).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{query}");
    }
}

fn artifact_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_quarterly_xlsx_holds_the_same_figures() {
    use calamine::{Data, Reader, Xlsx};
    let Quarter { d, sup, .. } = quarter().await;
    let (status, ct, bytes) = fetch(&d.app, &format!("/reports/quarterly?desk={}&year=2026&quarter=1", d.desk), &sup, mesa::reports::quarterly::XLSX).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(ct, mesa::reports::quarterly::XLSX);
    std::fs::write(artifact_dir().join("informe-trimestral.xlsx"), &bytes).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["Indicadores", "Casos por mes", "ANS por prioridad", "ANS por servicio", "Servicios", "Categorías"]);
    let kpis = wb.worksheet_range("Indicadores").unwrap();
    assert_eq!(kpis.get_value((0, 0)), Some(&Data::String("Informe trimestral de la mesa Tecnologías de la Información".into())));
    let value = |name: &str| -> Data {
        let row = kpis.rows().find(|r| r[0] == Data::String(name.into())).unwrap_or_else(|| panic!("no row {name}"));
        row[1].clone()
    };
    assert_eq!(value("Casos registrados"), Data::Float(5.0));
    assert_eq!(value("Casos resueltos"), Data::Float(4.0));
    assert_eq!(value("Atención dentro del ANS (%)"), Data::Float(75.0));
    assert_eq!(value("Solución dentro del ANS (%)"), Data::Float(50.0));
    assert_eq!(value("Tiempo medio de solución (min hábiles)"), Data::Float(817.5));
    assert_eq!(value("Percentil 90 de solución (min hábiles)"), Data::Float(1440.0));
    assert_eq!(value("Resolución en primer contacto (%)"), Data::Float(50.0));
    assert_eq!(value("Escalamientos a nivel 2"), Data::Float(1.0));
    assert_eq!(value("Satisfacción (CSAT, %)"), Data::Float(50.0));
    let months = wb.worksheet_range("Casos por mes").unwrap();
    let month_rows: Vec<Vec<Data>> = months.rows().skip(4).take(3).map(|r| r[..5].to_vec()).collect();
    let f = Data::Float;
    assert_eq!(
        month_rows,
        [
            vec![Data::String("Enero 2026".into()), f(1.0), f(2.0), f(1.0), f(0.0)],
            vec![Data::String("Febrero 2026".into()), f(2.0), f(1.0), f(0.0), f(0.0)],
            vec![Data::String("Marzo 2026".into()), f(2.0), f(1.0), f(0.0), f(1.0)],
        ]
    );
    let sla = wb.worksheet_range("ANS por prioridad").unwrap();
    let medium: Vec<Data> = sla.rows().find(|r| r[0] == Data::String("Media".into())).unwrap().to_vec();
    assert_eq!((medium[4].clone(), medium[7].clone(), medium[11].clone()), (f(100.0), f(66.7), f(1530.0)));
}

#[tokio::test]
async fn the_quarterly_pdf_renders_with_its_figures() {
    let Quarter { d, sup, .. } = quarter().await;
    let (status, ct, bytes) = fetch(&d.app, &format!("/reports/quarterly?desk={}&year=2026&quarter=1&format=pdf", d.desk), &sup, "*/*").await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(ct, "application/pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let dir = artifact_dir();
    let pdf = dir.join("informe-trimestral.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    // The first page rendered to PNG by poppler (a test artifact to look at), and its text read
    // back: the same figures as the API's.
    let png = std::process::Command::new("pdftoppm").args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"]).arg(&pdf).arg(dir.join("informe-trimestral")).status();
    let png = png.expect("pdftoppm (poppler-utils, scripts/deps.sh test) is installed");
    assert!(png.success());
    let size = std::fs::metadata(dir.join("informe-trimestral.png")).unwrap().len();
    assert!(size > 10_000, "a page with tables and a chart, not a blank one ({size} bytes)");
    let out = std::process::Command::new("pdftotext").args(["-layout", "-f", "1", "-l", "2"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Informe trimestral de la mesa Tecnologías de la Información"), "{text}");
    assert!(text.contains("Trimestre 1 de 2026 (01/01/2026 a 31/03/2026)"), "{text}");
    for (label, value) in [
        ("Casos registrados", "5"),
        ("Atención dentro del ANS (%)", "75,0"),
        ("Tiempo medio de solución (min hábiles)", "817,5"),
        ("Percentil 90 de solución (min hábiles)", "1.440,0"),
    ] {
        let line = text.lines().find(|l| l.contains(label)).unwrap_or_else(|| panic!("no {label} in {text}"));
        assert!(line.trim_end().ends_with(value), "{line}");
    }
}
