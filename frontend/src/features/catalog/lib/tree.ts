import type { components } from '@/api/schema';
import { matchesSearch } from '@/shared/lib/text';

export type CatalogNode = components['schemas']['CatalogNode'];

/** A node as shown in the tree right now: expanded ancestors only. */
export type VisibleNode = {
  node: CatalogNode;
  level: number;
  parentId: string | null;
  /** 1-based position among its siblings, and how many siblings (aria-posinset, aria-setsize). */
  posInSet: number;
  setSize: number;
};

export function children(node: CatalogNode): CatalogNode[] {
  return node.children ?? [];
}

export function isCategory(node: CatalogNode): boolean {
  return node.kind === 'category';
}

/** The nodes a keyboard user moves through, in screen order. */
export function visibleNodes(nodes: CatalogNode[], expanded: ReadonlySet<string>): VisibleNode[] {
  const out: VisibleNode[] = [];
  const walk = (list: CatalogNode[], level: number, parentId: string | null) => {
    list.forEach((node, index) => {
      out.push({ node, level, parentId, posInSet: index + 1, setSize: list.length });
      if (isCategory(node) && expanded.has(node.id)) walk(children(node), level + 1, node.id);
    });
  };
  walk(nodes, 1, null);
  return out;
}

/** The node and its ancestors, root first; null when absent. */
export function pathTo(nodes: CatalogNode[], id: string): CatalogNode[] | null {
  for (const node of nodes) {
    if (node.id === id) return [node];
    const below = pathTo(children(node), id);
    if (below) return [node, ...below];
  }
  return null;
}

export function findNode(nodes: CatalogNode[], id: string): CatalogNode | null {
  return pathTo(nodes, id)?.at(-1) ?? null;
}

export type ServiceMatch = { service: CatalogNode; path: CatalogNode[] };

/**
 * Services whose name, description, objective or scope contain every word of the query
 * (accents and case ignored), or whose category names do: "impresion" finds
 * "Impresión y escáner", "correo" finds every service under "Correo electrónico".
 */
export function searchServices(nodes: CatalogNode[], query: string): ServiceMatch[] {
  const out: ServiceMatch[] = [];
  const walk = (list: CatalogNode[], ancestors: CatalogNode[]) => {
    for (const node of list) {
      if (isCategory(node)) {
        walk(children(node), [...ancestors, node]);
        continue;
      }
      const texts = [
        node.name,
        node.description,
        node.service?.objective,
        node.service?.scope,
        ...ancestors.map((a) => a.name),
      ];
      if (matchesSearch(query, texts)) out.push({ service: node, path: ancestors });
    }
  };
  walk(nodes, []);
  return out;
}

export type TreeKeyResult = {
  /** Node to focus next (unchanged when null). */
  focus: string | null;
  /** Categories to expand / collapse. */
  expand?: string[];
  collapse?: string[];
  /** Activate (select a service or toggle a category). */
  activate?: boolean;
  /** The key was handled: prevent its default. */
  handled: boolean;
};

/**
 * WAI-ARIA tree keyboard model (APG "Tree View"): ↑/↓ move, → opens a closed category or
 * enters an open one, ← closes an open category or goes to the parent, Home/End, Enter and
 * Space activate, "*" opens every sibling category.
 */
export function treeKey(
  key: string,
  focusedId: string,
  visible: VisibleNode[],
  expanded: ReadonlySet<string>,
): TreeKeyResult {
  const index = visible.findIndex((v) => v.node.id === focusedId);
  const current = visible[index];
  if (!current) return { focus: visible[0]?.node.id ?? null, handled: key.startsWith('Arrow') };
  const at = (i: number) => visible[Math.max(0, Math.min(visible.length - 1, i))]?.node.id ?? null;
  const category = isCategory(current.node);
  const open = category && expanded.has(current.node.id);
  switch (key) {
    case 'ArrowDown':
      return { focus: at(index + 1), handled: true };
    case 'ArrowUp':
      return { focus: at(index - 1), handled: true };
    case 'Home':
      return { focus: at(0), handled: true };
    case 'End':
      return { focus: at(visible.length - 1), handled: true };
    case 'ArrowRight':
      if (!category) return { focus: null, handled: true };
      if (!open) return { focus: null, expand: [current.node.id], handled: true };
      return { focus: children(current.node)[0]?.id ?? null, handled: true };
    case 'ArrowLeft':
      if (open) return { focus: null, collapse: [current.node.id], handled: true };
      return { focus: current.parentId, handled: true };
    case 'Enter':
    case ' ':
      return { focus: null, activate: true, handled: true };
    case '*': {
      const siblings = visible.filter((v) => v.parentId === current.parentId && isCategory(v.node));
      return { focus: null, expand: siblings.map((v) => v.node.id), handled: true };
    }
    default:
      return { focus: null, handled: false };
  }
}
