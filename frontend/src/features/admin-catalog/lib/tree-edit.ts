import type { components } from '@/api/schema';

export type CatalogNode = components['schemas']['CatalogNode'];
export type MoveNode = components['schemas']['MoveNode'];

/** Where a node sits: its parent (null = top level), its siblings in order and its index. */
export type Place = { parentId: string | null; siblings: CatalogNode[]; index: number };

export function placeOf(nodes: CatalogNode[], id: string, parentId: string | null = null): Place | null {
  const index = nodes.findIndex((n) => n.id === id);
  if (index >= 0) return { parentId, siblings: nodes, index };
  for (const node of nodes) {
    const below = placeOf(node.children ?? [], id, node.id);
    if (below) return below;
  }
  return null;
}

export function findNode(nodes: CatalogNode[], id: string): CatalogNode | null {
  const place = placeOf(nodes, id);
  return place ? (place.siblings[place.index] ?? null) : null;
}

/** Every node in screen order (depth first), with its depth (1 = top level). */
export function flatten(nodes: CatalogNode[], level = 1): { node: CatalogNode; level: number }[] {
  return nodes.flatMap((node) => [{ node, level }, ...flatten(node.children ?? [], level + 1)]);
}

function descendantIds(node: CatalogNode): Set<string> {
  return new Set(flatten(node.children ?? []).map((v) => v.node.id));
}

/**
 * The categories `id` may move into: every category except itself and its descendants
 * (the API refuses those moves as cycles), with their depth for indenting the choice.
 */
export function moveTargets(nodes: CatalogNode[], id: string): { node: CatalogNode; level: number }[] {
  const self = findNode(nodes, id);
  const excluded = self ? descendantIds(self) : new Set<string>();
  return flatten(nodes).filter((v) => v.node.kind === 'category' && v.node.id !== id && !excluded.has(v.node.id));
}

export type MoveKind = 'up' | 'down' | 'indent' | 'outdent';

/**
 * The `/move` body for a keyboard move, or null when the move is not possible. Positions count
 * the new siblings without the node itself (as the API does).
 * - up / down: one place among its siblings;
 * - indent: into the category just above it, at its end;
 * - outdent: out of its category, just after it.
 */
export function keyboardMove(nodes: CatalogNode[], id: string, kind: MoveKind): MoveNode | null {
  const place = placeOf(nodes, id);
  if (!place) return null;
  const { parentId, siblings, index } = place;
  switch (kind) {
    case 'up':
      return index > 0 ? { parent_id: parentId, position: index - 1 } : null;
    case 'down':
      return index < siblings.length - 1 ? { parent_id: parentId, position: index + 1 } : null;
    case 'indent': {
      const above = siblings[index - 1];
      if (!above || above.kind !== 'category') return null;
      return { parent_id: above.id, position: (above.children ?? []).length };
    }
    case 'outdent': {
      if (parentId === null) return null;
      const parentPlace = placeOf(nodes, parentId);
      if (!parentPlace) return null;
      return { parent_id: parentPlace.parentId, position: parentPlace.index + 1 };
    }
  }
}

export type DropZone = 'before' | 'after' | 'inside';

/**
 * The `/move` body for dropping `draggedId` on `targetId` (before it, after it or, for a
 * category, inside it at its end); null when it would be no move or a cycle.
 */
export function dropMove(nodes: CatalogNode[], draggedId: string, targetId: string, zone: DropZone): MoveNode | null {
  if (draggedId === targetId) return null;
  const dragged = findNode(nodes, draggedId);
  const target = findNode(nodes, targetId);
  if (!dragged || !target) return null;
  if (descendantIds(dragged).has(targetId)) return null;
  if (zone === 'inside') {
    if (target.kind !== 'category') return null;
    return { parent_id: target.id, position: (target.children ?? []).filter((c) => c.id !== draggedId).length };
  }
  const place = placeOf(nodes, targetId);
  if (!place) return null;
  const others = place.siblings.filter((s) => s.id !== draggedId);
  const at = others.findIndex((s) => s.id === targetId);
  const position = zone === 'before' ? at : at + 1;
  const current = placeOf(nodes, draggedId);
  if (current && current.parentId === place.parentId && current.index === position) return null;
  return { parent_id: place.parentId, position };
}

/** Which part of a row the pointer is over: the middle half of a category means "inside". */
export function zoneAt(offsetY: number, height: number, isCategory: boolean): DropZone {
  const share = height > 0 ? offsetY / height : 0.5;
  if (isCategory) return share < 0.25 ? 'before' : share > 0.75 ? 'after' : 'inside';
  return share < 0.5 ? 'before' : 'after';
}
