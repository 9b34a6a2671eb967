import { drilldownDimensions, latencyFields } from './field-names';

/**
 * The rollups that answer every query the dashboards page makes for a
 * template, so none falls back to scanning raw sessions: per drill-down
 * dimension, (dimension, verdict) with the latency measures. That covers the
 * verdict mix (with or without a drill-down filter), the drill-down table and
 * the percentiles. Assumes storage's rule: a rollup serves a query when its
 * dimensions include the query's dimensions and filters, and it keeps the
 * measure fields (at most 3 dimensions).
 *
 * @example dashboardRollupSpecs([{ dimensions: ['channel'], measures: [] }])
 * // [{ dimensions: ['channel', '$verdict'], measures: [{ field: '$duration', agg: 'p95' }] }]
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
  const dimensions = drilldownDimensions(dashboards);
  if (dimensions.length === 0) return [{ dimensions: ['$verdict'], measures }];
  return dimensions.map((dimension) => ({ dimensions: [dimension, '$verdict'], measures }));
}
