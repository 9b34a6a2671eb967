import type { SinkItem } from './sink.js';

/**
 * The filter a replaying live run (`--replay-from T`, or a rebuild after a
 * template change) puts on its correlation job's outputs: the job reads from
 * before T (a warm-up of the template's gap + maxSpan, so the sessions going
 * on at T are seen whole) but writes no session that ended before T and no
 * orphan whose record is before T — earlier runs stored those, and the
 * warm-up's first sessions may be missing their beginning (so a supplement
 * of theirs would look like an orphan). A session that grows past T later is
 * written whole then. Everything else passes: retractions, dead letters
 * (idempotent by origin), and late records for the side queue. The late
 * reprocessor's outputs do not go through it: it works on the stored
 * sessions, never on a partial one, and re-applying a record a stored
 * session already holds changes nothing, so a late record for a session
 * before T — re-read during the warm-up, or new — is never lost.
 *
 * @example output.emit(cutoff(job.push(input, now)));  // cutoff = replayCutoff(Date.parse('2026-11-24T06:00:00Z'))
 */
export function replayCutoff(cutoff: number): (items: SinkItem[]) => SinkItem[] {
  return (items) =>
    items.filter((item) =>
      item.kind === 'session'
        ? item.session.end >= cutoff
        : item.kind === 'orphan'
          ? item.orphan.record.eventTime >= cutoff
          : true,
    );
}
