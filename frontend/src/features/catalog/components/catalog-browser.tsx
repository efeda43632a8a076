import { Grid, Group, Radio, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useCatalog } from '../api/get-catalog';
import { useDesks } from '../api/get-desks';
import { pathTo, searchServices, type CatalogNode } from '../lib/tree';
import { CatalogPath, CatalogTree } from './catalog-tree';
import classes from './catalog-tree.module.css';
import { ServiceDetails } from './service-details';

/**
 * "Nueva solicitud": pick a desk (when there are several), browse its catalog tree or search
 * it, read about a service and ask for it. The desk and the service live in the URL
 * (`?desk=…&service=…`) so Back and shared links work.
 */
export function CatalogBrowser({ requestPath }: { requestPath: (serviceId: string) => string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const desks = useDesks();
  const deskList = desks.data ?? [];
  const requestedDesk = params.get('desk');
  const deskId =
    deskList.find((d) => d.id === requestedDesk)?.id ?? (deskList.length === 1 ? (deskList[0]?.id ?? null) : null);
  const catalog = useCatalog(deskId);
  const nodes = useMemo(() => catalog.data?.nodes ?? [], [catalog.data]);
  const serviceId = params.get('service');
  const selectedPath = useMemo(() => (serviceId ? pathTo(nodes, serviceId) : null), [nodes, serviceId]);
  const selected = selectedPath?.at(-1);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [query, setQuery] = useState('');
  const [debouncedQuery] = useDebouncedValue(query, 150);
  const results = useMemo(
    () => (debouncedQuery.trim() ? searchServices(nodes, debouncedQuery) : null),
    [nodes, debouncedQuery],
  );

  // Opening a link to a service reveals it in the tree: adjusted while rendering, when the
  // selection changes (React's pattern for state that follows a prop, instead of an effect).
  const [revealed, setRevealed] = useState<typeof selectedPath>(null);
  if (selectedPath !== revealed) {
    setRevealed(selectedPath);
    if (selectedPath) {
      setExpanded((current) => {
        const missing = selectedPath.slice(0, -1).filter((n) => !current.has(n.id));
        return missing.length ? new Set([...current, ...missing.map((n) => n.id)]) : current;
      });
    }
  }

  function update(next: { desk?: string | null; service?: string | null }) {
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        for (const [key, value] of Object.entries(next)) {
          if (value) copy.set(key, value);
          else copy.delete(key);
        }
        return copy;
      },
      { replace: next.desk === undefined },
    );
  }

  function select(service: CatalogNode) {
    update({ service: service.id });
  }

  if (desks.isPending) return <LoadingState label={t('catalog.loading_desks')} />;
  if (desks.isError) return <ErrorState onRetry={() => void desks.refetch()} />;
  if (deskList.length === 0)
    return <EmptyState title={t('catalog.no_desks_title')}>{t('catalog.no_desks_text')}</EmptyState>;

  return (
    <Stack gap="lg">
      {deskList.length > 1 && (
        <Radio.Group
          label={<Title order={2} size="h4" component="span">{t('catalog.choose_desk')}</Title>}
          value={deskId}
          onChange={(value) => {
            setExpanded(new Set());
            setQuery('');
            update({ desk: value, service: null });
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
            {deskList.map((desk) => (
              <Radio.Card key={desk.id} value={desk.id} radius="md" p="md" className={`${classes.deskCard} mesa-focus`}>
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Radio.Indicator mt={2} />
                  <Stack gap={2}>
                    <Text fw={600}>{desk.name}</Text>
                    {desk.description && <Text size="sm">{desk.description}</Text>}
                  </Stack>
                </Group>
              </Radio.Card>
            ))}
          </SimpleGrid>
        </Radio.Group>
      )}

      {deskId === null ? null : catalog.isPending ? (
        <LoadingState label={t('catalog.loading')} />
      ) : catalog.isError ? (
        <ErrorState onRetry={() => void catalog.refetch()} />
      ) : nodes.length === 0 ? (
        <EmptyState title={t('catalog.empty_title')}>{t('catalog.empty_text')}</EmptyState>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Stack gap="sm">
              <Title order={2} size="h4" id="catalog-heading">
                {t('catalog.heading')}
              </Title>
              <TextInput
                type="search"
                label={t('catalog.search')}
                description={t('catalog.search_hint')}
                value={query}
                onChange={(event) => setQuery(event.currentTarget.value)}
                autoComplete="off"
              />
              <Text role="status" size="sm" aria-live="polite">
                {results ? t('catalog.results', { count: results.length }) : ''}
              </Text>
              {results ? (
                results.length === 0 ? (
                  <EmptyState title={t('catalog.no_results', { query: debouncedQuery.trim() })}>
                    {t('catalog.no_results_text')}
                  </EmptyState>
                ) : (
                  <ul aria-label={t('catalog.results_label')} className={classes.tree}>
                    {results.map(({ service, path }) => (
                      <li key={service.id}>
                        <UnstyledButton
                          className={`${classes.row} mesa-focus`}
                          data-selected={service.id === serviceId || undefined}
                          aria-current={service.id === serviceId ? 'true' : undefined}
                          onClick={() => select(service)}
                          w="100%"
                          style={{ display: 'block', paddingInlineStart: '0.5rem' }}
                        >
                          <Text fw={500}>{service.name}</Text>
                          <CatalogPath path={path} />
                        </UnstyledButton>
                      </li>
                    ))}
                  </ul>
                )
              ) : (
                <CatalogTree
                  nodes={nodes}
                  expanded={expanded}
                  onExpandedChange={setExpanded}
                  selectedId={serviceId}
                  onSelect={select}
                  labelledBy="catalog-heading"
                />
              )}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>
            {selected && selectedPath ? (
              <ServiceDetails service={selected} path={selectedPath.slice(0, -1)} requestTo={requestPath(selected.id)} />
            ) : (
              <EmptyState title={t('catalog.pick_title')}>{t('catalog.pick_text')}</EmptyState>
            )}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
