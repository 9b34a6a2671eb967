import { z } from 'zod';
import {
  InvalidOperatorConfigError,
  SnapshotFormatError,
  SnapshotMismatchError,
} from '../errors.js';

export const WATERMARK_SNAPSHOT_FORMAT = 'weft.watermark-snapshot/1';

/** A {@link CombinedWatermark}'s state as plain JSON data, with the options it ran with. */
export interface WatermarkSnapshot {
  readonly format: typeof WATERMARK_SNAPSHOT_FORMAT;
  readonly maxOutOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  /** Per partition, in declaration order: its largest timestamp (null before any) and last activity. */
  readonly partitions: readonly {
    readonly name: string;
    readonly maxTimestamp: number | null;
    readonly lastActivity: number;
  }[];
  readonly combined: number | null;
  readonly now: number;
}

const WatermarkSnapshotSchema = z.object({
  format: z.literal(WATERMARK_SNAPSHOT_FORMAT),
  maxOutOfOrdernessMs: z.number().int(),
  idleTimeoutMs: z.number().int(),
  partitions: z.array(
    z.object({
      name: z.string(),
      maxTimestamp: z.number().int().nullable(),
      lastActivity: z.number(),
    }),
  ),
  combined: z.number().int().nullable(),
  now: z.number(),
});

export interface WatermarkOptions {
  readonly maxOutOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly partitions: readonly string[];
}

interface PartitionState {
  maxTimestamp: number;
  /** Processing time of the partition's last element (0, the clock's start, before any). */
  lastActivity: number;
}

/**
 * Flink's bounded-out-of-orderness watermarks with idleness, combined over
 * partitions as Flink's `WatermarkOutputMultiplexer` does: each partition's
 * watermark is `maxTs - maxOutOfOrderness - 1`; a partition is idle once no
 * element reached it for `idleTimeoutMs` of processing time (`now -
 * lastActivity >= idleTimeoutMs`), active again with its next element; the
 * combined watermark is the minimum over active partitions, `null` until
 * every partition has a watermark or is idle, never goes back, and does not
 * move while all partitions are idle.
 *
 * Example: `const wm = new CombinedWatermark({ maxOutOfOrdernessMs: 10, idleTimeoutMs: 100, partitions: ['p0'] }); wm.onElement('p0', 100, 0); wm.current // 89`.
 */
export class CombinedWatermark {
  private readonly partitions = new Map<string, PartitionState>();
  private combined: number | null = null;
  private now = 0;

  constructor(private readonly options: WatermarkOptions) {
    const { maxOutOfOrdernessMs, idleTimeoutMs, partitions } = options;
    if (!Number.isInteger(maxOutOfOrdernessMs) || maxOutOfOrdernessMs < 0) {
      throw new InvalidOperatorConfigError(
        `maxOutOfOrdernessMs must be a non-negative integer, got ${maxOutOfOrdernessMs}.`,
      );
    }
    if (!Number.isInteger(idleTimeoutMs) || idleTimeoutMs < 1) {
      throw new InvalidOperatorConfigError(
        `idleTimeoutMs must be a positive integer, got ${idleTimeoutMs}.`,
      );
    }
    if (partitions.length === 0 || new Set(partitions).size !== partitions.length) {
      throw new InvalidOperatorConfigError(
        `partitions must be a non-empty list of distinct names, got ${JSON.stringify(partitions)}.`,
      );
    }
    for (const name of partitions) {
      this.partitions.set(name, { maxTimestamp: Number.NEGATIVE_INFINITY, lastActivity: 0 });
    }
  }

  /**
   * The state as plain JSON data, to checkpoint with the partitions' offsets.
   * Take it between calls.
   *
   * Example: `CombinedWatermark.restore(JSON.parse(JSON.stringify(wm.snapshot())), options)`.
   */
  snapshot(): WatermarkSnapshot {
    const { maxOutOfOrdernessMs, idleTimeoutMs } = this.options;
    return {
      format: WATERMARK_SNAPSHOT_FORMAT,
      maxOutOfOrdernessMs,
      idleTimeoutMs,
      partitions: [...this.partitions].map(([name, s]) => ({
        name,
        maxTimestamp: s.maxTimestamp === Number.NEGATIVE_INFINITY ? null : s.maxTimestamp,
        lastActivity: s.lastActivity,
      })),
      combined: this.combined,
      now: this.now,
    };
  }

