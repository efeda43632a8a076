import { Button, CloseButton, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { useId, useState, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '@/shared/lib/format';
import { ACCEPT_ATTRIBUTE, FILE_LIMITS } from '@/shared/lib/files';
import classes from './file-drop.module.css';

export type FileEntry = {
  file: File;
  /** Translated problem with this file, if any. */
  error?: string | null;
  /** Share uploaded, 0–1, while sending. */
  progress?: number | null;
};

type Props = {
  /** Used for the error summary links: the button gets this id. */
  id: string;
  label: ReactNode;
  description?: ReactNode;
  required?: boolean;
  multiple?: boolean;
  entries: FileEntry[];
  onAdd: (files: File[]) => void;
  onRemove: (index: number) => void;
  /** A problem with the slot as a whole ("Adjunte …"). */
  error?: string | null;
  disabled?: boolean;
};

/**
 * A drop zone with a "Seleccionar archivo(s)" button (the keyboard way in), the chosen files
 * with their size, a remove button each and, while sending, a progress bar each.
 */
export function FileDrop({ id, label, description, required, multiple, entries, onAdd, onRemove, error, disabled }: Props) {
  const { t, i18n } = useTranslation();
  const [over, setOver] = useState(false);
  const labelId = useId();
  const descriptionId = useId();
  const errorId = useId();

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const dropped = Array.from(event.dataTransfer.files);
    if (dropped.length) onAdd(multiple ? dropped : dropped.slice(0, 1));
  }

  const describedBy = [description ? descriptionId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const canAdd = multiple || entries.length === 0;

  return (
    <Stack gap={6} role="group" aria-labelledby={labelId}>
      <Text id={labelId} fw={600} size="sm">
        {label}
        {required && (
          <Text component="span" c="var(--mantine-color-error)" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {description && (
        <Text id={descriptionId} size="sm" c="var(--mantine-color-gray-7)">
          {description}
        </Text>
      )}
      {canAdd && (
        <div
          className={classes.zone}
          data-dropzone
          data-over={over || undefined}
          data-error={error ? true : undefined}
          onDragOver={(event) => {
            event.preventDefault();
            if (!disabled) setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
        >
          <Group gap="sm" justify="center">
            <Text size="sm">{multiple ? t('files.drop_many') : t('files.drop_one')}</Text>
            <FileButton onChange={(files) => onAdd(Array.isArray(files) ? files : files ? [files] : [])} multiple={multiple} accept={ACCEPT_ATTRIBUTE} disabled={disabled}>
              {(props) => (
                <Button
                  {...props}
                  id={id}
                  variant="default"
                  size="sm"
                  aria-describedby={describedBy}
                  aria-invalid={error ? true : undefined}
                  aria-required={required ? true : undefined}
                >
                  {multiple ? t('files.choose_many') : t('files.choose_one')}
                </Button>
              )}
            </FileButton>
          </Group>
          <Text size="xs" ta="center" mt={4} c="var(--mantine-color-gray-7)">
            {t('files.limits', { size: formatBytes(FILE_LIMITS.maxBytes, i18n.language) })}
          </Text>
        </div>
      )}
      {error && (
        <Text id={errorId} size="sm" c="var(--mantine-color-error)">
          {error}
        </Text>
      )}
      {entries.length > 0 && (
        <ul className={classes.list} aria-label={t('files.chosen')}>
          {entries.map((entry, index) => (
            <li key={`${entry.file.name}-${index}`} className={classes.entry} data-error={entry.error ? true : undefined}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={500} truncate>
                    {entry.file.name}
                  </Text>
                  <Text size="xs" c="var(--mantine-color-gray-7)">
                    {formatBytes(entry.file.size, i18n.language)}
                  </Text>
                </Stack>
                {!disabled && (
                  <CloseButton
                    aria-label={t('files.remove', { name: entry.file.name })}
                    onClick={() => onRemove(index)}
                  />
                )}
              </Group>
              {entry.error && (
                <Text size="sm" c="var(--mantine-color-error)" mt={4}>
                  {entry.error}
                </Text>
              )}
              {entry.progress !== undefined && entry.progress !== null && (
                <Progress
                  mt={6}
                  value={Math.round(entry.progress * 100)}
                  size="sm"
                  aria-label={t('files.progress', { name: entry.file.name })}
                  transitionDuration={150}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}
