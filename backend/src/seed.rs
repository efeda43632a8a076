//! Demo data (`mesa seed --demo`): organizations of a Colombian city, and people to try every role.
//! Re-runnable: existing rows are updated, nothing is duplicated.
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::password;
use crate::catalog::transfer::{import, CatalogDocument};
use crate::db::schema::locations;
use crate::organizations::queries::{find_or_create_area, find_or_create_organization};
use crate::users::domain::{AuthSource, Role};
use crate::users::queries::{upsert_local, NewUser};

pub const DEMO_PASSWORD: &str = "MesaDemo2026!";

struct DemoUser {
    username: &'static str,
    display_name: &'static str,
    role: Role,
    organization: &'static str,
    area: &'static str,
}

const ORGANIZATIONS: &[(&str, &str, &[&str])] = &[
    ("Departamento Administrativo de Tecnologías de la Información y las Comunicaciones", "DATIC", &["Subdirección de Tecnología Digital", "Mesa de servicios"]),
    ("Secretaría de Hacienda", "SHAC", &["Subdirección de Tesorería", "Subdirección de Impuestos y Rentas"]),
    ("Secretaría de Educación", "SEDU", &["Subsecretaría de Cobertura Educativa", "Oficina de Talento Humano"]),
    ("Secretaría de Salud Pública", "SSAL", &["Subsecretaría de Salud Pública", "Oficina de Atención al Ciudadano"]),
];

const LOCATIONS: &[(&str, &str)] =
    &[("CAM - Torre Alcaldía", "Avenida 2 Norte # 10-70"), ("Sede Educación - Centro", "Carrera 5 # 6-05"), ("Sede Salud - San Fernando", "Calle 4B # 36-00")];

const USERS: &[DemoUser] = &[
    DemoUser { username: "admin", display_name: "Administrador de Mesa", role: Role::Admin, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "supervisor.tic", display_name: "Sandra Villa (gestora de la mesa)", role: Role::Supervisor, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "agente.n1", display_name: "Andrés Agudelo (agente nivel 1)", role: Role::Agent, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser {
        username: "especialista.n2",
        display_name: "Diana Castro (especialista nivel 2)",
        role: Role::Agent,
        organization: "DATIC",
        area: "Subdirección de Tecnología Digital",
    },
    DemoUser {
        username: "proveedor.n3",
        display_name: "Redes del Pacífico S.A.S. (proveedor nivel 3)",
        role: Role::Agent,
        organization: "DATIC",
        area: "Subdirección de Tecnología Digital",
    },
    DemoUser { username: "cto.hacienda", display_name: "Jorge Rivas (CTO Secretaría de Hacienda)", role: Role::Agent, organization: "SHAC", area: "Subdirección de Tesorería" },
    DemoUser {
        username: "cto.educacion", display_name: "Marcela Ortiz (CTO Secretaría de Educación)", role: Role::Agent, organization: "SEDU", area: "Oficina de Talento Humano"
    },
    DemoUser { username: "auxiliar.adm", display_name: "Camilo Beltrán (servicios administrativos)", role: Role::Agent, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "mantenimiento.n2", display_name: "Óscar Valencia (mantenimiento nivel 2)", role: Role::Agent, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "lucia.martinez", display_name: "Lucía Martínez", role: Role::Requester, organization: "SHAC", area: "Subdirección de Tesorería" },
    DemoUser { username: "pedro.suarez", display_name: "Pedro Suárez", role: Role::Requester, organization: "SEDU", area: "Subsecretaría de Cobertura Educativa" },
];

/// The demo desks: the real catalogs of the seeds, as `mesa.catalog/v1` documents.
pub const DEMO_CATALOGS: &[&str] = &[include_str!("../demo/catalog-tic.json"), include_str!("../demo/catalog-administrativos.json")];

/// Who works in which demo group (desk code, group name, usernames).
const MEMBERSHIPS: &[(&str, &str, &[&str])] = &[
    ("TIC", "Mesa de servicios - Nivel 1", &["agente.n1"]),
    ("TIC", "CTO Secretaría de Hacienda - Nivel 1", &["cto.hacienda"]),
    ("TIC", "CTO Secretaría de Educación - Nivel 1", &["cto.educacion"]),
    ("TIC", "Especialistas Infraestructura - Nivel 2", &["especialista.n2"]),
    ("TIC", "Especialistas Aplicaciones - Nivel 2", &["especialista.n2"]),
    ("TIC", "Proveedor de redes y conectividad - Nivel 3", &["proveedor.n3"]),
    ("ADM", "Servicios administrativos - Nivel 1", &["auxiliar.adm"]),
    ("ADM", "Mantenimiento - Nivel 2", &["mantenimiento.n2"]),
];

pub async fn demo(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let mut orgs = std::collections::HashMap::new();
    for (name, short, areas) in ORGANIZATIONS {
        let org = find_or_create_organization(conn, name).await?;
        diesel::update(crate::db::schema::organizations::table.find(org)).set(crate::db::schema::organizations::short_name.eq(*short)).execute(conn).await?;
        let mut area_ids = std::collections::HashMap::new();
        for area in *areas {
            area_ids.insert(*area, find_or_create_area(conn, org, area).await?);
        }
        orgs.insert(*short, (org, area_ids));
    }
    for (name, address) in LOCATIONS {
        diesel::insert_into(locations::table)
            .values((locations::id.eq(Uuid::now_v7()), locations::name.eq(*name), locations::address.eq(*address)))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    let hash = tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD)).await?;
    for u in USERS {
        let (org, areas) = &orgs[u.organization];
        upsert_local(
            conn,
            NewUser {
                username: u.username.into(),
                display_name: u.display_name.into(),
                email: Some(format!("{}@mesa.local", u.username)),
                phone: None,
                role: u.role,
                auth_source: AuthSource::Local,
                password_hash: Some(hash.clone()),
                locale: "es-CO".into(),
                organization_id: Some(*org),
                area_id: Some(areas[u.area]),
                location_id: None,
            },
        )
        .await?;
    }
    // Policies first: importing the catalogs checks their promised times against the desks' policies.
    let sla = demo_sla(conn).await?;
    demo_desks(conn).await?;
    assign_demo_sla(conn, &sla).await?;
    demo_kb(conn).await
}

