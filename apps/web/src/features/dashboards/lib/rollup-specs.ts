import { drilldownDimensions, latencyFields } from './field-names';

/**
 * The rollups that answer every query the dashboards page makes for a
 * template, so none falls back to scanning raw sessions, each read from the
 * narrowest rollup that covers it (storage picks the covering rollup with the
 * fewest dimensions):
 *
 * - `[]` with the latency measures: the percentiles of the whole template,
 *   one row per bucket (a 90-day day-grain query merges 2,160 hour rows);
 * - `['$verdict']` without measures: the verdict mix and the previous-period
 *   comparison, counts only (a few rows per bucket, no sketch to parse);
 * - per drill-down dimension, `(dimension, '$verdict')` with the latency
 *   measures: the drill-down table, and every chart once filtered by a value.
 *
 * Assumes storage's rule: a rollup serves a query when its dimensions include
 * the query's dimensions and filters, and it keeps the measure fields (at
 * most 3 dimensions).
 *
 * @example dashboardRollupSpecs([{ dimensions: ['channel'], measures: [] }])
 * // [{ dimensions: [], measures: [{ field: '$duration', agg: 'p95' }] },
 * //  { dimensions: ['$verdict'], measures: [] },
 * //  { dimensions: ['channel', '$verdict'], measures: [{ field: '$duration', agg: 'p95' }] }]
 */
export interface DashboardRollupSpec {
  dimensions: string[];
  measures: { field: string; agg: 'p95' }[];
}

export function dashboardRollupSpecs(
  dashboards: readonly {
    dimensions: readonly string[];
    measures: readonly { agg: string; field?: string | undefined }[];
  }[],
): DashboardRollupSpec[] {
  const measures = latencyFields(dashboards).map((field) => ({ field, agg: 'p95' as const }));
  return [
    { dimensions: [], measures },
    { dimensions: ['$verdict'], measures: [] },
    ...drilldownDimensions(dashboards).map((dimension) => ({
      dimensions: [dimension, '$verdict'],
      measures,
    })),
  ];
}
