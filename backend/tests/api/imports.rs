//! Bulk imports from CSV: dry runs write nothing, applies are all-or-nothing, the same file twice
//! changes nothing, Spanish Excel files read, hostile files answer 4xx, parallel applies of one
//! file create each row once.
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::{spawn_app, Reply, TestApp};

async fn import(app: &TestApp, token: &str, kind: &str, dry_run: Option<bool>, body: impl Into<reqwest::Body>) -> Reply {
    import_as(app, token, kind, dry_run, "text/csv; charset=utf-8", body).await
}

async fn import_as(app: &TestApp, token: &str, kind: &str, dry_run: Option<bool>, content_type: &str, body: impl Into<reqwest::Body>) -> Reply {
    let query = dry_run.map(|d| format!("?dry_run={d}")).unwrap_or_default();
    let resp = app.client.post(app.url(&format!("/imports/{kind}{query}"))).bearer_auth(token).header("Content-Type", content_type).body(body).send().await.expect("request");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply { status, headers, body }
}

fn actions(r: &Reply) -> Vec<String> {
    r.body["rows"].as_array().or_else(|| r.body["report"]["rows"].as_array()).unwrap().iter().map(|row| row["action"].as_str().unwrap().to_owned()).collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel_async::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = app.pool.get().await.unwrap();
    diesel::sql_query(sql).get_result::<N>(&mut conn).await.unwrap().n
}

const ORGS: &str = "name,short_name,active\nSecretaría de Hacienda,SHAC,yes\nSecretaría de Salud,SSAL,\n";

