import type { RecordOrigin } from '@weft/templates';
import type { SinkItem } from '../pipeline/index.js';

/**
 * One decoded input, ready for the engine: the text of a JSON object record of
 * a template source, already checked for size, UTF-8, depth and `__proto__`.
 * The engine parses `raw` itself and derives the stable record id from it.
 */
export interface InputRecord {
  source: string;
  raw: string;
  origin: RecordOrigin;
  /** Kafka record timestamp (epoch ms), when known. */
  timestamp?: number;
}

/**
 * The seam between the correlator's runtime and @weft/engine's compiled
 * correlation job for one template. The runtime owns I/O, decoding, batching
 * and offsets; the job owns extraction, event time, watermarks, session
 * windows, triggers, joins, enrichment results and conclusions, and returns
 * what it emitted as sink items (session versions, retractions, orphans,
 * late records, and dead letters for records it could not extract).
 *
 * The engine does not read the clock: processing time comes in through `now`.
 */
export interface CorrelationJob {
  readonly templateId: string;
  /** The template's event sources (`DIR/<source>.ndjson`, `weft.src.<source>`). */
  readonly sources: readonly string[];
  /** Feeds one record at processing time `now`; returns the outputs it caused. */
  push(input: InputRecord, now: number): readonly SinkItem[];
  /** Fires processing-time timers due at `now` (timeouts while the watermark stalls). */
  advanceProcessingTime(now: number): readonly SinkItem[];
  /** Ends a bounded input: the final watermark, every remaining session fires final. */
  finish(now: number): readonly SinkItem[];
  /** Sessions currently held in state (for the open-sessions gauge). */
  openSessions(): number;
}
