import type { Consumer, ConsumerRunConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { KafkaClientError, messageOf } from '../errors.js';
import type {
  BatchHandler,
  ConsumedBatch,
  FetchProgress,
  ConsumedMessage,
  ConsumerOptions,
  KafkaConsumer,
  OffsetCommit,
  SubscribeOptions,
  TopicPartitionList,
  TopicPartitions,
} from './kafka-client.js';
import { PauseState } from './pause-state.js';

/**
 * A consumer-group member over kafkajs.
 *
 * - `autoCommit: false`: kafkajs still advances its fetch position when a
 *   batch handler returns (eachBatchAutoResolve), but nothing is committed
 *   until `commit` is called with what the sink made durable. After a
 *   rebalance or restart, fetching restarts at the committed offsets, so
 *   un-committed work is redelivered (at least once; the store's versioned
 *   upserts make the replay idempotent).
 * - Handlers must return quickly: a handler that blocks delays heartbeats and
 *   gets the member evicted, the classic kafkajs "group is rebalancing" loop
 *   (tulios/kafkajs#375, #1527). The pipeline hands batches to a bounded queue
 *   and uses `pause`/`resume` for backpressure instead of blocking here.
 * - When a broker fails, kafkajs rebuilds its consumer group: until then it
 *   throws on `pause`/`resume` ("Consumer group was not initialized"), and
 *   the rebuilt group has nothing paused. The adapter keeps what the
 *   pipeline paused (`PauseState`), applies calls only while the group
 *   exists, and replays the paused state on every group join, so
 *   backpressure holds across a broker restart.
 * - kafkajs restarts its consumer after a crash only when the error is
 *   retriable, and it does not count "Failed to find group coordinator" as
 *   one: when every broker is unreachable during a (re)join, the consumer
 *   stops for good and the process would have to be restarted
 *   (tulios/kafkajs#1445, #1630). The adapter restarts it itself after such
 *   an outage, with a backoff, for as long as it lasts (see
 *   {@link isBrokerOutage}); meanwhile no heartbeats arrive, so `/healthz`
 *   reports the outage. Other errors still reach `onCrash`.
 */
export function createKafkajsConsumer(kafka: Kafka, options: ConsumerOptions): KafkaConsumer {
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const heartbeatInterval = options.heartbeatIntervalMs ?? 3_000;
  if (heartbeatInterval * 3 > sessionTimeout) {
    throw new KafkaClientError(
      `Consumer group '${options.groupId}': heartbeat interval ${heartbeatInterval} ms must be at most a third of the session timeout ${sessionTimeout} ms.`,
    );
  }
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout,
    heartbeatInterval,
    allowAutoTopicCreation: false,
  });
  const logger = consumer.logger();
  const pauses = new PauseState();
  const apply = (kind: 'pause' | 'resume', partitions: readonly TopicPartitions[]): void => {
    try {
      consumer[kind](partitions.map(toKafkajs));
    } catch (error) {
      // Between a crash and the rebuilt group; the join replays `pauses`.
      if (!messageOf(error).includes('Consumer group was not initialized')) throw error;
    }
  };
  // Registered before any other GROUP_JOIN listener: the first fetch after a
  // (re)join already honours the pipeline's backpressure.
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const call of pauses.calls()) apply(call.kind, [call.partitions]);
  });
  const crashListeners: ((error: Error) => void)[] = [];
  const progressListeners: ((progress: FetchProgress) => void)[] = [];
  const progressed = (progress: FetchProgress): void => {
    for (const listener of progressListeners) listener(progress);
  };
  // Batches left empty by filtering (only a transaction's marker, aborted records) never reach
  // eachBatch; kafkajs still emits END_BATCH_PROCESS for them (tulios/kafkajs#1256), and its
  // lastOffset counts them. Batches with records report from eachBatch, where staleness is known.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize !== 0 || progressListeners.length === 0) return;
    progressed({
      topic: payload.topic,
      partition: payload.partition,
      nextOffset: (BigInt(payload.lastOffset) + 1n).toString(),
      highWatermark: String(payload.highWatermark),
    });
  });
  const report = (error: Error) => {
    for (const listener of crashListeners) listener(error);
  };
  const restarts = new OutageRestarts({
    restart: async () => {
      try {
        await consumer.connect();
      } catch (error) {
        // Still unreachable: retried after the next delay. Anything else
        // (a refused login, say) will not pass by waiting.
        if (isBrokerOutage(error) || !(error instanceof Error)) throw error;
        report(error);
        return;
      }
      // `disconnect` may have been called while connecting.
      if (restarts.stopped) await consumer.disconnect();
      else if (runConfig) await consumer.run(runConfig);
    },
    log: (message, extra) => logger.warn(message, { groupId: options.groupId, ...extra }),
  });
  let runConfig: ConsumerRunConfig | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => restarts.recovered());
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart } = event.payload;
    if (restart) return;
    if (isBrokerOutage(error) && restarts.schedule(error)) return;
    report(error);
  });
  return {
    connect: () => consumer.connect(),
    async disconnect(): Promise<void> {
      restarts.stop();
      await consumer.disconnect();
    },
    subscribe: (subscription: SubscribeOptions) =>
      consumer.subscribe({
        topics: [...subscription.topics],
        fromBeginning: subscription.fromBeginning,
      }),
    run(handler: BatchHandler): Promise<void> {
      runConfig = {
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: async (payload) => {
          await handler(toConsumedBatch(payload));
          // A stale batch (a seek is pending) was dropped: the consumer reads it again.
          if (payload.isStale() || progressListeners.length === 0) return;
          progressed({
            topic: payload.batch.topic,
            partition: payload.batch.partition,
            // lastOffset counts a trailing marker, which the handler never sees.
            nextOffset: (BigInt(payload.batch.lastOffset()) + 1n).toString(),
            highWatermark: payload.batch.highWatermark,
          });
        },
      };
      return consumer.run(runConfig);
    },
    pause(partitions: readonly TopicPartitions[]): void {
      pauses.pause(partitions);
      apply('pause', partitions);
    },
    resume(partitions: readonly TopicPartitions[]): void {
      pauses.resume(partitions);
      apply('resume', partitions);
    },
    commit: (offsets: readonly OffsetCommit[]) => commitOffsets(consumer, options.groupId, offsets),
    seek: (topic: string, partition: number, offset: string) =>
      consumer.seek({ topic, partition, offset }),
    onAssignment(listener: (assignment: readonly TopicPartitionList[]) => void): void {
      // kafkajs emits GROUP_JOIN synchronously after the sync-group response,
      // before the runner's first fetch: a seek made here applies to that fetch.
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        listener(
          Object.entries(event.payload.memberAssignment).map(([topic, partitions]) => ({
            topic,
            partitions: [...partitions],
          })),
        );
      });
    },
    onHeartbeat(listener: () => void): void {
      consumer.on(consumer.events.HEARTBEAT, () => listener());
    },
    onProgress(listener: (progress: FetchProgress) => void): void {
      progressListeners.push(listener);
    },
    onCrash(listener: (error: Error) => void): void {
      crashListeners.push(listener);
    },
  };
}

