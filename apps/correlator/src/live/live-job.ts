import { CorrelationJob, prepareRecord } from '@weft/engine';
import type { CorrelationJobOptions, Enricher, JobEvent, JobSnapshot } from '@weft/engine';
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

/**
 * A job snapshot of a state-compatible version (see `stateCompatible`),
 * taken over by `version`: the engine restores a snapshot only into the
 * version that took it, and between compatible versions nothing else in the
 * state differs.
 */
export function takenOver(snapshot: JobSnapshot, version: number): JobSnapshot {
  return snapshot.templateVersion === version
    ? snapshot
    : { ...snapshot, templateVersion: version };
}

/** One decoded input of a live run: a JSON object record of a template source. */
export interface LiveInput {
  source: string;
  raw: string;
  origin: RecordOrigin;
  /** The watermark partition it was read from (`topic:partition`). */
  partition: string;
  /** `JSON.parse(raw)` when the decoder parsed it already (the engine then does not parse it again). */
  value?: unknown;
}

/** How often the job's clocks advance; held session updates are emitted at each advance. */
export interface LiveJobPacing {
  /**
   * Advance the job's watermark and processing time at most this often while
   * records flow (Flink's periodic watermark interval); 0 = after every record.
   * Ticks advance them regardless. Default 50 ms.
   */
  advanceEveryMs: number;
  /** ...or after this many records, whichever comes first. Default 1,000. */
  advanceEveryRecords: number;
}

const DEFAULT_PACING: LiveJobPacing = { advanceEveryMs: 50, advanceEveryRecords: 1_000 };

/**
 * The engine's streaming `CorrelationJob` driven by the live pipeline: each
 * record is prepared (extraction, event time), accepted, and moves its
 * partition's watermark; processing time comes from the caller's clock. The
 * job runs in the engine's `coalesce` mode, and its watermark and processing
 * time advance periodically (`pacing`), as Flink emits watermarks every
 * `autoWatermarkInterval`: the changes of a session between two advances
 * leave as one version instead of one per record (same final content, fewer
 * store writes). Everything the job emits comes back as sink items, versions
 * lifted into the run's epoch.
 *
 * @example
 * const job = new LiveJob(compiled, watermark, 0);
 * writer.enqueue(job.push({ source: 'pay_done', raw, origin, partition: 'weft.src.pay_done:0' }, Date.now()));
 */
export class LiveJob {
  private readonly events: JobEvent[] = [];
  private readonly pacing: LiveJobPacing;
  private lastAdvance = Number.NEGATIVE_INFINITY;
  private sinceAdvance = 0;
  /** Since when the input is held back, if it is; and how long it was held before. */
  private heldSince: number | undefined;
  private heldMs = 0;
  private clockStarted = false;
  private readonly jobOptions: CorrelationJobOptions;
  private current: { compiled: CompiledTemplate; job: CorrelationJob };

  constructor(
    compiled: CompiledTemplate,
    readonly watermark: LiveWatermark,
    readonly epoch: number,
    /** Builds the engine job with these options (a new one, or one restored from a snapshot). */
    createJob: (options: CorrelationJobOptions) => CorrelationJob = (options) =>
      new CorrelationJob(compiled, options),
    /** Pacing, and the enricher of the template's lookups (an `EnrichmentCache`'s, kept across template switches). */
    options: Partial<LiveJobPacing> & { enrich?: Enricher } = {},
  ) {
    const { enrich, ...pacing } = options;
    this.pacing = { ...DEFAULT_PACING, ...pacing };
    this.jobOptions = {
      emit: (event) => this.events.push(event),
      coalesce: true,
      ...(enrich === undefined ? {} : { enrich }),
    };
    this.current = { compiled, job: createJob(this.jobOptions) };
  }

  /** The template version the job runs now. */
  get compiled(): CompiledTemplate {
    return this.current.compiled;
  }

  get job(): CorrelationJob {
    return this.current.job;
  }

  /**
   * Continues with another version of the same template whose state shape is
   * unchanged (see `stateCompatible`): the state moves over through the
   * engine's snapshot, so open windows, held sessions, waiting supplements
   * and timers stay, and every firing from now on assembles, derives and
   * concludes with `next`. Session ids and version numbers continue, so the
   * old and the new version never write conflicting versions of a session.
   * Call it between two inputs.
   */
  switchTemplate(next: CompiledTemplate): void {
    const snapshot = takenOver(this.current.job.snapshot(), next.template.version);
    const job = CorrelationJob.restore(next, snapshot, this.jobOptions);
    this.current = { compiled: next, job };
  }

