import { CorrelatorError, messageOf } from '../errors.js';
import type { HealthChecks } from '../http/index.js';
import type { KafkaClient, OffsetCommit } from '../kafka/index.js';
import type { Logger } from '../logging.js';
import type { CorrelatorMetrics } from '../metrics.js';
import { BatchingWriter } from '../pipeline/index.js';
import type { Sink, SinkItem } from '../pipeline/index.js';
import { countOutputs, emptySummary, finalize, tally, writerMetrics } from '../run/index.js';
import type { RunSummary } from '../run/index.js';
import { createGate } from '../run/gate.js';
import { createKafkaSource, decodeInput, partitionKey } from '../sources/index.js';
import type { DecodeLimits, RawInput } from '../sources/index.js';
import type { LiveJob } from './live-job.js';
import { watermarkPartitionName } from './live-watermark.js';
import type { TopicPartition } from './live-watermark.js';

/** Where a live run starts and how it saves its progress (checkpoints). */
export interface LiveStart {
  job: LiveJob;
  /** Per partition (`partitionKey`), the next offset to read; others start at the group's offsets. */
  startOffsets: ReadonlyMap<string, string>;
  /**
   * Saves a checkpoint: called with the job stopped between two inputs and
   * every output before it durable; `offsets` are the next offsets to read.
   * Null when the run takes no checkpoints (then it commits nothing).
   */
  save: ((job: LiveJob, offsets: readonly OffsetCommit[]) => Promise<void>) | null;
}

export interface LiveRunOptions {
  templateId: string;
  kafka: KafkaClient;
  groupId: string;
  /** Topic → template source id. */
  topics: ReadonlyMap<string, string>;
  partitions: readonly TopicPartition[];
  fromBeginning: boolean;
  /** Kafka group session timeout; a restarted member waits this long for its crashed predecessor to leave. */
  sessionTimeoutMs: number;
  start: LiveStart;
  sink: Sink;
  sinkOptions: { batchMaxRecords: number; batchMaxDelayMs: number; maxQueued: number };
  limits: DecodeLimits;
  metrics: CorrelatorMetrics;
  logger: Logger;
  health?: HealthChecks;
  /** The wall clock: processing time of the job and of dead letters. */
  now: () => number;
  /** Aborting it is SIGTERM: stop, checkpoint, commit, return. */
  signal: AbortSignal;
  /** How often processing time advances without input (timeouts, idleness). Default 200 ms. */
  tickMs?: number;
  /** Default 10 000 ms; only with `start.save`. */
  checkpointIntervalMs?: number;
  /** At shutdown, how long the store gets to acknowledge what is queued. Default 30 000 ms. */
  shutdownTimeoutMs?: number;
  /** Called once the consumer runs (tests, logs). */
  onRunning?: () => void;
}

/**
 * `weft correlate --kafka`: consumes the template's source topics in a
 * consumer group, runs the live job (per-partition watermarks, processing
 * time from the wall clock), writes its outputs through the batching writer
 * (fetching is paused while the writer is full or the store is down), and
 * every `checkpointIntervalMs` and at shutdown stops feeding the job, waits
 * until the store acknowledged everything emitted so far, saves a checkpoint
 * with the next offsets and commits those offsets to Kafka.
 *
 * @example
 * const summary = await runLive({ ...options, signal: controller.signal });
 */
