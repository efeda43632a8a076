//! The expansion job: each pending notification becomes one rendered outbox mail per recipient,
//! and is marked expanded in the same transaction. Batches are claimed with `FOR UPDATE SKIP
//! LOCKED`, so several runners never expand one twice; a runner that dies mid-batch leaves it
//! pending (its transaction rolls back), and `UNIQUE (notification_id, to_address)` keeps a
//! repeated expansion from adding mail.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::domain::{self, CaseFacts, Kind, Lang, Person};
use super::templates::{self, Parts, Renderer};
use super::MailEnv;
use crate::db::schema::{catalog_nodes, desk_supervisors, desks, group_members, mail_templates, notification_opt_outs, notifications, outbox, support_groups, tickets, users};

/// Notifications per transaction.
pub const BATCH: i64 = 200;
/// Outbox rows per INSERT (18 parameters each, under Postgres' 65,535).
const INSERT_CHUNK: usize = 1_000;

/// The sender of a desk's mail: `"Desk name <mailbox>"`, or the global address.
pub fn sender(desk_name: &str, mailbox: Option<&str>, global: &str) -> String {
    let address = mailbox.filter(|m| m.parse::<lettre::Address>().is_ok()).unwrap_or(global);
    let name = desk_name.replace(['"', '\\', '\r', '\n'], " ");
    format!("\"{name}\" <{address}>")
}

/// Expands every pending notification, batch by batch; returns how many mails were queued.
pub async fn run(conn: &mut AsyncPgConnection, env: &MailEnv, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut total = 0;
    loop {
        let (claimed, queued) = conn.transaction(async |conn| -> anyhow::Result<(usize, usize)> { expand_batch(conn, env, now).await }).await?;
        total += queued;
        if claimed < BATCH as usize {
            return Ok(total);
        }
    }
}

#[derive(Queryable)]
struct Pending {
    id: Uuid,
    kind: String,
    ticket_id: Uuid,
    desk_id: Uuid,
    actor_id: Option<Uuid>,
    data: Value,
}

type Case = (Uuid, i64, String, Uuid, Uuid);
type Desk = (Uuid, String, Option<String>, Vec<String>);
type User = (Uuid, String, Option<String>, bool, String);

