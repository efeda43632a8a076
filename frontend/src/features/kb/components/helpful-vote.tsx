import { Button, Group, Text } from '@mantine/core';
import { useVote, type Article } from '../api/kb';
import { useKbStrings } from '../lib/strings';

/** "¿Le resultó útil?": one vote per person; voting again replaces it. */
export function HelpfulVote({ article }: { article: Article }) {
  const { t } = useKbStrings();
  const vote = useVote(article.id);
  if (article.status !== 'published') return null;
  const mine = vote.data?.my_vote ?? article.my_vote;
  return (
    <Group gap="sm" role="group" aria-labelledby={`helpful-${article.id}`}>
      <Text id={`helpful-${article.id}`} fw={600}>
        {t('article.helpful_question')}
      </Text>
      <Button size="xs" variant={mine === true ? 'filled' : 'outline'} aria-pressed={mine === true} loading={vote.isPending && vote.variables === true} onClick={() => vote.mutate(true)}>
        {t('article.yes')}
      </Button>
      <Button size="xs" variant={mine === false ? 'filled' : 'outline'} aria-pressed={mine === false} loading={vote.isPending && vote.variables === false} onClick={() => vote.mutate(false)}>
        {t('article.no')}
      </Button>
      <Text size="sm" role="status">
        {vote.isError ? t('article.vote_error') : mine !== null && mine !== undefined ? t('article.thanks') : ''}
      </Text>
    </Group>
  );
}
