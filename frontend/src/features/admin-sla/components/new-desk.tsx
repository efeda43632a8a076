import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useCreateDesk, useOrganizations, useSupervisors, type Desk } from '../api/desk-settings';
import { useSlaT } from '../lib/bundle';
import { SaveError, fieldErrorsOf } from '../lib/problems';
import { SaveAlert, messageOf } from './field-error';

/**
 * "Nueva mesa" (admins): code, name, description, the organizations that may use it and its
 * managers. Its calendar, policy, mail and survey are set afterwards in its settings.
 */
export function NewDeskForm({ onCreated, onCancel }: { onCreated: (desk: Desk) => void; onCancel: () => void }) {
  const t = useSlaT();
  const create = useCreateDesk();
  const organizations = useOrganizations(true);
  const supervisors = useSupervisors(true);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [orgIds, setOrgIds] = useState<string[]>([]);
  const [supervisorIds, setSupervisorIds] = useState<string[]>([]);
  const errors = fieldErrorsOf(create.error);
  const taken = create.error instanceof SaveError && create.error.status === 409;
  const msg = (f: string) => messageOf(t, errors, f);
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        aria-labelledby="new-desk-title"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            {
              code: code.trim(),
              name: name.trim(),
              description: description.trim() || null,
              organization_ids: orgIds,
              supervisor_ids: supervisorIds,
            },
            { onSuccess: onCreated },
          );
        }}
      >
        <Stack gap="md">
          <Title order={2} size="h3" id="new-desk-title">
            {t('desks.new')}
          </Title>
          <SaveAlert t={t} error={taken ? null : create.error} fields={errors} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              id="new-desk-code"
              label={t('desks.code')}
              description={t('desks.code_hint')}
              required
              maxLength={20}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.toUpperCase())}
              error={taken ? t('desks.code_taken') : msg('code')}
              autoFocus
            />
            <TextInput label={t('desks.name')} required maxLength={160} value={name} onChange={(e) => setName(e.currentTarget.value)} error={msg('name')} />
          </SimpleGrid>
          <Textarea label={t('desks.description')} autosize minRows={2} maxLength={2000} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={msg('description')} />
          <Checkbox.Group label={t('desks.organizations')} description={t('desks.organizations_hint')} value={orgIds} onChange={setOrgIds} error={msg('organization_ids')}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
              {(organizations.data ?? []).map((o) => (
                <Checkbox key={o.id} value={o.id} label={o.name} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Checkbox.Group label={t('desks.supervisors')} description={t('desks.supervisors_hint')} value={supervisorIds} onChange={setSupervisorIds} error={msg('supervisor_ids')}>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
              {(supervisors.data ?? []).map((u) => (
                <Checkbox key={u.id} value={u.id} label={`${u.display_name} (${u.username})`} />
              ))}
            </SimpleGrid>
            {supervisors.data?.length === 0 && <Text size="sm">{t('desks.no_supervisors')}</Text>}
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('desks.create')}
            </Button>
            <Button variant="default" type="button" onClick={onCancel}>
              {t('desks.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
