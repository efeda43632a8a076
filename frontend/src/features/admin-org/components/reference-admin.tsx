import {
  Alert,
  Button,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { ReferenceError, useReferenceChange, useReferenceList, type Kind, type Row } from '../api/reference-admin';
import { filterRows } from '../lib/filter';
import { useOrgStrings, type OrgT } from './strings';
import { isOneOf } from '@/shared/lib/one-of';

const KINDS: readonly Kind[] = ['organization', 'area', 'location'];

/** Organizations, their areas and the locations (sedes), each in its tab (issue 18, item 3). */
export function ReferenceAdmin() {
  const { t } = useOrgStrings();
  const [tab, setTab] = useState<Kind>('organization');
  return (
    <Tabs value={tab} onChange={(v) => v && setTab(v as Kind)} keepMounted={false}>
      <Tabs.List aria-label={t('page.tabs')}>
        {KINDS.map((k) => (
          <Tabs.Tab key={k} value={k}>
            {t(`${k}.plural`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {KINDS.map((k) => (
        <Tabs.Panel key={k} value={k} pt="md">
          <KindPanel kind={k} t={t} />
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}

type AnyRow = Row[Kind];
type Editing = { row: AnyRow | null };

function KindPanel({ kind, t }: { kind: Kind; t: OrgT }) {
  const list = useReferenceList(kind);
  const organizations = useReferenceList('organization');
  const change = useReferenceChange();
  const [query, setQuery] = useState('');
  const [showInactive, setShowInactive] = useState(false);
  const [orgFilter, setOrgFilter] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<AnyRow | null>(null);
  const [notice, setNotice] = useState<{ color: 'green' | 'red'; text: string } | null>(null);

  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState onRetry={() => void list.refetch()} />;
  const orgs = organizations.data ?? [];
  const orgName = (id: string | null | undefined) => (id ? (orgs.find((o) => o.id === id)?.name ?? '') : '');
  const rows = filterRows(list.data as AnyRow[], { query, showInactive, organizationId: orgFilter || null });

  function toggleActive(row: AnyRow) {
    setNotice(null);
    const values = { active: !row.active };
    const done = () =>
      setNotice({ color: 'green', text: row.active ? t('list.deactivated', { name: row.name }) : t('list.activated', { name: row.name }) });
    const failed = (err: ReferenceError) =>
      setNotice({ color: 'red', text: err.status === 412 ? t('errors.stale') : t('errors.unexpected') });
    if (kind === 'organization') change.mutate({ op: 'update', kind, id: row.id, version: row.version, values }, { onSuccess: done, onError: failed });
    else if (kind === 'area') change.mutate({ op: 'update', kind, id: row.id, version: row.version, values }, { onSuccess: done, onError: failed });
    else change.mutate({ op: 'update', kind, id: row.id, version: row.version, values }, { onSuccess: done, onError: failed });
  }

  const headingId = `${kind}-list-heading`;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2} size="h4" id={headingId}>
          {t(`${kind}.plural`)}
        </Title>
        <Button onClick={() => setEditing({ row: null })}>{t(`${kind}.new`)}</Button>
      </Group>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput
          type="search"
          label={t('list.search', { what: t(`${kind}.plural`).toLowerCase() })}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: '1 1 220px' }}
        />
        {kind === 'area' && (
          <NativeSelect
            label={t('area.organization')}
            value={orgFilter}
            onChange={(e) => setOrgFilter(e.currentTarget.value)}
            data={[{ value: '', label: t('list.all_organizations') }, ...orgs.map((o) => ({ value: o.id, label: o.name }))]}
            style={{ flex: '1 1 220px' }}
          />
        )}
        <Switch label={t('list.show_inactive')} checked={showInactive} onChange={(e) => setShowInactive(e.currentTarget.checked)} mb={6} />
      </Group>
      {notice && (
        <Alert color={notice.color} variant="light" role={notice.color === 'red' ? 'alert' : 'status'}>
          {notice.text}
        </Alert>
      )}
      {rows.length === 0 ? (
        <EmptyState title={list.data.length === 0 ? t(`${kind}.empty`) : t('list.no_match')}>
          {list.data.length === 0 ? t(`${kind}.empty_hint`) : undefined}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped highlightOnHover aria-labelledby={headingId}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('fields.name')}</Table.Th>
                {kind === 'organization' && <Table.Th scope="col">{t('fields.short_name')}</Table.Th>}
                {kind === 'location' && <Table.Th scope="col">{t('fields.address')}</Table.Th>}
                {kind !== 'organization' && <Table.Th scope="col">{t('area.organization')}</Table.Th>}
                <Table.Th scope="col">{t('list.status')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.id}>
                  <Table.Th scope="row" fw={500}>
                    {row.name}
                  </Table.Th>
                  {kind === 'organization' && <Table.Td>{'short_name' in row ? (row.short_name ?? '') : ''}</Table.Td>}
                  {kind === 'location' && <Table.Td>{'address' in row ? (row.address ?? '') : ''}</Table.Td>}
                  {kind !== 'organization' && <Table.Td>{'organization_id' in row ? orgName(row.organization_id) : ''}</Table.Td>}
                  <Table.Td>
                    <Text size="sm" fw={row.active ? 500 : 400}>
                      {row.active ? t('list.active') : t('list.inactive')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="subtle" onClick={() => setEditing({ row })} aria-label={t('list.edit_named', { name: row.name })}>
                        {t('list.edit')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        onClick={() => toggleActive(row)}
                        disabled={change.isPending}
                        aria-label={row.active ? t('list.deactivate_named', { name: row.name }) : t('list.activate_named', { name: row.name })}
                      >
                        {row.active ? t('list.deactivate') : t('list.activate')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        color="red"
                        onClick={() => setDeleting(row)}
                        aria-label={t('list.delete_named', { name: row.name })}
                      >
                        {t('list.delete')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && (
        <EditDialog
          kind={kind}
          row={editing.row}
          organizations={orgs}
          defaultOrganization={orgFilter}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            setEditing(null);
            setNotice({ color: 'green', text: t('list.saved', { name }) });
          }}
          t={t}
        />
      )}
      {deleting && (
        <Modal closeButtonProps={{ 'aria-label': t('form.close') }} opened onClose={() => setDeleting(null)} title={t('delete.title', { name: deleting.name })}>
          <Stack gap="md">
            <Text>{t('delete.body')}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(null)}>
                {t('form.cancel')}
              </Button>
              <Button
                color="red"
                loading={change.isPending}
                onClick={() =>
                  change.mutate(
                    { op: 'delete', kind, id: deleting.id },
                    {
                      onSuccess: () => {
                        setNotice({ color: 'green', text: t('delete.done', { name: deleting.name }) });
                        setDeleting(null);
                      },
                      onError: (err) => {
                        setNotice({
                          color: 'red',
                          text: err.status === 409 ? t('delete.in_use', { name: deleting.name }) : t('errors.unexpected'),
                        });
                        setDeleting(null);
                      },
                    },
                  )
                }
              >
                {t('delete.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}

function EditDialog({
  kind,
  row,
  organizations,
  defaultOrganization,
  onClose,
  onSaved,
  t,
}: {
  kind: Kind;
  row: AnyRow | null;
  organizations: Row['organization'][];
  defaultOrganization: string;
  onClose: () => void;
  onSaved: (name: string) => void;
  t: OrgT;
}) {
  const change = useReferenceChange();
  const [name, setName] = useState(row?.name ?? '');
  const [shortName, setShortName] = useState(row && 'short_name' in row ? (row.short_name ?? '') : '');
  const [address, setAddress] = useState(row && 'address' in row ? (row.address ?? '') : '');
  const [organizationId, setOrganizationId] = useState(row && 'organization_id' in row ? (row.organization_id ?? '') : defaultOrganization);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const id = (field: string) => `${kind}-form-${field}`;
  const message = (field: string) => {
    const code = problems[field];
    if (!code) return null;
    const known = ['required', 'too_long', 'already_exists', 'unknown_reference'] as const;
    return isOneOf(known, code) ? t(`errors.${code}`) : t('errors.invalid');
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const local: Record<string, string> = {};
    if (!name.trim()) local.name = 'required';
    if (kind === 'area' && !row && !organizationId) local.organization_id = 'required';
    setProblems(local);
    if (Object.keys(local).length > 0) {
      window.setTimeout(() => document.getElementById(id(Object.keys(local)[0]!))?.focus(), 0);
      return;
    }
    const handlers = {
      onSuccess: () => onSaved(name.trim()),
      onError: (err: ReferenceError) => {
        const byField: Record<string, string> = {};
        for (const e of err.problem?.errors ?? []) byField[e.field] ??= e.code;
        // A unique name taken answers 409 without a field: it is the name's.
        if (err.status === 409) byField.name = 'already_exists';
        setProblems(byField);
        if (Object.keys(byField).length === 0)
          setFormError(err.status === 412 ? t('errors.stale') : err.status === 403 ? t('errors.forbidden') : t('errors.unexpected'));
        const first = Object.keys(byField)[0];
        if (first) window.setTimeout(() => document.getElementById(id(first))?.focus(), 0);
      },
    };
    const n = name.trim();
    if (kind === 'organization') {
      const values = { name: n, short_name: shortName.trim() || null };
      if (row) change.mutate({ op: 'update', kind, id: row.id, version: row.version, values }, handlers);
      else change.mutate({ op: 'create', kind, values }, handlers);
    } else if (kind === 'area') {
      if (row) change.mutate({ op: 'update', kind, id: row.id, version: row.version, values: { name: n } }, handlers);
      else change.mutate({ op: 'create', kind, values: { name: n, organization_id: organizationId } }, handlers);
    } else {
      const values = { name: n, address: address.trim() || null, organization_id: organizationId || null };
      if (row) change.mutate({ op: 'update', kind, id: row.id, version: row.version, values }, handlers);
      else change.mutate({ op: 'create', kind, values }, handlers);
    }
  }

  return (
    <Modal closeButtonProps={{ 'aria-label': t('form.close') }} opened onClose={onClose} title={row ? t('form.edit_title', { name: row.name }) : t(`${kind}.new`)}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {formError && (
            <Alert color="red" variant="light" role="alert">
              {formError}
            </Alert>
          )}
          <TextInput
            id={id('name')}
            label={t('fields.name')}
            required
            data-autofocus
            maxLength={160}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={message('name')}
          />
          {kind === 'organization' && (
            <TextInput
              id={id('short_name')}
              label={t('fields.short_name')}
              description={t('fields.short_name_hint')}
              maxLength={20}
              value={shortName}
              onChange={(e) => setShortName(e.currentTarget.value)}
              error={message('short_name')}
            />
          )}
          {kind === 'location' && (
            <TextInput
              id={id('address')}
              label={t('fields.address')}
              maxLength={300}
              value={address}
              onChange={(e) => setAddress(e.currentTarget.value)}
              error={message('address')}
            />
          )}
          {kind !== 'organization' && (
            <NativeSelect
              id={id('organization_id')}
              label={t('area.organization')}
              required={kind === 'area'}
              description={kind === 'area' && row ? t('fields.area_organization_fixed') : kind === 'location' ? t('fields.location_organization_hint') : undefined}
              disabled={kind === 'area' && row !== null}
              value={organizationId}
              onChange={(e) => setOrganizationId(e.currentTarget.value)}
              data={[
                { value: '', label: kind === 'area' ? t('form.choose') : t('form.none') },
                ...organizations.map((o) => ({ value: o.id, label: o.active ? o.name : `${o.name} (${t('list.inactive')})` })),
              ]}
              error={message('organization_id')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('form.cancel')}
            </Button>
            <Button type="submit" loading={change.isPending}>
              {row ? t('form.save') : t('form.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
