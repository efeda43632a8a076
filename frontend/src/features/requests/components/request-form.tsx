import {
  Alert,
  Anchor,
  Button,
  Fieldset,
  Group,
  List,
  NativeSelect,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '@/api/schema';
import { UploadNetworkError, type UploadProgress } from '@/shared/api/upload';
import { FileDrop } from '@/shared/components/file-drop';
import { formatBytes } from '@/shared/lib/format';
import { localized } from '@/shared/lib/localized';
import { createTicket, partSizes, type CreateTicket, type Ticket, type TicketFile } from '../api/create-ticket';
import { useAreas, useLocations, useOrganizations } from '../api/reference-data';
import {
  LIMITS,
  fileProgress,
  initialValues,
  problemsFromServer,
  randomKey,
  toApiFields,
  validateDraft,
  type FieldValue,
  type FieldValues,
  type FormProblems,
  type FieldProblem,
} from '../lib/form-fields';
import { DynamicField, fieldInputId } from './dynamic-field';

import { problemMessage } from './problem-message';

type CatalogNode = components['schemas']['CatalogNode'];
type User = components['schemas']['User'];

const FILES_ID = 'request-files';
const INPUT_IDS: Record<string, string> = {
  subject: 'request-subject',
  description: 'request-description',
  contact_phone: 'request-contact-phone',
  location_id: 'request-location',
  organization_id: 'request-organization',
  area_id: 'request-area',
  requester_id: 'request-requester',
  files: FILES_ID,
};

function inputIdFor(path: string): string | null {
  const known = INPUT_IDS[path];
  if (known) return known;
  if (path.startsWith('fields.')) return fieldInputId(path.slice('fields.'.length));
  if (path.startsWith('attachment.')) return `request-attachment-${path.slice('attachment.'.length)}`;
  if (path.startsWith('files.')) return FILES_ID;
  return null;
}

type Sending = { progress: UploadProgress | null; sizes: number[] };

type Props = {
  service: CatalogNode;
  /** Whose data fills the contact defaults: the user, or the person called for. */
  requester: User | null;
  /** Staff registering a phone call: sends `requester_id` and `channel: phone`. */
  onBehalf?: boolean;
  /** Rendered first (the requester picker, on behalf). */
  header?: ReactNode;
  /** Shown under the subject as it is typed (the knowledge base's suggestions). */
  subjectAddon?: (subject: string) => ReactNode;
  onCreated: (ticket: Ticket) => void;
};

/**
 * The request form of a service: subject, description, contact data (defaulting to the
 * requester's profile), the service's own fields, its required documents and extra files.
 * Validates like the server; shows the server's 422 problems on the inputs they concern.
 */
export function RequestForm({ service, requester, onBehalf = false, header, subjectAddon, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const detail = service.service;
  const fields = useMemo(() => detail?.form_fields ?? [], [detail]);
  const requiredAttachments = useMemo(() => detail?.required_attachments ?? [], [detail]);

  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [contactPhone, setContactPhone] = useState(requester?.phone ?? '');
  const [locationId, setLocationId] = useState(requester?.location_id ?? '');
  const [organizationId, setOrganizationId] = useState(requester?.organization_id ?? '');
  const [areaId, setAreaId] = useState(requester?.area_id ?? '');
  const [values, setValues] = useState<FieldValues>(() => initialValues(fields));
  const [fieldFiles, setFieldFiles] = useState<Record<string, File | undefined>>({});
  const [attachments, setAttachments] = useState<Record<string, File | undefined>>({});
  const [extraFiles, setExtraFiles] = useState<File[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [serverProblems, setServerProblems] = useState<FormProblems>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [sending, setSending] = useState<Sending | null>(null);
  const idempotencyKey = useRef<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);

  // On behalf: the contact defaults follow the chosen requester — only when the person changes,
  // adjusted while rendering (the first render already took them from `useState`).
  const defaultsKey = onBehalf ? `on-behalf:${requester?.id ?? ''}` : null;
  const [defaultsFor, setDefaultsFor] = useState(defaultsKey);
  if (defaultsKey !== defaultsFor) {
    setDefaultsFor(defaultsKey);
    if (onBehalf) {
      setContactPhone(requester?.phone ?? '');
      setLocationId(requester?.location_id ?? '');
      setOrganizationId(requester?.organization_id ?? '');
      setAreaId(requester?.area_id ?? '');
    }
  }

  const locations = useLocations();
  const organizations = useOrganizations();
  const areas = useAreas(organizationId || null);

  const fileFields = fields.filter((f) => f.type === 'file');
  const draft = {
    subject,
    description,
    contactPhone,
    fields,
    values,
    fieldFiles,
    requiredAttachments,
    attachments,
    extraFiles,
  };
  // Checked on submit, then again on every change so fixed problems disappear at once.
  const clientProblems: FormProblems = submitted ? validateDraft(draft) : {};
  if (onBehalf && submitted && !requester) clientProblems.requester_id = { code: 'required' };
  const problems: FormProblems = { ...serverProblems, ...clientProblems };

  const formatMax = (problem: FieldProblem) =>
    problemMessage(problem, t, problem.code === 'too_large' ? (max) => formatBytes(max, i18n.language) : undefined);
  const messageFor = (path: string) => (problems[path] ? formatMax(problems[path]) : null);

  function clearServer(path: string) {
    if (!serverProblems[path]) return;
    setServerProblems(({ [path]: _removed, ...rest }) => rest);
  }

  // Files in the order they travel: file fields, required attachments, extra files.
  const ticketFiles: TicketFile[] = [
    ...fileFields.flatMap((f) => (fieldFiles[f.key] ? [{ part: 'file' as const, file: fieldFiles[f.key]! }] : [])),
    ...requiredAttachments.flatMap((a) =>
      attachments[a.key] ? [{ part: `attachment.${a.key}` as const, file: attachments[a.key]! }] : [],
    ),
    ...extraFiles.map((file) => ({ part: 'file' as const, file })),
  ];
  const progressByFile = new Map<File, number>();
  if (sending) {
    const shares = sending.progress
      ? fileProgress(sending.progress.loaded, sending.progress.total, sending.sizes)
      : ticketFiles.map(() => 0);
    ticketFiles.forEach((f, i) => progressByFile.set(f.file, shares[i] ?? 0));
  }

  function labelFor(path: string): string {
    if (path === 'subject') return t('request.subject');
    if (path === 'description') return t('request.description');
    if (path === 'contact_phone') return t('request.contact_phone');
    if (path === 'location_id') return t('request.location');
    if (path === 'organization_id') return t('request.organization');
    if (path === 'area_id') return t('request.area');
    if (path === 'requester_id') return t('request.requester');
    if (path === 'files' || path.startsWith('files.')) {
      const file = extraFiles[Number(path.slice('files.'.length))];
      return file ? `${t('request.files.extra')}: ${file.name}` : t('request.files.extra');
    }
    if (path.startsWith('fields.')) {
      const field = fields.find((f) => f.key === path.slice('fields.'.length));
      return field ? localized(field.label, i18n.language) : path;
    }
    if (path.startsWith('attachment.')) {
      const requirement = requiredAttachments.find((a) => a.key === path.slice('attachment.'.length));
      return requirement ? localized(requirement.label, i18n.language) : path;
    }
    return path;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setSubmitted(true);
    setFormError(null);
    const found = validateDraft(draft);
    if (Object.keys(found).length > 0 || (onBehalf && !requester)) {
      setServerProblems({});
      window.setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    const data: CreateTicket = {
      service_id: service.id,
      subject: subject.trim(),
      description: description.trim(),
      contact_phone: contactPhone.trim() || null,
      location_id: locationId || null,
      organization_id: organizationId || null,
      area_id: areaId || null,
      fields: toApiFields(fields, values),
      ...(onBehalf && requester ? { requester_id: requester.id, channel: 'phone' as const } : {}),
    };
    const files = ticketFiles;
    // The same key while the outcome is unknown (network failure); a new one after an answer.
    idempotencyKey.current ??= randomKey();
    setSending({ progress: null, sizes: partSizes(data, files) });
    try {
      const result = await createTicket(data, files, {
        idempotencyKey: idempotencyKey.current,
        onProgress: (progress) => setSending((current) => (current ? { ...current, progress } : current)),
      });
      idempotencyKey.current = null;
      if (result.ok) {
        onCreated(result.ticket);
        return;
      }
      const fieldOrder = fileFields.filter((f) => fieldFiles[f.key]).map((f) => f.key);
      const fromServer = problemsFromServer(result.problem?.errors ?? [], fields, fieldOrder);
      const { _form: general, ...onInputs } = fromServer;
      setServerProblems(onInputs);
      setFormError(
        result.status === 422 || result.status === 400
          ? general
            ? formatMax(general)
            : Object.keys(onInputs).length === 0
              ? t('request.errors.invalid')
              : null
          : result.status === 403
            ? t('request.errors.forbidden')
            : result.status === 413
              ? t('request.errors.request_too_large')
              : result.status === 401
                ? t('request.errors.session')
                : t('request.errors.unexpected'),
      );
      window.setTimeout(() => summaryRef.current?.focus(), 0);
    } catch (error) {
      setFormError(error instanceof UploadNetworkError ? t('request.errors.network') : t('request.errors.unexpected'));
      window.setTimeout(() => summaryRef.current?.focus(), 0);
    } finally {
      setSending(null);
    }
  }

  const problemPaths = Object.keys(problems);
  const showSummary = formError !== null || (submitted && problemPaths.length > 0);
  const disabled = sending !== null;

  const setValue = (key: string, value: FieldValue) => {
    setValues((current) => ({ ...current, [key]: value }));
    clearServer(`fields.${key}`);
  };

  const referenceOptions = (items: { id: string; name: string }[] | undefined, current: string) => {
    const options = (items ?? []).map((item) => ({ value: item.id, label: item.name }));
    // Keep a profile value selected even before (or without) its list.
    if (current && !options.some((o) => o.value === current))
      options.unshift({ value: current, label: items ? t('request.profile_value') : t('app.loading') });
    return [{ value: '', label: t('request.choose_option') }, ...options];
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="request-form-heading">
      <Stack gap="lg">
        {showSummary && (
          <Alert
            ref={summaryRef}
            tabIndex={-1}
            color="red"
            variant="light"
            role="alert"
            title={
              problemPaths.length > 0
                ? t('request.errors.summary', { count: problemPaths.length })
                : t('request.errors.not_sent')
            }
          >
            {formError && <Text size="sm">{formError}</Text>}
            {problemPaths.length > 0 && (
              <List size="sm" mt={formError ? 'xs' : 0}>
                {problemPaths.map((path) => {
                  const id = inputIdFor(path);
                  const text = `${labelFor(path)}: ${messageFor(path)}`;
                  return (
                    <List.Item key={path}>
                      {id ? (
                        <Anchor
                          href={`#${id}`}
                          size="sm"
                          c="red.9"
                          onClick={(event) => {
                            event.preventDefault();
                            const target = document.getElementById(id);
                            target?.focus();
                            target?.scrollIntoView({ block: 'center' });
                          }}
                        >
                          {text}
                        </Anchor>
                      ) : (
                        text
                      )}
                    </List.Item>
                  );
                })}
              </List>
            )}
          </Alert>
        )}

        <Text size="sm">{t('request.required_note')}</Text>

        {header}

        <Fieldset legend={t('request.section_request')} radius="md">
          <Stack gap="md">
            <TextInput
              id={INPUT_IDS.subject}
              label={t('request.subject')}
              description={t('request.subject_hint')}
              required
              maxLength={LIMITS.subject}
              value={subject}
              onChange={(e) => {
                setSubject(e.currentTarget.value);
                clearServer('subject');
              }}
              error={messageFor('subject')}
              disabled={disabled}
            />
            {subjectAddon?.(subject)}
            <Textarea
              id={INPUT_IDS.description}
              label={t('request.description')}
              description={t('request.description_hint')}
              required
              autosize
              minRows={4}
              maxRows={14}
              value={description}
              onChange={(e) => {
                setDescription(e.currentTarget.value);
                clearServer('description');
              }}
              error={messageFor('description')}
              disabled={disabled}
            />
          </Stack>
        </Fieldset>

        <Fieldset legend={t('request.section_contact')} radius="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              id={INPUT_IDS.contact_phone}
              label={t('request.contact_phone')}
              type="tel"
              autoComplete={onBehalf ? 'off' : 'tel'}
              maxLength={LIMITS.contact_phone}
              value={contactPhone}
              onChange={(e) => {
                setContactPhone(e.currentTarget.value);
                clearServer('contact_phone');
              }}
              error={messageFor('contact_phone')}
              disabled={disabled}
            />
            <NativeSelect
              id={INPUT_IDS.location_id}
              label={t('request.location')}
              description={locations.isError ? t('request.list_unavailable') : undefined}
              value={locationId}
              onChange={(e) => {
                setLocationId(e.currentTarget.value);
                clearServer('location_id');
              }}
              data={referenceOptions(locations.data, locationId)}
              error={messageFor('location_id')}
              disabled={disabled}
            />
            <NativeSelect
              id={INPUT_IDS.organization_id}
              label={t('request.organization')}
              description={organizations.isError ? t('request.list_unavailable') : undefined}
              value={organizationId}
              onChange={(e) => {
                setOrganizationId(e.currentTarget.value);
                setAreaId('');
                clearServer('organization_id');
              }}
              data={referenceOptions(organizations.data, organizationId)}
              error={messageFor('organization_id')}
              disabled={disabled}
            />
            <NativeSelect
              id={INPUT_IDS.area_id}
              label={t('request.area')}
              description={areas.isError ? t('request.list_unavailable') : undefined}
              value={areaId}
              onChange={(e) => {
                setAreaId(e.currentTarget.value);
                clearServer('area_id');
              }}
              data={referenceOptions(areas.data, areaId)}
              error={messageFor('area_id')}
              disabled={disabled || !organizationId}
            />
          </SimpleGrid>
        </Fieldset>

        {fields.length > 0 && (
          <Fieldset legend={t('request.section_service', { service: service.name })} radius="md">
            <Stack gap="md">
              {fields.map((field) =>
                field.type === 'file' ? (
                  <FileDrop
                    key={field.key}
                    id={fieldInputId(field.key)}
                    label={localized(field.label, i18n.language)}
                    description={field.help ? localized(field.help, i18n.language) : undefined}
                    required={field.required}
                    entries={
                      fieldFiles[field.key]
                        ? [{ file: fieldFiles[field.key]!, progress: progressByFile.get(fieldFiles[field.key]!) }]
                        : []
                    }
                    onAdd={(files) => {
                      setFieldFiles((current) => ({ ...current, [field.key]: files[0] }));
                      clearServer(`fields.${field.key}`);
                    }}
                    onRemove={() => setFieldFiles((current) => ({ ...current, [field.key]: undefined }))}
                    error={messageFor(`fields.${field.key}`)}
                    disabled={disabled}
                  />
                ) : (
                  <DynamicField
                    key={field.key}
                    field={field}
                    value={values[field.key]}
                    onChange={(value) => setValue(field.key, value)}
                    error={messageFor(`fields.${field.key}`)}
                    disabled={disabled}
                  />
                ),
              )}
            </Stack>
          </Fieldset>
        )}

        <Fieldset legend={t('request.section_documents')} radius="md">
          <Stack gap="lg">
            {requiredAttachments.map((requirement) => {
              const file = attachments[requirement.key];
              const path = `attachment.${requirement.key}`;
              return (
                <FileDrop
                  key={requirement.key}
                  id={`request-attachment-${requirement.key}`}
                  label={localized(requirement.label, i18n.language)}
                  description={requirement.description ? localized(requirement.description, i18n.language) : undefined}
                  required
                  entries={file ? [{ file, progress: progressByFile.get(file) }] : []}
                  onAdd={(files) => {
                    setAttachments((current) => ({ ...current, [requirement.key]: files[0] }));
                    clearServer(path);
                  }}
                  onRemove={() => {
                    setAttachments((current) => ({ ...current, [requirement.key]: undefined }));
                    clearServer(path);
                  }}
                  error={messageFor(path)}
                  disabled={disabled}
                />
              );
            })}
            <FileDrop
              id={FILES_ID}
              label={t('request.files.extra')}
              description={t('request.files.extra_hint')}
              multiple
              entries={extraFiles.map((file, index) => ({
                file,
                error: messageFor(`files.${index}`),
                progress: progressByFile.get(file),
              }))}
              onAdd={(files) => {
                setExtraFiles((current) => [...current, ...files]);
                clearServer('files');
              }}
              onRemove={(index) => {
                setExtraFiles((current) => current.filter((_, i) => i !== index));
                // Server problems of later files no longer match their index.
                setServerProblems((current) =>
                  Object.fromEntries(Object.entries(current).filter(([path]) => !path.startsWith('files'))),
                );
              }}
              error={messageFor('files')}
              disabled={disabled}
            />
          </Stack>
        </Fieldset>

        {sending && (
          <Stack gap={4} role="status">
            <Text size="sm">
              {sending.progress && sending.progress.total > 0
                ? t('request.sending_progress', {
                    percent: Math.round((sending.progress.loaded / sending.progress.total) * 100),
                  })
                : t('request.sending')}
            </Text>
            <Progress
              value={sending.progress && sending.progress.total > 0 ? (sending.progress.loaded / sending.progress.total) * 100 : 0}
              aria-label={t('request.sending')}
            />
          </Stack>
        )}

        <Group>
          <Button type="submit" size="md" loading={disabled}>
            {onBehalf ? t('request.submit_on_behalf') : t('request.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
