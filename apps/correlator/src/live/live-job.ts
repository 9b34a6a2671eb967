import { CorrelationJob, prepareRecord } from '@weft/engine';
import type { JobEvent } from '@weft/engine';
import type { CompiledTemplate, RecordOrigin } from '@weft/templates';
import type { SinkItem } from '../pipeline/index.js';
import { toSinkItem } from '../run/index.js';
import type { LiveWatermark } from './live-watermark.js';

/**
 * Versions written by one run of the pipeline are `epoch × EPOCH_VERSIONS +
 * the job's own version`. Every (re)start of a checkpointed pipeline takes a
 * new epoch, so what it emits while replaying from a checkpoint outranks
 * anything the crashed run wrote after that checkpoint: the replay may fire a
 * session fewer times than the crashed run did (records arrive in a different
 * interleaving), and the store keeps the highest version.
 */
export const EPOCH_VERSIONS = 1_000_000;

/** One decoded input of a live run: a JSON object record of a template source. */
export interface LiveInput {
  source: string;
  raw: string;
  origin: RecordOrigin;
  /** The watermark partition it was read from (`topic:partition`). */
  partition: string;
}

/**
 * The engine's streaming `CorrelationJob` driven by the live pipeline: each
 * record is prepared (extraction, event time), accepted, and then moves its
 * partition's watermark; processing time comes from the caller's clock.
 * Everything the job emits comes back as sink items, versions lifted into the
 * run's epoch.
 *
 * @example
 * const job = new LiveJob(compiled, watermark, 0);
 * writer.enqueue(job.push({ source: 'pay_done', raw, origin, partition: 'weft.src.pay_done:0' }, Date.now()));
 */
export class LiveJob {
  private readonly events: JobEvent[] = [];
  readonly job: CorrelationJob;

  constructor(
    readonly compiled: CompiledTemplate,
    readonly watermark: LiveWatermark,
    readonly epoch: number,
    /** Builds the engine job around the emit callback (a new one, or one restored from a snapshot). */
    createJob: (emit: (event: JobEvent) => void) => CorrelationJob = (emit) =>
      new CorrelationJob(compiled, { emit }),
  ) {
    this.job = createJob((event) => this.events.push(event));
  }

  /** Feeds one record at wall time `now`; returns what it caused. */
  push(input: LiveInput, now: number): SinkItem[] {
    this.job.advanceProcessingTime(now);
    const prepared = prepareRecord(this.compiled, input, now);
    if (!prepared.ok) {
      this.events.push({ type: 'deadLetter', deadLetter: prepared.deadLetter });
    } else {
      this.watermark.advanceClock(now, false);
      this.watermark.onElement(input.partition, prepared.routed.record.eventTime);
      this.job.accept(prepared.routed);
      this.advanceWatermark();
    }
    return this.drain(now);
  }

  /**
   * Processing time moved: timeouts fire, and when the pipeline is caught up
   * (`caughtUp`: nothing fetched is waiting) partitions silent for the idle
   * timeout stop holding the watermark back.
   */
  tick(now: number, caughtUp: boolean): SinkItem[] {
    this.job.advanceProcessingTime(now);
    this.watermark.advanceClock(now, caughtUp);
    this.watermark.onProcessingTime();
    this.advanceWatermark();
    return this.drain(now);
  }

  get openSessions(): number {
    return this.job.liveSessionCount;
  }

  private advanceWatermark(): void {
    const watermark = this.watermark.current;
    if (watermark !== null && watermark > this.job.currentWatermark) {
      this.job.advanceWatermark(watermark);
    }
  }

  private drain(now: number): SinkItem[] {
    const items = this.events.map((event) => inEpoch(toSinkItem(event, now), this.epoch));
    this.events.length = 0;
    return items;
  }
}

/** A sink item with its session or retraction version lifted into `epoch`. */
export function inEpoch(item: SinkItem, epoch: number): SinkItem {
  const base = epoch * EPOCH_VERSIONS;
  if (base === 0) return item;
  if (item.kind === 'session') {
    return { kind: 'session', session: { ...item.session, version: base + item.session.version } };
  }
  if (item.kind === 'retraction') {
    return {
      kind: 'retraction',
      retraction: { ...item.retraction, version: base + item.retraction.version },
    };
  }
  return item;
}
