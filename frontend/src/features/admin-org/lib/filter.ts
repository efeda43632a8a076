import { matchesSearch } from '@/shared/lib/text';

type Named = { name: string; active: boolean; organization_id?: string | null; short_name?: string | null; address?: string | null };

/** The rows shown: by search text (accents ignored), activity and organization. */
export function filterRows<T extends Named>(
  rows: T[],
  { query, showInactive, organizationId }: { query: string; showInactive: boolean; organizationId?: string | null },
): T[] {
  return rows.filter(
    (r) =>
      (showInactive || r.active) &&
      (!organizationId || r.organization_id === organizationId) &&
      (query.trim() === '' || matchesSearch(query, [r.name, r.short_name, r.address])),
  );
}