/** The names of kafkajs errors that mean "no broker answered", anywhere in a crash's cause chain. */
const OUTAGE_ERRORS = new Set([
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSBrokerNotFound',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNoBrokerAvailableError',
]);

/**
 * Whether a crash kafkajs will not restart from is a broker outage: no broker
 * answered, or none could say which broker coordinates the group. kafkajs
 * wraps the cause in a `KafkaJSNonRetriableError` that keeps its message, so
 * both the cause chain's names and the message are checked. Anything else
 * (authorization, a deleted topic, a bad configuration) is not, and is
 * reported.
 */
export function isBrokerOutage(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 10; depth++) {
    if (OUTAGE_ERRORS.has(cause.name)) return true;
    if (cause.message.includes('Failed to find group coordinator')) return true;
    cause = cause.cause;
  }
  return false;
}

export interface OutageRestartsOptions {
  /** Reconnects and runs the consumer again; a failure is retried after the next delay. */
  restart: () => Promise<void>;
  log: (message: string, extra: Record<string, unknown>) => void;
  /** Default 1 000 ms; doubled per attempt since the last successful join. */
  initialDelayMs?: number;
  /** Default 30 000 ms. */
  maxDelayMs?: number;
}

/**
 * The consumer's own restarts after broker outages: one pending at a time,
 * with an exponential delay that resets once the group is joined again, and
 * none after `stop`.
 */
export class OutageRestarts {
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;

  constructor(private readonly options: OutageRestartsOptions) {
    this.#initialDelayMs = options.initialDelayMs ?? 1_000;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  /** Schedules a restart after `error`; false once stopped (the crash is then reported). */
  schedule(error: Error): boolean {
    if (this.#stopped) return false;
    if (this.#timer !== undefined) return true;
    const delayMs = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** this.#attempt);
    this.#attempt += 1;
    this.options.log(
      `Kafka unreachable (${error.message}); restarting the consumer in ${delayMs} ms`,
      {
        attempt: this.#attempt,
        delayMs,
      },
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.options.restart().catch((failure: unknown) => {
        this.schedule(failure instanceof Error ? failure : new Error(String(failure)));
      });
    }, delayMs);
    return true;
  }

  /** The group was joined: the next outage starts again from the first delay. */
  recovered(): void {
    this.#attempt = 0;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

async function commitOffsets(
  consumer: Consumer,
  groupId: string,
  offsets: readonly OffsetCommit[],
): Promise<void> {
  if (offsets.length === 0) return;
  try {
    await consumer.commitOffsets(
      offsets.map(({ topic, partition, nextOffset }) => ({
        topic,
        partition,
        offset: nextOffset,
      })),
    );
  } catch (error) {
    const what = offsets.map((o) => `${o.topic}[${o.partition}]@${o.nextOffset}`).join(', ');
    throw new KafkaClientError(
      `Committing offsets ${what} for group '${groupId}' failed: ${messageOf(error)}. ` +
        'After a rebalance the records are redelivered to the partition’s new owner; nothing is lost.',
      { cause: error },
    );
  }
}

function toKafkajs(partitions: TopicPartitions): { topic: string; partitions?: number[] } {
  return partitions.partitions
    ? { topic: partitions.topic, partitions: [...partitions.partitions] }
    : { topic: partitions.topic };
}

function toConsumedBatch(payload: EachBatchPayload): ConsumedBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    highWatermark: batch.highWatermark,
    messages: batch.messages.map((message) =>
      toConsumedMessage(batch.topic, batch.partition, message),
    ),
    heartbeat: () => payload.heartbeat(),
    isStale: () => payload.isStale(),
  };
}

function toConsumedMessage(
  topic: string,
  partition: number,
  message: KafkaMessage,
): ConsumedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key,
    value: message.value,
    headers: { ...(message.headers ?? {}) },
  };
}
