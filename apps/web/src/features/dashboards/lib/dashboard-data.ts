import type {
  ComparisonChart,
  DrilldownRow,
  PercentileChart,
  TimeSeriesChart,
} from './prepare-charts';
import type { TimeWindow } from './time-range';

/** Everything the dashboards page draws, prepared on the server. */
export interface DashboardData {
  templateIds: string[];
  templateId: string | null;
  window: TimeWindow;
  dimensions: string[];
  dimension: string | null;
  filter: { dim: string; value: string } | null;
  volume: TimeSeriesChart;
  drilldown: DrilldownRow[];
  percentiles: PercentileChart;
  latencyField: string;
  comparison: ComparisonChart;
  source: 'rollup' | 'raw';
  /** When the server computed this data (epoch ms): live refresh and the "updated" line use it. */
  dataAt: number;
}
