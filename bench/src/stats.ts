/** Median, min and max of repeated measurements, with every run kept. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

/**
 * Summarizes runs in the order they were taken; the median of an even count is
 * the mean of the two middle values.
 *
 * Example: `summarize([3, 1, 2])` → `{ median: 2, min: 1, max: 3, runs: [3, 1, 2] }`.
 */
export function summarize(runs: readonly number[]): Summary {
  if (runs.length === 0) throw new RangeError('summarize needs at least one run, got none');
  if (runs.some((v) => !Number.isFinite(v)))
    throw new RangeError(`summarize needs finite numbers, got [${runs.join(', ')}]`);
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: [...runs] };
}