/// Published articles of the TIC desk: (category code, audience, title, symptom, steps).
const DEMO_ARTICLES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "req-configuracion",
        "public",
        "La impresora no imprime: cola atascada",
        "Envío un documento a la impresora y no sale nada; en la lista de impresión los documentos quedan \"En cola\" o con \"Error\".",
        "1. Abra **Configuración → Bluetooth y dispositivos → Impresoras y escáneres** y elija su impresora.\n2. Pulse **Abrir cola de impresión**, luego **Impresora → Cancelar todos los documentos**.\n3. Apague la impresora, espere 30 segundos y enciéndala de nuevo.\n4. Imprima una página de prueba.\n\nSi el documento sigue sin salir, registre una solicitud de *Configuración de impresora o escáner* indicando la placa del equipo.",
    ),
    (
        "req-configuracion",
        "public",
        "El correo de Outlook no sincroniza",
        "Outlook muestra \"Desconectado\" o \"Intentando conectar\" y los correos nuevos no llegan.",
        "1. Verifique que tiene conexión a internet abriendo cualquier página web.\n2. En Outlook, pestaña **Enviar y recibir**, desactive **Trabajar sin conexión**.\n3. Cierre Outlook por completo y ábralo de nuevo.\n4. Si persiste, ingrese al correo desde el navegador en https://outlook.office.com para seguir trabajando mientras la mesa lo revisa.",
    ),
    (
        "req-accesos",
        "public",
        "No puedo conectarme a la red Wi-Fi institucional",
        "El equipo o el celular no se conecta a la red inalámbrica de la Alcaldía o pide la contraseña una y otra vez.",
        "1. Olvide la red en su dispositivo y conéctese de nuevo.\n2. Use su usuario de red (nombre.apellido) y la contraseña del computador.\n3. Si cambió su contraseña hace poco, espere 15 minutos para que se sincronice.\n4. Si sigue sin conexión, solicite *Acceso a la red inalámbrica (Wi-Fi)* en el catálogo.",
    ),
    (
        "infraestructura-y-soporte-ti",
        "public",
        "Cómo conectarse a la VPN desde casa",
        "Necesito trabajar en casa con las carpetas compartidas y los sistemas de información de la entidad.",
        "1. Solicite el servicio *Acceso remoto (VPN)* adjuntando el formato firmado por su jefe.\n2. Instale el cliente VPN que le envía la mesa de servicios.\n3. Ingrese con su usuario de red y el código de su aplicación de autenticación.\n4. Al terminar, desconéctese para liberar la licencia.",
    ),
    (
        "infraestructura-y-soporte-ti",
        "internal",
        "Reiniciar el servicio de cola de impresión (Spooler) en el equipo del usuario",
        "La cola de impresión no se vacía al cancelar los documentos.",
        "1. Conéctese al equipo por asistencia remota.\n2. En una consola como administrador ejecute `net stop spooler`.\n3. Borre el contenido de `C:\\Windows\\System32\\spool\\PRINTERS`.\n4. Ejecute `net start spooler` y pida al usuario imprimir una página de prueba.",
    ),
];

