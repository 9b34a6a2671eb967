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
 * engine's `CombinedWatermark`, on the correlator's **running clock**: the
 * milliseconds this pipeline has been running, summed over restarts
 * (`clockAtStart` comes from the checkpoint). Idleness is measured on that
 * clock, so at a (re)start every partition gets `idleTimeout` of running time
 * to deliver before it stops holding the watermark back — on the wall clock
 * a partition that had not delivered yet would count as idle at once, and the
 * first partition fetched would race the watermark ahead of the others.
 *
 * @example
 * const wm = new LiveWatermark(new CombinedWatermark(options), 0, Date.now());
 * wm.onElement('weft.src.pay_done:0', eventTime, Date.now()); wm.current;
 */
export class LiveWatermark {
  constructor(
    readonly combined: CombinedWatermark,
    private readonly clockAtStart: number,
    private readonly startedAt: number,
  ) {}

  /** The running clock at wall time `now`. */
  clock(now: number): number {
    return this.clockAtStart + Math.max(0, now - this.startedAt);
  }

  get current(): number | null {
    return this.combined.current;
  }

  onElement(partition: string, eventTime: number, now: number): void {
    this.combined.onElement(partition, eventTime, this.clock(now));
  }

  onProcessingTime(now: number): void {
    this.combined.onProcessingTime(this.clock(now));
  }
}
