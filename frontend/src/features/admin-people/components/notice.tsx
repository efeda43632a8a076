import { Alert } from '@mantine/core';

/** What the page says after a save (or why the form was reloaded), above the forms it concerns. */
export type Notice = { text: string; tone: 'success' | 'warning' };

export const success = (text: string): Notice => ({ text, tone: 'success' });
export const warning = (text: string): Notice => ({ text, tone: 'warning' });

export function NoticeAlert({ notice, onClose, closeLabel }: { notice: Notice | null; onClose: () => void; closeLabel: string }) {
  if (!notice) return null;
  return (
    <Alert
      color={notice.tone === 'success' ? 'green' : 'yellow'}
      variant="light"
      role={notice.tone === 'success' ? 'status' : 'alert'}
      withCloseButton
      closeButtonLabel={closeLabel}
      onClose={onClose}
    >
      {notice.text}
    </Alert>
  );
}
