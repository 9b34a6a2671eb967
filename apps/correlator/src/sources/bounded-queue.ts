import { CorrelatorError } from '../errors.js';

export interface BoundedQueueOptions {
  /** At or above this many items, `onFull` is called once (pause the producer). */
  highWaterMark: number;
  /** At or below this many items after being full, `onDrained` is called once (resume). */
  lowWaterMark: number;
  onFull: () => void;
  onDrained: () => void;
}

/**
 * A single-consumer async queue that never drops: producers that cannot wait
 * (a Kafka batch callback must return quickly to keep heartbeating) push
 * freely, and the queue signals `onFull` / `onDrained` so that they pause and
 * resume at the source instead. Consume it with `for await`.
 *
 * @example
 * const queue = new BoundedQueue<RawInput>({ highWaterMark: 10_000, lowWaterMark: 5_000, onFull: pause, onDrained: resume });
 */
export class BoundedQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private full = false;
  private closed = false;
  private aborted = false;
  private failure: Error | undefined;
  private waiter: (() => void) | undefined;

  constructor(private readonly options: BoundedQueueOptions) {
    if (options.lowWaterMark >= options.highWaterMark || options.lowWaterMark < 0) {
      throw new CorrelatorError(
        `queue low water mark ${options.lowWaterMark} must be ≥ 0 and below the high water mark ${options.highWaterMark}`,
      );
    }
  }

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.aborted) return;
    if (this.closed) throw new CorrelatorError('cannot push to a closed queue');
    this.items.push(item);
    if (!this.full && this.size >= this.options.highWaterMark) {
      this.full = true;
      this.options.onFull();
    }
    this.wake();
  }

  /** No more items: iteration ends once the queue is empty. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /**
   * Ends iteration at once: queued items are dropped and later pushes ignored.
   * For a shutdown whose unprocessed inputs are replayed from their offsets.
   */
  abort(): void {
    this.aborted = true;
    this.items.length = 0;
    this.head = 0;
    this.close();
  }

  /** Ends iteration with this error once the queued items are consumed. */
  fail(error: Error): void {
    this.failure = error;
    this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.size > 0) {
        yield this.shift();
        continue;
      }
      if (this.closed) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  private shift(): T {
    const item = this.items[this.head] as T;
    this.head += 1;
    if (this.head > 1_024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    if (this.full && this.size <= this.options.lowWaterMark) {
      this.full = false;
      this.options.onDrained();
    }
    return item;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
