import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LineReader } from './lines.js';

/** Where the feed delivers the lines of the input files. */
export interface FeedTarget {
  /**
   * The next lines of one source, in file order; `firstSeq` is the number of
   * the first one among that source's non-blank lines. Returns the largest
   * event time among them (−∞ when none has one, e.g. dead letters).
   */
  lines(
    source: string,
    rank: number,
    firstSeq: number,
    lines: readonly string[],
  ): number | Promise<number>;
  /** Every line with an event time <= `ts` has been delivered (+∞ once every file is read). */
  complete(ts: number): void | Promise<void>;
}

export interface FeedOptions {
  readonly dir: string;
  /** The sources, in rank order: `<dir>/<source>.ndjson`. */
  readonly sources: readonly string[];
  /** How far (ms) a line may lag the largest event time read before it in its file. */
  readonly outOfOrdernessMs: number;
  /** Bytes read per batch; the smaller, the fewer lines are held between sources. */
  readonly chunkBytes?: number;
}

interface OpenSource {
  readonly source: string;
  readonly rank: number;
  readonly reader: LineReader;
  /** The largest event time delivered so far. */
  frontier: number;
  seq: number;
}

function openSources(o: FeedOptions): OpenSource[] {
  const open: OpenSource[] = [];
  o.sources.forEach((source, rank) => {
    const path = join(o.dir, `${source}.ndjson`);
    if (!existsSync(path)) {
      console.error(`weft-run: ${path} is missing: read as empty`);
      return;
    }
    const reader = new LineReader(path, o.chunkBytes);
    open.push({ source, rank, reader, frontier: Number.NEGATIVE_INFINITY, seq: 0 });
  });
  return open;
}

/**
 * Reads the sources' files as streams, always from the source that is
 * furthest behind in event time, so the files advance together, and tells the
 * target how far event time is complete: the smallest frontier of the files
 * not yet finished, minus the out-of-orderness bound. Memory stays bounded by
 * the bound and one batch per source, whatever the size of the files.
 *
 * Example: `await feedInEventTimeOrder({ dir, sources, outOfOrdernessMs: 60_000 }, target)`.
 */
export async function feedInEventTimeOrder(
  o: FeedOptions,
  target: FeedTarget,
): Promise<{ recordsIn: number }> {
  const open = openSources(o);
  let recordsIn = 0;
  let completed = Number.NEGATIVE_INFINITY;
  while (open.length > 0) {
    const behind = open.reduce((a, b) => (b.frontier < a.frontier ? b : a));
    const batch = await behind.reader.next();
    if (batch === null) open.splice(open.indexOf(behind), 1);
    else if (batch.length > 0) {
      recordsIn += batch.length;
      const maxTs = await target.lines(behind.source, behind.rank, behind.seq, batch);
      behind.seq += batch.length;
      if (maxTs > behind.frontier) behind.frontier = maxTs;
    }
    let low = Number.POSITIVE_INFINITY;
    for (const s of open) if (s.frontier < low) low = s.frontier;
    const ts = open.length === 0 ? Number.POSITIVE_INFINITY : low - o.outOfOrdernessMs - 1;
    if (ts > completed) {
      completed = ts;
      await target.complete(ts);
    }
  }
  return { recordsIn };
}
