/**
 * A DDSketch-style log-bucket histogram: quantiles within 1% relative error,
 * mergeable (add counts) and retractable (subtract counts), so a rollup row
 * can forget an old session version exactly. Stored as JSON in rollup rows.
 */
export interface Sketch {
  /** Count of zeros. */
  z: number;
  /** Counts of positive values by bucket index. */
  p: Record<string, number>;
  /** Counts of negative values by bucket index of their magnitude. */
  n: Record<string, number>;
}

const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

export function emptySketch(): Sketch {
  return { z: 0, p: {}, n: {} };
}

/** Adds `weight` (negative to retract) occurrences of `value`. Mutates `sketch`. */
export function addToSketch(sketch: Sketch, value: number, weight: number): void {
  if (value === 0) {
    sketch.z += weight;
    return;
  }
  const store = value > 0 ? sketch.p : sketch.n;
  bump(store, String(bucketIndex(Math.abs(value))), weight);
}

/** Adds every count of `from` times `weight` into `into`. Mutates `into`. */
export function mergeSketch(into: Sketch, from: Sketch, weight = 1): void {
  into.z += from.z * weight;
  for (const [index, count] of Object.entries(from.p)) bump(into.p, index, count * weight);
  for (const [index, count] of Object.entries(from.n)) bump(into.n, index, count * weight);
}

export function sketchCount(sketch: Sketch): number {
  return sketch.z + total(sketch.p) + total(sketch.n);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) by the nearest-rank rule over bucket
 * representatives; null for an empty sketch.
 *
 * @example quantile(sketchOf([1, 2, 3]), 0.5) // ≈ 2 (within 1%)
 */
export function quantile(sketch: Sketch, q: number): number | null {
  return quantiles(sketch, [q])[0] ?? null;
}

/**
 * Several quantiles, each exactly as `quantile` answers it, from one walk
 * of the buckets (a rollup row's summary asks for three at every write).
 *
 * @example quantiles(sketchOf([1, 2, 3]), [0.5, 0.95, 0.99]) // ≈ [2, 3, 3]
 */
export function quantiles(sketch: Sketch, qs: readonly number[]): (number | null)[] {
  // Buckets in value order as (signed index, count): negatives by falling
  // magnitude, then zero (index null), then positives by rising magnitude.
  const negatives = sortedIndexes(sketch.n).reverse();
  const positives = sortedIndexes(sketch.p);
  const counts: number[] = [];
  let count = sketch.z;
  for (const i of negatives) count += pushCount(counts, sketch.n[String(i)]);
  counts.push(sketch.z);
  for (const i of positives) count += pushCount(counts, sketch.p[String(i)]);
  if (count <= 0) return qs.map(() => null);
  const valueAt = (at: number): number => {
    if (at < negatives.length) return -representative(negatives[at] ?? 0);
    if (at === negatives.length) return 0;
    return representative(positives[at - negatives.length - 1] ?? 0);
  };
  return qs.map((q) => {
    const rank = q * (count - 1);
    let seen = 0;
    for (let at = 0; at < counts.length; at += 1) {
      seen += counts[at] ?? 0;
      if (seen > rank) return valueAt(at);
    }
    return representative(positives.at(-1) ?? 0);
  });
}

function pushCount(counts: number[], count: number | undefined): number {
  counts.push(count ?? 0);
  return count ?? 0;
}

function bucketIndex(magnitude: number): number {
  return Math.ceil(Math.log(magnitude) / LOG_GAMMA);
}

function representative(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

function bump(store: Record<string, number>, index: string, weight: number): void {
  const next = (store[index] ?? 0) + weight;
  if (next === 0) delete store[index];
  else store[index] = next;
}

function total(store: Record<string, number>): number {
  let sum = 0;
  for (const count of Object.values(store)) sum += count;
  return sum;
}

function sortedIndexes(store: Record<string, number>): number[] {
  return Object.keys(store)
    .map(Number)
    .sort((a, b) => a - b);
}
