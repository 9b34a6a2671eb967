import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { KafkaClientError, messageOf } from '../errors.js';
import type {
  BatchHandler,
  ConsumedBatch,
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
  return {
    connect: () => consumer.connect(),
    disconnect: () => consumer.disconnect(),
    subscribe: (subscription: SubscribeOptions) =>
      consumer.subscribe({
        topics: [...subscription.topics],
        fromBeginning: subscription.fromBeginning,
      }),
    run: (handler: BatchHandler) =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        eachBatch: (payload) => handler(toConsumedBatch(payload)),
      }),
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
    onCrash(listener: (error: Error) => void): void {
      consumer.on(consumer.events.CRASH, (event) => {
        if (!event.payload.restart) listener(event.payload.error);
      });
    },
  };
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
