import { useEffect, useMemo, useRef } from 'react';
import { recordDeflection } from '../api/kb';

/**
 * Counts deflections for a new-request form: the articles opened from its suggestions are
 * reported (`POST /kb/views/{id}/deflection`) when the form is left without filing — the page
 * unmounts (another page of the app) — and not once the request is filed.
 */
export function useDeflection() {
  const views = useRef<string[]>([]);
  const filed = useRef(false);
  useEffect(
    () => () => {
      if (filed.current) return;
      for (const id of views.current) void recordDeflection(id);
    },
    [],
  );
  return useMemo(
    () => ({
      opened: (viewId: string) => {
        views.current.push(viewId);
      },
      filed: () => {
        filed.current = true;
      },
    }),
    [],
  );
}
