import { Alert, Button, Group, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { forwardRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UploadNetworkError } from '@/shared/api/upload';
import { FileDrop } from '@/shared/components/file-drop';
import { checkFile, FILE_LIMITS } from '@/shared/lib/files';
import { formatBytes } from '@/shared/lib/format';
import { useAddFollowup } from '../api/tickets';
import type { Visibility } from '../lib/types';

function fileMessage(code: string, t: ReturnType<typeof useTranslation>['t'], language: string): string {
  switch (code) {
    case 'empty':
      return t('request.errors.empty');
    case 'too_large':
      return t('request.errors.too_large', { max: formatBytes(FILE_LIMITS.maxBytes, language) });
    case 'unsupported_type':
      return t('request.errors.unsupported_type');
    case 'disguised_type':
      return t('request.errors.disguised_type');
    default:
      return t('request.errors.invalid');
  }
}

/**
 * Staff: a follow-up, public (the requester sees it and gets an email) or private (agents
 * only). Requesters: "Actualización del usuario", always public. Both with files.
 */
export const FollowupForm = forwardRef<HTMLTextAreaElement, { number: number; staff: boolean }>(function FollowupForm(
  { number, staff },
  ref,
) {
  const { t, i18n } = useTranslation();
  const add = useAddFollowup(number);
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [files, setFiles] = useState<File[]>([]);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const [serverFileErrors, setServerFileErrors] = useState<Record<number, string>>({});
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);

  const fileErrors = files.map((f, i) => {
    const problem = checkFile(f);
    return problem ? fileMessage(problem.code, t, i18n.language) : (serverFileErrors[i] ?? null);
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    if (!body.trim()) {
      setBodyError(t('ticket.errors.required'));
      return;
    }
    if (fileErrors.some(Boolean)) return;
    add.mutate(
      { body: body.trim(), visibility: staff ? visibility : 'public', files },
      {
        onSuccess: (answer) => {
          if (answer.ok) {
            setBody('');
            setFiles([]);
            setServerFileErrors({});
            setResult({ ok: true, message: t('ticket.compose.sent') });
            return;
          }
          const perFile: Record<number, string> = {};
          for (const e of answer.problem?.errors ?? []) {
            const match = /^files\.(\d+)$/.exec(e.field);
            if (match) perFile[Number(match[1])] = fileMessage(e.code, t, i18n.language);
            if (e.field === 'body') setBodyError(t('ticket.errors.required'));
          }
          setServerFileErrors(perFile);
          setResult({
            ok: false,
            message:
              answer.status === 409
                ? t('ticket.compose.closed')
                : answer.status === 403
                  ? t('ticket.errors.forbidden')
                  : answer.status === 422
                    ? t('ticket.errors.invalid')
                    : t('ticket.errors.unexpected'),
          });
        },
        onError: (error) =>
          setResult({ ok: false, message: error instanceof UploadNetworkError ? t('request.errors.network') : t('ticket.errors.unexpected') }),
      },
    );
  }

  const heading = staff ? t('ticket.compose.heading_staff') : t('ticket.compose.heading_requester');
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="followup-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="followup-heading">
          {heading}
        </Title>
        {result && (
          <Alert color={result.ok ? 'green' : 'red'} variant="light" role={result.ok ? 'status' : 'alert'}>
            {result.message}
          </Alert>
        )}
        {staff && (
          <Radio.Group
            label={t('ticket.compose.visibility')}
            value={visibility}
            onChange={(value) => setVisibility(value as Visibility)}
          >
            <Stack gap={6} mt={6}>
              <Radio value="public" label={t('ticket.compose.public')} />
              <Radio value="private" label={t('ticket.compose.private')} />
            </Stack>
          </Radio.Group>
        )}
        <Textarea
          ref={ref}
          id="followup-body"
          label={staff ? t('ticket.compose.body') : t('ticket.compose.body_requester')}
          description={staff ? undefined : t('ticket.compose.requester_hint')}
          required
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          onChange={(e) => {
            setBody(e.currentTarget.value);
            setBodyError(null);
          }}
          error={bodyError}
        />
        <FileDrop
          id="followup-files"
          label={t('ticket.compose.files')}
          multiple
          entries={files.map((file, i) => ({ file, error: fileErrors[i] }))}
          onAdd={(added) => setFiles((current) => [...current, ...added])}
          onRemove={(index) => {
            setFiles((current) => current.filter((_, i) => i !== index));
            setServerFileErrors({});
          }}
          disabled={add.isPending}
        />
        {staff && visibility === 'private' && (
          <Text size="sm" fw={600}>
            {t('ticket.compose.private_note')}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={add.isPending} color={staff && visibility === 'private' ? 'dark' : undefined}>
            {staff
              ? visibility === 'private'
                ? t('ticket.compose.submit_private')
                : t('ticket.compose.submit_public')
              : t('ticket.compose.submit_requester')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
});
