import '@mantine/core/styles/Code.css';
import { Code, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ImportKind } from '../api/imports';
import { useImportsT } from '../lib/bundle';
import { COLUMNS } from '../lib/columns';

/** The columns one kind of import accepts (with other headers taken for each), and the file's rules. */
export function ColumnsHelp({ kind }: { kind: ImportKind }) {
  const t = useImportsT();
  const kindName = t(`kinds.${kind}`);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="import-columns-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="import-columns-title">
          {t('columns.title', { kind: kindName })}
        </Title>
        {/* Two columns, the other headers under each name: narrow enough to wrap on a phone (a
            scrolling box would need a tab stop of its own). */}
        <Table verticalSpacing={6}>
          <Table.Caption>{t('columns.caption', { kind: kindName })}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('columns.column')}</Table.Th>
              <Table.Th scope="col">{t('columns.content')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {COLUMNS[kind].map((column) => (
              <Table.Tr key={column.name}>
                <Table.Th scope="row" fw={400} style={{ verticalAlign: 'top' }}>
                  <Code style={{ overflowWrap: 'anywhere' }}>{column.name}</Code>
                  {column.required && (
                    <Text span size="xs" c="red.9" ml={6}>
                      {t('columns.required')}
                    </Text>
                  )}
                  <Text size="xs" c="gray.7">
                    {t('columns.aliases', { aliases: column.aliases.join(', ') })}
                  </Text>
                </Table.Th>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Text size="sm">{t(column.help)}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Title order={3} size="h5">
          {t('file.rules_title')}
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>{t('file.header')}</List.Item>
          <List.Item>{t('file.format')}</List.Item>
          <List.Item>{t('file.limits')}</List.Item>
          <List.Item>{t('file.keeps')}</List.Item>
          {kind === 'users' && <List.Item>{t('file.directory')}</List.Item>}
        </List>
      </Stack>
    </Paper>
  );
}
