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
 * The union of a distinct feature's sketches over the buckets starting in
 * `[from, to)`, once it is a HyperLogLog, and its estimate: the next read
 * with the same `from` and a `to` no earlier merges only the buckets
 * starting in `[to, newTo)`.
 */
interface DenseUnion {
  readonly from: number;
  to: number;
  readonly sketch: DistinctSketch;
  estimate: number;
}

/**
 * One entity's history: per tier, its non-empty buckets sorted by start.
 * Tier boundaries move with the store's frontier (see {@link KindLayout}).
 */
export class EntityProfile {
  /** The frontier at which the oldest bucket of some tier passes its horizon (nothing to do before). */
  private dueAt = Number.NEGATIVE_INFINITY;
  /**
   * Dense distinct unions of the last reads, by feature (not snapshotted).
   * Each equals the union of the buckets now starting in its range: an
   * observation into a bucket starting before its `to` drops it, and so does
   * any compaction that moves or drops a bucket. Window reads of a busy
   * entity in time order (the job's settled steps) then merge each bucket's
   * 4,096 registers once instead of at every read.
   */
  private unions: Map<FeatureSpec, DenseUnion> | null = null;

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
      this.dropUnionsPast(start);
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
        this.unions = null;
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
    if (feature.aggregate === 'distinct') return this.distinct(layout, feature, from, to);
    const buckets: Bucket[] = [];
    for (const tier of this.tiers)
      for (const bucket of tier)
        if (bucket.start >= from && bucket.start < to) buckets.push(bucket);
    return aggregate(layout, feature, buckets);
  }

  /** Distinct values over the buckets starting in `[from, to)`, extending the cached union when it covers a prefix of them. */
  private distinct(layout: KindLayout, feature: FeatureSpec, from: number, to: number): number {
    const slot = layout.distinctFields.indexOf(feature.field as string);
    const cached = this.unions?.get(feature);
    const extend = cached !== undefined && cached.from === from && cached.to <= to;
    const union = extend ? cached.sketch : new DistinctSketch();
    const lo = extend ? cached.to : from;
    let merged = false;
    for (const tier of this.tiers)
      for (const bucket of tier) {
        const sketch = bucket.start >= lo && bucket.start < to ? bucket.sketches[slot] : null;
        if (sketch === null || sketch === undefined) continue;
        union.merge(sketch);
        merged = true;
      }
    if (extend) {
      cached.to = to;
      if (merged) cached.estimate = union.estimate();
      return cached.estimate;
    }
    const estimate = union.estimate();
    // An exact union is a short list: cheap to rebuild, not worth its memory per entity.
    if (!union.isExact)
      (this.unions ??= new Map()).set(feature, { from, to, sketch: union, estimate });
    return estimate;
  }

  /** Drops the cached unions whose range reaches past `start`, the bucket an observation just changed. */
  private dropUnionsPast(start: number): void {
    if (this.unions === null) return;
    for (const [feature, union] of this.unions) if (start < union.to) this.unions.delete(feature);
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
