import '@mantine/core/styles/Typography.css';
import { Anchor, Badge, Group, List, Stack, Text, Title, Typography } from '@mantine/core';
import type { Article } from '../api/kb';
import { useKbStrings } from '../lib/strings';

export function StatusBadge({ status }: { status: Article['status'] }) {
  const { t } = useKbStrings();
  // The light variant the case badges use: its text colours meet WCAG AA on their tints (white
  // on a filled orange did not).
  const color = { draft: 'gray', in_review: 'orange', published: 'green', archived: 'dark' }[status];
  return (
    <Badge variant="light" color={color} radius="sm">
      {t(`status.${status}`)}
    </Badge>
  );
}

/**
 * An article's content: symptom, steps, links and files. The steps' HTML is the server's
 * (`body_html`), rendered from Markdown and sanitized there (no script, no raw HTML, no event
 * attributes, only http/https/mailto links), so it is inserted as is.
 */
export function ArticleBody({ article, headingLevel = 2 }: { article: Article; headingLevel?: 2 | 3 }) {
  const { t } = useKbStrings();
  return (
    <Stack gap="md">
      <Group gap="xs">
        {article.category && (
          <Badge variant="outline" color="gray.8">
            {article.category.name}
          </Badge>
        )}
        {article.audience === 'internal' && (
          <Badge variant="light" color="grape" radius="sm">
            {t('audience.internal')}
          </Badge>
        )}
      </Group>
      <Stack gap={4}>
        <Title order={headingLevel} size="h4">
          {t('article.symptom')}
        </Title>
        <Text style={{ whiteSpace: 'pre-wrap' }}>{article.symptom}</Text>
      </Stack>
      <Stack gap={4}>
        <Title order={headingLevel} size="h4">
          {t('article.solution')}
        </Title>
        <Typography>
          <div data-testid="article-html" dangerouslySetInnerHTML={{ __html: article.body_html }} />
        </Typography>
      </Stack>
      {article.links.length > 0 && (
        <Stack gap={4}>
          <Title order={headingLevel} size="h4">
            {t('article.links')}
          </Title>
          <List>
            {article.links.map((l) => (
              <List.Item key={l.url}>
                <Anchor href={l.url} target="_blank" rel="noopener noreferrer">
                  {l.title}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
      {article.attachments.length > 0 && (
        <Stack gap={4}>
          <Title order={headingLevel} size="h4">
            {t('article.attachments')}
          </Title>
          <List>
            {article.attachments.map((f) => (
              <List.Item key={f.id}>
                <Anchor href={`/api/v1/kb/articles/${article.id}/attachments/${f.id}`} download={f.file_name}>
                  {f.file_name}
                </Anchor>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Stack>
  );
}
