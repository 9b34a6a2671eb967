/** Nearest-rank percentile of `values` (0 < p <= 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Metric {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number[];
}

/** One weft.bench/1 metric from the per-round values (rounded to 0.1). */
export function summarize(name: string, unit: string, runs: readonly number[]): Metric {
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    name,
    unit,
    median: round(percentile(runs, 50)),
    min: round(Math.min(...runs)),
    max: round(Math.max(...runs)),
    runs: runs.map(round),
  };
}