/// One batch, in the caller's transaction: returns how many notifications it claimed and how
/// many mails it queued.
async fn expand_batch(conn: &mut AsyncPgConnection, env: &MailEnv, now: DateTime<Utc>) -> anyhow::Result<(usize, usize)> {
    let pending: Vec<Pending> = notifications::table
        .filter(notifications::expanded_at.is_null())
        .order((notifications::created_at, notifications::id))
        .limit(BATCH)
        .select((notifications::id, notifications::kind, notifications::ticket_id, notifications::desk_id, notifications::actor_id, notifications::data))
        .for_update()
        .skip_locked()
        .load(conn)
        .await?;
    if pending.is_empty() {
        return Ok((0, 0));
    }
    let uuid_of = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).and_then(|s| s.parse::<Uuid>().ok());
    let ticket_ids: Vec<Uuid> = pending.iter().map(|n| n.ticket_id).collect();
    let desk_ids: Vec<Uuid> = pending.iter().map(|n| n.desk_id).collect::<HashSet<_>>().into_iter().collect();
    let group_ids: Vec<Uuid> = pending.iter().filter_map(|n| uuid_of(&n.data, "group_id")).collect::<HashSet<_>>().into_iter().collect();
    let service_ids: Vec<Uuid> = pending.iter().filter_map(|n| uuid_of(&n.data, "service_id")).collect::<HashSet<_>>().into_iter().collect();

    let cases: HashMap<Uuid, Case> = tickets::table
        .filter(tickets::id.eq_any(&ticket_ids))
        .select((tickets::id, tickets::number, tickets::subject, tickets::requester_id, tickets::service_id))
        .load::<Case>(conn)
        .await?
        .into_iter()
        .map(|c| (c.0, c))
        .collect();
    let desk_rows: HashMap<Uuid, Desk> = desks::table
        .filter(desks::id.eq_any(&desk_ids))
        .select((desks::id, desks::name, desks::mailbox, desks::notifications_off))
        .load::<Desk>(conn)
        .await?
        .into_iter()
        .map(|d| (d.0, d))
        .collect();
    let group_names: HashMap<Uuid, String> =
        support_groups::table.filter(support_groups::id.eq_any(&group_ids)).select((support_groups::id, support_groups::name)).load(conn).await?.into_iter().collect();
    let service_names: HashMap<Uuid, String> =
        catalog_nodes::table.filter(catalog_nodes::id.eq_any(&service_ids)).select((catalog_nodes::id, catalog_nodes::name)).load(conn).await?.into_iter().collect();
    let mut members: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (g, u) in group_members::table
        .filter(group_members::group_id.eq_any(&group_ids))
        .select((group_members::group_id, group_members::user_id))
        .order(group_members::user_id)
        .load::<(Uuid, Uuid)>(conn)
        .await?
    {
        members.entry(g).or_default().push(u);
    }
    let mut supervisors: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (d, u) in desk_supervisors::table
        .filter(desk_supervisors::desk_id.eq_any(&desk_ids))
        .select((desk_supervisors::desk_id, desk_supervisors::user_id))
        .order(desk_supervisors::user_id)
        .load::<(Uuid, Uuid)>(conn)
        .await?
    {
        supervisors.entry(d).or_default().push(u);
    }
    // Everyone a mail may name or go to.
    let mut people: HashSet<Uuid> = HashSet::new();
    for n in &pending {
        people.extend(n.actor_id);
        people.extend(uuid_of(&n.data, "agent_id"));
        if let Some(c) = cases.get(&n.ticket_id) {
            people.insert(c.3);
        }
    }
    people.extend(members.values().flatten());
    people.extend(supervisors.values().flatten());
    let people: Vec<Uuid> = people.into_iter().collect();
    let mut persons: HashMap<Uuid, Person> = users::table
        .filter(users::id.eq_any(&people))
        .select((users::id, users::display_name, users::email, users::active, users::locale))
        .load::<User>(conn)
        .await?
        .into_iter()
        .map(|(id, name, email, active, locale)| (id, Person { id, name, email, active, locale, opted_out: vec![] }))
        .collect();
    for (u, k) in notification_opt_outs::table
        .filter(notification_opt_outs::user_id.eq_any(&people))
        .select((notification_opt_outs::user_id, notification_opt_outs::kind))
        .load::<(Uuid, String)>(conn)
        .await?
    {
        if let Some(p) = persons.get_mut(&u) {
            p.opted_out.push(k);
        }
    }
    let custom: HashMap<(Uuid, String, String), Parts> = mail_templates::table
        .filter(mail_templates::desk_id.eq_any(&desk_ids))
        .select((mail_templates::desk_id, mail_templates::kind, mail_templates::locale, mail_templates::subject, mail_templates::body_text, mail_templates::body_html))
        .load::<(Uuid, String, String, String, String, String)>(conn)
        .await?
        .into_iter()
        .map(|(d, k, l, subject, text, html)| ((d, k, l), Parts { subject, text, html }))
        .collect();

    let host = env.host();
    let base = env.base_url();
    let mut renderer = Renderer::default();
    let mut rows = Vec::new();
    // One mail per address and notification, even when two people share an address.
    let mut addressed: HashSet<(Uuid, String)> = HashSet::new();
    for n in &pending {
        let (Some(kind), Some(case), Some(desk)) = (Kind::parse(&n.kind), cases.get(&n.ticket_id), desk_rows.get(&n.desk_id)) else {
            log::warn!("notification {} ({}) names no known kind, case or desk: skipped", n.id, n.kind);
            continue;
        };
        if desk.3.iter().any(|off| off == kind.as_str()) {
            continue;
        }
        let group_id = uuid_of(&n.data, "group_id");
        let agent_id = uuid_of(&n.data, "agent_id");
        let facts = CaseFacts {
            requester_id: case.3,
            agent_id,
            group_members: group_id.and_then(|g| members.get(&g)).cloned().unwrap_or_default(),
            supervisors: supervisors.get(&n.desk_id).cloned().unwrap_or_default(),
        };
        let name = |id: Option<Uuid>| id.and_then(|i| persons.get(&i)).map(|p| json!(p.name)).unwrap_or(Value::Null);
        for (recipient, role) in domain::recipients(kind, &facts, n.actor_id, &n.data) {
            let Some(person) = persons.get(&recipient) else { continue };
            if !domain::deliverable(kind, person) || !addressed.insert((n.id, person.email.clone().unwrap_or_default().to_lowercase())) {
                continue;
            }
            let lang = Lang::of_locale(&person.locale);
            let label = |key: &str| n.data.get(key).and_then(Value::as_str).map(|c| json!(domain::label(lang, c))).unwrap_or(Value::Null);
            let mut ctx = Map::new();
            // The kind's own data first (reason, solution, note…), then what every mail shows.
            if let Value::Object(data) = &n.data {
                for (k, v) in data {
                    if templates::VARIABLES.contains(&k.as_str()) {
                        ctx.insert(k.clone(), v.clone());
                    }
                }
            }
            for (k, v) in [
                ("lang", json!(lang.as_str())),
                ("kind", json!(kind.as_str())),
                ("number", json!(case.1)),
                ("subject", json!(case.2)),
                ("url", json!(format!("{base}/tickets/{}", case.1))),
                ("public_url", json!(base)),
                ("desk", json!(desk.1)),
                ("service", uuid_of(&n.data, "service_id").and_then(|s| service_names.get(&s)).map(|s| json!(s)).unwrap_or(Value::Null)),
                ("group", group_id.and_then(|g| group_names.get(&g)).map(|g| json!(g)).unwrap_or(Value::Null)),
                ("agent", name(agent_id)),
                ("requester", name(Some(case.3))),
                ("recipient", json!(person.name)),
                ("actor", name(n.actor_id)),
                ("role", json!(role)),
                ("status", label("status")),
                ("priority", label("priority")),
                ("type", label("type")),
                ("hold_reason", label("hold_reason")),
                ("clock", label("clock")),
                (
                    "survey_url",
                    match (uuid_of(&n.data, "survey_id"), &env.survey_key) {
                        (Some(id), Some(key)) => json!(crate::surveys::token::url(&env.public_url, &key.token(id))),
                        _ => Value::Null,
                    },
                ),
                (
                    "desist_at",
                    n.data
                        .get("desist_at")
                        .and_then(Value::as_str)
                        .and_then(|s| s.parse::<DateTime<Utc>>().ok())
                        .map(|d| json!(d.format("%Y-%m-%d").to_string()))
                        .unwrap_or(Value::Null),
                ),
            ] {
                ctx.insert(k.to_owned(), v);
            }
            let ctx = templates::complete(ctx);
            let key = (n.desk_id, kind.as_str().to_owned(), lang.as_str().to_owned());
            let rendered = match custom.get(&key) {
                Some(parts) => renderer.render(&format!("{}.{}.{}", n.desk_id, kind.as_str(), lang.as_str()), parts, &ctx).or_else(|e| {
                    // A desk's template was checked when saved; should it fail on a real case, the
                    // built-in one still tells the person.
                    log::warn!("desk {} template {}/{}: {}: {}; using the built-in one", n.desk_id, kind.as_str(), lang.as_str(), e.field, e.message);
                    renderer.render(&format!("builtin.{}.{}", kind.as_str(), lang.as_str()), &templates::builtin(kind, lang), &ctx)
                }),
                None => renderer.render(&format!("builtin.{}.{}", kind.as_str(), lang.as_str()), &templates::builtin(kind, lang), &ctx),
            };
            let rendered = match rendered {
                Ok(r) => r,
                Err(e) => {
                    log::error!("notification {}: the built-in template {} failed: {}", n.id, kind.as_str(), e.message);
                    continue;
                }
            };
            let id = Uuid::now_v7();
            let email = person.email.clone().unwrap_or_default();
            rows.push((
                outbox::id.eq(id),
                outbox::notification_id.eq(Some(n.id)),
                outbox::kind.eq(kind.as_str()),
                outbox::ticket_id.eq(Some(n.ticket_id)),
                outbox::ticket_number.eq(Some(case.1)),
                outbox::desk_id.eq(Some(n.desk_id)),
                outbox::recipient_id.eq(Some(recipient)),
                outbox::to_address.eq(email),
                outbox::from_address.eq(sender(&desk.1, desk.2.as_deref(), &env.from)),
                outbox::reply_to.eq(desk.2.clone()),
                outbox::locale.eq(lang.as_str()),
                outbox::subject.eq(domain::numbered_subject(Some(case.1), &rendered.subject)),
                outbox::body_text.eq(rendered.text),
                outbox::body_html.eq(rendered.html),
                outbox::message_id.eq(domain::message_id(Some(case.1), id, &host)),
                outbox::thread_id.eq(Some(domain::thread_id(case.1, &host))),
                outbox::next_attempt_at.eq(now),
                outbox::created_at.eq(now),
            ));
        }
    }
    let queued = rows.len();
    for chunk in rows.chunks(INSERT_CHUNK) {
        diesel::insert_into(outbox::table).values(chunk.to_vec()).on_conflict((outbox::notification_id, outbox::to_address)).do_nothing().execute(conn).await?;
    }
    let ids: Vec<Uuid> = pending.iter().map(|n| n.id).collect();
    diesel::update(notifications::table.filter(notifications::id.eq_any(&ids))).set(notifications::expanded_at.eq(now)).execute(conn).await?;
    Ok((pending.len(), queued))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sender_is_the_desks_mailbox_or_the_global_address() {
        assert_eq!(sender("TIC", Some("mesadeservicios@itagui.gov.co"), "mesa@x.gov.co"), "\"TIC\" <mesadeservicios@itagui.gov.co>");
        assert_eq!(sender("Servicios \"adm\"", None, "mesa@x.gov.co"), "\"Servicios  adm \" <mesa@x.gov.co>");
        assert_eq!(sender("TIC", Some("not an address"), "mesa@x.gov.co"), "\"TIC\" <mesa@x.gov.co>");
        assert!(sender("Tecnologías\r\nBcc: x", None, "mesa@x.gov.co").parse::<lettre::message::Mailbox>().is_ok());
    }
}
