import { describe, expect, test } from 'vitest';
import { ctoSupport, email, facilities, furniture, printing, siteSupport, tic, ticCatalog } from '@/test/fixtures';
import { findNode, pathTo, searchServices, treeKey, visibleNodes } from './tree';

const nodes = ticCatalog.nodes;
const names = (list: { node: { name: string } }[]) => list.map((v) => v.node.name);

describe('visibleNodes', () => {
  test('shows only the children of expanded categories, with level and position', () => {
    expect(names(visibleNodes(nodes, new Set()))).toEqual(['TIC', 'Infraestructura física']);
    const open = visibleNodes(nodes, new Set([tic.id, ctoSupport.id]));
    expect(names(open)).toEqual([
      'TIC',
      'Soporte Técnico CTO',
      'Soporte virtual o en sitio',
      'Impresión y escáner',
      'Correo electrónico institucional',
      'Infraestructura física',
    ]);
    expect(open[2]).toMatchObject({ level: 3, parentId: ctoSupport.id, posInSet: 1, setSize: 2 });
    expect(open[5]).toMatchObject({ level: 1, parentId: null, posInSet: 2, setSize: 2 });
  });
});

describe('pathTo / findNode', () => {
  test('returns the ancestors, root first', () => {
    expect(pathTo(nodes, siteSupport.id)?.map((n) => n.name)).toEqual(['TIC', 'Soporte Técnico CTO', 'Soporte virtual o en sitio']);
    expect(findNode(nodes, furniture.id)?.name).toBe('Mantenimiento de mobiliario');
    expect(pathTo(nodes, 'nope')).toBeNull();
  });
});

describe('searchServices', () => {
  test('ignores accents and case, and searches descriptions', () => {
    expect(searchServices(nodes, 'impresion').map((m) => m.service.id)).toEqual([printing.id]);
    expect(searchServices(nodes, 'CONTRASENA').map((m) => m.service.id)).toEqual([email.id]);
    expect(searchServices(nodes, 'periféricos').map((m) => m.service.id)).toEqual([siteSupport.id]);
  });
  test('a category name finds the services under it, with their path', () => {
    const found = searchServices(nodes, 'soporte cto');
    expect(found.map((m) => m.service.name)).toEqual(['Soporte virtual o en sitio', 'Impresión y escáner']);
    expect(found[0]?.path.map((n) => n.name)).toEqual(['TIC', 'Soporte Técnico CTO']);
  });
  test('never returns categories, and nothing for a miss', () => {
    expect(searchServices(nodes, 'infraestructura').map((m) => m.service.id)).toEqual([furniture.id]);
    expect(searchServices(nodes, 'zzz')).toEqual([]);
  });
});

describe('treeKey', () => {
  const expanded = new Set([tic.id]);
  const visible = visibleNodes(nodes, expanded);
  test('arrows move through visible nodes and stop at the ends', () => {
    expect(treeKey('ArrowDown', tic.id, visible, expanded).focus).toBe(ctoSupport.id);
    expect(treeKey('ArrowUp', tic.id, visible, expanded).focus).toBe(tic.id);
    expect(treeKey('End', tic.id, visible, expanded).focus).toBe(facilities.id);
    expect(treeKey('Home', facilities.id, visible, expanded).focus).toBe(tic.id);
  });
  test('right opens a closed category, then enters it; left closes, then goes up', () => {
    expect(treeKey('ArrowRight', ctoSupport.id, visible, expanded)).toMatchObject({ expand: [ctoSupport.id] });
    expect(treeKey('ArrowRight', tic.id, visible, expanded).focus).toBe(ctoSupport.id);
    expect(treeKey('ArrowLeft', tic.id, visible, expanded)).toMatchObject({ collapse: [tic.id] });
    expect(treeKey('ArrowLeft', email.id, visible, expanded).focus).toBe(tic.id);
  });
  test('Enter and Space activate; "*" opens sibling categories; other keys pass', () => {
    expect(treeKey('Enter', email.id, visible, expanded).activate).toBe(true);
    expect(treeKey(' ', email.id, visible, expanded).activate).toBe(true);
    expect(treeKey('*', tic.id, visible, expanded).expand).toEqual([tic.id, facilities.id]);
    expect(treeKey('a', tic.id, visible, expanded).handled).toBe(false);
  });
});
