import { Code, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useIntegrationsT } from '../lib/bundle';

/** How a receiver checks `Mesa-Signature`: what the delivery job really sends (README, "Signature"). */
export function SignatureHelp() {
  const t = useIntegrationsT();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="signature-help-title">
      <Stack gap="xs">
        <Title order={2} size="h4" id="signature-help-title">
          {t('signature.title')}
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>{t('signature.headers')}</List.Item>
          <List.Item>{t('signature.hmac')}</List.Item>
          <List.Item>{t('signature.window')}</List.Item>
          <List.Item>{t('signature.delivery')}</List.Item>
        </List>
        <Text size="sm">
          <Code>HMAC-SHA256(secret, t + "." + body) == v1 &amp;&amp; |now − t| ≤ 300 s</Code>
        </Text>
      </Stack>
    </Paper>
  );
}
