import type { CombinedWatermark, WatermarkOptions } from '@weft/engine';
import { isEventSource } from '@weft/templates';
import type { Template } from '@weft/templates';

/** One partition of a source topic, as the watermark names it. */
export interface TopicPartition {
  topic: string;
  partition: number;
}

/**
 * The watermark options of a template over its topic-partitions. The
 * engine's `CombinedWatermark` takes one bound for all its partitions, so the
 * largest `outOfOrderness` and the largest `idleTimeout` of the template's
 * event sources apply to every partition: the most tolerant choice (fewer
 * records late, a source idle only when every source would call it idle).
 *
 * @example watermarkOptionsOf(template, [{ topic: 'weft.src.pay_done', partition: 0 }])
 */
export function watermarkOptionsOf(
  template: Template,
  partitions: readonly TopicPartition[],
): WatermarkOptions {
  const sources = template.sources.filter(isEventSource);
  return {
    maxOutOfOrdernessMs: Math.max(0, ...sources.map((s) => s.watermark.outOfOrderness)),
    idleTimeoutMs: Math.max(1, ...sources.map((s) => s.watermark.idleTimeout)),
    partitions: partitions.map(watermarkPartitionName),
  };
}

/** `topic:partition`, the partition's name in the watermark and its snapshots. */
export function watermarkPartitionName({ topic, partition }: TopicPartition): string {
  return `${topic}:${partition}`;
}

/**
 * Per-partition bounded-out-of-orderness watermarks with idleness over the
 * engine's `CombinedWatermark`, on the pipeline's **idleness clock**: wall
 * time counted only while the pipeline is caught up (consuming, nothing
 * fetched and waiting in its queue), summed over restarts (`clockAtStart`
 * comes from the checkpoint). A partition is idle after `idleTimeout` of that
 * clock without a record. On the wall clock, a partition whose records are
 * still queued behind a backlog — after a restart, a group rebalance, or a
 * slow store — would count as idle, and the partitions processed first would
 * race the watermark ahead and make its records late.
 *
 * @example
 * const wm = new LiveWatermark(new CombinedWatermark(options), 0);
 * wm.advanceClock(Date.now(), caughtUp);
 * wm.onElement('weft.src.pay_done:0', eventTime);
 */
export class LiveWatermark {
  private idleClock: number;
  private lastWall: number | undefined;

  constructor(
    readonly combined: CombinedWatermark,
    clockAtStart: number,
  ) {
    this.idleClock = clockAtStart;
  }

  /** The idleness clock: milliseconds the pipeline has spent caught up. */
  get clock(): number {
    return this.idleClock;
  }

  /** Moves to wall time `now`, counting the time since the last call only when `caughtUp`. */
  advanceClock(now: number, caughtUp: boolean): void {
    if (caughtUp && this.lastWall !== undefined) this.idleClock += Math.max(0, now - this.lastWall);
    this.lastWall = now;
  }

  get current(): number | null {
    return this.combined.current;
  }

  onElement(partition: string, eventTime: number): void {
    this.combined.onElement(partition, eventTime, this.idleClock);
  }

  /** Each active partition's own watermark, by `topic:partition` (see `CombinedWatermark.partitionWatermarks`). */
  partitionWatermarks(): Map<string, number> {
    return this.combined.partitionWatermarks();
  }

  /** Idle partitions stop holding the watermark back. */
  onProcessingTime(): void {
    this.combined.onProcessingTime(this.idleClock);
  }
}