  /**
   * Feeds one record at wall time `now`; returns what it caused. `room`: see
   * {@link tick}.
   */
  push(input: LiveInput, now: number, room = Number.POSITIVE_INFINITY): SinkItem[] {
    // Advancing before the record: its timeout is armed from the current processing time.
    if (
      now - this.lastAdvance >= this.pacing.advanceEveryMs ||
      this.sinceAdvance >= this.pacing.advanceEveryRecords
    ) {
      this.advance(now, room);
    }
    const prepared = prepareRecord(this.compiled, input, now);
    if (!prepared.ok) {
      this.events.push({ type: 'deadLetter', deadLetter: prepared.deadLetter });
    } else {
      this.watermark.advanceClock(now, false);
      this.watermark.onElement(input.partition, prepared.routed.record.eventTime);
      this.job.accept(prepared.routed);
      this.sinceAdvance += 1;
      if (this.pacing.advanceEveryMs === 0) this.advance(now, room);
    }
    return this.drain(now);
  }

  /**
   * Processing time moved: timeouts fire, and when the pipeline is caught up
   * (`caughtUp`: nothing fetched is waiting) partitions silent for the idle
   * timeout stop holding the watermark back.
   *
   * `room` is how many more items the sink takes before its bound. After a
   * stall (a slow store, a long checkpoint) every session's timeout can be
   * due at once; processing time then moves through the due timeouts in
   * steps and stops once a step has used the room, the rest following at
   * the next advance: a wave leaves in portions the sink admits, like a
   * Flink operator blocking on its output buffers mid-firing. The firing
   * order is unchanged; the timeouts fire late by as long as the sink needs.
   */
  tick(now: number, caughtUp: boolean, room = Number.POSITIVE_INFINITY): SinkItem[] {
    this.watermark.advanceClock(now, caughtUp);
    this.watermark.onProcessingTime();
    this.advance(now, room);
    return this.drain(now);
  }

  /**
   * The input is held back from `at` on (the writer is at its bound, or a
   * checkpoint waits for it), or no longer. The session timeouts' clock
   * stops meanwhile: the timeout is there for sources that stall, and
   * while the pipeline holds its own input the watermark stalls because of
   * it. Were the clock to run on, every held session's timeout would come
   * due during a long hold and each would need one more version written,
   * to the store that caused the hold. Dead letters, the watermark's
   * idleness and the pacing keep the wall clock. A job restored from a
   * checkpoint counts the time the pipeline was down as held too: its
   * timeouts continue from the processing time of the checkpoint.
   */
  holdClock(held: boolean, at: number): void {
    if (held) {
      this.heldSince ??= at;
    } else if (this.heldSince !== undefined) {
      this.heldMs += Math.max(0, at - this.heldSince);
      this.heldSince = undefined;
    }
  }

  /** The wall clock less the time the input was held back: what the session timeouts run on. */
  timeoutClock(now: number): number {
    const holding = this.heldSince === undefined ? 0 : Math.max(0, now - this.heldSince);
    return now - this.heldMs - holding;
  }

  /**
   * Processing time the job has reached: the timeout clock, or behind it
   * while a timeout wave is spread out.
   */
  get processingTime(): number {
    return this.job.currentProcessingTime;
  }

  /** Sessions in the job's state: open windows, fired or not, and closed ones held for their joins. */
  get openSessions(): number {
    return this.job.heldSessionCount;
  }

  /** Processing time, then the watermark; each flushes the session updates held since the last advance. */
  private advance(now: number, room: number): void {
    this.lastAdvance = now;
    this.sinceAdvance = 0;
    if (!this.clockStarted) {
      // A job restored from a checkpoint: the time the pipeline was down counts as held.
      this.clockStarted = true;
      const restored = this.job.currentProcessingTime;
      if (restored > 0) this.heldMs = Math.max(0, now - restored);
    }
    this.advanceProcessingTime(this.timeoutClock(now), room);
    const watermark = this.watermark.current;
    if (watermark !== null && watermark > this.job.currentWatermark) {
      this.job.advanceWatermark(watermark);
    }
  }

  /**
   * Processing time to `until` (the timeout clock), or, when the timeouts
   * due by then would emit more than `room` items, through them timer time
   * by timer time until a step reaches it. A due timer always fires, so a
   * full sink still lets time move.
   */
  private advanceProcessingTime(until: number, room: number): void {
    const job = this.job;
    while (room !== Number.POSITIVE_INFINITY) {
      const next = job.nextTimeoutAt;
      if (next === undefined || next >= until || job.currentProcessingTime + 1 >= until) break;
      // A timer queued for a time already passed fires at the next millisecond.
      job.advanceProcessingTime(Math.max(next, job.currentProcessingTime + 1));
      if (this.events.length >= room) return;
    }
    job.advanceProcessingTime(until);
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
