import { messageOf } from '../errors.js';
import type { HealthChecks } from '../http/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { BatchingWriter } from '../pipeline/index.js';
import type { Sink, SinkItem } from '../pipeline/index.js';
import { countOutputs, tally, writerMetrics } from '../run/index.js';
import type { Tally } from '../run/index.js';

export interface LiveOutputOptions {
  sink: Sink;
  sinkOptions: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  metrics: CorrelatorMetrics;
  logger: Logger;
  health?: HealthChecks;
  summary: Tally;
  /** True while the writer's backlog is above the bound (pause the sources), false at half. */
  onBackpressure: (paused: boolean) => void;
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
  const { metrics, logger } = options;
  let lastWriteError: string | undefined;
  options.health?.register('sink', () =>
    lastWriteError === undefined ? { ok: true } : { ok: false, detail: lastWriteError },
  );
  const observer = writerMetrics(metrics, (error, attempt, delayMs) => {
    lastWriteError = messageOf(error);
    logger.warn({ err: error, attempt, delayMs }, 'store write failed; retrying');
  });
  const writer = new BatchingWriter({
    sink: options.sink,
    maxBatchItems: options.sinkOptions.batchMaxRecords,
    maxDelayMs: options.sinkOptions.batchMaxDelayMs,
    maxQueued: options.sinkOptions.maxQueued,
    onBackpressure: options.onBackpressure,
    observer: {
      ...observer,
      onWrite(batch, seconds) {
        lastWriteError = undefined;
        observer.onWrite?.(batch, seconds);
      },
    },
  });
  return {
    writer,
    /** The store's last error while writes fail, else undefined. */
    get lastWriteError(): string | undefined {
      return lastWriteError;
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
