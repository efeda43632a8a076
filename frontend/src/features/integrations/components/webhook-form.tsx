import { Button, Checkbox, Group, SimpleGrid, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { FieldError } from '@/shared/api/problem';
import type { Webhook } from '../api/webhooks';
import { useIntegrationsT } from '../lib/bundle';
import { EVENTS, eventKey } from '../lib/events';
import { messageOf, SaveAlert } from './save-alert';

export const WEBHOOK_INPUTS = ['url', 'description', 'events', 'active'] as const;

export type WebhookDraft = { url: string; description: string | null; events: string[]; active: boolean };

/**
 * A webhook's URL, description, events and whether it is active: empty for a new one, or the
 * stored values. Problems from the API show at their inputs; the missing ones before sending.
 */
export function WebhookForm({
  initial,
  idPrefix,
  submitLabel,
  pending,
  error,
  errors,
  onSubmit,
}: {
  initial?: Webhook;
  idPrefix: string;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  errors: Record<string, FieldError>;
  onSubmit: (draft: WebhookDraft) => void;
}) {
  const t = useIntegrationsT();
  const [url, setUrl] = useState(initial?.url ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [events, setEvents] = useState<string[]>(initial?.events ?? []);
  const [active, setActive] = useState(initial?.active ?? true);
  const [missing, setMissing] = useState<Record<string, boolean>>({});
  const msg = (field: (typeof WEBHOOK_INPUTS)[number]) => (missing[field] ? t('errors.required') : messageOf(t, errors, field));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const absent = { url: url.trim() === '', events: events.length === 0 };
    setMissing(absent);
    if (absent.url || absent.events) return;
    onSubmit({ url: url.trim(), description: description.trim() || null, events, active });
  }

  return (
    <form noValidate aria-labelledby={`${idPrefix}-title`} onSubmit={submit}>
      <Stack gap="sm">
        <SaveAlert t={t} error={error} fields={errors} />
        <TextInput
          id={`${idPrefix}-url`}
          type="url"
          label={t('webhooks.url')}
          description={t('webhooks.url_hint')}
          required
          autoComplete="off"
          value={url}
          onChange={(e) => {
            setUrl(e.currentTarget.value);
            setMissing((m) => ({ ...m, url: false }));
          }}
          error={msg('url')}
        />
        <Textarea
          id={`${idPrefix}-description`}
          label={t('webhooks.description')}
          description={t('webhooks.description_hint')}
          autosize
          minRows={1}
          maxRows={4}
          maxLength={500}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={msg('description')}
        />
        <Checkbox.Group
          id={`${idPrefix}-events`}
          label={t('webhooks.events')}
          description={t('webhooks.events_hint')}
          required
          value={events}
          onChange={(value) => {
            setEvents(value);
            setMissing((m) => ({ ...m, events: false }));
          }}
          error={msg('events')}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs" spacing="xs">
            {EVENTS.map((event) => (
              <Checkbox key={event} value={event} label={t(eventKey(event))} description={event} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Switch
          id={`${idPrefix}-active`}
          label={t('webhooks.active')}
          description={t('webhooks.active_hint')}
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
          error={msg('active')}
        />
        <Group>
          <Button type="submit" loading={pending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
