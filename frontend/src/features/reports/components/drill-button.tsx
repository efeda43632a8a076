import { UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';

/** A figure in a table that opens the list of its cases (keyboard and screen readers alike). */
export function DrillButton({ onClick, label, children, disabled }: { onClick: () => void; label: string; children: ReactNode; disabled?: boolean }) {
  if (disabled) return <>{children}</>;
  return (
    <UnstyledButton
      onClick={onClick}
      aria-label={label}
      title={label}
      c="blue.9"
      td="underline"
      fz="inherit"
      fw="inherit"
      style={{ textUnderlineOffset: 2 }}
    >
      {children}
    </UnstyledButton>
  );
}
