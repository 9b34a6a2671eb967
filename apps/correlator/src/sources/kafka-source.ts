import type { ConsumedBatch, KafkaConsumer } from '../kafka/index.js';
import { BoundedQueue } from './bounded-queue.js';
import type { RawInput } from './raw-input.js';

export interface KafkaSourceOptions {
  consumer: KafkaConsumer;
  /** Topic → template source id, e.g. `weft.src.pay_done` → `pay_done`. */
  topics: ReadonlyMap<string, string>;
  fromBeginning: boolean;
  /** Pause fetching at this many queued inputs; resume at half. */
  maxQueued: number;
  /** Per batch, for lag metrics: the partition's end offset and the batch's last offset. */
  onBatch?: (info: {
    topic: string;
    partition: number;
    highWatermark: string;
    lastOffset: string;
  }) => void;
}

export interface KafkaSource {
  /** The raw inputs in arrival order (offset order within a partition). */
  inputs: AsyncIterable<RawInput>;
  start(): Promise<void>;
  /** Leaves the group and ends `inputs` once the queued inputs are consumed. */
  stop(): Promise<void>;
}

/**
 * Kafka topics as a stream of raw inputs with `{topic, partition, offset}`
 * origins. The batch callback only enqueues, so heartbeats are never delayed;
 * when the queue is full every subscribed topic is paused until it drains
 * (it can overshoot by the batches already fetched, never drops). Offsets are
 * not committed here: the pipeline commits what the sink made durable.
 *
 * @example
 * const source = createKafkaSource({ consumer, topics: new Map([['weft.src.pay_done', 'pay_done']]), fromBeginning: true, maxQueued: 10_000 });
 * await source.start();
 * for await (const input of source.inputs) { ... }
 */
export function createKafkaSource(options: KafkaSourceOptions): KafkaSource {
  const { consumer } = options;
  const all = [...options.topics.keys()].map((topic) => ({ topic }));
  const queue = new BoundedQueue<RawInput>({
    highWaterMark: options.maxQueued,
    lowWaterMark: Math.floor(options.maxQueued / 2),
    onFull: () => consumer.pause(all),
    onDrained: () => consumer.resume(all),
  });
  consumer.onCrash((error) => queue.fail(error));
  const onBatch = async (batch: ConsumedBatch): Promise<void> => {
    if (batch.isStale()) return;
    for (const input of batchToInputs(batch, options.topics)) queue.push(input);
    const last = batch.messages.at(-1);
    if (last) {
      options.onBatch?.({
        topic: batch.topic,
        partition: batch.partition,
        highWatermark: batch.highWatermark,
        lastOffset: last.offset,
      });
    }
  };
  return {
    inputs: queue,
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
