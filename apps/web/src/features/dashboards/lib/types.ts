import type { FieldValue } from '@weft/templates';

/** One bucket × dimension combination, as the store's dashboard query answers it. */
export interface DashboardPoint {
  bucketStart: number;
  dimensions: Record<string, FieldValue>;
  sessions: number;
  /** Keyed `agg(field)`, e.g. `p95(pay_latency_ms)`; null when the bucket has no value. */
  measures: Record<string, number | null>;
}
