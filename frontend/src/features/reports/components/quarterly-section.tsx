import { Group, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { downloadQuarterly } from '../api/downloads';
import { previousQuarter, today } from '../lib/period';
import { useReportStrings } from '../lib/strings';
import { DownloadButton } from './download-button';
import { Section } from './section';

/** A desk's quarter as PDF or XLSX (the API builds both, with es-CO dates and numbers). */
export function QuarterlySection({ desks, deskId }: { desks: { id: string; name: string }[]; deskId: string | undefined }) {
  const { t } = useReportStrings();
  const now = today();
  const last = previousQuarter(now);
  const [year, setYear] = useState(last.year);
  const [quarter, setQuarter] = useState(last.quarter);
  const [chosenDesk, setChosenDesk] = useState<string | null>(null);
  // The page's desk filter, unless a desk was picked here; with every desk, the first.
  const desk = chosenDesk ?? deskId ?? desks[0]?.id ?? '';
  const thisYear = Number(now.slice(0, 4));
  const years = Array.from({ length: 5 }, (_, i) => String(thisYear - i));

  return (
    <Section id="quarterly" title={t('quarterly.title')} intro={t('quarterly.intro')}>
      <Group gap="sm" align="flex-end">
        {desks.length > 1 && (
          <NativeSelect
            label={t('quarterly.desk')}
            value={desk}
            onChange={(e) => setChosenDesk(e.currentTarget.value)}
            data={desks.map((d) => ({ value: d.id, label: d.name }))}
            w={{ base: '100%', xs: 260 }}
          />
        )}
        <NativeSelect label={t('quarterly.year')} value={String(year)} onChange={(e) => setYear(Number(e.currentTarget.value))} data={years} w={{ base: '100%', xs: 120 }} />
        <NativeSelect
          label={t('quarterly.quarter')}
          value={String(quarter)}
          onChange={(e) => setQuarter(Number(e.currentTarget.value))}
          data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t(`quarterly.q${q as 1 | 2 | 3 | 4}`) }))}
          w={{ base: '100%', xs: 300 }}
        />
      </Group>
      <Group gap="sm" align="flex-start">
        <DownloadButton variant="filled" size="sm" fetchFile={() => downloadQuarterly(desk, year, quarter, 'pdf')} disabled={!desk}>
          {t('quarterly.pdf')}
        </DownloadButton>
        <DownloadButton size="sm" fetchFile={() => downloadQuarterly(desk, year, quarter, 'xlsx')} disabled={!desk}>
          {t('quarterly.xlsx')}
        </DownloadButton>
      </Group>
    </Section>
  );
}
