import { parsePartitionKey, partitionKey } from '../kafka/index.js';
import type {
  ConsumedBatch,
  KafkaConsumer,
  TopicPartitionList,
  TopicPartitions,
} from '../kafka/index.js';

/** One partition of one topic. */
export interface TopicPartition {
  topic: string;
  partition: number;
}
import { BoundedQueue } from './bounded-queue.js';
import type { RawInput } from './raw-input.js';

export interface KafkaSourceOptions {
  consumer: KafkaConsumer;
  /** Topic → template source id, e.g. `weft.src.pay_done` → `pay_done`. */
  topics: ReadonlyMap<string, string>;
  fromBeginning: boolean;
  /** Pause fetching at this many queued inputs; resume at half. */
  maxQueued: number;
  /**
   * Where each partition starts (the next offset to read), e.g. from a
   * checkpoint; keyed by {@link partitionKey}. Partitions not listed start at
   * the group's committed offset (or the beginning / end per `fromBeginning`).
   */
  startOffsets?: ReadonlyMap<string, string>;
  /** After every group join, with this member's partitions (after the seeks were issued). */
  onAssignment?: (assignment: readonly TopicPartitionList[]) => void;
  /**
   * For lag metrics: the partition's end offset at its last fetch and the last
   * offset handed to the pipeline, per batch fetched and per input taken from
   * `inputs` — so the lag counts what waits in the queue, not only in Kafka.
   */
  onBatch?: (info: {
    topic: string;
    partition: number;
    highWatermark: string;
    lastOffset: string;
  }) => void;
  /**
   * After every fetch of a partition, also one with no record to hand over
   * (a transaction's marker, aborted records): the consumer's `onProgress`.
   */
  onFetched?: (topic: string, partition: number) => void;
}

export interface KafkaSource {
  /** The raw inputs in arrival order (offset order within a partition, each offset once). */
  inputs: AsyncIterable<RawInput>;
  /** Inputs fetched and not taken from `inputs` yet. */
  readonly queued: number;
  /**
   * Nothing is queued and no assigned partition was behind its end offset at
   * its last fetch. While a backlog waits in Kafka (paused topics, a restarted
   * broker, a stretch of inputs that are all dead letters) the pipeline is not
   * caught up, so idleness must not accrue.
   */
  readonly caughtUp: boolean;
  start(): Promise<void>;
  /**
   * Holds (or releases) fetching for a named reason, e.g. `sink` while the
   * store is behind; fetching runs only while no reason holds it.
   */
  hold(reason: string, held: boolean): void;
  /**
   * Pauses exactly these partitions (watermark alignment), resuming the ones
   * paused by the previous call that are not listed. While a `hold` is on,
   * everything stays paused; the list applies once it is released.
   */
  align(paused: readonly TopicPartition[]): void;
  /** The assigned partitions with records left in Kafka after their last fetched batch. */
  backlogged(): TopicPartition[];
  /**
   * Where processing a partition up to `nextOffset` (the next offset to
   * process) really stands in Kafka: past the offsets no record comes from
   * (a transaction's marker) that the consumer has read beyond, once every
   * record fetched before them is processed; `nextOffset` otherwise. For the
   * lag, which would read 1 behind a final marker for good.
   */
  positionAfter(topic: string, partition: number, nextOffset: bigint): bigint;
  /** Ends `inputs` at once, dropping what is queued (it was not processed, so it is replayed). */
  interrupt(): void;
  /** Leaves the group and ends `inputs` once the queued inputs are consumed. */
  stop(): Promise<void>;
}

/**
 * Kafka topics as a stream of raw inputs with `{topic, partition, offset}`
 * origins. The batch callback only enqueues, so heartbeats are never delayed;
 * fetching is paused while the queue is full or another reason holds it (it
 * can overshoot by the batches already fetched, never drops). Each offset is
 * enqueued at most once per process: after a rejoin the source seeks every
 * assigned partition to the next offset it has not enqueued yet, and skips
 * redelivered offsets. Offsets are not committed here.
 *
 * @example
 * const source = createKafkaSource({ consumer, topics: new Map([['weft.src.pay_done', 'pay_done']]), fromBeginning: true, maxQueued: 10_000 });
 * await source.start();
 * for await (const input of source.inputs) { ... }
 */
