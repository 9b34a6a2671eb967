/**
 * Watermark alignment, as Flink's `WatermarkStrategy.withWatermarkAlignment`
 * does it for sources: while a backlog is read, a partition whose watermark
 * runs more than `maxDriftMs` ahead of the slowest partition that still has
 * records to read is paused until the slowest catches up.
 *
 * Why: the job keeps every session until the combined watermark (the
 * slowest partition's) passes it. Reading one partition far ahead of another
 * only adds sessions that wait, so without alignment the state grows with
 * the read skew between partitions, which nothing bounds; with it, the state
 * is bounded by (the template's hold + `maxDriftMs`) of event time.
 *
 * It cannot stall: the partition that sets the pace is never paused, it has
 * records to read (else it would not set the pace), and a partition at its
 * end offset, idle or not read yet never holds the others back.
 */

export interface AlignmentInput {
  /** Each active partition's own watermark, by name (`topic:partition`). */
  watermarks: ReadonlyMap<string, number>;
  /** The partitions with records left to read in Kafka, by the same names. */
  backlogged: ReadonlySet<string>;
  maxDriftMs: number;
}

/**
 * The partitions to pause now: those with a watermark more than `maxDriftMs`
 * above the lowest watermark among the backlogged partitions. Empty when no
 * backlogged partition has a watermark.
 *
 * @example partitionsAhead({ watermarks: new Map([['a:0', 0], ['b:0', 50_000]]), backlogged: new Set(['a:0', 'b:0']), maxDriftMs: 10_000 }) // Set { 'b:0' }
 */
export function partitionsAhead(input: AlignmentInput): Set<string> {
  let pace = Number.POSITIVE_INFINITY;
  for (const name of input.backlogged) {
    const watermark = input.watermarks.get(name);
    if (watermark !== undefined && watermark < pace) pace = watermark;
  }
  const ahead = new Set<string>();
  if (pace === Number.POSITIVE_INFINITY) return ahead;
  for (const [name, watermark] of input.watermarks) {
    if (watermark > pace + input.maxDriftMs) ahead.add(name);
  }
  return ahead;
}
