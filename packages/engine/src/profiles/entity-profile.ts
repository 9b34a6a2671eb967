import { DistinctSketch } from './distinct-sketch.js';
import {
  addObservation,
  emptyBucket,
  mergeBucket,
  NUMERIC_SLOTS,
  type Bucket,
  type ObservedValues,
} from './profile-bucket.js';
import { windowBounds, type KindLayout } from './profile-layout.js';
import type { FeatureSpec } from './profile-spec.js';

/** A feature's value as of a time: a number, or null for min/max/last_seen of nothing. */
export type FeatureValue = number | null;

/**
 * One entity's history: per tier, its non-empty buckets sorted by start.
 * Tier boundaries move with the store's frontier (see {@link KindLayout}).
 */
export class EntityProfile {
  /** The frontier at which the oldest bucket of some tier passes its horizon (nothing to do before). */
  private dueAt = Number.NEGATIVE_INFINITY;

  constructor(readonly tiers: Bucket[][]) {}

  static empty(layout: KindLayout): EntityProfile {
    return new EntityProfile(layout.granularities.map(() => []));
  }

  get isEmpty(): boolean {
    return this.tiers.every((tier) => tier.length === 0);
  }

  get bucketCount(): number {
    return this.tiers.reduce((sum, tier) => sum + tier.length, 0);
  }

  /**
   * Adds an observation into the finest tier whose bucket for `time` is still
   * kept at `frontier`; false when even the last tier has dropped it.
   */
  observe(layout: KindLayout, frontier: number, time: number, values: ObservedValues): boolean {
    this.compact(layout, frontier);
    for (let k = 0; k < this.tiers.length; k++) {
      const g = layout.granularities[k] as number;
      const start = Math.floor(time / g) * g;
      const horizon = layout.horizons[k] as number;
      if (start + g <= frontier - horizon) continue;
      addObservation(bucketAt(this.tiers, k, layout, start), layout, time, values);
      this.dueAt = Math.min(this.dueAt, start + g + horizon);
      return true;
    }
    return false;
  }

  /** Moves buckets past their tier's horizon into the next tier; the last tier drops them. */
  compact(layout: KindLayout, frontier: number): void {
    if (frontier < this.dueAt) return;
    let due = Number.POSITIVE_INFINITY;
    for (let k = 0; k < this.tiers.length; k++) {
      const tier = this.tiers[k] as Bucket[];
      const g = layout.granularities[k] as number;
      const horizon = layout.horizons[k] as number;
      let moved = 0;
      while (moved < tier.length && (tier[moved] as Bucket).start + g + horizon <= frontier)
        moved++;
      if (moved > 0) {
        const next = this.tiers[k + 1];
        const coarse = layout.granularities[k + 1];
        if (next !== undefined && coarse !== undefined)
          for (let i = 0; i < moved; i++) moveInto(this.tiers, k + 1, tier[i] as Bucket, coarse);
        if (moved === tier.length) this.tiers[k] = [];
        else tier.splice(0, moved);
      }
      const oldest = (this.tiers[k] as Bucket[])[0];
      if (oldest !== undefined) due = Math.min(due, oldest.start + g + horizon);
    }
    this.dueAt = due;
  }

  /** The feature over the buckets starting in its window's `[from, to)` as of `t`. */
  feature(layout: KindLayout, feature: FeatureSpec, t: number): FeatureValue {
    const { from, to } = windowBounds(layout.granularities, feature.window, t);
    const buckets: Bucket[] = [];
    for (const tier of this.tiers)
      for (const bucket of tier)
        if (bucket.start >= from && bucket.start < to) buckets.push(bucket);
    return aggregate(layout, feature, buckets);
  }
}

/** Index of the bucket starting at `start`, or of where it would go (`found` false). */
function locate(tier: readonly Bucket[], start: number): { index: number; found: boolean } {
  let lo = 0;
  let hi = tier.length;
  // Observations mostly land in the newest bucket: check the end first.
  const tail = tier[hi - 1];
  if (tail !== undefined && tail.start === start) return { index: hi - 1, found: true };
  if (tail !== undefined && tail.start < start) return { index: hi, found: false };
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = (tier[mid] as Bucket).start;
    if (at === start) return { index: mid, found: true };
    if (at < start) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, found: false };
}

/** The bucket starting at `start` in tier `k`, created in sorted position when missing. */
function bucketAt(tiers: Bucket[][], k: number, layout: KindLayout, start: number): Bucket {
  const tier = tiers[k] as Bucket[];
  const { index, found } = locate(tier, start);
  if (found) return tier[index] as Bucket;
  const bucket = emptyBucket(layout, start);
  insert(tiers, k, index, bucket);
  return bucket;
}

/** Inserts at `index`; an empty tier becomes a one-element literal (a splice would reserve 17 slots). */
function insert(tiers: Bucket[][], k: number, index: number, bucket: Bucket): void {
  const tier = tiers[k] as Bucket[];
  if (tier.length === 0) tiers[k] = [bucket];
  else tier.splice(index, 0, bucket);
}

/** Moves a bucket into coarser tier `k`: merged into the bucket there, or re-aligned and kept. */
function moveInto(tiers: Bucket[][], k: number, bucket: Bucket, granularity: number): void {
  const tier = tiers[k] as Bucket[];
  const start = Math.floor(bucket.start / granularity) * granularity;
  const { index, found } = locate(tier, start);
  if (found) {
    mergeBucket(tier[index] as Bucket, bucket);
    return;
  }
  bucket.start = start;
  insert(tiers, k, index, bucket);
}

function aggregate(
  layout: KindLayout,
  feature: FeatureSpec,
  buckets: readonly Bucket[],
): FeatureValue {
  switch (feature.aggregate) {
    case 'count':
      return buckets.reduce((sum, b) => sum + b.count, 0);
    case 'last_seen':
      return buckets.length === 0 ? null : Math.max(...buckets.map((b) => b.last));
    case 'distinct': {
      const slot = layout.distinctFields.indexOf(feature.field as string);
      const union = new DistinctSketch();
      for (const bucket of buckets) {
        const sketch = bucket.sketches[slot];
        if (sketch !== null && sketch !== undefined) union.merge(sketch);
      }
      return union.estimate();
    }
    default:
      return numeric(layout, feature, buckets);
  }
}

function numeric(
  layout: KindLayout,
  feature: FeatureSpec,
  buckets: readonly Bucket[],
): FeatureValue {
  const at = layout.numericFields.indexOf(feature.field as string) * NUMERIC_SLOTS;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let n = 0;
  for (const bucket of buckets) {
    const values = bucket.numeric[at + 3] as number;
    if (values === 0) continue;
    n += values;
    sum += bucket.numeric[at] as number;
    min = Math.min(min, bucket.numeric[at + 1] as number);
    max = Math.max(max, bucket.numeric[at + 2] as number);
  }
  if (feature.aggregate === 'sum') return sum;
  if (n === 0) return null;
  return feature.aggregate === 'min' ? min : max;
}
