// The weft.bench/1 result contract read by the harness in /bench, written with plain fs.
import { writeFileSync } from 'node:fs';

export type Params = Record<string, string | number | boolean | null>;

export interface Metric {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
  readonly params?: Params;
}

/** Median (mean of the middle two for an even count), min and max of the runs, rounded to `decimals`. */
export function metric(
  name: string,
  unit: string,
  runs: readonly number[],
  params?: Params,
  decimals = 0,
): Metric {
  const round = (x: number) => Math.round(x * 10 ** decimals) / 10 ** decimals;
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    name,
    unit,
    median: round(median),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
    runs: runs.map(round),
    ...(params ? { params } : {}),
  };
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export function writeBenchResult(
  file: string,
  result: {
    benchmark: string;
    command: string;
    startedAt: string;
    params: Params;
    metrics: Metric[];
  },
): void {
  writeFileSync(file, `${JSON.stringify({ schema: 'weft.bench/1', ...result }, null, 2)}\n`);
}
