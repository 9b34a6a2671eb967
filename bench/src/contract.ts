// The weft.bench/1 result contract, written by every package benchmark and
// read back by the harness (results.ts validates it). Package bench scripts
// import this file so that the contract and its median rule exist once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { summarize } from './stats.js';

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
  const { median, min, max } = summarize(runs);
  return {
    name,
    unit,
    median: round(median),
    min: round(min),
    max: round(max),
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

/** Writes `result` as a weft.bench/1 file, creating its directory. */
export function writeBenchResult(
  file: string,
  result: {
    benchmark: string;
    command: string;
    startedAt: string;
    params: Params;
    metrics: readonly Metric[];
  },
): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ schema: 'weft.bench/1', ...result }, null, 2)}\n`);
}
