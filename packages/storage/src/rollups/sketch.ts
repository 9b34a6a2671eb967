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
  const count = sketchCount(sketch);
  if (count <= 0) return null;
  const rank = q * (count - 1);
  let seen = 0;
  const negatives = sortedIndexes(sketch.n).reverse();
  for (const index of negatives) {
    seen += sketch.n[String(index)] ?? 0;
    if (seen > rank) return -representative(index);
  }
  seen += sketch.z;
  if (seen > rank) return 0;
  for (const index of sortedIndexes(sketch.p)) {
    seen += sketch.p[String(index)] ?? 0;
    if (seen > rank) return representative(index);
  }
  return representative(sortedIndexes(sketch.p).at(-1) ?? 0);
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
