//! Reference data: desks, catalog nodes and services, support groups, calendars, SLA policies
//! and which events the webhooks subscribe to.
//! Almost every request reads them; admins change them rarely. Each process keeps one copy in
//! memory and reloads it when `reference_generation` moves: triggers bump that number on every
//! committed change to those tables, and the caller's own query reads it (`auth::CurrentUser`),
//! so a request never uses data older than its own start and checking costs no round trip.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use uuid::Uuid;

use crate::catalog::domain::CatalogNode;
use crate::sla::catalogue::Catalogue;

#[derive(Debug, Deserialize)]
pub struct DeskRef {
    pub active: bool,
    /// Organizations the desk serves; empty means every one.
    pub organization_ids: Vec<Uuid>,
    /// Registration requires the requester's identity number.
    #[serde(default)]
    pub require_identity_number: bool,
    /// Staff may close a resolved case with a recorded reason (the survey definition).
    #[serde(default)]
    pub staff_close_allowed: bool,
}

#[derive(Debug, Deserialize)]
pub struct GroupRef {
    pub desk_id: Uuid,
    pub name: String,
    pub level: i16,
    pub active: bool,
}

#[derive(Debug, Deserialize)]
pub struct NodeRef {
    pub desk_id: Uuid,
    /// Without children.
    pub node: CatalogNode,
}

/// One consistent copy of the reference data.
pub struct Reference {
    pub generation: i64,
    pub sla: Catalogue,
    pub desks: HashMap<Uuid, DeskRef>,
    pub groups: HashMap<Uuid, GroupRef>,
    pub nodes: HashMap<Uuid, NodeRef>,
    /// The organizations each group serves through the services' routes by organization (a
    /// secretariat's own first-level team): see `tickets::access`.
    pub route_organizations: HashMap<Uuid, Vec<Uuid>>,
    /// People's display names, filled as answers need them: there are too many people to load up
    /// front, and lists showed them with one more statement per page. A rename bumps the
    /// generation (migration 000014), so no name here is older than this copy.
    user_names: RwLock<HashMap<Uuid, String>>,
    /// The events some active webhook subscribes to (migration 000030 bumps the generation when
    /// a subscription changes): a change that nobody listens to skips the subscribers' query.
    webhook_events: Vec<String>,
}

#[derive(Deserialize)]
struct Doc {
    desks: HashMap<Uuid, DeskRef>,
    groups: HashMap<Uuid, GroupRef>,
    nodes: Vec<NodeRef>,
    webhook_events: Vec<String>,
}

