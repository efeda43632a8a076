//! The directory login module (`mesa::auth::directory`) against a real OpenLDAP server that
//! imitates Active Directory (see `support/slapd.rs`, `support/directory.ldif`).

use std::time::{Duration, Instant};

use mesa::auth::directory::{authenticate, DirectoryError, DirectoryUser, LdapAttributes};

use crate::support::slapd::{free_port, Slapd};

const MARIA_PASSWORD: &str = "Clave.Maria1";

fn maria() -> DirectoryUser {
    DirectoryUser {
        dn: "cn=María Gómez,ou=people,dc=example,dc=org".into(),
        username: "maria.gomez".into(),
        display_name: Some("María Gómez".into()),
        email: Some("maria.gomez@example.org".into()),
        phone: Some("+52 55 1234 5678".into()),
        department: Some("Subdirección de Tecnología".into()),
        company: Some("Secretaría de Hacienda".into()),
        identity_number: Some("52123456".into()),
    }
}

#[tokio::test]
async fn the_three_windows_login_forms_find_the_same_account() {
    let slapd = Slapd::start_async().await;
    let cfg = slapd.config();
    for login in ["maria.gomez", "MARIA.GOMEZ", r"EXAMPLE\maria.gomez", "maria.gomez@example.org", "  Maria.Gomez@EXAMPLE.org ", r"example\MARIA.GOMEZ"] {
        let user = authenticate(&cfg, login, MARIA_PASSWORD).await.unwrap_or_else(|e| panic!("login {login:?}: {e:?}\nslapd log:\n{}", slapd.log()));
        assert_eq!(user, maria(), "login {login:?}");
    }
}

#[tokio::test]
async fn accented_attributes_come_back_decoded() {
    let slapd = Slapd::start_async().await;
    let user = authenticate(&slapd.config(), "jose.pena", "Clave.Jose1").await.expect("jose.pena logs in");
    assert_eq!(user.dn, "cn=José Peña,ou=people,dc=example,dc=org");
    assert_eq!(user.username, "jose.pena");
    assert_eq!(user.display_name.as_deref(), Some("José Peña"));
    assert_eq!(user.department.as_deref(), Some("Dirección de Informática"));
    assert_eq!(user.company.as_deref(), Some("Secretaría de Educación"));
    assert_eq!(user.email.as_deref(), Some("jose.pena@example.org"));
}

