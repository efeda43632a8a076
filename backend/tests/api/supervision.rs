//! The supervisor's overview of a desk and the members a case can be assigned to: counts by group
//! and agent, and who may read them (the desk's supervisors and admins; agents only the members
//! of their desks' groups).
use diesel_async::{AsyncConnection, RunQueryDsl};
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::tickets::desk;

const PW: &str = "Buena.Clave2026";

fn group<'a>(o: &'a Value, id: &str) -> &'a Value {
    o["groups"].as_array().unwrap().iter().find(|g| g["group"]["id"] == id).unwrap_or_else(|| panic!("no group {id} in {o}"))
}

fn agent<'a>(o: &'a Value, name: &str) -> &'a Value {
    o["agents"].as_array().unwrap().iter().find(|a| a["agent"]["name"] == name).unwrap_or_else(|| panic!("no agent {name} in {o}"))
}

#[tokio::test]
async fn a_supervisor_sees_her_desk_counted_by_group_and_agent() {
    let d = desk().await;
    let app = &d.app;
    let t = |tto: i32, ttr: i32| json!({"tto_minutes": tto, "ttr_minutes": ttr});
    let policy = app
        .post("/sla-policies", Some(&d.admin), json!({"name": "ANS TIC", "targets": {"critical": t(60, 240), "high": t(120, 480), "medium": t(300, 1140), "low": t(1080, 1710)}}))
        .await;
    assert_eq!(policy.status, 201, "{}", policy.body);
    let sup_id = app.create_local_user("gestora.tic", PW, Role::Supervisor).await;
    let r = app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [sup_id], "sla_policy_id": policy.body["id"]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sup = app.token("gestora.tic", PW).await;

    let mut conn = diesel_async::AsyncPgConnection::establish(&app.config.database_url).await.unwrap();
    let absent = |until: &'static str| format!("UPDATE users SET absent_until = {until} WHERE username = 'agente.n1'");
    let mut numbers = vec![];
    for subject in ["Sin red en el piso 3", "Impresora atascada", "Correo no sincroniza", "Equipo lento"] {
        // The third arrives while the first level's only agent is away: it waits unassigned.
        let away = subject == "Correo no sincroniza";
        if away {
            diesel::sql_query(absent("now() + interval '1 hour'")).execute(&mut conn).await.unwrap();
        }
        numbers.push(d.open(&d.pedro, subject).await["number"].as_i64().unwrap());
        if away {
            diesel::sql_query(absent("NULL")).execute(&mut conn).await.unwrap();
        }
    }
    // One taken by the first level, one escalated to the specialists and taken there.
    d.ok(&d.agent_n1, numbers[0], "take", json!({})).await;
    d.ok(&d.agent_n1, numbers[1], "take", json!({})).await;
    d.ok(&d.agent_n1, numbers[1], "escalate", json!({"level": 2, "group_id": d.n2, "reason": "Red"})).await;
    d.ok(&d.agent_n2, numbers[1], "take", json!({})).await;
    // Clocks moved: the first breached, the second past 75 % of its time, the third within.
    for (n, created, due) in [(numbers[0], "10 hours", "-1 hour"), (numbers[1], "9 hours", "1 hour"), (numbers[2], "1 hour", "9 hours")] {
        diesel::sql_query(format!("UPDATE tickets SET created_at = now() - interval '{created}', resolution_due_at = now() + interval '{due}' WHERE number = {n}"))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    // Done cases are not counted.
    d.ok(&d.agent_n1, numbers[3], "take", json!({})).await;
    d.ok(&d.agent_n1, numbers[3], "resolve", json!({"solution": "Se liberó espacio en disco"})).await;

    let r = app.get(&format!("/desks/{}/overview", d.desk), &sup).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let o = r.body;
    assert_eq!(o["desk"]["id"], json!(d.desk));
    assert_eq!(o["totals"], json!({"open": 3, "unassigned": 1, "at_risk": 1, "breached": 1, "on_hold": 0}), "{o}");
    let n1 = group(&o, &d.n1);
    assert_eq!((n1["counts"]["open"].clone(), n1["counts"]["breached"].clone(), n1["counts"]["unassigned"].clone()), (json!(2), json!(1), json!(1)));
    assert_eq!(n1["available_members"], 1);
    assert_eq!(group(&o, &d.n2)["counts"]["at_risk"], 1);
    assert_eq!(group(&o, &d.n3)["counts"]["open"], 0, "an empty group is listed too");
    assert_eq!(agent(&o, "Usuario agente.n1")["counts"]["open"], 1);
    assert_eq!(agent(&o, "Usuario especialista.n2")["counts"]["at_risk"], 1);
    assert_eq!(agent(&o, "Usuario proveedor.n3")["available"], true);

    // An absent member is not available.
    diesel::sql_query("UPDATE users SET absent_until = now() + interval '1 day' WHERE username = 'proveedor.n3'").execute(&mut conn).await.unwrap();
    let o = app.get(&format!("/desks/{}/overview", d.desk), &sup).await.body;
    assert_eq!((agent(&o, "Usuario proveedor.n3")["available"].clone(), group(&o, &d.n3)["available_members"].clone()), (json!(false), json!(0)));
    // Admins read it as well.
    assert_eq!(app.get(&format!("/desks/{}/overview", d.desk), &d.admin).await.status, 200);
}

#[tokio::test]
async fn the_overview_is_for_the_desks_supervisors_only() {
    let d = desk().await;
    let app = &d.app;
    let other = app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body["id"].as_str().unwrap().to_owned();
    let sup_id = app.create_local_user("gestor.adm", PW, Role::Supervisor).await;
    assert_eq!(app.patch(&format!("/desks/{other}"), &d.admin, json!({"supervisor_ids": [sup_id]})).await.status, 200);
    let other_sup = app.token("gestor.adm", PW).await;
    let path = format!("/desks/{}/overview", d.desk);
    // Another desk's supervisor, an agent of this desk and a requester: forbidden.
    for token in [&other_sup, &d.agent_n1, &d.pedro] {
        app.get(&path, token).await.assert_problem(403, "forbidden");
    }
    assert_eq!(app.get(&format!("/desks/{other}/overview"), &other_sup).await.status, 200);
    // A desk that does not exist, and an id that is not one.
    app.get(&format!("/desks/{}/overview", uuid::Uuid::now_v7()), &d.admin).await.assert_problem(404, "not_found");
    assert_eq!(app.call(Method::GET, "/desks/1%20OR%201=1/overview", Some(&d.admin), None).await.status, 404);
    assert_eq!(app.call(Method::GET, &path, None, None).await.status, 401);
}

#[tokio::test]
async fn members_of_a_group_with_their_availability_and_load() {
    let d = desk().await;
    let app = &d.app;
    let n = d.open(&d.pedro, "Sin red").await["number"].as_i64().unwrap();
    d.ok(&d.agent_n1, n, "take", json!({})).await;
    let r = app.get(&format!("/groups/{}/members", d.n1), &d.agent_n1).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body.as_array().unwrap().len(), 1);
    let m = &r.body[0];
    assert_eq!((m["user"]["name"].clone(), m["available"].clone(), m["open_cases"].clone()), (json!("Usuario agente.n1"), json!(true), json!(1)));
    // Another desk's group: its agents are not this desk's to read; requesters read none.
    let other = app.post("/desks", Some(&d.admin), json!({"code": "ADM", "name": "Servicios administrativos"})).await.body["id"].as_str().unwrap().to_owned();
    let g = app.post("/groups", Some(&d.admin), json!({"desk_id": other, "name": "Almacén", "level": 1})).await.body["id"].as_str().unwrap().to_owned();
    app.get(&format!("/groups/{g}/members"), &d.agent_n1).await.assert_problem(403, "forbidden");
    app.get(&format!("/groups/{}/members", d.n1), &d.pedro).await.assert_problem(403, "forbidden");
    assert_eq!(app.get(&format!("/groups/{g}/members"), &d.admin).await.status, 200);
    app.get(&format!("/groups/{}/members", uuid::Uuid::now_v7()), &d.admin).await.assert_problem(404, "not_found");
    // Setting members still works on the same path.
    let r = app.call(Method::PUT, &format!("/groups/{g}/members"), Some(&d.admin), Some(json!({"user_ids": []}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
}
