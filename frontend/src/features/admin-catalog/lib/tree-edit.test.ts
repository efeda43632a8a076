import { describe, expect, test } from 'vitest';
import { ctoSupport, email, facilities, furniture, printing, siteSupport, tic, ticCatalog } from '@/test/fixtures';
import { dropMove, flatten, keyboardMove, moveTargets, placeOf, zoneAt } from './tree-edit';

// TIC [Soporte Técnico CTO [Soporte virtual, Impresión], Correo], Infraestructura física [Mobiliario]
const tree = ticCatalog.nodes;

describe('catalog tree edits', () => {
  test('places and flattens in screen order', () => {
    expect(placeOf(tree, printing.id)).toMatchObject({ parentId: ctoSupport.id, index: 1 });
    expect(placeOf(tree, tic.id)).toMatchObject({ parentId: null, index: 0 });
    expect(flatten(tree).map((v) => [v.node.name, v.level])).toEqual([
      ['TIC', 1],
      ['Soporte Técnico CTO', 2],
      ['Soporte virtual o en sitio', 3],
      ['Impresión y escáner', 3],
      ['Correo electrónico institucional', 2],
      ['Infraestructura física', 1],
      ['Mantenimiento de mobiliario', 2],
    ]);
  });

  test('keyboard moves: up, down, into the category above, out of its category', () => {
    expect(keyboardMove(tree, printing.id, 'up')).toEqual({ parent_id: ctoSupport.id, position: 0 });
    expect(keyboardMove(tree, siteSupport.id, 'up')).toBeNull();
    expect(keyboardMove(tree, siteSupport.id, 'down')).toEqual({ parent_id: ctoSupport.id, position: 1 });
    expect(keyboardMove(tree, printing.id, 'down')).toBeNull();
    // Correo sits below the category "Soporte Técnico CTO" (2 children): it goes in last.
    expect(keyboardMove(tree, email.id, 'indent')).toEqual({ parent_id: ctoSupport.id, position: 2 });
    // The first of its siblings has nothing above; a service above cannot take children.
    expect(keyboardMove(tree, ctoSupport.id, 'indent')).toBeNull();
    expect(keyboardMove(tree, printing.id, 'indent')).toBeNull();
    // Out of "Soporte Técnico CTO" (index 0 in TIC): right after it.
    expect(keyboardMove(tree, printing.id, 'outdent')).toEqual({ parent_id: tic.id, position: 1 });
    expect(keyboardMove(tree, facilities.id, 'outdent')).toBeNull();
  });

  test('a node can move into any category but itself and its descendants', () => {
    expect(moveTargets(tree, tic.id).map((v) => v.node.name)).toEqual(['Infraestructura física']);
    expect(moveTargets(tree, furniture.id).map((v) => v.node.name)).toEqual(['TIC', 'Soporte Técnico CTO', 'Infraestructura física']);
  });

  test('drops: before, after, inside; no cycles, no no-ops', () => {
    // Mobiliario dropped before Impresión: second in "Soporte Técnico CTO".
    expect(dropMove(tree, furniture.id, printing.id, 'before')).toEqual({ parent_id: ctoSupport.id, position: 1 });
    expect(dropMove(tree, furniture.id, printing.id, 'after')).toEqual({ parent_id: ctoSupport.id, position: 2 });
    // Within the same parent, positions count the siblings without the dragged node.
    expect(dropMove(tree, siteSupport.id, printing.id, 'after')).toEqual({ parent_id: ctoSupport.id, position: 1 });
    expect(dropMove(tree, siteSupport.id, printing.id, 'before')).toBeNull();
    expect(dropMove(tree, email.id, facilities.id, 'inside')).toEqual({ parent_id: facilities.id, position: 1 });
    expect(dropMove(tree, email.id, printing.id, 'inside')).toBeNull();
    expect(dropMove(tree, tic.id, ctoSupport.id, 'inside')).toBeNull();
    expect(dropMove(tree, tic.id, tic.id, 'after')).toBeNull();
  });

  test('the middle of a category row means inside', () => {
    expect(zoneAt(5, 40, true)).toBe('before');
    expect(zoneAt(20, 40, true)).toBe('inside');
    expect(zoneAt(35, 40, true)).toBe('after');
    expect(zoneAt(19, 40, false)).toBe('before');
    expect(zoneAt(21, 40, false)).toBe('after');
  });
});
