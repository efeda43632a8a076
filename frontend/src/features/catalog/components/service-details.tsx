import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CatalogNode } from '../lib/tree';
import { CatalogPath } from './catalog-tree';

function Item({ term, children }: { term: string; children: string | null | undefined }) {
  if (!children) return null;
  return (
    <div>
      <Text component="dt" fw={600} size="sm">
        {term}
      </Text>
      <Text component="dd" m={0} style={{ whiteSpace: 'pre-line' }}>
        {children}
      </Text>
    </div>
  );
}

/** What a service is, who solves it how fast, and the "Solicitar" button. */
export function ServiceDetails({
  service,
  path,
  requestTo,
}: {
  service: CatalogNode;
  path: CatalogNode[];
  requestTo: string;
}) {
  const { t } = useTranslation();
  const detail = service.service;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="service-details-heading">
      <Stack gap="md">
        <Stack gap={4}>
          <CatalogPath path={path} />
          <Title order={2} size="h3" id="service-details-heading">
            {service.name}
          </Title>
          {detail && (
            <Group gap="xs">
              <Badge variant="light" color="gray" c="var(--mantine-color-gray-9)">
                {t(`ticket.type.${detail.default_type}`)}
              </Badge>
            </Group>
          )}
        </Stack>
        {service.description && <Text style={{ whiteSpace: 'pre-line' }}>{service.description}</Text>}
        <Stack component="dl" gap="sm" m={0}>
          <Item term={t('catalog.objective')}>{detail?.objective}</Item>
          <Item term={t('catalog.scope')}>{detail?.scope}</Item>
          <Item term={t('catalog.availability')}>{detail?.availability}</Item>
          <Item term={t('catalog.promised_resolution')}>{detail?.promised_resolution}</Item>
        </Stack>
        <Group>
          <Button component={Link} to={requestTo} size="md">
            {t('catalog.request')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
