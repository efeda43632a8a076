import { Button, Stack, Text, type ButtonProps } from '@mantine/core';
import { useState } from 'react';
import { useReportStrings } from '../lib/strings';

/** A button that fetches a file through the API (with the session's token) and saves it. */
export function DownloadButton({
  fetchFile,
  children,
  label,
  ...props
}: { fetchFile: () => Promise<boolean>; children: string; label?: string } & Omit<ButtonProps, 'children'>) {
  const { t } = useReportStrings();
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  async function run() {
    setState('busy');
    const ok = await fetchFile().catch(() => false);
    setState(ok ? 'idle' : 'failed');
  }
  return (
    <Stack gap={4} align="flex-start">
      <Button variant="default" size="xs" {...props} loading={state === 'busy'} aria-label={label} onClick={() => void run()}>
        {children}
      </Button>
      {state === 'failed' && (
        <Text size="xs" c="red.9" role="alert">
          {t('download_error')}
        </Text>
      )}
    </Stack>
  );
}