#[tokio::test]
async fn wrong_password_unknown_user_and_empty_password_are_invalid_credentials() {
    let slapd = Slapd::start_async().await;
    let cfg = slapd.config();
    for (login, password) in [
        ("maria.gomez", "clave.maria1"),
        ("maria.gomez", "Clave.Maria1 "),
        ("maria.gomez@example.org", "wrong"),
        ("nadie", MARIA_PASSWORD),
        ("nadie@example.org", MARIA_PASSWORD),
        ("maria.gomez", ""),
        ("", MARIA_PASSWORD),
        (r"EXAMPLE\", MARIA_PASSWORD),
        // The service account is not under the user filter: it cannot log in.
        ("svc-reader", "svc-secret"),
    ] {
        let res = authenticate(&cfg, login, password).await;
        assert!(matches!(res, Err(DirectoryError::InvalidCredentials)), "login {login:?}: expected InvalidCredentials, got {res:?}");
    }
}

#[tokio::test]
async fn disabled_account_is_refused_even_with_the_right_password() {
    let slapd = Slapd::start_async().await;
    let cfg = slapd.config();
    for (login, password) in [("carlos.ruiz", "Clave.Carlos1"), ("carlos.ruiz@example.org", "Clave.Carlos1"), ("carlos.ruiz", "wrong")] {
        let res = authenticate(&cfg, login, password).await;
        assert!(matches!(res, Err(DirectoryError::Disabled)), "{login:?}/{password:?}: got {res:?}");
    }
}

#[tokio::test]
async fn filter_injection_never_authenticates() {
    let slapd = Slapd::start_async().await;
    let cfg = slapd.config();
    for login in [
        "*)(uid=*",
        "*",
        "maria*",
        "maria.gome*",
        "*maria.gomez",
        "admin)(|(uid=*",
        "maria.gomez)(|(sAMAccountName=*",
        "*)(|(objectClass=*",
        r"\",
        r"\2a",
        "maria.gomez\0",
        "\0",
        "*@example.org",
        "*@*",
        "x@*)(sAMAccountName=maria.gomez",
        r"EXAMPLE\*",
    ] {
        let res = authenticate(&cfg, login, MARIA_PASSWORD).await;
        assert!(matches!(res, Err(DirectoryError::InvalidCredentials)), "login {login:?}: expected InvalidCredentials, got {res:?}");
    }
    // The server is still fine afterwards.
    assert_eq!(authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await.unwrap(), maria());
    // The domain part of `x@domain` is not checked (the UPN part is escaped, and `x` alone is
    // also searched), so a wildcard there is just an unknown domain: still only maria, with
    // maria's own password.
    assert_eq!(authenticate(&cfg, "maria.gomez@*", MARIA_PASSWORD).await.unwrap(), maria());
    assert!(matches!(authenticate(&cfg, "maria.gomez@*", "wrong").await, Err(DirectoryError::InvalidCredentials)));
}

#[tokio::test]
async fn several_matching_entries_are_invalid_credentials() {
    let slapd = Slapd::start_async().await;
    slapd.ldapadd(
        "dn: cn=Otra Maria,ou=people,dc=example,dc=org\n\
         objectClass: inetOrgPerson\n\
         objectClass: adLiteUser\n\
         cn: Otra Maria\n\
         sn: Maria\n\
         sAMAccountName: maria.gomez\n\
         userPassword: Clave.Maria1\n",
    );
    let res = authenticate(&slapd.config(), "maria.gomez", MARIA_PASSWORD).await;
    assert!(matches!(res, Err(DirectoryError::InvalidCredentials)), "got {res:?}");
}

#[tokio::test]
async fn openldap_style_uid_filter_without_upn() {
    let slapd = Slapd::start_async().await;
    let mut cfg = slapd.config();
    cfg.base_dn = "ou=people,dc=example,dc=org".into();
    cfg.user_filter = "(&(objectClass=inetOrgPerson)(uid={username}))".into();
    cfg.upn_attribute = None;
    cfg.attributes = LdapAttributes { username: "uid".into(), display_name: "cn".into(), ..LdapAttributes::default() };

    let user = authenticate(&cfg, "ana.lopez", "Clave.Ana1").await.expect("ana.lopez logs in");
    assert_eq!(
        user,
        DirectoryUser {
            dn: "uid=ana.lopez,ou=people,dc=example,dc=org".into(),
            username: "ana.lopez".into(),
            display_name: Some("Ana López".into()),
            email: Some("ana.lopez@example.org".into()),
            phone: None,
            department: None,
            company: None,
            identity_number: None,
        }
    );
    // Without upn_attribute, `x@domain` is searched as `x`; a domain prefix is stripped too.
    assert_eq!(authenticate(&cfg, "ANA.LOPEZ@example.org", "Clave.Ana1").await.unwrap(), user);
    assert_eq!(authenticate(&cfg, r"EXAMPLE\ana.lopez", "Clave.Ana1").await.unwrap(), user);
    assert!(matches!(authenticate(&cfg, "ana.lopez", "Clave.Maria1").await, Err(DirectoryError::InvalidCredentials)));
    assert!(matches!(authenticate(&cfg, "*", "Clave.Ana1").await, Err(DirectoryError::InvalidCredentials)));
}

#[tokio::test]
async fn server_down_is_unavailable_quickly() {
    let mut cfg = Slapd::start_async().await.config(); // dropped at once: slapd stops
    cfg.url = format!("ldap://127.0.0.1:{}/", free_port());
    cfg.timeout = Duration::from_secs(2);
    let started = Instant::now();
    let res = authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await;
    assert!(matches!(res, Err(DirectoryError::Unavailable(_))), "got {res:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn silent_server_is_unavailable_within_the_timeout() {
    // Accepts TCP connections (kernel backlog) but never answers an LDAP request.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut cfg = Slapd::start_async().await.config();
    cfg.url = format!("ldap://{}/", listener.local_addr().unwrap());
    cfg.timeout = Duration::from_millis(500);
    let started = Instant::now();
    let res = authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await;
    assert!(matches!(res, Err(DirectoryError::Unavailable(_))), "got {res:?}");
    // Service bind timeout, then the unbind (which does not wait for an answer).
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    drop(listener);
}

#[tokio::test]
async fn wrong_service_account_password_is_unavailable() {
    let slapd = Slapd::start_async().await;
    let mut cfg = slapd.config();
    cfg.bind_password = "not-the-password".into();
    let res = authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await;
    assert!(matches!(res, Err(DirectoryError::Unavailable(_))), "got {res:?}");

    // An unknown service DN too.
    cfg.bind_dn = "cn=nobody,ou=services,dc=example,dc=org".into();
    cfg.bind_password = "svc-secret".into();
    let res = authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await;
    assert!(matches!(res, Err(DirectoryError::Unavailable(_))), "got {res:?}");
}

#[tokio::test]
async fn unreadable_search_base_is_unavailable_not_a_crash() {
    let slapd = Slapd::start_async().await;
    let mut cfg = slapd.config();
    cfg.base_dn = "ou=missing,dc=example,dc=org".into();
    let res = authenticate(&cfg, "maria.gomez", MARIA_PASSWORD).await;
    // noSuchObject (32) is a configuration problem, not a wrong password.
    assert!(matches!(res, Err(DirectoryError::Unavailable(_))), "got {res:?}");
}
