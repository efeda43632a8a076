//! Building a desk's tree from its flat rows, trimming it to what a viewer may see, and refusing
//! moves that would make a cycle. Pure: no I/O.
use std::collections::HashMap;

use uuid::Uuid;

use super::domain::{CatalogNode, NodeKind, Viewer};

/// Nests flat nodes (already in sibling order) under their parents. Orphans are dropped.
pub fn build(flat: Vec<CatalogNode>) -> Vec<CatalogNode> {
    let mut children: HashMap<Option<Uuid>, Vec<CatalogNode>> = HashMap::new();
    for node in flat {
        children.entry(node.parent_id).or_default().push(node);
    }
    fn attach(parent: Option<Uuid>, children: &mut HashMap<Option<Uuid>, Vec<CatalogNode>>) -> Vec<CatalogNode> {
        let mut level = children.remove(&parent).unwrap_or_default();
        for node in &mut level {
            node.children = attach(Some(node.id), children);
        }
        level
    }
    attach(None, &mut children)
}

/// What a viewer sees: requesters get active nodes, the services they may request, and only the
/// categories leading to one; everyone else gets the whole tree (inactive nodes only if asked).
pub fn visible(nodes: Vec<CatalogNode>, viewer: &Viewer, include_inactive: bool) -> Vec<CatalogNode> {
    let everything = viewer.sees_everything();
    nodes
        .into_iter()
        .filter(|n| n.active || (everything && include_inactive))
        .filter_map(|mut n| match n.kind {
            NodeKind::Service => {
                let allowed = everything || n.service.as_ref().is_some_and(|s| viewer.may_request(&s.audience));
                allowed.then_some(n)
            }
            NodeKind::Category => {
                n.children = visible(std::mem::take(&mut n.children), viewer, include_inactive);
                (everything || !n.children.is_empty()).then_some(n)
            }
        })
        .collect()
}

/// Would putting `node` under `new_parent` make the node its own ancestor?
/// `parents` maps every node of the desk to its parent.
pub fn would_cycle(parents: &HashMap<Uuid, Option<Uuid>>, node: Uuid, new_parent: Option<Uuid>) -> bool {
    let mut cursor = new_parent;
    let mut steps = 0;
    while let Some(current) = cursor {
        if current == node || steps > parents.len() {
            return true;
        }
        cursor = parents.get(&current).copied().flatten();
        steps += 1;
    }
    false
}

