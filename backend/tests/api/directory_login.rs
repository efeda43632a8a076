//! Login through the API against a real slapd that looks like Active Directory.
use mesa::users::domain::Role;
use serde_json::json;

use crate::support::app::{spawn_app_with, TestApp};
use crate::support::slapd::Slapd;

async fn app_with_directory() -> (TestApp, Slapd) {
    let slapd = Slapd::start_async().await;
    let ldap = slapd.config();
    let app = spawn_app_with(move |c| c.ldap = Some(ldap)).await;
    (app, slapd)
}

#[tokio::test]
async fn directory_user_logs_in_with_every_windows_spelling() {
    let (app, _slapd) = app_with_directory().await;
    let mut ids = Vec::new();
    for login in ["maria.gomez", "MARIA.GOMEZ", "EXAMPLE\\maria.gomez", "maria.gomez@example.org"] {
        let r = app.login(login, "Clave.Maria1").await;
        assert_eq!(r.status, 200, "{login}: {}", r.body);
        let u = &r.body["user"];
        assert_eq!(u["username"], "maria.gomez");
        assert_eq!(u["auth_source"], "directory");
        assert_eq!(u["role"], "requester");
        assert_eq!(u["display_name"], "María Gómez");
        ids.push(u["id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one local user for every spelling");

    // company → organization, department → area, created on first login.
    let admin = app.admin().await;
    let me = app.get(&format!("/users/{}", ids[0]), &admin).await;
    // MESA_LDAP_ATTR_IDENTITY (employeeNumber, "52.123.456" in the directory) → identity_number.
    assert_eq!(me.body["identity_number"], "52123456");
    let org = app.get(&format!("/organizations/{}", me.body["organization_id"].as_str().unwrap()), &admin).await;
    assert_eq!(org.body["name"], "Secretaría de Hacienda");
    let area = app.get(&format!("/areas/{}", me.body["area_id"].as_str().unwrap()), &admin).await;
    assert_eq!(area.body["name"], "Subdirección de Tecnología");
    assert_eq!(area.body["organization_id"], org.body["id"]);
}

#[tokio::test]
async fn accented_directory_names_arrive_intact() {
    let (app, _slapd) = app_with_directory().await;
    let r = app.login("jose.pena", "Clave.Jose1").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["user"]["display_name"], "José Peña");
}

#[tokio::test]
async fn wrong_password_unknown_user_and_disabled_account_answer_identically() {
    let (app, _slapd) = app_with_directory().await;
    let wrong = app.login("maria.gomez", "Clave.Mala1").await;
    let unknown = app.login("no.existe", "Clave.Maria1").await;
    let disabled = app.login("carlos.ruiz", "Clave.Carlos1").await;
    for r in [&wrong, &unknown, &disabled] {
        r.assert_problem(401, "invalid_credentials");
    }
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, disabled.body);
}

#[tokio::test]
async fn ldap_injection_attempts_never_log_in() {
    let (app, _slapd) = app_with_directory().await;
    for login in ["*)(uid=*", "*", "maria*", "*)(sAMAccountName=*))(|(sAMAccountName=*", "maria.gomez)(|(objectClass=*"] {
        let r = app.login(login, "Clave.Maria1").await;
        r.assert_problem(401, "invalid_credentials");
    }
}

#[tokio::test]
async fn role_given_in_mesa_survives_directory_logins() {
    let (app, _slapd) = app_with_directory().await;
    let admin = app.admin().await;
    // An admin registers the directory account as an agent before its first login.
    let r = app.post("/users", Some(&admin), json!({"username": "jose.pena", "display_name": "José", "role": "agent", "auth_source": "directory"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let login = app.login("jose.pena", "Clave.Jose1").await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["user"]["role"], "agent");
    assert_eq!(login.body["user"]["display_name"], "José Peña", "the directory refreshes the name");
}

#[tokio::test]
async fn directory_down_answers_503_and_local_admins_still_log_in() {
    let mut ldap = Slapd::start_async().await.config(); // the server stops when dropped here
    ldap.url = format!("ldap://127.0.0.1:{}", crate::support::slapd::free_port());
    ldap.timeout = std::time::Duration::from_secs(2);
    let app = spawn_app_with(move |c| c.ldap = Some(ldap)).await;
    app.create_local_user("admin", "Admin.Clave2026", Role::Admin).await;
    let r = app.login("maria.gomez", "Clave.Maria1").await;
    r.assert_problem(503, "directory_unavailable");
    assert_eq!(app.login("admin", "Admin.Clave2026").await.status, 200);
}
