import { CorrelationJob, prepareRecord } from '@weft/engine';
import type { RoutedRecord } from '@weft/engine';
import type { CompiledTemplate } from '@weft/templates';
import type { Ordered } from './event-time-heap.js';
import { EventTimeHeap } from './event-time-heap.js';
import { SessionDigests, sessionHorizon } from './session-digests.js';

/** A line whose event time is at or before a point already declared complete: the bound is too small. */
export class DisorderError extends Error {
  override name = 'DisorderError' as const;
}

interface Pending extends Ordered {
  readonly routed: RoutedRecord;
  readonly raw: string;
}

/** What a streaming run counted. */
export interface StreamCounts {
  readonly linesIn: number;
  readonly deadLetters: number;
  readonly late: number;
  readonly orphans: number;
  readonly sessions: number;
  readonly unreferenced: number;
  /** The most prepared records waiting in the reorder buffer at once. */
  readonly maxBuffered: number;
}

/**
 * The correlation job fed as a stream: lines are prepared as they are read,
 * held in a reorder buffer, and released to the job in (event time, source
 * rank, line number) order, the order `runBatch` uses, each time the feed
 * declares event time complete up to a point; the watermark then follows, so
 * sessions fire and are forgotten as in a live run. Only the final version of
 * each session is kept, as its canonical line, through `SessionDigests`.
 *
 * Example: `const s = new StreamingCorrelation(compiled, write);
 * await feedInEventTimeOrder(o, s); s.counts`.
 */
export class StreamingCorrelation {
  private readonly buffer = new EventTimeHeap<Pending>();
  private readonly job: CorrelationJob;
  private readonly digests: SessionDigests;
  private completed = Number.NEGATIVE_INFINITY;
  private linesIn = 0;
  private deadLetters = 0;
  private late = 0;
  private orphans = 0;
  private maxBuffered = 0;

  constructor(
    private readonly compiled: CompiledTemplate,
    write: (lines: string[]) => void,
  ) {
    this.digests = new SessionDigests(sessionHorizon(compiled), write);
    this.job = new CorrelationJob(compiled, {
      emit: (event) => {
        if (event.type === 'session') this.digests.update(event.session);
        else if (event.type === 'retraction') this.digests.retract(event.retraction.sessionId);
        else if (event.type === 'orphan') this.orphans++;
        else if (event.type === 'late') this.late++;
        else this.deadLetters++;
      },
    });
  }

  /** Prepares one line (a dead letter is counted) and returns its event time, or −∞ for a dead letter. */
  push(source: string, rank: number, seq: number, raw: string): number {
    this.linesIn++;
    const prepared = prepareRecord(this.compiled, { source, raw }, 0);
    if (!prepared.ok) {
      this.deadLetters++;
      return Number.NEGATIVE_INFINITY;
    }
    const ts = prepared.routed.record.eventTime;
    if (ts <= this.completed)
      throw new DisorderError(
        `line ${String(seq + 1)} of ${source} has event time ${String(ts)}, but event time was already complete up to ${String(this.completed)}: the file is more out of order than the bound; raise --out-of-orderness-ms`,
      );
    this.buffer.push({ ts, rank, seq, routed: prepared.routed, raw });
    if (this.buffer.size > this.maxBuffered) this.maxBuffered = this.buffer.size;
    return ts;
  }

  /** `push` for consecutive lines of one source; returns their largest event time. */
  lines(source: string, rank: number, firstSeq: number, lines: readonly string[]): number {
    let maxTs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < lines.length; i++) {
      const ts = this.push(source, rank, firstSeq + i, lines[i]!);
      if (ts > maxTs) maxTs = ts;
    }
    return maxTs;
  }

  /** Releases every buffered record up to `ts` to the job, then advances the watermark behind it. */
  complete(ts: number): void {
    this.completed = ts;
    this.buffer.popUpTo(ts, ({ routed, raw }) => {
      this.digests.remember(routed.record.recordId, raw, routed.record.eventTime);
      this.job.accept(routed);
    });
    const watermark = ts === Number.POSITIVE_INFINITY ? ts : ts - 1;
    if (watermark > this.job.currentWatermark) this.job.advanceWatermark(watermark);
    this.digests.flush(watermark);
  }

  get counts(): StreamCounts {
    return {
      linesIn: this.linesIn,
      deadLetters: this.deadLetters,
      late: this.late,
      orphans: this.orphans,
      sessions: this.digests.sessions,
      unreferenced: this.digests.unreferenced,
      maxBuffered: this.maxBuffered,
    };
  }
}
