/** The filters of the queue table, as the URL and saved filters hold them (all strings, '' = any). */
export type TableFilters = {
  view: 'mine' | 'my_groups' | 'unassigned' | 'all';
  desk_id: string;
  status: string;
  priority: string;
  level: string;
  type: string;
  created_from: string;
  created_to: string;
};

export const DEFAULT_FILTERS: TableFilters = {
  view: 'my_groups',
  desk_id: '',
  status: 'open',
  priority: '',
  level: '',
  type: '',
  created_from: '',
  created_to: '',
};

export type SavedFilter = { name: string; filters: TableFilters };

const storageKey = (userId: string) => `mesa.saved-filters.${userId}`;

/** A person's saved filters, kept in this browser. Pure apart from `localStorage`. */
export function loadSavedFilters(userId: string): SavedFilter[] {
  try {
    const raw = globalThis.localStorage?.getItem(storageKey(userId));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((s): s is SavedFilter => typeof s === 'object' && s !== null && typeof (s as SavedFilter).name === 'string' && typeof (s as SavedFilter).filters === 'object')
      .map((s) => ({ name: s.name, filters: { ...DEFAULT_FILTERS, ...s.filters } }));
  } catch {
    return [];
  }
}

/** Saves (or replaces, by name) one filter; returns the new list. */
export function saveFilter(userId: string, list: SavedFilter[], entry: SavedFilter): SavedFilter[] {
  const next = [...list.filter((s) => s.name !== entry.name), entry].sort((a, b) => a.name.localeCompare(b.name));
  globalThis.localStorage?.setItem(storageKey(userId), JSON.stringify(next));
  return next;
}

export function deleteFilter(userId: string, list: SavedFilter[], name: string): SavedFilter[] {
  const next = list.filter((s) => s.name !== name);
  globalThis.localStorage?.setItem(storageKey(userId), JSON.stringify(next));
  return next;
}

/** Day inputs (`2026-12-01`) as the API's instants: from the start of the first day to the end of the last, local time. */
export function dayToInstant(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, end ? d + 1 : d).toISOString();
}
