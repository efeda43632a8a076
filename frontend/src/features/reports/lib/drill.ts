import type { Measure } from '../api/cases';
import type { ReportFilters } from './filters';

/**
 * What a drill-down lists: a figure's measure over the page's filters, some of them narrowed
 * (a bucket's days, a priority, a service), and how to name it.
 */
export type Drill = {
  measure: Measure;
  /** Says what was narrowed ("Prioridad Alta", "3 dic 2026"). */
  context?: string;
  overrides?: Partial<ReportFilters>;
};

export type OnDrill = (drill: Drill) => void;