/// Every node below `root` (not `root` itself).
pub fn descendants(parents: &HashMap<Uuid, Option<Uuid>>, root: Uuid) -> Vec<Uuid> {
    parents.keys().copied().filter(|n| *n != root && would_cycle(parents, root, Some(*n))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::domain::{Audience, ServiceDetail};
    use crate::tickets::domain::{Priority, TicketType};
    use crate::users::domain::Role;

    fn node(id: u128, parent: Option<u128>, kind: NodeKind, audience: Audience) -> CatalogNode {
        CatalogNode {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            code: format!("n{id}"),
            kind,
            name: format!("n{id}"),
            description: None,
            position: 0,
            active: true,
            version: 1,
            service: (kind == NodeKind::Service).then(|| ServiceDetail {
                objective: None,
                scope: None,
                audience,
                form_fields: vec![],
                required_attachments: vec![],
                default_type: TicketType::Request,
                default_priority: Priority::Medium,
                responsible_group_id: None,
                sla_policy_id: None,
                routes: vec![],
                availability: None,
                promised_resolution: None,
                resolution_minutes: None,
            }),
            children: vec![],
        }
    }

    fn cat(id: u128, parent: Option<u128>) -> CatalogNode {
        node(id, parent, NodeKind::Category, Audience::default())
    }

    fn svc(id: u128, parent: u128, audience: Audience) -> CatalogNode {
        node(id, Some(parent), NodeKind::Service, audience)
    }

    fn ids(nodes: &[CatalogNode]) -> Vec<u128> {
        let mut out = Vec::new();
        for n in nodes {
            out.push(n.id.as_u128());
            out.extend(ids(&n.children));
        }
        out
    }

    const COORDINATORS: u128 = 900;

    /// TIC(1) > Soporte(2) > virtual(3, everyone); TIC > VPN(4, coordinators' area only);
    /// Vacía(5) with nothing; Inactiva(6) > servicio(7).
    fn sample() -> Vec<CatalogNode> {
        let coordinators = Audience { everyone: false, area_ids: vec![Uuid::from_u128(COORDINATORS)], ..Default::default() };
        let mut inactive = cat(6, None);
        inactive.active = false;
        build(vec![cat(1, None), cat(2, Some(1)), svc(3, 2, Audience::everyone()), svc(4, 1, coordinators), cat(5, None), inactive, svc(7, 6, Audience::everyone())])
    }

    fn viewer(role: Role, area: Option<u128>) -> Viewer {
        Viewer { role, area_id: area.map(Uuid::from_u128), group_ids: vec![] }
    }

    #[test]
    fn builds_nested_tree_in_order() {
        assert_eq!(ids(&sample()), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(sample()[0].children[0].children[0].id, Uuid::from_u128(3));
    }

    #[test]
    fn requesters_see_only_what_they_may_request() {
        let plain = visible(sample(), &viewer(Role::Requester, None), true);
        assert_eq!(ids(&plain), [1, 2, 3], "no VPN, no empty or inactive categories");
        let coordinator = visible(sample(), &viewer(Role::Requester, Some(COORDINATORS)), false);
        assert_eq!(ids(&coordinator), [1, 2, 3, 4]);
    }

    #[test]
    fn agents_see_everything_and_inactive_on_request() {
        assert_eq!(ids(&visible(sample(), &viewer(Role::Agent, None), false)), [1, 2, 3, 4, 5]);
        assert_eq!(ids(&visible(sample(), &viewer(Role::Admin, None), true)), [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn audience_by_role_and_group() {
        let group = Uuid::from_u128(77);
        let by_role = Audience { everyone: false, roles: vec![Role::Supervisor], ..Default::default() };
        let by_group = Audience { everyone: false, group_ids: vec![group], ..Default::default() };
        let requester = Viewer { role: Role::Requester, area_id: None, group_ids: vec![group] };
        assert!(!requester.may_request(&by_role));
        assert!(requester.may_request(&by_group));
        assert!(viewer(Role::Supervisor, None).may_request(&by_role));
    }

    #[test]
    fn cycles_are_detected() {
        // 1 > 2 > 3, and 4 alone.
        let parents: HashMap<Uuid, Option<Uuid>> =
            [(1, None), (2, Some(1)), (3, Some(2)), (4, None)].into_iter().map(|(n, p)| (Uuid::from_u128(n), p.map(Uuid::from_u128))).collect();
        let u = Uuid::from_u128;
        assert!(would_cycle(&parents, u(1), Some(u(3))), "under its grandchild");
        assert!(would_cycle(&parents, u(2), Some(u(2))), "under itself");
        assert!(!would_cycle(&parents, u(3), Some(u(1))));
        assert!(!would_cycle(&parents, u(1), Some(u(4))));
        assert!(!would_cycle(&parents, u(2), None));
        let mut d = descendants(&parents, u(1));
        d.sort();
        assert_eq!(d, [u(2), u(3)]);
    }

    #[test]
    fn routing_prefers_the_organization_route() {
        let mut n = svc(3, 2, Audience::everyone());
        let s = n.service.as_mut().unwrap();
        s.responsible_group_id = Some(Uuid::from_u128(10));
        s.routes = vec![crate::catalog::domain::ServiceRoute { organization_id: Uuid::from_u128(50), group_id: Uuid::from_u128(11) }];
        assert_eq!(s.responsible_group_for(Some(Uuid::from_u128(50))), Some(Uuid::from_u128(11)));
        assert_eq!(s.responsible_group_for(Some(Uuid::from_u128(51))), Some(Uuid::from_u128(10)));
        assert_eq!(s.responsible_group_for(None), Some(Uuid::from_u128(10)));
    }
}