  /**
   * A combined watermark that continues as the one that took `snapshot`.
   * `options` must be the ones it ran with (same bounds, same partitions in
   * the same order); otherwise it throws `SnapshotMismatchError` naming the
   * difference. A malformed snapshot throws `SnapshotFormatError`.
   */
  static restore(snapshot: WatermarkSnapshot, options: WatermarkOptions): CombinedWatermark {
    const parsed = WatermarkSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
      );
      throw new SnapshotFormatError(
        `not a watermark snapshot of format "${WATERMARK_SNAPSHOT_FORMAT}": ${problems.slice(0, 5).join('; ')}; pass the value of CombinedWatermark.snapshot().`,
      );
    }
    const names = snapshot.partitions.map((p) => p.name);
    for (const [field, theirs, ours] of [
      ['maxOutOfOrdernessMs', snapshot.maxOutOfOrdernessMs, options.maxOutOfOrdernessMs],
      ['idleTimeoutMs', snapshot.idleTimeoutMs, options.idleTimeoutMs],
      ['partitions', JSON.stringify(names), JSON.stringify(options.partitions)],
    ] as const) {
      if (theirs !== ours) {
        throw new SnapshotMismatchError(
          `the watermark snapshot has ${field} ${theirs}, the options ${ours}; restore with the options it was taken with, or start a new CombinedWatermark.`,
        );
      }
    }
    const restored = new CombinedWatermark(options);
    for (const p of snapshot.partitions) {
      restored.partitions.set(p.name, {
        maxTimestamp: p.maxTimestamp ?? Number.NEGATIVE_INFINITY,
        lastActivity: p.lastActivity,
      });
    }
    restored.combined = snapshot.combined;
    restored.now = snapshot.now;
    return restored;
  }

  /** The combined watermark, or null while some active partition has none yet. */
  get current(): number | null {
    return this.combined;
  }

  /**
   * Each active partition's own watermark (its largest timestamp − the bound
   * − 1), by name; idle partitions and those without a record yet are left
   * out. What watermark alignment compares: a partition far ahead of the
   * slowest one only adds state that waits for the combined watermark.
   *
   * Example: after `onElement('p0', 100, 0)` and `onElement('p1', 500, 0)` with a bound of 10: `Map { 'p0' => 89, 'p1' => 489 }`.
   */
  partitionWatermarks(): Map<string, number> {
    const watermarks = new Map<string, number>();
    for (const [name, state] of this.partitions) {
      if (this.isIdle(state) || state.maxTimestamp === Number.NEGATIVE_INFINITY) continue;
      watermarks.set(name, state.maxTimestamp - this.options.maxOutOfOrdernessMs - 1);
    }
    return watermarks;
  }

  onElement(partition: string, timestamp: number, now: number): void {
    const state = this.partitions.get(partition);
    if (state === undefined) {
      throw new InvalidOperatorConfigError(
        `unknown partition "${partition}"; declared partitions are ${JSON.stringify(this.options.partitions)}.`,
      );
    }
    this.now = Math.max(this.now, now);
    state.maxTimestamp = Math.max(state.maxTimestamp, timestamp);
    state.lastActivity = this.now;
    this.recompute();
  }

  onProcessingTime(now: number): void {
    this.now = Math.max(this.now, now);
    this.recompute();
  }

  /** Silent for the idle timeout: it no longer holds the combined watermark back. */
  private isIdle(state: PartitionState): boolean {
    return this.now - state.lastActivity >= this.options.idleTimeoutMs;
  }

  private recompute(): void {
    let min = Number.POSITIVE_INFINITY;
    for (const state of this.partitions.values()) {
      if (this.isIdle(state)) continue;
      if (state.maxTimestamp === Number.NEGATIVE_INFINITY) return; // an active partition without a watermark holds everything
      min = Math.min(min, state.maxTimestamp - this.options.maxOutOfOrdernessMs - 1);
    }
    if (min === Number.POSITIVE_INFINITY) return; // all idle: the watermark does not move
    if (this.combined === null || min > this.combined) this.combined = min;
  }
}