/// The demo's knowledge base: published articles (es-CO) by the specialist, reviewed by the
/// desk's supervisor. An article already there (same desk and title) is left as it is.
async fn demo_kb(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    use crate::db::schema::{catalog_nodes, desks, users};
    use crate::kb::domain::{ArticleAudience, ArticleStatus};
    use crate::kb::schema::kb_articles;
    use crate::kb::store::{insert, NewArticle};
    let desk: Uuid = desks::table.filter(desks::code.eq("TIC")).select(desks::id).first(conn).await?;
    let author: Uuid = users::table.filter(users::username.eq("especialista.n2")).select(users::id).first(conn).await?;
    let reviewer: Uuid = users::table.filter(users::username.eq("supervisor.tic")).select(users::id).first(conn).await?;
    for (category, audience, title, symptom, body) in DEMO_ARTICLES {
        let exists: bool =
            diesel::select(diesel::dsl::exists(kb_articles::table.filter(kb_articles::desk_id.eq(desk)).filter(kb_articles::title.eq(*title)))).get_result(conn).await?;
        if exists {
            continue;
        }
        let category_id: Option<Uuid> =
            catalog_nodes::table.filter(catalog_nodes::desk_id.eq(desk)).filter(catalog_nodes::code.eq(*category)).select(catalog_nodes::id).first(conn).await.optional()?;
        let row = insert(
            conn,
            NewArticle {
                desk_id: desk,
                category_id,
                audience: audience.parse::<ArticleAudience>().map_err(anyhow::Error::msg)?,
                status: ArticleStatus::Published,
                title: (*title).into(),
                symptom: (*symptom).into(),
                body: (*body).into(),
                links: vec![],
                author_id: author,
                source_ticket_id: None,
            },
        )
        .await?;
        let now = chrono::Utc::now();
        diesel::update(kb_articles::table.find(row.id))
            .set((kb_articles::reviewer_id.eq(reviewer), kb_articles::reviewed_at.eq(now), kb_articles::published_at.eq(now)))
            .execute(conn)
            .await?;
    }
    Ok(())
}

struct DemoSla {
    office: Uuid,
    tic: Uuid,
    adm: Uuid,
    critical: Uuid,
}

