import { messageOf } from '../errors.js';
import type { HealthChecks } from '../http/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { BatchingWriter } from '../pipeline/index.js';
import type { Sink } from '../pipeline/index.js';
import { writerMetrics } from './observe.js';

export interface ObservedWriterOptions {
  sink: Sink;
  sinkOptions: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  metrics: CorrelatorMetrics;
  logger: Logger;
  health?: HealthChecks;
  /** True while the writer's backlog is above the bound (pause the sources), false at half. */
  onBackpressure: (paused: boolean) => void;
}

/**
 * The batching writer both run modes use: store writes are counted in the
 * metrics, failures are logged and retried, and the last failure is the
 * `sink` health check until a write succeeds again.
 *
 * @example const { writer } = createObservedWriter({ sink, sinkOptions, metrics, logger, health, onBackpressure });
 */
export function createObservedWriter(options: ObservedWriterOptions) {
  const { logger } = options;
  let lastWriteError: string | undefined;
  options.health?.register('sink', () =>
    lastWriteError === undefined ? { ok: true } : { ok: false, detail: lastWriteError },
  );
  const observer = writerMetrics(options.metrics, (error, attempt, delayMs) => {
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
  };
}