export async function runLive(options: LiveRunOptions): Promise<RunSummary> {
  const { metrics, logger, now, start } = options;
  const job = start.job;
  const summary = emptySummary(options.templateId, [], []);
  const offsets = new Map<string, OffsetCommit>();
  for (const [key, nextOffset] of start.startOffsets) {
    const [topic = '', partition = '0'] = key.split('\u0000');
    offsets.set(key, { topic, partition: Number(partition), nextOffset });
  }

  const gate = createGate();
  const barrier = createGate();
  let stopping = false;
  /** The idleness clock runs only once this member has its partitions. */
  let assigned = false;
  let lastWriteError: string | undefined;
  let consumerError: string | undefined;
  options.health?.register('sink', () =>
    lastWriteError === undefined ? { ok: true } : { ok: false, detail: lastWriteError },
  );
  options.health?.register('kafka', () =>
    consumerError === undefined ? { ok: true } : { ok: false, detail: consumerError },
  );

  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs,
    heartbeatIntervalMs: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3)),
  });
  const source = createKafkaSource({
    consumer,
    topics: options.topics,
    fromBeginning: options.fromBeginning,
    maxQueued: options.sinkOptions.maxQueued,
    startOffsets: start.startOffsets,
    onAssignment: (assignment) => {
      assigned = true;
      logger.info({ assignment }, 'partitions assigned');
    },
    onBatch: ({ topic, partition, highWatermark, lastOffset }) =>
      metrics.consumerLag.set(
        { topic, partition: String(partition) },
        Number(BigInt(highWatermark) - BigInt(lastOffset) - 1n),
      ),
  });

  const observer = writerMetrics(metrics, (error, attempt, delayMs) => {
    lastWriteError = messageOf(error);
    logger.warn({ err: error, attempt, delayMs }, 'store write failed; retrying');
  });
  const writer = new BatchingWriter({
    sink: options.sink,
    maxBatchItems: options.sinkOptions.batchMaxRecords,
    maxDelayMs: options.sinkOptions.batchMaxDelayMs,
    maxQueued: options.sinkOptions.maxQueued,
    onBackpressure: (paused) => {
      source.hold('sink', paused);
      gate.set(!paused);
    },
    observer: {
      ...observer,
      onWrite(batch, seconds) {
        lastWriteError = undefined;
        observer.onWrite?.(batch, seconds);
      },
    },
  });
  const emit = (items: readonly SinkItem[]): void => {
    if (items.length === 0) return;
    countOutputs(metrics, items);
    tally(summary, items);
    // A write that never becomes durable surfaces at shutdown (flush/close).
    writer.enqueue(items).catch(() => undefined);
  };
  const updateGauges = (at: number): void => {
    metrics.openSessions.set({ template: options.templateId }, job.openSessions);
    const watermark = job.watermark.current;
    if (watermark !== null) {
      metrics.watermarkDelay.set({ template: options.templateId }, (at - watermark) / 1_000);
    }
  };

  let checkpointing: Promise<void> | undefined;
  const checkpoint = (why: 'interval' | 'shutdown'): Promise<void> => {
    const save = start.save;
    if (save === null) return Promise.resolve();
    checkpointing ??= (async () => {
      barrier.set(false);
      try {
        await writer.flush();
        const commits = [...offsets.values()].map((o) => ({ ...o }));
        await save(job, commits);
        try {
          await consumer.commit(commits);
        } catch (error) {
          // Harmless: the checkpoint holds the offsets and a restart seeks to them.
          logger.warn({ err: error }, 'committing checkpointed offsets to Kafka failed');
        }
        logger.debug({ why, partitions: commits.length }, 'checkpoint taken');
      } catch (error) {
        logger.error({ err: error, why }, 'checkpoint failed; the next one retries');
        if (why === 'shutdown') throw error;
      } finally {
        barrier.set(true);
        checkpointing = undefined;
      }
    })();
    return checkpointing;
  };

  const processInput = (input: RawInput): void => {
    const at = now();
    const { topic = '', partition = 0, offset = '0' } = input.origin;
    summary.inputs[input.source] = (summary.inputs[input.source] ?? 0) + 1;
    metrics.recordsIn.inc({ source: input.source });
    const decoded = decodeInput(input, {
      limits: options.limits,
      templateId: options.templateId,
      now: () => at,
    });
    if (decoded.ok) {
      const partitionName = watermarkPartitionName({ topic, partition });
      emit(
        job.push(
          {
            source: input.source,
            raw: decoded.text,
            origin: input.origin,
            partition: partitionName,
          },
          at,
        ),
      );
    } else {
      emit([{ kind: 'deadLetter', deadLetter: decoded.deadLetter }]);
    }
    offsets.set(partitionKey(topic, partition), {
      topic,
      partition,
      nextOffset: (BigInt(offset) + 1n).toString(),
    });
  };

  const onAbort = (): void => {
    stopping = true;
    source.interrupt();
    gate.set(true);
  };
  options.signal.addEventListener('abort', onAbort, { once: true });
  const ticker = setInterval(() => {
    if (checkpointing !== undefined || stopping) return;
    const at = now();
    emit(job.tick(at, assigned && source.queued === 0));
    updateGauges(at);
  }, options.tickMs ?? 200);
  const checkpointTimer = setInterval(
    () => void checkpoint('interval').catch(() => undefined),
    options.checkpointIntervalMs ?? 10_000,
  );

  let failure: unknown;
  try {
    if (!options.signal.aborted) {
      await source.start();
      options.onRunning?.();
      logger.info(
        { topics: [...options.topics.keys()], group: options.groupId },
        'live run started',
      );
    }
    const inputs = source.inputs[Symbol.asyncIterator]();
    while (!stopping) {
      const next = await inputs.next();
      if (next.done) break;
      await gate.wait();
      await barrier.wait();
      if (stopping) break;
      processInput(next.value);
    }
  } catch (error) {
    failure = error;
    consumerError = messageOf(error);
  } finally {
    clearInterval(ticker);
    clearInterval(checkpointTimer);
    options.signal.removeEventListener('abort', onAbort);
  }
  try {
    if (failure === undefined) {
      await withinTimeout(
        (async () => {
          await checkpoint('shutdown');
          await writer.close();
        })(),
        options.shutdownTimeoutMs ?? 30_000,
        () => {
          writer.stop();
          return new ShutdownError(
            `the store did not acknowledge the queued writes within ${options.shutdownTimeoutMs ?? 30_000} ms of the stop signal` +
              `${lastWriteError ? ` (last error: ${lastWriteError})` : ''}; nothing after the last checkpoint was committed, so a restart replays it.`,
          );
        },
      );
    } else {
      writer.stop();
    }
  } finally {
    await source.stop().catch((error: unknown) => logger.warn({ err: error }, 'leaving the group'));
  }
  if (failure !== undefined) throw failure;
  updateGauges(now());
  return finalize(summary);
}

/** The pipeline could not stop cleanly: what is not durable is replayed by the next start. */
export class ShutdownError extends CorrelatorError {
  override name = 'ShutdownError' as const;
}

async function withinTimeout(
  work: Promise<void>,
  ms: number,
  onTimeout: () => Error,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