/// Calendars and policies as in the seeds: Mon–Fri 7:30–17:00 with Colombian holidays. TIC: attention
/// within 1 h for incidents and 2 h for requests (seed 001; 1 h for critical requests too), so within
/// every service's promised resolution (2.5 h at the least, seed 002); resolution per priority, or
/// the service's promise, and once escalated the specialists' (2 days) or the provider's (3 days).
/// A 24×7 policy for critical infrastructure.
async fn demo_sla(conn: &mut AsyncPgConnection) -> anyhow::Result<DemoSla> {
    use crate::db::schema::{calendars, sla_policies};
    use serde_json::json;
    let office = json!([
        {"weekday": "mon", "start": "07:30", "end": "17:00"}, {"weekday": "tue", "start": "07:30", "end": "17:00"},
        {"weekday": "wed", "start": "07:30", "end": "17:00"}, {"weekday": "thu", "start": "07:30", "end": "17:00"},
        {"weekday": "fri", "start": "07:30", "end": "17:00"}
    ]);
    let mut calendar = async |name: &str, always_open: bool, country: Option<&str>, intervals: serde_json::Value| -> anyhow::Result<Uuid> {
        diesel::insert_into(calendars::table)
            .values((
                calendars::id.eq(Uuid::now_v7()),
                calendars::name.eq(name),
                calendars::always_open.eq(always_open),
                calendars::country.eq(country),
                calendars::intervals.eq(intervals),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        Ok(calendars::table.filter(calendars::name.eq(name)).select(calendars::id).first(conn).await?)
    };
    let office_id = calendar("Lunes a viernes 7:30–17:00 (Colombia)", false, Some("CO"), office).await?;
    let always_id = calendar("24×7", true, None, json!([])).await?;
    let target = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let mut policy = async |name: &str, calendar_id: Uuid, targets: serde_json::Value, rules: serde_json::Value| -> anyhow::Result<Uuid> {
        let parsed: crate::sla::policy::Targets = serde_json::from_value(targets.clone())?;
        let problems = crate::sla::policy::validate(&parsed, 0.75, &[]);
        anyhow::ensure!(problems.is_empty(), "demo policy {name}: {problems:?}");
        diesel::insert_into(sla_policies::table)
            .values((
                sla_policies::id.eq(Uuid::now_v7()),
                sla_policies::name.eq(name),
                sla_policies::calendar_id.eq(calendar_id),
                sla_policies::targets.eq(&targets),
                sla_policies::rules.eq(rules),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
        let id = sla_policies::table.filter(sla_policies::name.eq(name)).select(sla_policies::id).first(conn).await?;
        // A demo seeded by an older release gets the current targets (a new version, re-measured).
        let changed = diesel::update(sla_policies::table.find(id).filter(sla_policies::targets.ne(&targets)))
            .set((sla_policies::targets.eq(&targets), sla_policies::version.eq(sla_policies::version + 1), sla_policies::updated_at.eq(chrono::Utc::now())))
            .execute(conn)
            .await?;
        if changed > 0 {
            crate::jobs::enqueue_recompute(conn, &format!("demo policy {name} updated")).await?;
        }
        Ok(id)
    };
    let watch = |rules: &[(&str, f64, &str)]| {
        serde_json::Value::Array(rules.iter().map(|(clock, share, action)| json!({"id": Uuid::now_v7(), "clock": clock, "at_share": share, "action": action})).collect())
    };
    let tic = policy(
        "ANS Tecnologías de la Información",
        office_id,
        json!({
            "critical": target(60, 240), "high": target(120, 480), "medium": target(120, 1140), "low": target(120, 1710),
            "overrides": [
                {"ticket_type": "incident", "tto_minutes": 60},
                {"ticket_type": "request", "tto_minutes": 120},
                {"priority": "critical", "ticket_type": "request", "tto_minutes": 60},
                {"level": 2, "ttr_minutes": 1140},
                {"level": 3, "ttr_minutes": 1710},
                {"priority": "critical", "level": 2, "ttr_minutes": 480},
                {"priority": "critical", "level": 3, "ttr_minutes": 960}
            ]
        }),
        watch(&[("tto", 1.0, "notify_supervisor"), ("ttr", 0.75, "notify_supervisor"), ("ttr", 1.0, "escalate")]),
    )
    .await?;
    let adm = policy(
        "ANS Servicios administrativos",
        office_id,
        json!({"critical": target(120, 570), "high": target(240, 1140), "medium": target(570, 2850), "low": target(1140, 5700)}),
        watch(&[("ttr", 1.0, "notify_supervisor")]),
    )
    .await?;
    let critical = policy(
        "ANS infraestructura crítica 24×7",
        always_id,
        json!({"critical": target(30, 240), "high": target(60, 480), "medium": target(120, 960), "low": target(240, 1440)}),
        watch(&[("tto", 1.0, "notify_supervisor"), ("ttr", 1.0, "escalate")]),
    )
    .await?;
    Ok(DemoSla { office: office_id, tic, adm, critical })
}

async fn assign_demo_sla(conn: &mut AsyncPgConnection, sla: &DemoSla) -> anyhow::Result<()> {
    use crate::db::schema::{catalog_nodes, desks, services};
    let critical = sla.critical;
    for (code, policy_id) in [("TIC", sla.tic), ("ADM", sla.adm)] {
        diesel::update(desks::table.filter(desks::code.eq(code))).set((desks::calendar_id.eq(sla.office), desks::sla_policy_id.eq(policy_id))).execute(conn).await?;
    }
    let critical_services: Vec<Uuid> = catalog_nodes::table
        .filter(catalog_nodes::code.eq_any(["administracion-de-firewall-perimetral", "administracion-de-servidores", "administracion-de-redes"]))
        .select(catalog_nodes::id)
        .load(conn)
        .await?;
    diesel::update(services::table.filter(services::node_id.eq_any(critical_services))).set(services::sla_policy_id.eq(critical)).execute(conn).await?;
    Ok(())
}

async fn demo_desks(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    use crate::db::schema::{desk_supervisors, desks, group_members, support_groups, users};
    use diesel_async::AsyncConnection;
    for text in DEMO_CATALOGS {
        let doc: CatalogDocument = serde_json::from_str(text)?;
        conn.transaction(async |conn| -> anyhow::Result<()> {
            let desk_id: Uuid = match desks::table.filter(desks::code.eq(&doc.desk.code)).select(desks::id).first(conn).await.optional()? {
                Some(id) => id,
                None => {
                    let id = Uuid::now_v7();
                    diesel::insert_into(desks::table)
                        .values((
                            desks::id.eq(id),
                            desks::code.eq(&doc.desk.code),
                            desks::name.eq(&doc.desk.name),
                            desks::description.eq(&doc.desk.description),
                            desks::mailbox.eq(&doc.desk.mailbox),
                            desks::timezone.eq(doc.desk.timezone.clone().unwrap_or_else(|| "America/Bogota".into())),
                            desks::auto_close_hours.eq(doc.desk.auto_close_hours.unwrap_or(48)),
                            desks::survey_satisfied_min.eq(doc.desk.survey_satisfied_min.unwrap_or(3)),
                        ))
                        .execute(conn)
                        .await?;
                    id
                }
            };
            import(conn, desk_id, &doc).await.map_err(|e| anyhow::anyhow!("demo catalog {}: {:?}", doc.desk.code, e.problem()))?;
            let supervisor: Uuid = users::table.filter(users::username.eq("supervisor.tic")).select(users::id).first(conn).await?;
            diesel::insert_into(desk_supervisors::table)
                .values((desk_supervisors::desk_id.eq(desk_id), desk_supervisors::user_id.eq(supervisor)))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
            for (code, group, members) in MEMBERSHIPS.iter().filter(|(c, ..)| *c == doc.desk.code) {
                let group_id: Uuid = support_groups::table
                    .filter(support_groups::desk_id.eq(desk_id))
                    .filter(support_groups::name.eq(group))
                    .select(support_groups::id)
                    .first(conn)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo group {code}/{group}: {e}"))?;
                let ids: Vec<Uuid> = users::table.filter(users::username.eq_any(*members)).select(users::id).load(conn).await?;
                let rows: Vec<_> = ids.iter().map(|u| (group_members::group_id.eq(group_id), group_members::user_id.eq(*u))).collect();
                diesel::insert_into(group_members::table).values(rows).on_conflict_do_nothing().execute(conn).await?;
            }
            Ok(())
        })
        .await?;
    }
    Ok(())
}
