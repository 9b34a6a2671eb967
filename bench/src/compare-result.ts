import type { ComparePoint } from './compare.js';
import type { RunSummary } from './engine-runs.js';
import type { Metric } from './results.js';
import { summarize } from './stats.js';

type Params = Record<string, string | number>;

function metric(name: string, unit: string, runs: readonly number[], params: Params): Metric {
  const s = summarize(runs);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    name,
    unit,
    median: round(s.median),
    min: round(s.min),
    max: round(s.max),
    runs: s.runs.map(round),
    params,
  };
}

const perSecond = (r: RunSummary) => r.records_in / (r.elapsed_ms / 1000);
const perCpuSecond = (r: RunSummary) => r.records_in / (r.cpu_ms / 1000);

/** The per-engine metrics of one point: wall and CPU throughput, and Weft's peak memory. */
function engineMetrics(point: ComparePoint, engine: 'weft' | 'flink'): Metric[] {
  const runs = point[engine];
  const params: Params = {
    engine,
    parallelism: point.parallelism,
    orders: point.dataset.orders,
    records: runs[0]!.records_in,
  };
  const metrics = [
    metric('records_per_second', 'records/s', runs.map(perSecond), params),
    metric('records_per_cpu_second', 'records/CPU-s', runs.map(perCpuSecond), params),
  ];
  const rss = runs.map((r) => r.max_rss_bytes);
  if (rss.every((v) => v !== undefined))
    metrics.push(metric('max_rss_bytes', 'bytes', rss, params));
  const net = runs.map((r) => r.records_per_s_net);
  if (net.every((v) => v !== undefined))
    metrics.push(metric('records_per_second_net', 'records/s', net, params));
  return metrics;
}

/** Weft/Flink per back-to-back pair of runs (both saw about the same machine load). */
function ratioMetrics(point: ComparePoint): Metric[] {
  const params: Params = {
    parallelism: point.parallelism,
    orders: point.dataset.orders,
    records: point.weft[0]!.records_in,
  };
  const pairs = point.weft.map((w, i) => [w, point.flink[i]!] as const);
  return [
    metric(
      'weft_to_flink_records_per_second',
      'ratio',
      pairs.map(([w, f]) => perSecond(w) / perSecond(f)),
      params,
    ),
    metric(
      'weft_to_flink_records_per_cpu_second',
      'ratio',
      pairs.map(([w, f]) => perCpuSecond(w) / perCpuSecond(f)),
      params,
    ),
  ];
}

/** All metrics of the comparison, in a stable order (dataset, parallelism, engine). */
export function compareMetrics(points: readonly ComparePoint[]): Metric[] {
  return points.flatMap((p) => [
    ...engineMetrics(p, 'weft'),
    ...engineMetrics(p, 'flink'),
    ...ratioMetrics(p),
  ]);
}

/** What both engines agreed on, per dataset: the evidence that the figures compare the same work. */
export function verification(points: readonly ComparePoint[]) {
  return points.map((p) => ({
    orders: p.dataset.orders,
    seed: p.dataset.seed,
    parallelism: p.parallelism,
    records: p.weft[0]!.records_in,
    sessions: p.weft[0]!.sessions,
    dropped: p.weft[0]!.dropped,
    checksum: p.weft[0]!.checksum,
    input: p.dataset.command,
  }));
}
