import { Box, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { children, isCategory, treeKey, visibleNodes, type CatalogNode } from '../lib/tree';
import classes from './catalog-tree.module.css';

type Props = {
  nodes: CatalogNode[];
  expanded: ReadonlySet<string>;
  onExpandedChange: (next: Set<string>) => void;
  selectedId: string | null;
  onSelect: (service: CatalogNode) => void;
  /** id of the element naming the tree. */
  labelledBy: string;
};

/**
 * The catalog as a WAI-ARIA tree: categories open with "+" / close with "−" (click, Enter,
 * Space or → / ←), services are selected. One tab stop; arrows move inside (roving tabindex).
 */
export function CatalogTree({ nodes, expanded, onExpandedChange, selectedId, onSelect, labelledBy }: Props) {
  const visible = useMemo(() => visibleNodes(nodes, expanded), [nodes, expanded]);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const items = useRef(new Map<string, HTMLLIElement>());
  const hasFocus = useRef(false);

  // The tab stop: the focused node if still visible, else the selected one, else the first.
  const tabStop =
    (focusedId && visible.some((v) => v.node.id === focusedId) && focusedId) ||
    (selectedId && visible.some((v) => v.node.id === selectedId) && selectedId) ||
    visible[0]?.node.id ||
    null;

  useEffect(() => {
    if (hasFocus.current && tabStop) items.current.get(tabStop)?.focus();
  }, [tabStop]);

  function toggle(node: CatalogNode) {
    const next = new Set(expanded);
    if (next.has(node.id)) next.delete(node.id);
    else next.add(node.id);
    onExpandedChange(next);
  }

  function activate(node: CatalogNode) {
    setFocusedId(node.id);
    if (isCategory(node)) toggle(node);
    else onSelect(node);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (!tabStop || event.altKey || event.ctrlKey || event.metaKey) return;
    const result = treeKey(event.key, tabStop, visible, expanded);
    if (!result.handled) return;
    event.preventDefault();
    if (result.expand || result.collapse) {
      const next = new Set(expanded);
      result.expand?.forEach((id) => next.add(id));
      result.collapse?.forEach((id) => next.delete(id));
      onExpandedChange(next);
    }
    if (result.activate) {
      const node = visible.find((v) => v.node.id === tabStop)?.node;
      if (node) activate(node);
    }
    if (result.focus) {
      setFocusedId(result.focus);
      items.current.get(result.focus)?.focus();
    }
  }

  const renderLevel = (list: CatalogNode[], level: number) =>
    list.map((node, index) => {
      const category = isCategory(node);
      const open = category && expanded.has(node.id);
      const selected = !category && node.id === selectedId;
      const labelId = `catalog-node-${node.id}`;
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
          aria-expanded={category ? open : undefined}
          aria-selected={category ? undefined : selected}
          tabIndex={node.id === tabStop ? 0 : -1}
          className={classes.item}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setFocusedId(node.id);
          }}
        >
          <div
            className={classes.row}
            data-selected={selected || undefined}
            data-kind={node.kind}
            style={{ paddingInlineStart: `calc(${level - 1} * 1.5rem + 0.25rem)` }}
            onClick={() => activate(node)}
          >
            <span className={classes.sign} aria-hidden>
              {category ? (open ? '−' : '+') : '•'}
            </span>
            <Text component="span" id={labelId} fw={category ? 600 : 400}>
              {node.name}
            </Text>
          </div>
          {category && open && (
            <ul role="group" className={classes.group}>
              {renderLevel(children(node), level + 1)}
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

/** "TIC › Soporte Técnico CTO" */
export function CatalogPath({ path }: { path: CatalogNode[] }) {
  const { t } = useTranslation();
  if (path.length === 0) return null;
  return (
    <Text size="sm" c="var(--mantine-color-gray-7)">
      <VisuallyHidden component="span">{t('catalog.in_category')} </VisuallyHidden>
      {path.map((n) => n.name).join(' › ')}
    </Text>
  );
}
