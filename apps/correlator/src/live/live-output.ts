import type { SinkItem } from '../pipeline/index.js';
import { countOutputs, createObservedWriter, tally } from '../run/index.js';
import type { ObservedWriterOptions, Tally } from '../run/index.js';

export interface LiveOutputOptions extends ObservedWriterOptions {
  summary: Tally;
}

/**
 * Where the live job's outputs go: counted (metrics, summary), then queued on
 * the batching writer, which retries a failing store forever and reports the
 * last failure to `/healthz` as the `sink` check.
 *
 * @example const output = createLiveOutput({ sink, sinkOptions, metrics, logger, summary, onBackpressure });
 * output.emit(job.push(input, Date.now()));
 */
export function createLiveOutput(options: LiveOutputOptions) {
  const { metrics } = options;
  const observed = createObservedWriter(options);
  const { writer } = observed;
  return {
    writer,
    /** The store's last error while writes fail, else undefined. */
    get lastWriteError(): string | undefined {
      return observed.lastWriteError;
    },
    emit(items: readonly SinkItem[]): void {
      if (items.length === 0) return;
      countOutputs(metrics, items);
      tally(options.summary, items);
      // A write that never becomes durable surfaces at shutdown (flush/close).
      writer.enqueue(items).catch(() => undefined);
    },
  };
}

export type LiveOutput = ReturnType<typeof createLiveOutput>;
