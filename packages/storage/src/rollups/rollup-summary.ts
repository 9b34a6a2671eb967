import type { MeasureState } from './measure-state.js';
import type { Aggregation } from './rollup-spec.js';
import { quantiles } from './sketch.js';

/** One measure of one rollup row, precomputed: `[n, sum, min, max, p50, p95, p99]`. */
export type MeasureSummary = [
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

const SLOT: Record<Exclude<Aggregation, 'avg'>, number> = {
  count: 0,
  sum: 1,
  min: 2,
  max: 3,
  p50: 4,
  p95: 5,
  p99: 6,
};

/** The summary of a row's measures, stored next to them so that single-row points skip the sketches. */
export function summarize(measures: Record<string, MeasureState>): Record<string, MeasureSummary> {
  const summary: Record<string, MeasureSummary> = {};
  for (const [field, state] of Object.entries(measures)) {
    // As `aggregate` answers p50/p95/p99, from one walk of the sketch.
    const [p50 = null, p95 = null, p99 = null] =
      state.n === 0 ? [] : quantiles(state.s, [0.5, 0.95, 0.99]);
    summary[field] = [state.n, state.sum, state.min, state.max, p50, p95, p99];
  }
  return summary;
}

/** Answers one aggregation from a summary exactly as `aggregate` answers it from the state. */
export function aggregateSummary(summary: MeasureSummary | undefined, agg: Aggregation) {
  if (summary === undefined || summary[0] === 0) return agg === 'count' ? 0 : null;
  if (agg === 'avg') return summary[1] / summary[0];
  return summary[SLOT[agg]] ?? null;
}
