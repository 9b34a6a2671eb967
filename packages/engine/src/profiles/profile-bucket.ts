import { DistinctSketch, valueHash } from './distinct-sketch.js';
import type { KindLayout } from './profile-layout.js';

/** The values one observation carries, by field name; null or missing values are skipped. */
export type ObservedValues = Readonly<Record<string, unknown>>;

/**
 * The aggregates of one entity's observations whose event time falls in
 * `[start, start + granularity)`. Every part merges exactly and in any order:
 * counts and sums add, min/max/last take the extreme, sketches unite.
 */
export interface Bucket {
  /** Mutable only while the bucket moves, alone, into a coarser tier. */
  start: number;
  count: number;
  /** Newest event time in the bucket. */
  last: number;
  /** Per numeric field (layout order): sum, min, max, number of values. */
  readonly numeric: number[];
  /** Per distinct field (layout order); created on the first value. */
  readonly sketches: (DistinctSketch | null)[];
}

export const NUMERIC_SLOTS = 4;

export function emptyBucket(layout: KindLayout, start: number): Bucket {
  // Sized up front: pushing onto an empty array reserves 17 slots.
  const numeric = new Array<number>(layout.numericFields.length * NUMERIC_SLOTS).fill(0);
  return {
    start,
    count: 0,
    last: Number.NEGATIVE_INFINITY,
    numeric,
    sketches: layout.distinctFields.map(() => null),
  };
}

/** Adds one observation at `time`. */
export function addObservation(
  bucket: Bucket,
  layout: KindLayout,
  time: number,
  values: ObservedValues,
): void {
  bucket.count += 1;
  if (time > bucket.last) bucket.last = time;
  const numericFields = layout.numericFields;
  for (let i = 0; i < numericFields.length; i++) {
    const value = values[numericFields[i] as string];
    if (typeof value === 'number' && Number.isFinite(value)) addNumber(bucket.numeric, i, value);
  }
  const distinctFields = layout.distinctFields;
  for (let i = 0; i < distinctFields.length; i++) {
    const value = values[distinctFields[i] as string];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      continue;
    let sketch = bucket.sketches[i];
    if (sketch === null || sketch === undefined) {
      sketch = new DistinctSketch();
      bucket.sketches[i] = sketch;
    }
    sketch.add(valueHash(value));
  }
}

function addNumber(slots: number[], field: number, value: number): void {
  const at = field * NUMERIC_SLOTS;
  const n = slots[at + 3] as number;
  slots[at] = (slots[at] as number) + value;
  slots[at + 1] = n === 0 ? value : Math.min(slots[at + 1] as number, value);
  slots[at + 2] = n === 0 ? value : Math.max(slots[at + 2] as number, value);
  slots[at + 3] = n + 1;
}

/** Adds every observation summarised by `from` into `into` (same layout). */
export function mergeBucket(into: Bucket, from: Bucket): void {
  into.count += from.count;
  if (from.last > into.last) into.last = from.last;
  for (let at = 0; at < from.numeric.length; at += NUMERIC_SLOTS) {
    const n = from.numeric[at + 3] as number;
    if (n === 0) continue;
    const mine = into.numeric[at + 3] as number;
    into.numeric[at] = (into.numeric[at] as number) + (from.numeric[at] as number);
    into.numeric[at + 1] =
      mine === 0
        ? (from.numeric[at + 1] as number)
        : Math.min(into.numeric[at + 1] as number, from.numeric[at + 1] as number);
    into.numeric[at + 2] =
      mine === 0
        ? (from.numeric[at + 2] as number)
        : Math.max(into.numeric[at + 2] as number, from.numeric[at + 2] as number);
    into.numeric[at + 3] = mine + n;
  }
  from.sketches.forEach((sketch, i) => {
    if (sketch === null) return;
    const target = into.sketches[i] ?? new DistinctSketch();
    target.merge(sketch);
    into.sketches[i] = target;
  });
}