export function createKafkaSource(options: KafkaSourceOptions): KafkaSource {
  const { consumer } = options;
  const all: TopicPartitions[] = [...options.topics.keys()].map((topic) => ({ topic }));
  const holds = new Set<string>();
  /** The partitions `align` paused, by {@link partitionKey}. */
  let aligned = new Map<string, TopicPartition>();
  // kafkajs (and PauseState) drop a topic-wide pause when one of its
  // partitions is paused, so per-partition calls are made only while no hold
  // pauses everything.
  const hold = (reason: string, held: boolean): void => {
    const before = holds.size > 0;
    if (held) holds.add(reason);
    else holds.delete(reason);
    const after = holds.size > 0;
    if (after && !before) consumer.pause(all);
    if (!after && before) {
      consumer.resume(all);
      if (aligned.size > 0) consumer.pause(byTopic(aligned.values()));
    }
  };
  const align = (paused: readonly TopicPartition[]): void => {
    const next = new Map(paused.map((p) => [partitionKey(p.topic, p.partition), p]));
    const resumed = [...aligned].filter(([key]) => !next.has(key)).map(([, p]) => p);
    const added = [...next].filter(([key]) => !aligned.has(key)).map(([, p]) => p);
    aligned = next;
    if (holds.size > 0) return;
    if (resumed.length > 0) consumer.resume(byTopic(resumed));
    if (added.length > 0) consumer.pause(byTopic(added));
  };
  const queue = new BoundedQueue<RawInput>({
    highWaterMark: options.maxQueued,
    lowWaterMark: Math.floor(options.maxQueued / 2),
    onFull: () => hold('queue', true),
    onDrained: () => hold('queue', false),
  });
  /** Per partition, the next offset not enqueued yet. */
  const positions = new Map<string, bigint>();
  for (const [key, offset] of options.startOffsets ?? []) positions.set(key, BigInt(offset));
  consumer.onCrash((error) => queue.fail(error));
  /** Per partition, the messages after its last fetched batch (end offset − last offset − 1). */
  const behind = new Map<string, bigint>();
  /** The partitions of the last assignment, by {@link partitionKey}. */
  let assignedNow = new Set<string>();
  consumer.onAssignment((assignment) => {
    // Partitions moved to another member are no longer this one's backlog.
    const assigned = new Set(
      assignment.flatMap(({ topic, partitions }) => partitions.map((p) => partitionKey(topic, p))),
    );
    assignedNow = assigned;
    for (const key of behind.keys()) if (!assigned.has(key)) behind.delete(key);
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        const position = positions.get(partitionKey(topic, partition));
        if (position !== undefined) consumer.seek(topic, partition, position.toString());
      }
    }
    options.onAssignment?.(assignment);
  });
  /** Per partition, the consumer's next offset at its last progress (markers counted). */
  const readTo = new Map<string, bigint>();
  // Past a transaction's marker the last record's offset + 1 stays below the end offset
  // for good; the consumer's progress says how far it really read.
  consumer.onProgress?.(({ topic, partition, nextOffset, highWatermark }) => {
    const key = partitionKey(topic, partition);
    if (!assignedNow.has(key)) return;
    readTo.set(key, BigInt(nextOffset));
    const lag = BigInt(highWatermark) - BigInt(nextOffset);
    behind.set(key, lag > 0n ? lag : 0n);
    endOffsets.set(key, highWatermark);
    options.onFetched?.(topic, partition);
  });
  const onBatch = async (batch: ConsumedBatch): Promise<void> => {
    if (batch.isStale()) return;
    const key = partitionKey(batch.topic, batch.partition);
    for (const input of batchToInputs(batch, options.topics)) {
      const offset = BigInt(input.origin.offset ?? '0');
      const position = positions.get(key);
      if (position !== undefined && offset < position) continue;
      positions.set(key, offset + 1n);
      queue.push(input);
    }
    const last = batch.messages.at(-1);
    if (last) {
      behind.set(key, BigInt(batch.highWatermark) - BigInt(last.offset) - 1n);
      endOffsets.set(key, batch.highWatermark);
    }
  };
  /** Per partition, its end offset at the last fetch. */
  const endOffsets = new Map<string, string>();
  async function* taken(): AsyncGenerator<RawInput> {
    for await (const input of queue) {
      const { topic = '', partition = 0, offset = '0' } = input.origin;
      const highWatermark = endOffsets.get(partitionKey(topic, partition));
      if (highWatermark !== undefined) {
        options.onBatch?.({ topic, partition, highWatermark, lastOffset: offset });
      }
      yield input;
    }
  }
  return {
    inputs: taken(),
    get queued() {
      return queue.size;
    },
    get caughtUp() {
      if (queue.size > 0) return false;
      for (const lag of behind.values()) if (lag > 0n) return false;
      return true;
    },
    hold,
    align,
    backlogged() {
      const out: TopicPartition[] = [];
      for (const [key, lag] of behind) {
        if (lag <= 0n) continue;
        const { topic, partition } = parsePartitionKey(key);
        out.push({ topic, partition: Number(partition) });
      }
      return out;
    },
    positionAfter(topic, partition, nextOffset) {
      const key = partitionKey(topic, partition);
      const read = readTo.get(key);
      const enqueued = positions.get(key);
      // Every record enqueued is processed, and the consumer read on past them.
      if (read === undefined || enqueued === undefined || nextOffset < enqueued) return nextOffset;
      return read > nextOffset ? read : nextOffset;
    },
    interrupt: () => queue.abort(),
    async start() {
      await consumer.connect();
      await consumer.subscribe({
        topics: [...options.topics.keys()],
        fromBeginning: options.fromBeginning,
      });
      await consumer.run(onBatch);
    },
    async stop() {
      await consumer.disconnect();
      queue.close();
    },
  };
}

/** Partitions grouped per topic, as pause and resume take them. */
function byTopic(partitions: Iterable<TopicPartition>): TopicPartitions[] {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    topics.set(topic, [...(topics.get(topic) ?? []), partition]);
  }
  return [...topics].map(([topic, numbers]) => ({ topic, partitions: numbers }));
}

/** The raw inputs of one consumed batch; a tombstone becomes an empty input (dead-lettered by decoding). */
export function batchToInputs(
  batch: ConsumedBatch,
  topics: ReadonlyMap<string, string>,
): RawInput[] {
  const source = topics.get(batch.topic) ?? batch.topic;
  return batch.messages.map((message) => ({
    source,
    bytes: message.value ?? Buffer.alloc(0),
    origin: { topic: message.topic, partition: message.partition, offset: message.offset },
    timestamp: message.timestamp,
  }));
}