impl Reference {
    /// Reads everything (two statements for the catalog side, three for the SLA side).
    pub async fn load(conn: &mut AsyncPgConnection) -> QueryResult<Reference> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            generation: i64,
            #[diesel(sql_type = Text)]
            doc: String,
        }
        let sql = format!(
            "SELECT (SELECT n FROM reference_generation) AS generation, json_build_object(
                'desks', COALESCE((SELECT json_object_agg(d.id, json_build_object('active', d.active, 'require_identity_number', d.require_identity_number, 'staff_close_allowed', d.staff_close_allowed, 'organization_ids',
                             COALESCE((SELECT json_agg(o.organization_id) FROM desk_organizations o WHERE o.desk_id = d.id), '[]'::json)))
                         FROM desks d), '{{}}'::json),
                'groups', COALESCE((SELECT json_object_agg(g.id, json_build_object('desk_id', g.desk_id, 'name', g.name, 'level', g.level, 'active', g.active))
                          FROM support_groups g), '{{}}'::json),
                'nodes', COALESCE((SELECT json_agg(json_build_object('desk_id', n.desk_id, 'node', {}))
                         FROM catalog_nodes n LEFT JOIN services s ON s.node_id = n.id), '[]'::json),
                'webhook_events', COALESCE((SELECT json_agg(DISTINCT e) FROM webhooks w, unnest(w.events) e WHERE w.active), '[]'::json)
             )::text AS doc",
            crate::catalog::queries::NODE_JSON
        );
        let row: Row = diesel::sql_query(sql).get_result(conn).await?;
        let doc: Doc = serde_json::from_str(&row.doc).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?;
        let mut route_organizations: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in doc.nodes.iter().filter_map(|n| n.node.service.as_ref()).flat_map(|s| &s.routes) {
            let orgs = route_organizations.entry(r.group_id).or_default();
            if !orgs.contains(&r.organization_id) {
                orgs.push(r.organization_id);
            }
        }
        Ok(Reference {
            route_organizations,
            generation: row.generation,
            sla: Catalogue::load(conn).await?,
            desks: doc.desks,
            groups: doc.groups,
            nodes: doc.nodes.into_iter().map(|n| (n.node.id, n)).collect(),
            user_names: RwLock::default(),
            webhook_events: doc.webhook_events,
        })
    }

    /// Whether an active webhook subscribes to one of these events, as of this copy: a webhook
    /// created while a request runs may miss that request's change, as it would a moment earlier.
    pub fn webhooks_want(&self, events: &[&str]) -> bool {
        self.webhook_events.iter().any(|e| events.contains(&e.as_str()))
    }

    /// The display names of these people; only those not met yet are read.
    pub async fn user_names(&self, conn: &mut AsyncPgConnection, ids: &[Uuid]) -> QueryResult<HashMap<Uuid, String>> {
        let mut names = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        {
            let known = self.user_names.read().expect("user names lock");
            for id in ids {
                match known.get(id) {
                    Some(name) => {
                        names.insert(*id, name.clone());
                    }
                    None => missing.push(*id),
                }
            }
        }
        if !missing.is_empty() {
            use crate::db::schema::users;
            let loaded: Vec<(Uuid, String)> = users::table.filter(users::id.eq_any(&missing)).select((users::id, users::display_name)).load(conn).await?;
            let mut known = self.user_names.write().expect("user names lock");
            for (id, name) in loaded {
                known.insert(id, name.clone());
                names.insert(id, name);
            }
        }
        Ok(names)
    }

    pub fn group_name(&self, id: Uuid) -> String {
        self.groups.get(&id).map(|g| g.name.clone()).unwrap_or_default()
    }

    pub fn node_name(&self, id: Uuid) -> String {
        self.nodes.get(&id).map(|n| n.node.name.clone()).unwrap_or_default()
    }

    /// A service's own SLA policy and resolution time in business minutes.
    pub fn service_sla(&self, id: Uuid) -> (Option<Uuid>, Option<i32>) {
        self.nodes.get(&id).and_then(|n| n.node.service.as_ref()).map(|s| (s.sla_policy_id, s.resolution_minutes)).unwrap_or((None, None))
    }
}

/// The process's copy, shared by all workers.
#[derive(Default)]
pub struct ReferenceCache {
    current: RwLock<Option<Arc<Reference>>>,
    /// One reload at a time: concurrent requests that find the copy stale wait for it.
    reloading: tokio::sync::Mutex<()>,
}

impl ReferenceCache {
    /// A copy at least as new as `generation` (what the caller's query read).
    pub async fn get(&self, conn: &mut AsyncPgConnection, generation: i64) -> QueryResult<Arc<Reference>> {
        if let Some(r) = self.fresh(generation) {
            return Ok(r);
        }
        let _guard = self.reloading.lock().await;
        if let Some(r) = self.fresh(generation) {
            return Ok(r);
        }
        let loaded = Arc::new(Reference::load(conn).await?);
        *self.current.write().expect("reference cache lock") = Some(loaded.clone());
        Ok(loaded)
    }

    fn fresh(&self, generation: i64) -> Option<Arc<Reference>> {
        self.current.read().expect("reference cache lock").as_ref().filter(|r| r.generation >= generation).cloned()
    }
}
