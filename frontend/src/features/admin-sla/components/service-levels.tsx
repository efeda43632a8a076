import { Tabs } from '@mantine/core';
import { useSlaT } from '../lib/bundle';
import { CalendarsPanel } from './calendars';
import { PoliciesPanel } from './policies';

export type ServiceLevelsTab = 'calendars' | 'policies';

/** Calendars and SLA policies, one tab each (the tab is in the address: `?tab=policies`). */
export function ServiceLevels({ tab, onTab }: { tab: ServiceLevelsTab; onTab: (tab: ServiceLevelsTab) => void }) {
  const t = useSlaT();
  return (
    <Tabs value={tab} onChange={(v) => v && onTab(v as ServiceLevelsTab)} keepMounted={false}>
      <Tabs.List aria-label={t('service_levels.tabs')} mb="md">
        <Tabs.Tab value="calendars">{t('service_levels.calendars')}</Tabs.Tab>
        <Tabs.Tab value="policies">{t('service_levels.policies')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="calendars">
        <CalendarsPanel />
      </Tabs.Panel>
      <Tabs.Panel value="policies">
        <PoliciesPanel />
      </Tabs.Panel>
    </Tabs>
  );
}
