import { DEFAULT_PRESET, GRANULARITIES, defaultGranularity, isDay, presetRange, type Day, type Granularity } from './period';
import { isOneOf } from '@/shared/lib/one-of';

/** The filters every report takes (ids are UUIDs; `type`, `priority`, `channel` the API's codes). */
export const FILTER_KEYS = ['desk', 'service', 'group', 'agent', 'organization', 'type', 'priority', 'channel'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type ReportFilters = Partial<Record<FilterKey, string>> & { from: Day; to: Day };

export type SlaBy = 'priority' | 'service';

/** Everything the page keeps in its address, so a view can be shared and reloaded. */
export type ReportView = { filters: ReportFilters; granularity: Granularity; slaBy: SlaBy };

/** The page's state from its search params: unknown or malformed values fall back to defaults. */
export function viewFromParams(params: URLSearchParams, now: Day): ReportView {
  const fallback = presetRange(DEFAULT_PRESET, now);
  let from = params.get('from');
  let to = params.get('to');
  if (!isDay(from) || !isDay(to) || from > to) {
    from = fallback.from;
    to = fallback.to;
  }
  const filters: ReportFilters = { from, to };
  for (const key of FILTER_KEYS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  const g = params.get('granularity');
  const granularity = isOneOf(GRANULARITIES, g) ? g : defaultGranularity(from, to);
  const slaBy: SlaBy = params.get('sla_by') === 'service' ? 'service' : 'priority';
  return { filters, granularity, slaBy };
}

/** The search params of a view (defaults left out, so addresses stay short). */
export function paramsOfView(view: ReportView, now: Day): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = view.filters[key];
    if (value) params.set(key, value);
  }
  const fallback = presetRange(DEFAULT_PRESET, now);
  if (view.filters.from !== fallback.from || view.filters.to !== fallback.to) {
    params.set('from', view.filters.from);
    params.set('to', view.filters.to);
  }
  if (view.granularity !== defaultGranularity(view.filters.from, view.filters.to)) params.set('granularity', view.granularity);
  if (view.slaBy !== 'priority') params.set('sla_by', view.slaBy);
  return params;
}

/** The query string of the report endpoints: only the filters that are set. */
export type ReportQuery = Partial<Record<FilterKey | 'from' | 'to', string>>;

export function reportQuery(filters: ReportFilters): ReportQuery {
  const query: ReportQuery = { from: filters.from, to: filters.to };
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) query[key] = value;
  }
  return query;
}
