import type { Sink, SinkBatch } from './sink.js';

/**
 * The sink of a live run started with `--replay-from T`: it reads from before
 * T (a warm-up of the template's gap + maxSpan, so the sessions going on at
 * T are seen whole) but writes nothing that ended before T — earlier runs
 * stored that, and the warm-up's first sessions may be missing their
 * beginning. Dropped: session versions whose end is before T, and orphans and
 * late records whose record is. Retractions, dead letters (idempotent by
 * origin) and everything from T on pass unchanged; a session that grows past
 * T later is written whole then.
 *
 * @example const sink = withReplayCutoff(storeSink, Date.parse('2026-11-24T06:00:00Z'));
 */
export function withReplayCutoff(inner: Sink, cutoff: number): Sink {
  return {
    write(batch: SinkBatch): Promise<void> {
      return inner.write({
        ...batch,
        sessions: batch.sessions.filter((session) => session.end >= cutoff),
        orphans: batch.orphans.filter((orphan) => orphan.record.eventTime >= cutoff),
        late: batch.late.filter((late) => late.record.eventTime >= cutoff),
      });
    },
  };
}
