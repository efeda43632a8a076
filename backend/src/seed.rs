//! Demo data (`mesa seed --demo`): organizations of a Colombian city, and people to try every role.
//! Re-runnable: existing rows are updated, nothing is duplicated.
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::auth::password;
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
    (
        "Departamento Administrativo de Tecnologías de la Información y las Comunicaciones",
        "DATIC",
        &["Subdirección de Tecnología Digital", "Mesa de servicios"],
    ),
    ("Secretaría de Hacienda", "SHAC", &["Subdirección de Tesorería", "Subdirección de Impuestos y Rentas"]),
    ("Secretaría de Educación", "SEDU", &["Subsecretaría de Cobertura Educativa", "Oficina de Talento Humano"]),
    ("Secretaría de Salud Pública", "SSAL", &["Subsecretaría de Salud Pública", "Oficina de Atención al Ciudadano"]),
];

const LOCATIONS: &[(&str, &str)] = &[
    ("CAM - Torre Alcaldía", "Avenida 2 Norte # 10-70"),
    ("Sede Educación - Centro", "Carrera 5 # 6-05"),
    ("Sede Salud - San Fernando", "Calle 4B # 36-00"),
];

const USERS: &[DemoUser] = &[
    DemoUser { username: "admin", display_name: "Administrador de Mesa", role: Role::Admin, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "supervisor.tic", display_name: "Sandra Villa (gestora de la mesa)", role: Role::Supervisor, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "agente.n1", display_name: "Andrés Agudelo (agente nivel 1)", role: Role::Agent, organization: "DATIC", area: "Mesa de servicios" },
    DemoUser { username: "especialista.n2", display_name: "Diana Castro (especialista nivel 2)", role: Role::Agent, organization: "DATIC", area: "Subdirección de Tecnología Digital" },
    DemoUser { username: "proveedor.n3", display_name: "Redes del Pacífico S.A.S. (proveedor nivel 3)", role: Role::Agent, organization: "DATIC", area: "Subdirección de Tecnología Digital" },
    DemoUser { username: "lucia.martinez", display_name: "Lucía Martínez", role: Role::Requester, organization: "SHAC", area: "Subdirección de Tesorería" },
    DemoUser { username: "pedro.suarez", display_name: "Pedro Suárez", role: Role::Requester, organization: "SEDU", area: "Subsecretaría de Cobertura Educativa" },
];

pub async fn demo(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let mut orgs = std::collections::HashMap::new();
    for (name, short, areas) in ORGANIZATIONS {
        let org = find_or_create_organization(conn, name).await?;
        diesel::update(crate::db::schema::organizations::table.find(org))
            .set(crate::db::schema::organizations::short_name.eq(*short))
            .execute(conn)
            .await?;
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
    Ok(())
}
