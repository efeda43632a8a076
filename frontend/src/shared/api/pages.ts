/** A keyset page as every list endpoint returns it. */
export type Page<T> = { items: T[]; next_cursor?: string | null };

/**
 * Follows `next_cursor` until the end (short reference lists: locations, areas, organizations),
 * giving up after `maxPages` so a huge list cannot freeze the page.
 */
export async function fetchAllPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  maxPages = 10,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return items;
}

/** openapi-fetch result → data, or a thrown error carrying the HTTP status (for retries). */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.error === undefined) return result.data;
  throw Object.assign(new Error(`HTTP ${result.response.status}`), {
    status: result.response.status,
    problem: result.error,
  });
}
