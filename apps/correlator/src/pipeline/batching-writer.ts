import { CorrelatorError } from '../errors.js';
import { toBatch } from './sink.js';
import type { Sink, SinkBatch, SinkItem } from './sink.js';

/** The writer was stopped before these items became durable; a restart replays them. */
export class WriterStoppedError extends CorrelatorError {
  override name = 'WriterStoppedError' as const;
}

/** What the writer reports, for metrics and logs. */
export interface WriterObserver {
  onWrite?(batch: SinkBatch, seconds: number): void;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  onQueued?(items: number): void;
}

export interface BatchingWriterOptions {
  sink: Sink;
  /** A write starts as soon as this many items are queued. */
  maxBatchItems: number;
  /** ...or this long after the first item of a batch was queued. */
  maxDelayMs: number;
  /** Above this many queued (not yet durable) items, sources are paused; they resume at half. */
  maxQueued: number;
  /** Called with true to pause the sources, false to resume them. */
  onBackpressure: (paused: boolean) => void;
  /** Backoff between failed writes: doubles from `initialDelayMs` up to `maxDelayMs`, with jitter. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  observer?: WriterObserver;
}

interface Entry {
  items: readonly SinkItem[];
  /** Items before this index are durable. */
  written: number;
  /** Items before this index are durable or in the batch being written. */
  taken: number;
  resolve: () => void;
  reject: (error: Error) => void;
  promise: Promise<void>;
}

/** Part of one entry's items in a batch. */
interface Slice {
  entry: Entry;
  from: number;
  to: number;
}

/**
 * Batches sink items by size and time, writes one batch at a time in arrival
 * order (an entry larger than the batch size — a watermark that fires
 * thousands of sessions at once — is written in several batches and
 * resolves when its last one is durable), retries a failing sink with backoff for as long as it takes (it
 * never drops an item), and applies backpressure to the sources while too
 * much is queued. `enqueue` resolves when its items are durable: that is when
 * the pipeline may count their input offsets as done.
 *
 * @example
 * const writer = new BatchingWriter({ sink, maxBatchItems: 500, maxDelayMs: 200, maxQueued: 10_000, onBackpressure });
 * writer.enqueue([{ kind: 'session', session }]).then(() => offsets.done(origin));
 * await writer.close();
 */
export class BatchingWriter {
  /** Entries not yet entirely durable, oldest first; the batch being written is taken from the head. */
  private entries: Entry[] = [];
  private queuedItems = 0;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private stopped = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(private readonly options: BatchingWriterOptions) {
    if (options.maxBatchItems < 1 || options.maxQueued < options.maxBatchItems) {
      throw new CorrelatorError(
        `sink batch size ${options.maxBatchItems} must be ≥ 1 and ≤ the queue bound ${options.maxQueued} (--batch-max-records, --sink-max-queued)`,
      );
    }
  }

  /** Items queued and not yet durable. */
  get queued(): number {
    return this.queuedItems;
  }

  /** Queues items; resolves once they are durable, rejects only if the writer is stopped first. */
  enqueue(items: readonly SinkItem[]): Promise<void> {
    if (this.stopped) {
      return Promise.reject(
        new WriterStoppedError('the sink writer is stopped: nothing more is written'),
      );
    }
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.entries.push({ items, written: 0, taken: 0, resolve, reject, promise });
    this.queuedItems += items.length;
    this.queueChanged();
    if (this.queuedItems >= this.options.maxBatchItems) void this.run();
    else this.timer ??= setTimeout(() => void this.run(), this.options.maxDelayMs);
    return promise;
  }

  /** Writes everything queued so far; resolves when it is durable. */
  flush(): Promise<void> {
    const last = this.entries.at(-1);
    if (!last) return Promise.resolve();
    void this.run();
    return last.promise;
  }

  /** Flushes, then stops the timer. */
  async close(): Promise<void> {
    await this.flush();
    this.clearTimer();
    this.stopped = true;
  }

  /** Stops retrying and rejects every queued item (SIGTERM while the store is down). */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.wakeSleeper?.();
    if (!this.writing) this.rejectAll();
  }

  /** Writes batches until the queue is empty (group commit: items queued during a write form the next batch). */
  private async run(): Promise<void> {
    this.clearTimer();
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.entries.length > 0 && !this.stopped) {
        const slices = this.take();
        const batch = toBatch(slices.flatMap(({ entry, from, to }) => entry.items.slice(from, to)));
        if (!(await this.writeWithRetry(batch))) {
          for (const { entry } of slices) entry.taken = entry.written;
          break;
        }
        for (const { entry, from, to } of slices) {
          entry.written = to;
          this.queuedItems -= to - from;
        }
        while (
          this.entries[0] !== undefined &&
          this.entries[0].written === this.entries[0].items.length
        ) {
          this.entries.shift()?.resolve();
        }
        this.queueChanged();
      }
    } finally {
      this.writing = false;
    }
    if (this.stopped) this.rejectAll();
  }

  /** The next batch: at most `maxBatchItems` items from the head entries, splitting an entry that does not fit. */
  private take(): Slice[] {
    const slices: Slice[] = [];
    let room = this.options.maxBatchItems;
    for (const entry of this.entries) {
      if (room === 0) break;
      const from = entry.taken;
      const to = Math.min(entry.items.length, from + room);
      slices.push({ entry, from, to });
      entry.taken = to;
      room -= to - from;
    }
    return slices;
  }

  /** True once written; false when the writer was stopped while the sink kept failing. */
  private async writeWithRetry(batch: SinkBatch): Promise<boolean> {
    const initial = this.options.retry?.initialDelayMs ?? 100;
    const ceiling = this.options.retry?.maxDelayMs ?? 10_000;
    for (let attempt = 1; !this.stopped; attempt += 1) {
      const started = performance.now();
      try {
        await this.options.sink.write(batch);
        this.options.observer?.onWrite?.(batch, (performance.now() - started) / 1_000);
        return true;
      } catch (error) {
        if (this.stopped) break;
        const base = Math.min(ceiling, initial * 2 ** (attempt - 1));
        const delay = Math.round(base / 2 + (Math.random() * base) / 2);
        this.options.observer?.onRetry?.(error, attempt, delay);
        await this.sleep(delay);
      }
    }
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
  }

  private queueChanged(): void {
    this.options.observer?.onQueued?.(this.queuedItems);
    if (!this.paused && this.queuedItems >= this.options.maxQueued) {
      this.paused = true;
      this.options.onBackpressure(true);
    } else if (this.paused && this.queuedItems <= this.options.maxQueued / 2) {
      this.paused = false;
      this.options.onBackpressure(false);
    }
  }

  private rejectAll(): void {
    const entries = this.entries;
    this.entries = [];
    for (const entry of entries) {
      entry.reject(
        new WriterStoppedError(
          `stopped before ${entry.items.length} item(s) became durable; they are replayed from the last committed offsets on restart`,
        ),
      );
    }
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