#[tokio::test]
async fn dry_run_apply_and_rerun() {
    let app = spawn_app().await;
    let admin = app.admin().await;

    // The default is a dry run: it reports the creates and writes nothing.
    let dry = import(&app, &admin, "organizations", None, ORGS).await;
    assert_eq!(dry.status, 200, "{}", dry.body);
    assert_eq!(dry.body["dry_run"], true);
    assert_eq!(dry.body["applied"], false);
    assert_eq!(actions(&dry), ["create", "create"]);
    assert_eq!(dry.body["rows"][0]["line"], 2);
    assert_eq!(dry.body["rows"][0]["key"], "Secretaría de Hacienda");
    assert_eq!(dry.body["totals"], json!({"rows": 2, "create": 2, "update": 0, "unchanged": 0, "error": 0}));
    assert!(dry.body["rows"][0]["changes"].as_array().unwrap().contains(&json!({"field": "short_name", "old": null, "new": "SHAC"})));
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations").await, 0);

    let applied = import(&app, &admin, "organizations", Some(false), ORGS).await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    assert_eq!((applied.body["applied"].clone(), applied.body["dry_run"].clone()), (json!(true), json!(false)));
    assert_eq!(actions(&applied), ["create", "create"]);
    let listed = app.get("/organizations", &admin).await;
    let names: Vec<&str> = listed.body["items"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Secretaría de Hacienda", "Secretaría de Salud"]);

    // The same file again: nothing to do, in a dry run and in an apply.
    assert_eq!(actions(&import(&app, &admin, "organizations", Some(true), ORGS).await), ["unchanged", "unchanged"]);
    let again = import(&app, &admin, "organizations", Some(false), ORGS).await;
    assert_eq!(actions(&again), ["unchanged", "unchanged"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations WHERE version = 1").await, 2);

    // A changed row shows old and new values; written only when applied.
    let changed = "name,short_name,active\nSECRETARIA DE HACIENDA,HAC,no\n";
    let dry = import(&app, &admin, "organizations", Some(true), changed).await;
    assert_eq!(actions(&dry), ["update"]);
    assert_eq!(dry.body["rows"][0]["changes"], json!([{"field": "short_name", "old": "SHAC", "new": "HAC"}, {"field": "active", "old": "true", "new": "false"}]));
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations WHERE short_name = 'HAC'").await, 0);
    assert_eq!(actions(&import(&app, &admin, "organizations", Some(false), changed).await), ["update"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations WHERE short_name = 'HAC' AND NOT active AND name = 'Secretaría de Hacienda'").await, 1);
}

#[tokio::test]
async fn one_bad_row_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let file = "nombre;sigla;activo\nSecretaría de Gobierno;SGOB;sí\nSecretaría de Movilidad;SMOV;tal vez\nsecretaria de gobierno;;\n";
    let r = import(&app, &admin, "organizations", Some(false), file).await;
    r.assert_problem(422, "import_rejected");
    assert_eq!(r.body["report"]["applied"], false);
    assert_eq!(actions(&r), ["create", "error", "error"]);
    assert_eq!(r.body["report"]["rows"][1]["errors"], json!([{"field": "activo", "code": "invalid", "message": "must be yes/no (sí/no, true/false, 1/0, activo/inactivo)"}]));
    assert_eq!(r.body["report"]["rows"][2]["errors"][0]["field"], "nombre");
    assert_eq!(r.body["report"]["rows"][2]["errors"][0]["code"], "duplicate");
    assert_eq!(r.body["report"]["rows"][2]["errors"][0]["message"], "the same organization is already on line 2");
    assert_eq!(r.error_fields(), ["activo", "nombre"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations").await, 0);
    // The same file as a dry run: the report, answered 200.
    let dry = import(&app, &admin, "organizations", Some(true), file).await;
    assert_eq!(dry.status, 200);
    assert_eq!(dry.body["totals"]["error"], 2);
}

#[tokio::test]
async fn excel_files_in_spanish() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    // Excel's "CSV UTF-8": BOM, `;`, CRLF, Spanish headers.
    let mut utf8 = b"\xEF\xBB\xBF".to_vec();
    utf8.extend_from_slice("Organización;Código\r\nSecretaría de Educación;SEDU\r\n".as_bytes());
    let r = import(&app, &admin, "organizations", Some(false), utf8).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["rows"][0]["key"], "Secretaría de Educación");
    // Excel's plain "CSV" on a Spanish Windows: Windows-1252.
    let cp1252 = b"Entidad;\xc1rea;Activo\r\nSEDU;Direcci\xf3n de Cobertura;S\xed\r\n".to_vec();
    let r = import_as(&app, &admin, "areas", Some(false), "application/vnd.ms-excel", cp1252).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(actions(&r), ["create"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM areas WHERE name = 'Dirección de Cobertura'").await, 1);
}

#[tokio::test]
async fn users_refer_to_earlier_imports() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    assert_eq!(import(&app, &admin, "organizations", Some(false), ORGS).await.status, 200);
    let areas = "organization,name\nSHAC,Tesorería\nSecretaria de Salud,Vigilancia\n";
    assert_eq!(actions(&import(&app, &admin, "areas", Some(false), areas).await), ["create", "create"]);
    assert_eq!(actions(&import(&app, &admin, "areas", Some(false), areas).await), ["unchanged", "unchanged"]);

    let users = "usuario;nombre;correo;rol;cédula;organización;área\n\
                 Ana.Torres;Ana Torres;ana.torres@cali.gov.co;agente;52.123.456;secretaria de hacienda;TESORERIA\n\
                 luis.pena;Luis Peña;;;;SSAL;Vigilancia\n\
                 formula;\"=HYPERLINK(\"\"http://x\"\";\"\"clic\"\")\";;;;;\n";
    let dry = import(&app, &admin, "users", Some(true), users).await;
    assert_eq!(actions(&dry), ["create", "create", "create"], "{}", dry.body);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM users").await, 1);
    let r = import(&app, &admin, "users", Some(false), users).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = app.get("/users?q=ana.torres", &admin).await;
    let ana = &list.body["items"][0];
    assert_eq!((ana["username"].as_str(), ana["role"].as_str(), ana["auth_source"].as_str()), (Some("ana.torres"), Some("agent"), Some("directory")));
    assert_eq!(ana["identity_number"], "52123456");
    let org_id = app.get("/organizations?q=hacienda", &admin).await.body["items"][0]["id"].clone();
    assert_eq!(ana["organization_id"], org_id);
    let area = app.get(&format!("/areas/{}", ana["area_id"].as_str().unwrap()), &admin).await;
    assert_eq!(area.body["name"], "Tesorería");
    // Formula-looking text is stored as the text it is.
    assert_eq!(app.get("/users?q=formula", &admin).await.body["items"][0]["display_name"], "=HYPERLINK(\"http://x\";\"clic\")");
    assert_eq!(actions(&import(&app, &admin, "users", Some(true), users).await), ["unchanged", "unchanged", "unchanged"]);

    // A change shows the stored value; empty cells keep what is stored; the email of another
    // user and an unknown area are refused, and nothing of the file is written.
    let change = "username,role,email,area,organization\nana.torres,supervisor,,,\nluis.pena,,ANA.TORRES@cali.gov.co,,\n";
    let r = import(&app, &admin, "users", Some(false), change).await;
    r.assert_problem(422, "import_rejected");
    assert_eq!(actions(&r), ["update", "error"]);
    assert_eq!(r.body["report"]["rows"][0]["changes"], json!([{"field": "role", "old": "agent", "new": "supervisor"}]));
    assert_eq!(r.body["report"]["rows"][1]["errors"][0]["code"], "taken");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM users WHERE role = 'supervisor'").await, 0);
    let r = import(&app, &admin, "users", Some(false), "username,role,active\nana.torres,supervisor,no\n").await;
    assert_eq!(actions(&r), ["update"]);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) AS n FROM users WHERE username = 'ana.torres' AND role = 'supervisor' AND NOT active AND token_generation = 1 AND email = 'ana.torres@cali.gov.co'"
        )
        .await,
        1
    );

    // The importing admin cannot demote or deactivate themself.
    let r = import(&app, &admin, "users", Some(false), "username,role,active\nADMIN,requester,false\n").await;
    r.assert_problem(422, "import_rejected");
    assert_eq!(r.error_fields(), ["role", "active"]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM users WHERE username = 'admin' AND role = 'admin' AND active").await, 1);
    // Passwords never travel in a file.
    let r = import(&app, &admin, "users", Some(true), "username,display_name,password\nx.y,X,Secreta.2026\n").await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["password"]);
    assert_eq!(r.body["errors"][0]["code"], "unknown_column");
}

#[tokio::test]
async fn only_admins_and_hostile_files() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for role in [mesa::users::domain::Role::Agent, mesa::users::domain::Role::Supervisor, mesa::users::domain::Role::Requester] {
        let name = format!("u{}", role.as_str());
        app.create_local_user(&name, "Buena.Clave2026", role).await;
        let token = app.token(&name, "Buena.Clave2026").await;
        import(&app, &token, "organizations", Some(true), ORGS).await.assert_problem(403, "forbidden");
    }
    let r = app.client.post(app.url("/imports/users?dry_run=true")).header("Content-Type", "text/csv").body("username\nx\n").send().await.unwrap();
    assert_eq!(r.status(), 401);

    let fields =
        |r: &Reply| r.body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned())).collect::<Vec<_>>();
    let r = import(&app, &admin, "organizations", Some(true), "").await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(fields(&r), [("file".to_owned(), "empty".to_owned())]);
    let r = import(&app, &admin, "areas", Some(true), "nombre;color\nTesorería;azul\n").await;
    assert_eq!(fields(&r), [("color".to_owned(), "unknown_column".to_owned()), ("organization".to_owned(), "missing_column".to_owned())]);
    // A NUL byte in a header or a cell, control characters, huge fields: 422, never a 500.
    let r = import(&app, &admin, "organizations", Some(true), "name,x\0y\nA,B\n").await;
    assert_eq!(fields(&r), [("x\\u{0}y".to_owned(), "unknown_column".to_owned())]);
    let r = import(&app, &admin, "organizations", Some(false), "name,short_name\nA\0B,C\nD,E\u{7}\n").await;
    r.assert_problem(422, "import_rejected");
    assert_eq!(fields(&r), [("name".to_owned(), "invalid_character".to_owned()), ("short_name".to_owned(), "invalid_character".to_owned())]);
    let huge = format!("name\n{}\n", "x".repeat(100_000));
    let r = import(&app, &admin, "organizations", Some(false), huge).await;
    assert_eq!(fields(&r), [("name".to_owned(), "too_long".to_owned())]);
    let r = import(&app, &admin, "organizations", Some(true), "name\n\"unclosed\n").await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Too big, too many rows.
    let big = format!("name\n{}", "a".repeat(4 * 1024 * 1024));
    import(&app, &admin, "organizations", Some(true), big).await.assert_problem(413, "payload_too_large");
    let many: String = std::iter::once("name\n".to_owned()).chain((0..10_001).map(|i| format!("o{i}\n"))).collect();
    let r = import(&app, &admin, "organizations", Some(true), many).await;
    assert_eq!(fields(&r), [("file".to_owned(), "too_many_rows".to_owned())]);
    // Not CSV; a bad dry_run.
    import_as(&app, &admin, "organizations", Some(true), "application/json", "{}").await.assert_problem(400, "bad_request");
    let r = app.client.post(app.url("/imports/organizations?dry_run=maybe")).bearer_auth(&admin).header("Content-Type", "text/csv").body(ORGS).send().await.unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    // A bad UTF-8 file behind a BOM.
    let r = import(&app, &admin, "organizations", Some(true), b"\xEF\xBB\xBFname\n\xC1rea\n".to_vec()).await;
    assert_eq!(fields(&r), [("file".to_owned(), "invalid_encoding".to_owned())]);
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations").await, 0);
    // Forged method.
    assert_eq!(app.call(Method::GET, "/imports/users", Some(&admin), None).await.status, 405);
}

#[tokio::test]
async fn parallel_applies_of_one_file() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let file: String = std::iter::once("name,short_name\n".to_owned()).chain((0..50).map(|i| format!("Organismo {i},O{i}\n"))).collect();
    let areas: String = std::iter::once("organization,name\n".to_owned()).chain((0..50).map(|i| format!("O{i},Despacho\n"))).collect();
    let runs = (0..30).map(|_| import(&app, &admin, "organizations", Some(false), file.clone()));
    let replies = futures_util::future::join_all(runs).await;
    let mut created = 0;
    for r in &replies {
        assert_eq!(r.status, 200, "{}", r.body);
        created += r.body["totals"]["create"].as_u64().unwrap();
    }
    assert_eq!(created, 50, "each row created by exactly one of the runs");
    assert_eq!(count(&app, "SELECT count(*) AS n FROM organizations").await, 50);
    let replies = futures_util::future::join_all((0..30).map(|_| import(&app, &admin, "areas", Some(false), areas.clone()))).await;
    assert!(replies.iter().all(|r| r.status == 200), "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    assert_eq!(count(&app, "SELECT count(*) AS n FROM areas").await, 50);
}
