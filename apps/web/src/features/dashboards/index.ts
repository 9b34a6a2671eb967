export { toCsv } from './lib/csv';
export {
  NONE_LABEL,
  OK_VERDICT,
  prepareComparison,
  prepareDrilldown,
  preparePercentiles,
  prepareVolume,
} from './lib/prepare-charts';
export type {
  ComparisonChart,
  DrilldownRow,
  PercentileChart,
  TimeSeriesChart,
} from './lib/prepare-charts';
export { bucketStarts, previousWindow, RANGE_PRESET_NAMES, rangeFor } from './lib/time-range';
export type { Grain, RangePreset, TimeWindow } from './lib/time-range';
export type { DashboardPoint } from './lib/types';
export {
  drilldownDimensions,
  fieldTitle,
  latencyFields,
  storageFieldName,
} from './lib/field-names';
export { dashboardLinks } from './lib/dashboard-links';
export type { DashboardData } from './lib/dashboard-data';
