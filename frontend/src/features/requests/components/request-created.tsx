import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ticket } from '../api/create-ticket';

/** "Caso #123 registrado", focused at once, with a link to the case. */
export function RequestCreated({ ticket, againTo }: { ticket: Ticket; againTo: string }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Alert color="green" variant="light" radius="md" p="lg">
      <Stack gap="sm">
        <Title order={2} size="h3" ref={heading} tabIndex={-1} style={{ outline: 'none' }}>
          {t('request.created_title', { number: ticket.number })}
        </Title>
        <Text>{t('request.created_text', { service: ticket.service.name })}</Text>
        {ticket.assigned_group && <Text size="sm">{t('request.created_group', { group: ticket.assigned_group.name })}</Text>}
        <Group gap="sm">
          <Button component={Link} to={`/tickets/${ticket.number}`}>
            {t('request.view_ticket', { number: ticket.number })}
          </Button>
          <Button component={Link} to={againTo} variant="default">
            {t('request.another')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
