import { ActionIcon, Badge, Button, Checkbox, Fieldset, Grid, Group, NativeSelect, NavLink, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { useAllGroups, useCalendars, usePolicies, useSavePolicy, type Policy } from '../api/service-levels';
import { useSlaT } from '../lib/bundle';
import { ACTIONS, CLOCKS, PRIORITIES, emptyPolicyForm, policyBody, policyForm, type OverrideRow, type PolicyForm, type Priority, type RuleRow } from '../lib/policy-form';
import { fieldErrorsOf } from '../lib/problems';
import { SaveAlert, messageOf } from './field-error';

/** SLA policies: the list and one policy's targets and escalation rules. */
export function PoliciesPanel() {
  const t = useSlaT();
  const policies = usePolicies();
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  if (policies.isPending) return <LoadingState label={t('policies.loading')} />;
  if (policies.isError) return <ErrorState onRetry={() => void policies.refetch()} />;
  const current = selected === 'new' ? null : (policies.data.find((p) => p.id === selected) ?? null);
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Button onClick={() => setSelected('new')} variant={selected === 'new' ? 'filled' : 'light'}>
            {t('policies.new')}
          </Button>
          {policies.data.length === 0 ? (
            <EmptyState title={t('policies.empty')} />
          ) : (
            <nav aria-label={t('policies.list')}>
              {policies.data.map((p) => (
                <NavLink
                  key={p.id}
                  component="button"
                  label={p.active ? p.name : `${p.name} (${t('policies.inactive')})`}
                  active={p.id === selected}
                  aria-current={p.id === selected ? 'true' : undefined}
                  onClick={() => setSelected(p.id)}
                />
              ))}
            </nav>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {selected === 'new' || current ? (
          <PolicyEditor key={current?.id ?? 'new'} current={current} onSaved={(p) => setSelected(p.id)} />
        ) : (
          <Text c="dimmed">{t('policies.pick')}</Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

function PolicyEditor({ current, onSaved }: { current: Policy | null; onSaved: (p: Policy) => void }) {
  const t = useSlaT();
  const calendars = useCalendars();
  const groups = useAllGroups();
  const [form, setForm] = useState<PolicyForm>(() => (current ? policyForm(current) : emptyPolicyForm()));
  const [saved, setSaved] = useState(false);
  const save = useSavePolicy();
  const errors = fieldErrorsOf(save.error);
  const msg = (field: string) => messageOf(t, errors, field);
  const set = (patch: Partial<PolicyForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };
  const setTarget = (p: Priority, clock: 'tto' | 'ttr', value: number | '') =>
    set({ targets: { ...form.targets, [p]: { ...form.targets[p], [clock]: value } } });
  const setOverride = (i: number, patch: Partial<OverrideRow>) =>
    set({ overrides: form.overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
  const setRule = (i: number, patch: Partial<RuleRow>) => set({ rules: form.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const hours = (v: string | number): number | '' => (v === '' ? '' : Number(v));
  const any = { value: '', label: t('policies.any') };

  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="policy-editor-title"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(
            { current, body: policyBody(form) },
            {
              onSuccess: (p) => {
                setSaved(true);
                onSaved(p);
              },
            },
          );
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id="policy-editor-title">
            {current ? t('policies.edit', { name: current.name }) : t('policies.new')}
          </Title>
          <SaveAlert t={t} error={save.error} fields={errors} />
          {saved && !save.error && (
            <Text role="status" c="teal.9">
              {t('common.saved')}
            </Text>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label={t('policies.name')} required value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} error={msg('name')} miw={200} />
            <NativeSelect
              label={t('policies.calendar')}
              value={form.calendar_id}
              data={[{ value: '', label: t('policies.desk_calendar') }, ...(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
              onChange={(e) => set({ calendar_id: e.currentTarget.value })}
              error={msg('calendar_id')}
              miw={200}
            />
          </Group>
          <Group align="flex-start" wrap="wrap">
            <NumberInput
              label={t('policies.at_risk')}
              description={t('policies.at_risk_hint')}
              value={form.at_risk_percent}
              min={1}
              max={99}
              suffix=" %"
              onChange={(v) => set({ at_risk_percent: hours(v) })}
              error={msg('at_risk_share')}
              w={220}
            />
            <Checkbox mt={30} label={t('policies.active_label')} checked={form.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
          </Group>

          <Fieldset legend={t('policies.targets')}>
            <Text size="sm" mb="xs">
              {t('policies.targets_hint')}
            </Text>
            <Table.ScrollContainer minWidth={420}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('policies.priority')}</Table.Th>
                    <Table.Th scope="col">{t('policies.tto')}</Table.Th>
                    <Table.Th scope="col">{t('policies.ttr')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {PRIORITIES.map((p) => (
                    <Table.Tr key={p}>
                      <Table.Th scope="row">{t(`priorities.${p}`)}</Table.Th>
                      {(['tto', 'ttr'] as const).map((clock) => (
                        <Table.Td key={clock}>
                          <NumberInput
                            aria-label={t(`policies.${clock}_of`, { priority: t(`priorities.${p}`) })}
                            value={form.targets[p][clock]}
                            min={0}
                            decimalScale={2}
                            suffix=" h"
                            onChange={(v) => setTarget(p, clock, hours(v))}
                            error={msg(`targets.${p}.${clock}_minutes`)}
                          />
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Fieldset>

          <Fieldset legend={t('policies.overrides')}>
            <Stack gap="xs">
              <Text size="sm">{t('policies.overrides_hint')}</Text>
              {msg('targets') && (
                <Text c="red.9" size="sm">
                  {msg('targets')}
                </Text>
              )}
              {form.overrides.map((o, i) => {
                const at = (f: string) => msg(`targets.overrides.${i}.${f}`);
                return (
                  <Paper key={i} withBorder p="xs" radius="sm">
                    {msg(`targets.overrides.${i}`) && (
                      <Text c="red.9" size="sm">
                        {msg(`targets.overrides.${i}`)}
                      </Text>
                    )}
                    <Group gap="xs" align="flex-start" wrap="wrap">
                      <NativeSelect
                        label={t('policies.ticket_type')}
                        value={o.ticket_type}
                        data={[any, { value: 'incident', label: t('types.incident') }, { value: 'request', label: t('types.request') }]}
                        onChange={(e) => setOverride(i, { ticket_type: e.currentTarget.value as OverrideRow['ticket_type'] })}
                        error={at('ticket_type')}
                        w={150}
                      />
                      <NativeSelect
                        label={t('policies.level')}
                        value={o.level}
                        data={[any, ...['1', '2', '3'].map((l) => ({ value: l, label: t('policies.level_n', { n: l }) }))]}
                        onChange={(e) => setOverride(i, { level: e.currentTarget.value as OverrideRow['level'] })}
                        error={at('level')}
                        w={120}
                      />
                      <NativeSelect
                        label={t('policies.priority')}
                        value={o.priority}
                        data={[any, ...PRIORITIES.map((p) => ({ value: p, label: t(`priorities.${p}`) }))]}
                        onChange={(e) => setOverride(i, { priority: e.currentTarget.value as OverrideRow['priority'] })}
                        error={at('priority')}
                        w={130}
                      />
                      <NumberInput label={t('policies.tto')} value={o.tto} min={0} decimalScale={2} suffix=" h" onChange={(v) => setOverride(i, { tto: hours(v) })} error={at('tto_minutes')} w={120} />
                      <NumberInput label={t('policies.ttr')} value={o.ttr} min={0} decimalScale={2} suffix=" h" onChange={(v) => setOverride(i, { ttr: hours(v) })} error={at('ttr_minutes')} w={120} />
                      <ActionIcon variant="subtle" color="red" mt={26} aria-label={t('policies.remove_override', { n: i + 1 })} onClick={() => set({ overrides: form.overrides.filter((_, j) => j !== i) })}>
                        ×
                      </ActionIcon>
                    </Group>
                  </Paper>
                );
              })}
              <Group>
                <Button variant="light" size="xs" onClick={() => set({ overrides: [...form.overrides, { ticket_type: 'incident', level: '', priority: '', tto: '', ttr: '' }] })}>
                  {t('policies.add_override')}
                </Button>
              </Group>
            </Stack>
          </Fieldset>

          <Fieldset legend={t('policies.rules')}>
            <Stack gap="xs">
              <Text size="sm">{t('policies.rules_hint')}</Text>
              {form.rules.map((r, i) => {
                const at = (f: string) => msg(`rules.${i}.${f}`);
                return (
                  <Group key={i} gap="xs" align="flex-start" wrap="wrap">
                    <NativeSelect
                      label={t('policies.clock')}
                      value={r.clock}
                      data={CLOCKS.map((c) => ({ value: c, label: t(`policies.clock_${c}`) }))}
                      onChange={(e) => setRule(i, { clock: e.currentTarget.value as RuleRow['clock'] })}
                      error={at('clock')}
                      w={190}
                    />
                    <NumberInput label={t('policies.at_share')} value={r.at_percent} min={1} max={300} suffix=" %" onChange={(v) => setRule(i, { at_percent: hours(v) })} error={at('at_share')} w={130} />
                    <NativeSelect
                      label={t('policies.action')}
                      value={r.action}
                      data={ACTIONS.map((a) => ({ value: a, label: t(`actions.${a}`) }))}
                      onChange={(e) => setRule(i, { action: e.currentTarget.value as RuleRow['action'] })}
                      error={at('action')}
                      w={230}
                    />
                    {(r.action === 'reassign' || r.action === 'escalate') && (
                      <NativeSelect
                        label={t('policies.group')}
                        value={r.group_id}
                        data={[{ value: '', label: t('policies.no_group') }, ...(groups.data ?? []).map((g) => ({ value: g.id, label: t('policies.group_label', { name: g.name, level: g.level }) }))]}
                        onChange={(e) => setRule(i, { group_id: e.currentTarget.value })}
                        error={at('group_id')}
                        w={240}
                      />
                    )}
                    <ActionIcon variant="subtle" color="red" mt={26} aria-label={t('policies.remove_rule', { n: i + 1 })} onClick={() => set({ rules: form.rules.filter((_, j) => j !== i) })}>
                      ×
                    </ActionIcon>
                  </Group>
                );
              })}
              <Group>
                <Button variant="light" size="xs" onClick={() => set({ rules: [...form.rules, { id: null, clock: 'ttr', at_percent: 75, action: 'notify_supervisor', group_id: '' }] })}>
                  {t('policies.add_rule')}
                </Button>
              </Group>
            </Stack>
          </Fieldset>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {current ? t('common.save') : t('policies.create')}
            </Button>
            {current && <Badge variant="light">{t('policies.version', { version: current.version })}</Badge>}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
