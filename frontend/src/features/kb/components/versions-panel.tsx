import { Group, NativeSelect, Paper, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { formatDateTime } from '@/shared/lib/format';
import { useDiff, useVersions, type ArticleDiff } from '../api/kb';
import { useKbStrings } from '../lib/strings';
import classes from './diff.module.css';

/** The article's versions, and the differences between any two of them. */
export function VersionsPanel({ articleId, revision, language }: { articleId: string; revision: number; language: string }) {
  const { t } = useKbStrings();
  const versions = useVersions(articleId);
  const [from, setFrom] = useState(Math.max(1, revision - 1));
  const [to, setTo] = useState(revision);
  const diff = useDiff(articleId, from, to, revision > 1 && from !== to);
  const options = (versions.data ?? []).map((v) => ({ value: String(v.revision), label: t('versions.revision', { revision: v.revision }) }));

  return (
    <Stack gap="sm">
      <Table fz="sm" aria-label={t('versions.title')}>
        <Table.Tbody>
          {(versions.data ?? []).map((v) => (
            <Table.Tr key={v.revision}>
              <Table.Th scope="row">{t('versions.revision', { revision: v.revision })}</Table.Th>
              <Table.Td>{v.title}</Table.Td>
              <Table.Td>{t('versions.by', { name: v.edited_by.name, date: formatDateTime(v.created_at, language) })}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {revision < 2 ? (
        <Text size="sm">{t('versions.only_one')}</Text>
      ) : (
        <Stack gap="xs">
          <Group gap="sm">
            <NativeSelect label={t('versions.from')} value={String(from)} onChange={(e) => setFrom(Number(e.currentTarget.value))} data={options} />
            <NativeSelect label={t('versions.to')} value={String(to)} onChange={(e) => setTo(Number(e.currentTarget.value))} data={options} />
          </Group>
          {from === to ? <Text size="sm">{t('versions.no_changes')}</Text> : diff.data && <DiffView diff={diff.data} />}
        </Stack>
      )}
    </Stack>
  );
}

/** Field by field: removed text struck through, added text underlined (not by colour alone). */
export function DiffView({ diff }: { diff: ArticleDiff }) {
  const { t } = useKbStrings();
  if (diff.fields.length === 0) return <Text size="sm">{t('versions.no_changes')}</Text>;
  return (
    <Stack gap="sm" data-testid="article-diff">
      {diff.fields.map((f) => (
        <Paper key={f.field} withBorder p="sm" radius="md">
          <Text fw={600} size="sm">
            {t(`versions.fields.${f.field as 'title'}`)}
          </Text>
          <pre className={classes.diff}>
            {f.changes.map((c, i) =>
              c.tag === 'insert' ? (
                <ins key={i} className={classes.ins} title={t('versions.inserted')}>
                  {c.text}
                </ins>
              ) : c.tag === 'delete' ? (
                <del key={i} className={classes.del} title={t('versions.deleted')}>
                  {c.text}
                </del>
              ) : (
                <span key={i}>{c.text}</span>
              ),
            )}
          </pre>
        </Paper>
      ))}
    </Stack>
  );
}
