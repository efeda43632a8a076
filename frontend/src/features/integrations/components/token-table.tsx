import { Badge, Button, Code, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { formatDateTime } from '@/shared/lib/format';
import { useApiTokens, useRevokeApiToken, type ApiToken } from '../api/api-tokens';
import { useIntegrationsT } from '../lib/bundle';
import { isScope, scopeKey, tokenState, type TokenState } from '../lib/scopes';

const COLORS: Record<TokenState, string> = { active: 'green', expired: 'gray', revoked: 'red' };

/**
 * API tokens, newest first: one person's (`userId`) or, for admins, everyone's with whom each
 * acts as. An active one can be revoked after a confirmation.
 */
export function TokenTable({ userId }: { userId: string | null }) {
  const t = useIntegrationsT();
  const { i18n } = useTranslation();
  const tokens = useApiTokens(userId);
  const revoke = useRevokeApiToken();
  const [confirming, setConfirming] = useState<ApiToken | null>(null);
  const items = tokens.data?.pages.flatMap((p) => p.items) ?? [];
  const showOwner = userId === null;
  const when = (iso: string) => formatDateTime(iso, i18n.language);

  let body;
  if (tokens.isPending) body = <LoadingState label={t('tokens.loading')} />;
  else if (tokens.isError) body = <ErrorState onRetry={() => void tokens.refetch()} />;
  else if (items.length === 0) body = <EmptyState title={t('tokens.empty')} />;
  else
    body = (
      <>
        <Table.ScrollContainer minWidth={760}>
          <Table striped verticalSpacing="xs">
            <Table.Caption>{showOwner ? t('tokens.caption_all') : t('tokens.caption_mine')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('tokens.name')}</Table.Th>
                {showOwner && <Table.Th scope="col">{t('tokens.owner')}</Table.Th>}
                <Table.Th scope="col">{t('tokens.scopes')}</Table.Th>
                <Table.Th scope="col">{t('tokens.expires_col')}</Table.Th>
                <Table.Th scope="col">{t('tokens.last_used')}</Table.Th>
                <Table.Th scope="col">{t('tokens.state')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('tokens.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((token) => {
                const state = tokenState(token);
                return (
                  <Table.Tr key={token.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {token.name}
                      </Text>
                      <Text size="xs">
                        {t('tokens.prefix')} <Code>{token.prefix}…</Code>
                      </Text>
                      <Text size="xs">
                        {t('tokens.networks_col')}: {token.allowed_networks.length > 0 ? token.allowed_networks.join(', ') : t('tokens.anywhere')}
                      </Text>
                    </Table.Td>
                    {showOwner && (
                      <Table.Td>
                        <Text size="sm">{token.user_name}</Text>
                      </Table.Td>
                    )}
                    <Table.Td>
                      <Group gap={4}>
                        {token.scopes.map((scope) => (
                          <Badge key={scope} variant="outline" color="gray" tt="none" title={isScope(scope) ? t(scopeKey(scope)) : undefined}>
                            {scope}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{token.expires_at ? when(token.expires_at) : t('tokens.never_expires')}</Table.Td>
                    <Table.Td>
                      {token.last_used_at
                        ? token.last_used_address
                          ? t('tokens.last_used_from', { when: when(token.last_used_at), address: token.last_used_address })
                          : when(token.last_used_at)
                        : t('tokens.never_used')}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={COLORS[state]} variant="light" style={{ minWidth: 'max-content' }}>
                        {t(`tokens.states.${state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      {state !== 'revoked' && (
                        <Button size="xs" variant="light" color="red" onClick={() => setConfirming(token)} aria-label={t('tokens.revoke_named', { name: token.name })}>
                          {t('tokens.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {tokens.hasNextPage && (
          <Group>
            <Button variant="default" loading={tokens.isFetchingNextPage} onClick={() => void tokens.fetchNextPage()}>
              {t('tokens.more')}
            </Button>
          </Group>
        )}
      </>
    );

  return (
    <Stack gap="sm">
      {revoke.isError && (
        <Text role="alert" c="red.9">
          {t('tokens.revoke_failed')}
        </Text>
      )}
      {revoke.isSuccess && (
        <Text role="status" c="teal.9">
          {t('tokens.revoked', { name: revoke.data.name })}
        </Text>
      )}
      {body}
      {confirming && (
        <Modal opened onClose={() => setConfirming(null)} title={t('tokens.revoke_title', { name: confirming.name })} closeButtonProps={{ 'aria-label': t('webhooks.close') }}>
          <Stack gap="md">
            <Text>{t('tokens.revoke_body')}</Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setConfirming(null)}>
                {t('webhooks.cancel')}
              </Button>
              <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(confirming, { onSettled: () => setConfirming(null) })}>
                {t('tokens.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
    </Stack>
  );
}
