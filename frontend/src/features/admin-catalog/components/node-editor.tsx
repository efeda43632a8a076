import { Alert, Anchor, Badge, Button, Group, List, Modal, NativeSelect, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useRef, useState, type FormEvent } from 'react';
import { useDeleteNode, useUpdateNode, type AdminError, type CatalogNode } from '../api/catalog-admin';
import { draftFromNode, problemsByField, serviceInput, type NodeDraft } from '../lib/service-draft';
import { keyboardMove, moveTargets, type MoveKind } from '../lib/tree-edit';
import type { MoveNode } from '../lib/tree-edit';
import { inputId } from './field-ids';
import { pathLabel } from './path-label';
import { problemText } from './problem-text';
import { ServiceSheet, type Lookups } from './service-sheet';
import type { CatalogT } from './strings';

type Props = {
  deskId: string;
  node: CatalogNode;
  tree: CatalogNode[];
  lookups: Lookups;
  onMove: (id: string, body: MoveNode) => void;
  moving: boolean;
  onDeleted: (message: string) => void;
  t: CatalogT;
};

const TOP = '__top__';

/** The selected node: where it sits (and moving it), its name and, for a service, its sheet. */
export function NodeEditor({ deskId, node, tree, lookups, onMove, moving, onDeleted, t }: Props) {
  // The draft restarts from the server's copy when another node (or a new version) is shown.
  const [draft, setDraft] = useState<NodeDraft>(() => draftFromNode(node));
  const [shown, setShown] = useState(`${node.id}:${node.version}`);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [target, setTarget] = useState(TOP);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const update = useUpdateNode(deskId);
  const remove = useDeleteNode(deskId);

  if (shown !== `${node.id}:${node.version}`) {
    setShown(`${node.id}:${node.version}`);
    setDraft(draftFromNode(node));
    setProblems({});
    setFormError(null);
    if (!shown.startsWith(node.id)) {
      setSaved(false);
      setTarget(TOP);
    }
  }

  const error = (path: string) => (problems[path] ? problemText(problems[path], t) : null);
  const busy = update.isPending || remove.isPending;

  function failed(err: AdminError) {
    const byField = problemsByField(err.problem);
    setProblems(byField);
    setFormError(
      err.status === 412
        ? t('errors.stale')
        : err.status === 409 && err.problem?.code === 'code_taken'
          ? null
          : err.status === 403
            ? t('errors.forbidden')
            : Object.keys(byField).length === 0
              ? t('errors.unexpected')
              : null,
    );
    if (err.status === 409 && err.problem?.code === 'code_taken') setProblems({ code: 'code_taken' });
    window.setTimeout(() => summaryRef.current?.focus(), 0);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    setFormError(null);
    update.mutate(
      {
        id: node.id,
        version: node.version,
        body: {
          name: draft.name.trim(),
          code: draft.code.trim(),
          description: draft.description.trim() || null,
          ...(draft.service ? { service: serviceInput(draft.service) } : {}),
        },
      },
      {
        onSuccess: () => {
          setProblems({});
          setSaved(true);
        },
        onError: failed,
      },
    );
  }

  function setActive(active: boolean) {
    setSaved(false);
    update.mutate({ id: node.id, version: node.version, body: { active } }, { onError: failed });
  }

  const keyboard = (kind: MoveKind) => keyboardMove(tree, node.id, kind);
  const moveButton = (kind: MoveKind) => {
    const body = keyboard(kind);
    return (
      <Button variant="default" size="xs" disabled={!body || moving} onClick={() => body && onMove(node.id, body)}>
        {t(`move.${kind}`)}
      </Button>
    );
  };
  const targets = moveTargets(tree, node.id);
  const problemPaths = Object.keys(problems);

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <Title order={2} size="h3" id="node-editor-heading">
          {node.name}
        </Title>
        <Badge variant="light">{t(`kinds.${node.kind}`)}</Badge>
        {!node.active && (
          <Badge color="gray" variant="filled">
            {t('tree.inactive')}
          </Badge>
        )}
      </Group>

      <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="node-place-heading">
        <Stack gap="sm">
          <Title order={3} size="h5" id="node-place-heading">
            {t('move.title')}
          </Title>
          <Group gap="xs" wrap="wrap">
            {moveButton('up')}
            {moveButton('down')}
            {moveButton('indent')}
            {moveButton('outdent')}
          </Group>
          <Group align="flex-end" gap="xs" wrap="wrap">
            <NativeSelect
              label={t('move.into')}
              value={target}
              onChange={(e) => setTarget(e.currentTarget.value)}
              data={[
                { value: TOP, label: t('move.top') },
                ...targets.map((v) => ({ value: v.node.id, label: `${'\u00a0\u00a0'.repeat(v.level - 1)}${v.node.name}` })),
              ]}
              style={{ flex: '1 1 220px' }}
            />
            <Button
              variant="default"
              disabled={moving}
              onClick={() => onMove(node.id, { parent_id: target === TOP ? null : target, position: null })}
            >
              {t('move.submit')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <form onSubmit={onSubmit} noValidate aria-labelledby="node-editor-heading">
        <Stack gap="md">
          {(formError || problemPaths.length > 0) && (
            <Alert
              ref={summaryRef}
              tabIndex={-1}
              color="red"
              variant="light"
              role="alert"
              title={problemPaths.length > 0 ? t('errors.summary', { count: problemPaths.length }) : t('errors.not_saved')}
            >
              {formError && <Text size="sm">{formError}</Text>}
              {problemPaths.length > 0 && (
                <List size="sm">
                  {problemPaths.map((path) => (
                    <List.Item key={path}>
                      <Anchor
                        href={`#${inputId(path)}`}
                        size="sm"
                        c="red.9"
                        onClick={(event) => {
                          event.preventDefault();
                          const el = document.getElementById(inputId(path));
                          el?.focus();
                          el?.scrollIntoView({ block: 'center' });
                        }}
                      >
                        {t('errors.at', { path: pathLabel(path, t), message: problemText(problems[path] ?? 'invalid', t) })}
                      </Anchor>
                    </List.Item>
                  ))}
                </List>
              )}
            </Alert>
          )}
          {saved && (
            <Alert color="green" variant="light" role="status">
              {t('editor.saved')}
            </Alert>
          )}
          <TextInput
            id={inputId('name')}
            label={t('editor.name')}
            required
            maxLength={160}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            error={error('name')}
            disabled={busy}
          />
          <TextInput
            id={inputId('code')}
            label={t('editor.code')}
            description={t('editor.code_hint')}
            value={draft.code}
            onChange={(e) => setDraft({ ...draft, code: e.currentTarget.value })}
            error={error('code')}
            disabled={busy}
          />
          <Textarea
            id={inputId('description')}
            label={t('editor.description')}
            autosize
            minRows={2}
            maxRows={8}
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.currentTarget.value })}
            error={error('description')}
            disabled={busy}
          />
          {draft.service && (
            <ServiceSheet
              draft={draft.service}
              onChange={(service) => setDraft({ ...draft, service })}
              error={error}
              lookups={lookups}
              disabled={busy}
              t={t}
            />
          )}
          <Group gap="sm" wrap="wrap">
            <Button type="submit" loading={update.isPending}>
              {t('editor.save')}
            </Button>
            <Button variant="default" onClick={() => setActive(!node.active)} disabled={busy}>
              {node.active ? t('editor.deactivate') : t('editor.activate')}
            </Button>
            <Button variant="outline" color="red" onClick={() => setConfirmDelete(true)} disabled={busy}>
              {t('editor.delete')}
            </Button>
          </Group>
        </Stack>
      </form>

      <Modal closeButtonProps={{ 'aria-label': t('editor.close') }} opened={confirmDelete} onClose={() => setConfirmDelete(false)} title={t('editor.delete_title', { name: node.name })}>
        <Stack gap="md">
          <Text>{t('editor.delete_body')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmDelete(false)}>
              {t('editor.cancel')}
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(node.id, {
                  onSuccess: (outcome) => {
                    setConfirmDelete(false);
                    onDeleted(
                      outcome.outcome === 'deleted'
                        ? t('editor.deleted', { name: node.name, count: outcome.node_ids.length })
                        : t('editor.deactivated_instead', { name: node.name, count: outcome.node_ids.length }),
                    );
                  },
                  onError: (err) => {
                    setConfirmDelete(false);
                    failed(err);
                  },
                })
              }
            >
              {t('editor.delete_confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
