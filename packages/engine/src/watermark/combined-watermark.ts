import { InvalidOperatorConfigError } from '../errors.js';

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

  /** The combined watermark, or null while some active partition has none yet. */
  get current(): number | null {
    return this.combined;
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

  private recompute(): void {
    let min = Number.POSITIVE_INFINITY;
    for (const state of this.partitions.values()) {
      if (this.now - state.lastActivity >= this.options.idleTimeoutMs) continue;
      if (state.maxTimestamp === Number.NEGATIVE_INFINITY) return; // an active partition without a watermark holds everything
      min = Math.min(min, state.maxTimestamp - this.options.maxOutOfOrdernessMs - 1);
    }
    if (min === Number.POSITIVE_INFINITY) return; // all idle: the watermark does not move
    if (this.combined === null || min > this.combined) this.combined = min;
  }
}
