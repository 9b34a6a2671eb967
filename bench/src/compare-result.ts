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
  const optional = [
    ['max_rss_bytes', 'bytes', (r: RunSummary) => r.max_rss_bytes],
    ['max_heap_used_bytes', 'bytes', (r: RunSummary) => r.max_heap_used_bytes],
    ['records_per_second_net', 'records/s', (r: RunSummary) => r.records_per_s_net],
  ] as const;
  for (const [name, unit, read] of optional) {
    const values = runs.map(read);
    if (values.every((v): v is number => typeof v === 'number'))
      metrics.push(metric(name, unit, values, params));
  }
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
    ...(p.weft.length > 0 ? engineMetrics(p, 'weft') : []),
    ...(p.flink.length > 0 ? engineMetrics(p, 'flink') : []),
    ...(p.weft.length > 0 && p.flink.length > 0 ? ratioMetrics(p) : []),
  ]);
}

/** What both engines agreed on, per dataset: the evidence that the figures compare the same work. */
export function verification(points: readonly ComparePoint[]) {
  return points.map((p) => {
    const first = p.weft[0] ?? p.flink[0]!;
    return {
      orders: p.dataset.orders,
      seed: p.dataset.seed,
      parallelism: p.parallelism,
      records: first.records_in,
      sessions: first.sessions,
      dropped: first.dropped,
      checksum: first.checksum,
      weftRunner: p.weft[0]?.mode ?? null,
      engines: [p.weft.length > 0 ? 'weft' : '', p.flink.length > 0 ? 'flink' : '']
        .filter((e) => e !== '')
        .join('+'),
      input: p.dataset.command,
    };
  });
}
