import {
  ActionIcon,
  Button,
  Checkbox,
  Fieldset,
  Grid,
  Group,
  NativeSelect,
  NavLink,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from '@/shared/components/states';
import { HTML_LANG, isLanguage } from '@/shared/i18n';
import { useCalendars, useHolidays, useSaveCalendar, type Calendar } from '../api/service-levels';
import { useSlaT } from '../lib/bundle';
import { WEEKDAYS, calendarBody, calendarForm, emptyCalendarForm, officeHours, type CalendarForm } from '../lib/calendar-form';
import { fieldErrorsOf } from '../lib/problems';
import { SaveAlert, messageOf } from './field-error';

/** Business calendars: the list, one calendar's editor and its holidays of a year. */
export function CalendarsPanel() {
  const t = useSlaT();
  const calendars = useCalendars();
  const [selected, setSelected] = useState<string | 'new' | null>(null);

  if (calendars.isPending) return <LoadingState label={t('calendars.loading')} />;
  if (calendars.isError) return <ErrorState onRetry={() => void calendars.refetch()} />;
  const current = selected === 'new' ? null : (calendars.data.find((c) => c.id === selected) ?? null);
  const editing = selected === 'new' || current !== null;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="xs">
          <Button onClick={() => setSelected('new')} variant={selected === 'new' ? 'filled' : 'light'}>
            {t('calendars.new')}
          </Button>
          {calendars.data.length === 0 ? (
            <EmptyState title={t('calendars.empty')} />
          ) : (
            <nav aria-label={t('calendars.list')}>
              {calendars.data.map((c) => (
                <NavLink
                  key={c.id}
                  component="button"
                  label={c.always_open ? `${c.name} · ${t('calendars.always_open')}` : c.name}
                  active={c.id === selected}
                  aria-current={c.id === selected ? 'true' : undefined}
                  onClick={() => setSelected(c.id)}
                />
              ))}
            </nav>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        {editing ? (
          <Stack gap="lg">
            <CalendarEditor key={current?.id ?? 'new'} current={current} onSaved={(c) => setSelected(c.id)} />
            {current && <HolidaysOfYear calendar={current} />}
          </Stack>
        ) : (
          <Text c="dimmed">{t('calendars.pick')}</Text>
        )}
      </Grid.Col>
    </Grid>
  );
}

function CalendarEditor({ current, onSaved }: { current: Calendar | null; onSaved: (c: Calendar) => void }) {
  const t = useSlaT();
  const [form, setForm] = useState<CalendarForm>(() => (current ? calendarForm(current) : emptyCalendarForm()));
  const save = useSaveCalendar();
  const [saved, setSaved] = useState(false);
  const errors = fieldErrorsOf(save.error);
  const msg = (field: string) => messageOf(t, errors, field);
  const set = (patch: Partial<CalendarForm>) => {
    setSaved(false);
    setForm((f) => ({ ...f, ...patch }));
  };

  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="calendar-editor-title"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(
            { current, body: calendarBody(form) },
            {
              onSuccess: (c) => {
                setSaved(true);
                onSaved(c);
              },
            },
          );
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id="calendar-editor-title">
            {current ? t('calendars.edit', { name: current.name }) : t('calendars.new')}
          </Title>
          <SaveAlert t={t} error={save.error} fields={errors} />
          {saved && !save.error && (
            <Text role="status" c="teal.9">
              {t('common.saved')}
            </Text>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput
              label={t('calendars.name')}
              required
              value={form.name}
              onChange={(e) => set({ name: e.currentTarget.value })}
              error={msg('name')}
              miw={200}
            />
            <TextInput
              label={t('calendars.timezone')}
              description={t('calendars.timezone_hint')}
              value={form.timezone}
              onChange={(e) => set({ timezone: e.currentTarget.value })}
              error={msg('timezone')}
              miw={200}
            />
          </Group>
          <Checkbox
            label={t('calendars.colombian')}
            description={t('calendars.colombian_hint')}
            checked={form.colombian}
            onChange={(e) => set({ colombian: e.currentTarget.checked })}
            error={msg('country')}
          />
          <Checkbox
            label={t('calendars.always_open_label')}
            checked={form.always_open}
            onChange={(e) => set({ always_open: e.currentTarget.checked })}
          />
          {!form.always_open && <WeeklyHours form={form} set={set} msg={msg} />}
          <ExtraDates form={form} set={set} msg={msg} />
          <RemovedDates form={form} set={set} msg={msg} />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {current ? t('common.save') : t('calendars.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

type RowsProps = {
  form: CalendarForm;
  set: (patch: Partial<CalendarForm>) => void;
  msg: (field: string) => string | null;
};

function WeeklyHours({ form, set, msg }: RowsProps) {
  const t = useSlaT();
  const update = (i: number, patch: Partial<CalendarForm['intervals'][number]>) =>
    set({ intervals: form.intervals.map((row, j) => (j === i ? { ...row, ...patch } : row)) });
  return (
    <Fieldset legend={t('calendars.weekly_hours')}>
      <Stack gap="xs">
        {msg('intervals') && (
          <Text c="red.9" size="sm">
            {msg('intervals')}
          </Text>
        )}
        {form.intervals.map((row, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('calendars.weekday')}
              value={row.weekday}
              data={WEEKDAYS.map((d) => ({ value: d, label: t(`weekdays.${d}`) }))}
              onChange={(e) => update(i, { weekday: e.currentTarget.value })}
              error={msg(`intervals.${i}.weekday`)}
              w={140}
            />
            <TextInput
              type="time"
              label={t('calendars.start')}
              value={row.start}
              onChange={(e) => update(i, { start: e.currentTarget.value })}
              error={msg(`intervals.${i}.start`)}
              w={130}
            />
            <TextInput
              type="time"
              label={t('calendars.end')}
              value={row.end}
              onChange={(e) => update(i, { end: e.currentTarget.value })}
              error={msg(`intervals.${i}.end`)}
              w={130}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={t('calendars.remove_interval', { n: i + 1 })}
              onClick={() => set({ intervals: form.intervals.filter((_, j) => j !== i) })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group gap="xs">
          <Button variant="light" size="xs" onClick={() => set({ intervals: [...form.intervals, { weekday: 'mon', start: '08:00', end: '17:00' }] })}>
            {t('calendars.add_interval')}
          </Button>
          <Button variant="subtle" size="xs" onClick={() => set({ intervals: officeHours() })}>
            {t('calendars.office_hours')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

function ExtraDates({ form, set, msg }: RowsProps) {
  const t = useSlaT();
  const update = (i: number, patch: Partial<CalendarForm['extra'][number]>) =>
    set({ extra: form.extra.map((row, j) => (j === i ? { ...row, ...patch } : row)) });
  return (
    <Fieldset legend={t('calendars.extra_dates')}>
      <Stack gap="xs">
        <Text size="sm">{t('calendars.extra_hint')}</Text>
        {form.extra.map((row, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="wrap">
            <TextInput
              type="date"
              label={t('calendars.date')}
              required
              value={row.date}
              onChange={(e) => update(i, { date: e.currentTarget.value })}
              error={msg(`extra_holidays.${i}.date`) ?? msg(`extra_holidays.${i}`)}
              w={170}
            />
            <TextInput
              label={t('calendars.holiday_name')}
              required
              value={row.name}
              onChange={(e) => update(i, { name: e.currentTarget.value })}
              error={msg(`extra_holidays.${i}.name`)}
              style={{ flex: '1 1 180px' }}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={t('calendars.remove_extra', { n: i + 1 })}
              onClick={() => set({ extra: form.extra.filter((_, j) => j !== i) })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" onClick={() => set({ extra: [...form.extra, { date: '', name: '' }] })}>
            {t('calendars.add_extra')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

function RemovedDates({ form, set, msg }: RowsProps) {
  const t = useSlaT();
  return (
    <Fieldset legend={t('calendars.removed_dates')}>
      <Stack gap="xs">
        <Text size="sm">{t('calendars.removed_hint')}</Text>
        {form.removed.map((date, i) => (
          <Group key={i} gap="xs" align="flex-start">
            <TextInput
              type="date"
              label={t('calendars.worked_date')}
              value={date}
              onChange={(e) => {
                const value = e.currentTarget.value;
                set({ removed: form.removed.map((d, j) => (j === i ? value : d)) });
              }}
              error={msg(`removed_holidays.${i}`)}
              w={170}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              aria-label={t('calendars.remove_removed', { n: i + 1 })}
              onClick={() => set({ removed: form.removed.filter((_, j) => j !== i) })}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button variant="light" size="xs" onClick={() => set({ removed: [...form.removed, ''] })}>
            {t('calendars.add_removed')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** The calendar's days off in a year, as the server computes them (national ones named). */
function HolidaysOfYear({ calendar }: { calendar: Calendar }) {
  const t = useSlaT();
  const { i18n } = useTranslation();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const holidays = useHolidays(calendar.id, year);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end">
          <Title order={2} size="h3">
            {t('holidays.title', { year })}
          </Title>
          <NumberInput
            label={t('holidays.year')}
            value={year}
            min={1984}
            max={2200}
            allowDecimal={false}
            onChange={(v) => typeof v === 'number' && v >= 1984 && v <= 2200 && setYear(v)}
            w={120}
          />
        </Group>
        {holidays.isPending ? (
          <LoadingState label={t('holidays.loading')} minHeight={80} />
        ) : holidays.isError ? (
          <ErrorState onRetry={() => void holidays.refetch()} />
        ) : holidays.data.length === 0 ? (
          <EmptyState title={t('holidays.empty')} />
        ) : (
          <Table.ScrollContainer minWidth={320}>
            <Table striped>
              <Table.Caption>{t('holidays.caption', { name: calendar.name, count: holidays.data.length })}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('holidays.date')}</Table.Th>
                  <Table.Th scope="col">{t('holidays.name')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {holidays.data.map((h) => (
                  <Table.Tr key={h.date}>
                    <Table.Td>{formatDay(h.date, i18n.language)}</Table.Td>
                    <Table.Td>{h.name}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Paper>
  );
}

/** `2026-01-12` → "lunes, 12 de enero de 2026" (a calendar day: no time zone shift). */
function formatDay(date: string, lang: string) {
  const [y, m, d] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(isLanguage(lang) ? HTML_LANG[lang] : lang, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)),
  );
}
