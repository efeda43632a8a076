import { Alert, Button, FileButton, Grid, Group, List, Modal, NativeSelect, Paper, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { components } from '@/api/schema';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import {
  exportCatalog,
  useAdminCatalog,
  useAllAreas,
  useAllOrganizations,
  useCreateNode,
  useDeskGroups,
  useDesks,
  useImportCatalog,
  useMoveNode,
  useSlaPolicies,
  type AdminError,
  type CatalogDocument,
  type Desk,
  type ImportSummary,
} from '../api/catalog-admin';
import { emptyService, problemsByField, serviceInput } from '../lib/service-draft';
import { dropMove, findNode, keyboardMove, moveTargets, placeOf, type DropZone, type MoveKind, type MoveNode } from '../lib/tree-edit';
import { EditorTree } from './editor-tree';
import { inputId } from './field-ids';
import { NodeEditor } from './node-editor';
import { problemText } from './problem-text';
import { useCatalogStrings, type CatalogT } from './strings';

type Role = components['schemas']['Role'];

/** The desks a user may edit: every desk for admins, the desks they supervise for supervisors. */
export function managedDesks(desks: Desk[], role: Role, userId: string): Desk[] {
  return role === 'admin' ? desks : desks.filter((d) => d.supervisor_ids.includes(userId));
}

/** `catalogo-tic-2026-12-03.json` */
export function exportFileName(deskCode: string, now: Date = new Date()): string {
  return `catalogo-${deskCode.toLowerCase()}-${now.toISOString().slice(0, 10)}.json`;
}

/** The catalog editor of the desks the user manages (issue 18, item 1). */
export function CatalogEditor({ role, userId }: { role: Role; userId: string }) {
  const { t } = useCatalogStrings();
  const desks = useDesks();
  const [chosenDesk, setChosenDesk] = useState<string | null>(null);
  if (desks.isPending) return <LoadingState />;
  if (desks.isError) return <ErrorState onRetry={() => void desks.refetch()} />;
  const mine = managedDesks(desks.data, role, userId);
  if (mine.length === 0) return <EmptyState title={t('page.no_desks')}>{t('page.no_desks_hint')}</EmptyState>;
  const desk = mine.find((d) => d.id === chosenDesk) ?? mine[0]!;
  return (
    <Stack gap="md">
      {mine.length > 1 && (
        <NativeSelect
          label={t('page.desk')}
          value={desk.id}
          onChange={(e) => setChosenDesk(e.currentTarget.value)}
          data={mine.map((d) => ({ value: d.id, label: d.active ? d.name : `${d.name} (${t('tree.inactive')})` }))}
          maw={420}
        />
      )}
      <DeskCatalog key={desk.id} desk={desk} t={t} />
    </Stack>
  );
}

function DeskCatalog({ desk, t }: { desk: Desk; t: CatalogT }) {
  const catalog = useAdminCatalog(desk.id);
  const groups = useDeskGroups(desk.id);
  const organizations = useAllOrganizations();
  const areas = useAllAreas();
  const policies = useSlaPolicies();
  const move = useMoveNode(desk.id);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [notice, setNotice] = useState<{ color: 'red' | 'green'; text: string } | null>(null);
  const [creating, setCreating] = useState<'category' | 'service' | null>(null);
  const [importing, setImporting] = useState<CatalogDocument | null>(null);
  const [importError, setImportError] = useState<string | null>(null);

  if (catalog.isPending) return <LoadingState label={t('page.loading_catalog')} />;
  if (catalog.isError) return <ErrorState onRetry={() => void catalog.refetch()} />;
  const tree = catalog.data.nodes;
  const selected = selectedId ? findNode(tree, selectedId) : null;
  const lookups = {
    groups: groups.data ?? [],
    organizations: organizations.data ?? [],
    areas: areas.data ?? [],
    policies: policies.data ?? [],
  };

  function doMove(id: string, body: MoveNode) {
    const name = findNode(tree, id)?.name ?? '';
    setNotice(null);
    move.mutate(
      { id, body },
      {
        onSuccess: () => {
          const parent = body.parent_id ? findNode(tree, body.parent_id)?.name : null;
          setAnnouncement(
            parent
              ? t('move.done_in', { name, parent, position: (body.position ?? 0) + 1 })
              : t('move.done_top', { name, position: (body.position ?? 0) + 1 }),
          );
        },
        onError: (err) => setNotice({ color: 'red', text: err.problem?.code === 'cycle' ? t('move.cycle') : t('move.failed', { name }) }),
      },
    );
  }

  function onKeyboardMove(id: string, kind: MoveKind) {
    const body = keyboardMove(tree, id, kind);
    if (body) doMove(id, body);
    else setAnnouncement(t('move.impossible', { name: findNode(tree, id)?.name ?? '' }));
  }

  function onDrop(dragged: string, target: string, zone: DropZone) {
    const body = dropMove(tree, dragged, target, zone);
    if (body) doMove(dragged, body);
  }

  async function onExport() {
    setNotice(null);
    try {
      const doc = await exportCatalog(desk.id);
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(desk.code);
      document.body.append(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
      setNotice({ color: 'green', text: t('transfer.exported') });
    } catch {
      setNotice({ color: 'red', text: t('transfer.export_failed') });
    }
  }

  async function onImportFile(file: File | null) {
    setImportError(null);
    setNotice(null);
    if (!file) return;
    try {
      const doc = JSON.parse(await file.text()) as CatalogDocument;
      if (typeof doc !== 'object' || doc === null || doc.format !== 'mesa.catalog/v1') throw new Error('format');
      setImporting(doc);
    } catch {
      setImportError(t('transfer.not_a_catalog', { name: file.name }));
    }
  }

  // New nodes go into the selected category, or beside the selected service.
  const newParent = selected ? (selected.kind === 'category' ? selected.id : (placeOf(tree, selected.id)?.parentId ?? null)) : null;

  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        <Button onClick={() => setCreating('category')}>{t('page.new_category')}</Button>
        <Button onClick={() => setCreating('service')}>{t('page.new_service')}</Button>
        <Button variant="default" onClick={() => void onExport()}>
          {t('transfer.export')}
        </Button>
        <FileButton onChange={(f) => void onImportFile(f)} accept="application/json,.json">
          {(props) => (
            <Button variant="default" {...props}>
              {t('transfer.import')}
            </Button>
          )}
        </FileButton>
      </Group>
      {importError && (
        <Alert color="red" variant="light" role="alert">
          {importError}
        </Alert>
      )}
      {notice && (
        <Alert color={notice.color} variant="light" role={notice.color === 'red' ? 'alert' : 'status'}>
          {notice.text}
        </Alert>
      )}
      <VisuallyHidden role="status">{announcement}</VisuallyHidden>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="sm">
            <Title order={2} size="h4" id="catalog-tree-heading" mb="xs">
              {t('tree.title', { desk: desk.name })}
            </Title>
            <Text size="sm" id="catalog-tree-help" mb="sm">
              {t('tree.help')}
            </Text>
            {tree.length === 0 ? (
              <EmptyState title={t('tree.empty')}>{t('tree.empty_hint')}</EmptyState>
            ) : (
              <EditorTree
                nodes={tree}
                selectedId={selected?.id ?? null}
                onSelect={(id) => {
                  setSelectedId(id);
                  // On a phone the sheet is below the tree: bring it into view.
                  window.setTimeout(() => {
                    if (window.matchMedia?.('(max-width: 62em)').matches) document.getElementById('node-editor-heading')?.scrollIntoView();
                  }, 0);
                }}
                onKeyboardMove={onKeyboardMove}
                onDrop={onDrop}
                labelledBy="catalog-tree-heading"
                describedBy="catalog-tree-help"
                disabled={move.isPending}
                t={t}
              />
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {selected ? (
            <NodeEditor
              deskId={desk.id}
              node={selected}
              tree={tree}
              lookups={lookups}
              onMove={doMove}
              moving={move.isPending}
              onDeleted={(text) => {
                setSelectedId(null);
                setNotice({ color: 'green', text });
              }}
              t={t}
            />
          ) : (
            <EmptyState title={t('editor.none')}>{t('editor.none_hint')}</EmptyState>
          )}
        </Grid.Col>
      </Grid>
      {creating && (
        <CreateNodeDialog
          deskId={desk.id}
          kind={creating}
          tree={tree}
          defaultParent={newParent}
          onClose={() => setCreating(null)}
          onCreated={(id) => {
            setCreating(null);
            setSelectedId(id);
          }}
          t={t}
        />
      )}
      {importing && (
        <ImportDialog
          deskId={desk.id}
          deskName={desk.name}
          doc={importing}
          onClose={() => setImporting(null)}
          onDone={(summary) => {
            setImporting(null);
            setNotice({ color: 'green', text: t('transfer.imported', { ...summary }) });
          }}
          t={t}
        />
      )}
    </Stack>
  );
}

const TOP = '__top__';

function CreateNodeDialog({
  deskId,
  kind,
  tree,
  defaultParent,
  onClose,
  onCreated,
  t,
}: {
  deskId: string;
  kind: 'category' | 'service';
  tree: components['schemas']['CatalogNode'][];
  defaultParent: string | null;
  onClose: () => void;
  onCreated: (id: string) => void;
  t: CatalogT;
}) {
  const create = useCreateNode(deskId);
  const [name, setName] = useState('');
  const [parent, setParent] = useState(defaultParent ?? TOP);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const categories = moveTargets(tree, '');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) {
      setProblems({ name: 'required' });
      return;
    }
    create.mutate(
      {
        kind,
        name: name.trim(),
        parent_id: parent === TOP ? null : parent,
        ...(kind === 'service' ? { service: serviceInput(emptyService()) } : {}),
      },
      {
        onSuccess: (node) => onCreated(node.id),
        onError: (err: AdminError) => {
          const byField = problemsByField(err.problem);
          setProblems(byField);
          if (Object.keys(byField).length === 0) setFormError(err.status === 403 ? t('errors.forbidden') : t('errors.unexpected'));
        },
      },
    );
  }

  return (
    <Modal closeButtonProps={{ 'aria-label': t('editor.close') }} opened onClose={onClose} title={kind === 'category' ? t('create.title_category') : t('create.title_service')}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            id={inputId('create.name')}
            label={t('editor.name')}
            required
            data-autofocus
            maxLength={160}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setProblems({});
            }}
            error={problems.name ? problemText(problems.name, t) : null}
          />
          <NativeSelect
            label={t('create.parent')}
            value={parent}
            onChange={(e) => setParent(e.currentTarget.value)}
            data={[
              { value: TOP, label: t('move.top') },
              ...categories.map((v) => ({ value: v.node.id, label: `${'\u00a0\u00a0'.repeat(v.level - 1)}${v.node.name}` })),
            ]}
            error={problems.parent_id ? problemText(problems.parent_id, t) : null}
          />
          {kind === 'service' && <Text size="sm">{t('create.service_hint')}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('editor.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ImportDialog({
  deskId,
  deskName,
  doc,
  onClose,
  onDone,
  t,
}: {
  deskId: string;
  deskName: string;
  doc: CatalogDocument;
  onClose: () => void;
  onDone: (summary: ImportSummary) => void;
  t: CatalogT;
}) {
  const run = useImportCatalog(deskId);
  const problems = run.error?.problem?.errors ?? [];
  return (
    <Modal closeButtonProps={{ 'aria-label': t('editor.close') }} opened onClose={onClose} title={t('transfer.import_title', { desk: deskName })} size="lg">
      <Stack gap="md">
        <Text>{t('transfer.import_body', { from: doc.desk?.name ?? '', count: doc.nodes?.length ?? 0 })}</Text>
        {run.isError && (
          <Alert color="red" variant="light" role="alert" title={t('transfer.import_failed')}>
            {problems.length > 0 ? (
              <List size="sm">
                {problems.slice(0, 20).map((p) => (
                  <List.Item key={`${p.field}-${p.code}`}>
                    <code>{p.field}</code>: {problemText(p.code, t)} ({p.message})
                  </List.Item>
                ))}
              </List>
            ) : (
              <Text size="sm">{run.error.status === 403 ? t('errors.forbidden') : t('errors.unexpected')}</Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('editor.cancel')}
          </Button>
          <Button loading={run.isPending} onClick={() => run.mutate(doc, { onSuccess: onDone })}>
            {t('transfer.import_confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
