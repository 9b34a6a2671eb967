import type { FieldValue } from '@weft/templates';
import { bucketLabel, bucketStarts } from './time-range';
import type { TimeWindow } from './time-range';
import type { DashboardPoint } from './types';

/**
 * Pure chart preparation: dashboard points → the series, units and filled
 * buckets each chart draws. Assumes points lie inside the window and carry the
 * dimensions that were asked for; points outside the window are ignored.
 */

/** The verdict of a healthy session; every other verdict counts as an anomaly. */
export const OK_VERDICT = 'ok';
/** How a missing dimension value (no verdict, field absent) is shown. */
export const NONE_LABEL = '(none)';

export interface StackedSeries {
  name: string;
  values: number[];
}

export interface TimeSeriesChart {
  labels: string[];
  bucketStarts: number[];
  series: StackedSeries[];
  unit: string;
  total: number;
}

function dimLabel(value: FieldValue | undefined): string {
  return value === null || value === undefined || value === '' ? NONE_LABEL : String(value);
}

/**
 * Session volume per bucket, one stacked series per value of `dimension`
 * (e.g. `$verdict`), every bucket of the window present (0 when empty).
 * Series are ordered by total volume, largest first.
 */
export function prepareVolume(
  points: readonly DashboardPoint[],
  window: TimeWindow,
  dimension: string,
): TimeSeriesChart {
  const starts = bucketStarts(window);
  const index = new Map(starts.map((s, i) => [s, i]));
  const byName = new Map<string, number[]>();
  let total = 0;
  for (const point of points) {
    const i = index.get(point.bucketStart);
    if (i === undefined) continue;
    const name = dimLabel(point.dimensions[dimension]);
    const values = byName.get(name) ?? starts.map(() => 0);
    values[i] = (values[i] ?? 0) + point.sessions;
    byName.set(name, values);
    total += point.sessions;
  }
  const series = [...byName.entries()]
    .map(([name, values]) => ({ name, values }))
    .sort((a, b) => sum(b.values) - sum(a.values) || a.name.localeCompare(b.name));
  return {
    labels: starts.map((s) => bucketLabel(s, window.grain)),
    bucketStarts: starts,
    series,
    unit: 'sessions',
    total,
  };
}

export interface DrilldownRow {
  value: string;
  sessions: number;
  anomalies: number;
  /** anomalies / sessions, in percent with one decimal; 0 when there are no sessions. */
  anomalyRate: number;
}

/**
 * Volume and anomaly rate per value of `dimension`, largest first. Needs
 * points grouped by `dimension` and `$verdict`.
 */
export function prepareDrilldown(
  points: readonly DashboardPoint[],
  dimension: string,
): DrilldownRow[] {
  const rows = new Map<string, { sessions: number; anomalies: number }>();
  for (const point of points) {
    const key = dimLabel(point.dimensions[dimension]);
    const row = rows.get(key) ?? { sessions: 0, anomalies: 0 };
    row.sessions += point.sessions;
    if (isAnomaly(point)) row.anomalies += point.sessions;
    rows.set(key, row);
  }
  return [...rows.entries()]
    .map(([value, r]) => ({ value, ...r, anomalyRate: percent(r.anomalies, r.sessions) }))
    .sort((a, b) => b.sessions - a.sessions || a.value.localeCompare(b.value));
}

export interface PercentileChart {
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  /** `ms` or `s`: seconds when the largest value is at least 10 s. */
  unit: 'ms' | 's';
}

/**
 * Step-latency percentiles over time. `measures` are the measure keys to draw
 * (e.g. `p50(pay_latency_ms)`); an empty bucket stays null so the line shows a
 * gap instead of a false zero. When several points share a bucket (grouped by
 * a dimension) the largest value is kept: a percentile cannot be averaged.
 */
export function preparePercentiles(
  points: readonly DashboardPoint[],
  window: TimeWindow,
  measures: readonly string[],
): PercentileChart {
  const starts = bucketStarts(window);
  const index = new Map(starts.map((s, i) => [s, i]));
  const series = measures.map((name) => ({ name, values: starts.map((): number | null => null) }));
  for (const point of points) {
    const i = index.get(point.bucketStart);
    if (i === undefined) continue;
    for (const s of series) {
      const value = point.measures[s.name];
      if (value === null || value === undefined) continue;
      const current = s.values[i];
      s.values[i] = current === null || current === undefined ? value : Math.max(current, value);
    }
  }
  const max = Math.max(
    0,
    ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
  );
  const unit = max >= 10_000 ? 's' : 'ms';
  const scaled = series.map((s) => ({
    name: s.name,
    values: s.values.map((v) => (v === null || unit === 'ms' ? v : Math.round(v / 10) / 100)),
  }));
  return { labels: starts.map((s) => bucketLabel(s, window.grain)), series: scaled, unit };
}

export interface ComparisonChart {
  labels: string[];
  current: (number | null)[];
  previous: (number | null)[];
  unit: '%';
  currentRate: number;
  previousRate: number;
  /** Percentage points, current − previous, one decimal. */
  change: number;
}

/**
 * Anomaly rate per bucket for this period and the one before, aligned by
 * position (bucket 1 vs bucket 1). A bucket without sessions is null.
 */
export function prepareComparison(
  current: readonly DashboardPoint[],
  previous: readonly DashboardPoint[],
  window: TimeWindow,
  previousWindow: TimeWindow,
): ComparisonChart {
  const now = rates(current, window);
  const before = rates(previous, previousWindow);
  const currentRate = percent(now.anomalies, now.sessions);
  const previousRate = percent(before.anomalies, before.sessions);
  return {
    labels: bucketStarts(window).map((s) => bucketLabel(s, window.grain)),
    current: now.perBucket,
    previous: before.perBucket,
    unit: '%',
    currentRate,
    previousRate,
    change: Math.round((currentRate - previousRate) * 10) / 10,
  };
}

function rates(points: readonly DashboardPoint[], window: TimeWindow) {
  const starts = bucketStarts(window);
  const index = new Map(starts.map((s, i) => [s, i]));
  const totals = starts.map(() => ({ sessions: 0, anomalies: 0 }));
  let sessions = 0;
  let anomalies = 0;
  for (const point of points) {
    const bucket = totals[index.get(point.bucketStart) ?? -1];
    if (!bucket) continue;
    bucket.sessions += point.sessions;
    sessions += point.sessions;
    if (isAnomaly(point)) {
      bucket.anomalies += point.sessions;
      anomalies += point.sessions;
    }
  }
  const perBucket = totals.map((t) => (t.sessions === 0 ? null : percent(t.anomalies, t.sessions)));
  return { perBucket, sessions, anomalies };
}

function isAnomaly(point: DashboardPoint): boolean {
  const verdict = point.dimensions.$verdict;
  return verdict !== undefined && verdict !== null && verdict !== OK_VERDICT;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
