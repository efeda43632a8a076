import { Badge, Box, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { flatten, zoneAt, type CatalogNode, type DropZone, type MoveKind } from '../lib/tree-edit';
import type { CatalogT } from './strings';
import classes from './editor-tree.module.css';

type Props = {
  nodes: CatalogNode[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Alt + arrows on the focused node. */
  onKeyboardMove: (id: string, kind: MoveKind) => void;
  /** A node dropped on another (before, after or inside it). */
  onDrop: (draggedId: string, targetId: string, zone: DropZone) => void;
  labelledBy: string;
  describedBy: string;
  disabled?: boolean;
  t: CatalogT;
};

const MOVE_KEYS: Record<string, MoveKind> = { ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'indent', ArrowLeft: 'outdent' };

/**
 * The desk's catalog as a WAI-ARIA tree, every category open: ↑/↓/Home/End move the focus,
 * Enter or Space select; Alt + ↑/↓ reorder the focused node, Alt + → puts it into the category
 * above it, Alt + ← takes it out of its category. With a mouse, rows are dragged and dropped.
 */
export function EditorTree({ nodes, selectedId, onSelect, onKeyboardMove, onDrop, labelledBy, describedBy, disabled, t }: Props) {
  const visible = useMemo(() => flatten(nodes), [nodes]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<{ id: string; zone: DropZone } | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const hasFocus = useRef(false);

  const tabStop =
    (focusedId && visible.some((v) => v.node.id === focusedId) && focusedId) ||
    (selectedId && visible.some((v) => v.node.id === selectedId) && selectedId) ||
    visible[0]?.node.id ||
    null;

  // Keep the focus on a node after it moved (its element is re-rendered elsewhere).
  useEffect(() => {
    if (hasFocus.current && tabStop) items.current.get(tabStop)?.focus();
  }, [tabStop, nodes]);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (!tabStop || event.ctrlKey || event.metaKey) return;
    const index = visible.findIndex((v) => v.node.id === tabStop);
    if (event.altKey) {
      const kind = MOVE_KEYS[event.key];
      if (!kind) return;
      event.preventDefault();
      if (!disabled) onKeyboardMove(tabStop, kind);
      return;
    }
    let next: string | null;
    switch (event.key) {
      case 'ArrowDown':
        next = visible[Math.min(visible.length - 1, index + 1)]?.node.id ?? null;
        break;
      case 'ArrowUp':
        next = visible[Math.max(0, index - 1)]?.node.id ?? null;
        break;
      case 'Home':
        next = visible[0]?.node.id ?? null;
        break;
      case 'End':
        next = visible.at(-1)?.node.id ?? null;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        onSelect(tabStop);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) {
      setFocusedId(next);
      items.current.get(next)?.focus();
    }
  }

  function dragOver(event: DragEvent<HTMLDivElement>, node: CatalogNode) {
    if (!dragged || dragged === node.id) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const rect = event.currentTarget.getBoundingClientRect();
    const zone = zoneAt(event.clientY - rect.top, rect.height, node.kind === 'category');
    if (over?.id !== node.id || over.zone !== zone) setOver({ id: node.id, zone });
  }

  function drop(event: DragEvent<HTMLDivElement>, node: CatalogNode) {
    event.preventDefault();
    if (dragged && over && over.id === node.id) onDrop(dragged, node.id, over.zone);
    setDragged(null);
    setOver(null);
  }

  const renderLevel = (list: CatalogNode[], level: number) =>
    list.map((node, index) => {
      const category = node.kind === 'category';
      const selected = node.id === selectedId;
      const labelId = `editor-node-${node.id}`;
      const kids = node.children ?? [];
      return (
        <li
          key={node.id}
          ref={(element) => {
            if (element) items.current.set(node.id, element);
            else items.current.delete(node.id);
          }}
          role="treeitem"
          aria-labelledby={labelId}
          aria-level={level}
          aria-posinset={index + 1}
          aria-setsize={list.length}
          aria-expanded={category && kids.length > 0 ? true : undefined}
          aria-selected={selected}
          tabIndex={node.id === tabStop ? 0 : -1}
          className={classes.item}
          data-node-id={node.id}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setFocusedId(node.id);
          }}
        >
          <div
            className={classes.row}
            data-selected={selected || undefined}
            data-kind={node.kind}
            data-inactive={node.active ? undefined : true}
            data-drop={over?.id === node.id ? over.zone : undefined}
            style={{ paddingInlineStart: `calc(${level - 1} * 1.5rem + 0.25rem)` }}
            draggable={!disabled}
            onDragStart={(event) => {
              event.dataTransfer.effectAllowed = 'move';
              event.dataTransfer.setData('text/plain', node.id);
              setDragged(node.id);
            }}
            onDragEnd={() => {
              setDragged(null);
              setOver(null);
            }}
            onDragOver={(event) => dragOver(event, node)}
            onDragLeave={() => setOver((current) => (current?.id === node.id ? null : current))}
            onDrop={(event) => drop(event, node)}
            onClick={() => {
              setFocusedId(node.id);
              onSelect(node.id);
            }}
          >
            <span className={classes.sign} aria-hidden>
              {category ? '−' : '•'}
            </span>
            <Text component="span" id={labelId} fw={category ? 600 : 400} className={classes.name}>
              {node.name}
              {!node.active && <VisuallyHidden component="span"> ({t('tree.inactive')})</VisuallyHidden>}
            </Text>
            {!node.active && (
              <Badge size="sm" color="gray" variant="light" aria-hidden>
                {t('tree.inactive')}
              </Badge>
            )}
            <span className={classes.grip} aria-hidden>
              ⠿
            </span>
          </div>
          {category && kids.length > 0 && (
            <ul role="group" className={classes.group}>
              {renderLevel(kids, level + 1)}
            </ul>
          )}
        </li>
      );
    });

  return (
    <Box
      component="ul"
      role="tree"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      className={classes.tree}
      onKeyDown={onKeyDown}
      onFocus={() => {
        hasFocus.current = true;
      }}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) hasFocus.current = false;
      }}
    >
      {renderLevel(nodes, 1)}
    </Box>
  );
}
