import { KafkaClientError } from '../errors.js';
import { createAdmin, createProducer } from './in-process-broker.js';
import type { Broker } from './in-process-broker.js';
import { createConsumer } from './in-process-consumer.js';
import type { ConsumerOptions, KafkaClient } from './kafka-client.js';

export interface InProcessKafkaOptions {
  /** Stamps messages produced without a timestamp, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** The most messages one consumed batch holds. Default 500. */
  maxBatch?: number;
}

/** A {@link KafkaClient} whose log lives in this process: see {@link createInProcessKafka}. */
export type InProcessKafka = KafkaClient;

/**
 * A KafkaClient over an in-memory log, for `weft demo` to run the live
 * pipeline embedded, without a broker. It keeps Kafka's semantics where the
 * pipeline relies on them: topics must be created first, offsets are
 * sequential per partition, keyed messages stay on one partition, a group
 * resumes from its committed offsets, seeks and pauses act as in kafkajs.
 *
 * It is **not durable** (everything is lost with the process) and **not
 * shared across processes**: only clients created from this one value see
 * the same topics. A consumer group has at most one member, which is
 * assigned every partition of its topics; a second member's `run` is
 * refused rather than rebalanced. Keys are spread with FNV-1a, not Kafka's
 * murmur2, so a key's partition differs from a real cluster's.
 *
 * @example
 * const kafka = createInProcessKafka();
 * await kafka.admin().createTopics([{ topic: 'weft.src.pay_done', numPartitions: 3 }]);
 * await kafka.producer().send('weft.src.pay_done', [{ key: 'O1', value: '{"order_id":"O1"}' }]);
 * const consumer = kafka.consumer({ groupId: 'weft' });
 * await consumer.subscribe({ topics: ['weft.src.pay_done'], fromBeginning: true });
 * await consumer.run(async (batch) => console.log(batch.messages.length));
 */
export function createInProcessKafka(options: InProcessKafkaOptions = {}): InProcessKafka {
  const maxBatch = options.maxBatch ?? 500;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new KafkaClientError(
      `In-process Kafka: maxBatch must be a positive integer, got ${maxBatch}.`,
    );
  }
  const broker: Broker = {
    now: options.now ?? Date.now,
    maxBatch,
    topics: new Map(),
    committed: new Map(),
    members: new Map(),
  };
  return {
    producer: () => createProducer(broker),
    consumer: (consumerOptions: ConsumerOptions) => createConsumer(broker, consumerOptions),
    admin: () => createAdmin(broker),
  };
}
