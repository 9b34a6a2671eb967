import type { Metric, PublishedResult } from '../results.js';
import { fmt } from './format.js';

/** One target of issue #9 against what the results show. */
export interface TargetRow {
  readonly target: string;
  readonly measured: string;
  readonly status: 'met' | 'not met' | 'not measured' | 'met below the named scale';
  readonly gap: string;
}

/** The comparison's result name: the quick run and the scale run (`--full`) are published side by side. */
export function compareBenchmark(mode: 'quick' | 'full'): string {
  return mode === 'quick' ? 'weft-vs-flink.in-app-purchase' : 'weft-vs-flink.in-app-purchase-scale';
}

export function isCompareBenchmark(name: string): boolean {
  return name.startsWith('weft-vs-flink.');
}

type Find = (
  results: readonly PublishedResult[],
) => { metric: Metric; result: PublishedResult } | undefined;

/** The `records`, `sessions` or `total` param of a metric (or of its result), else 0. */
function scale(c: { metric: Metric; result: PublishedResult }): number {
  const p = { ...c.result.params, ...c.metric.params };
  const v = p.records ?? p.sessions ?? p.total ?? 0;
  return typeof v === 'number' ? v : 0;
}

/** The metric with the largest scale among matching ones. */
function largest(candidates: { metric: Metric; result: PublishedResult }[]) {
  return candidates.sort((a, b) => scale(b) - scale(a))[0];
}

function finder(benchmark: RegExp, metric: RegExp, params: Record<string, unknown> = {}): Find {
  return (results) =>
    largest(
      results
        .filter((r) => benchmark.test(r.benchmark))
        .flatMap((result) => result.metrics.map((metric) => ({ metric, result })))
        .filter(({ metric: m }) => metric.test(m.name))
        .filter(({ metric: m }) => Object.entries(params).every(([k, v]) => m.params?.[k] === v)),
    );
}

function scaleOf(found: { metric: Metric; result: PublishedResult }): string {
  const p = { ...found.result.params, ...found.metric.params };
  const parts = ['records', 'sessions', 'total', 'rate', 'parallelism']
    .filter((k) => typeof p[k] === 'number')
    .map((k) => `${k} ${fmt(p[k] as number)}`);
  return parts.length > 0
    ? ` (${parts.join(', ')}; ${found.result.benchmark})`
    : ` (${found.result.benchmark})`;
}

interface TargetSpec {
  readonly target: string;
  readonly find: Find;
  readonly goal: number;
  readonly higherIsBetter: boolean;
  readonly unit: string;
  readonly missing: string;
  /** The scale (records or sessions) the target names, when it names one. */
  readonly atScale?: number;
}

const SPECS: TargetSpec[] = [
  {
    target: 'Engine ≥ Flink on the same 2 cores (Weft/Flink records/s at parallelism 2 ≥ 1.0)',
    find: finder(/^weft-vs-flink\./, /^weft_to_flink_records_per_second$/, { parallelism: 2 }),
    goal: 1,
    higherIsBetter: true,
    unit: '×',
    missing: 'run `npm run bench` (needs Java 17 and Maven for the Flink peer)',
  },
  {
    target: 'Engine ≥ 300k records/s on one core (Weft, parallelism 1, records per CPU-second)',
    find: finder(/^weft-vs-flink\./, /^records_per_cpu_second$/, {
      engine: 'weft',
      parallelism: 1,
    }),
    goal: 300_000,
    higherIsBetter: true,
    unit: 'records/CPU-s',
    missing: 'run `npm run bench`',
  },
  {
    target: 'End-to-end Kafka → MariaDB ≥ 50k records/s',
    find: finder(/^correlator\./, /^records_per_second$/, { mode: 'backlog' }),
    goal: 50_000,
    higherIsBetter: true,
    unit: 'records/s',
    missing:
      'apps/correlator has no benchmark writing `correlator.*` with a `records_per_second` metric yet',
  },
  {
    target: 'p99 produce-to-queryable ≤ 500 ms at 10k records/s',
    find: finder(/^correlator\./, /p99/, { rate: 10_000 }),
    goal: 500,
    higherIsBetter: false,
    unit: 'ms',
    missing: 'no `correlator.*` result with a `*p99*` latency (ms) at params.rate = 10000',
  },
  {
    target: 'Lookup by order id p99 ≤ 10 ms at 10M sessions',
    find: finder(/^storage\./, /^lookup.*p99/),
    goal: 10,
    higherIsBetter: false,
    unit: 'ms',
    missing: 'packages/storage has not written a `storage.*` result with `lookup_p99` yet',
    atScale: 10_000_000,
  },
  {
    target: '90-day dashboard ≤ 500 ms at 10M sessions',
    find: finder(/^storage\./, /^dashboard_90d/),
    goal: 500,
    higherIsBetter: false,
    unit: 'ms',
    missing: 'packages/storage has not written a `storage.*` result with `dashboard_90d*` yet',
    atScale: 10_000_000,
  },
  {
    target: 'Open-session state ≤ 2× the raw bytes of the records it holds',
    find: finder(/^engine\./, /state.*raw|raw.*ratio|state_to_raw/),
    goal: 2,
    higherIsBetter: false,
    unit: '×',
    missing:
      'packages/engine has not written an `engine.*` result with a state-to-raw-bytes ratio metric yet',
  },
];

function gap(spec: TargetSpec, value: number): string {
  const met = spec.higherIsBetter ? value >= spec.goal : value <= spec.goal;
  if (met) return '—';
  const factor = spec.higherIsBetter ? spec.goal / value : value / spec.goal;
  return `${fmt(factor)}× short (${fmt(value)} vs ${fmt(spec.goal)} ${spec.unit})`;
}

/**
 * Every target of issue #9 with the figure that answers it (the median at the
 * largest scale measured), whether it is met and by how much it is missed.
 * A target at a scale other than the one named (e.g. 10M sessions) says so
 * in the measured column: the status then speaks for the scale measured.
 */
export function evaluateTargets(results: readonly PublishedResult[]): TargetRow[] {
  return SPECS.map((spec) => {
    const found = spec.find(results);
    if (found === undefined)
      return { target: spec.target, measured: '—', status: 'not measured', gap: spec.missing };
    const value = found.metric.median;
    const met = spec.higherIsBetter ? value >= spec.goal : value <= spec.goal;
    const measured = `${fmt(value)} ${spec.unit}${scaleOf(found)}`;
    if (met && spec.atScale !== undefined && scale(found) < spec.atScale) {
      const gapText = `not measured at ${fmt(spec.atScale)}; largest scale measured: ${fmt(scale(found))}`;
      return { target: spec.target, measured, status: 'met below the named scale', gap: gapText };
    }
    return {
      target: spec.target,
      measured,
      status: met ? 'met' : 'not met',
      gap: gap(spec, value),
    };
  });
}
