import { partitionKey } from '../kafka/index.js';

/**
 * Partitions with records waiting in Kafka that have not delivered a single
 * record to this run yet. The source's `caughtUp` knows a partition's
 * backlog only from the batches it fetched, so right after a start that
 * seeks every partition (a checkpoint's offsets, a replay's warm-up) a
 * partition the consumer has not fetched from yet looks caught up: the
 * idleness clock would run, the partition would turn idle, and its records
 * would be late once they come. The lag poller's end offsets close that gap:
 * while one of these partitions waits, the pipeline is not caught up.
 *
 * @example const backlog = new UnfetchedBacklog(); backlog.lag('weft.src.pay_done', 0, 120); backlog.empty // false
 */
export class UnfetchedBacklog {
  private readonly fetched = new Set<string>();
  private readonly waiting = new Set<string>();

  /** The lag poller's report: end offset minus the next offset to process. */
  lag(topic: string, partition: number, lag: number): void {
    const key = partitionKey(topic, partition);
    if (this.fetched.has(key)) return;
    if (lag > 0) this.waiting.add(key);
    else this.waiting.delete(key);
  }

  /** A record of the partition reached the job: from now on the source's own view holds. */
  fetchedFrom(topic: string, partition: number): void {
    const key = partitionKey(topic, partition);
    this.fetched.add(key);
    this.waiting.delete(key);
  }

  /** No partition waits for its first fetch with records behind it. */
  get empty(): boolean {
    return this.waiting.size === 0;
  }
}
