import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, LogEntry, Producer, logCreator } from 'kafkajs';
import { KafkaClientError, messageOf } from '../errors.js';
import type {
  ConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaConsumer,
  KafkaLogSink,
  KafkaProducer,
  OutgoingMessage,
  PartitionOffset,
  TopicSpec,
} from './kafka-client.js';
import { createKafkajsConsumer } from './kafkajs-consumer.js';

export interface KafkajsClientOptions {
  brokers: readonly string[];
  clientId: string;
  /** Where kafkajs' own log lines go; silent when absent. */
  logger?: KafkaLogSink;
  /** Default 10 000 ms. */
  connectionTimeoutMs?: number;
  /** Default 30 000 ms. */
  requestTimeoutMs?: number;
}

/**
 * The KafkaClient over kafkajs 2.2.4.
 *
 * Known kafkajs behaviours this adapter settles once, here:
 * - The producer is created with `Partitioners.DefaultPartitioner` (murmur2,
 *   the Java client's partitioner) explicitly: keyed records then land on the
 *   partitions any other Kafka client would pick, which the re-keying topics
 *   rely on, and kafkajs does not print its v2 "switched default partitioner"
 *   warning (tulios/kafkajs#1339), so `KAFKAJS_NO_PARTITIONER_WARNING` is not needed.
 * - Topics are never auto-created by producing or subscribing: a new topic's
 *   first send races its leader election ("There is no leader for this
 *   topic-partition", tulios/kafkajs#1008). `admin().createTopics` waits for
 *   leaders, also while a broker still answers that the new topic is unknown
 *   (kafkajs' own wait gives up on that, tulios/kafkajs#1222).
 * - Sends are at least once: kafkajs retries a whole per-broker request when
 *   one of its partitions fails, duplicating what had succeeded; the
 *   idempotent producer is not used (experimental, tulios/kafkajs#598).
 *
 * @example
 * const kafka = createKafkajsClient({ brokers: ['127.0.0.1:19092'], clientId: 'weft-correlator' });
 */
export function createKafkajsClient(options: KafkajsClientOptions): KafkaClient {
  if (options.brokers.length === 0) {
    throw new KafkaClientError(
      'No Kafka brokers given: pass at least one host:port (e.g. 127.0.0.1:19092).',
    );
  }
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: options.logger ? logLevel.INFO : logLevel.NOTHING,
    ...(options.logger ? { logCreator: logCreatorFor(options.logger) } : {}),
  });
  return {
    producer: () => wrapProducer(kafka.producer(producerConfig())),
    consumer: (consumerOptions: ConsumerOptions): KafkaConsumer =>
      createKafkajsConsumer(kafka, consumerOptions),
    admin: () => wrapAdmin(kafka.admin()),
  };
}

function producerConfig() {
  return {
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  };
}

function wrapProducer(producer: Producer): KafkaProducer {
  return {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
      if (messages.length === 0) return;
      try {
        await producer.send({ topic, acks: -1, messages: messages.map(toKafkajsMessage) });
      } catch (error) {
        throw new KafkaClientError(
          `Producing ${messages.length} message(s) to topic '${topic}' failed: ${messageOf(error)}. ` +
            'Check that the topic exists (weft creates its topics at startup) and the brokers are reachable.',
          { cause: error },
        );
      }
    },
  };
}

function toKafkajsMessage(message: OutgoingMessage) {
  return {
    key: message.key ?? null,
    value: message.value,
    ...(message.headers ? { headers: message.headers } : {}),
    ...(message.timestamp === undefined ? {} : { timestamp: String(message.timestamp) }),
    ...(message.partition === undefined ? {} : { partition: message.partition }),
  };
}

function wrapAdmin(admin: Admin): KafkaAdmin {
  return {
    connect: () => admin.connect(),
    disconnect: () => admin.disconnect(),
    async createTopics(topics: readonly TopicSpec[]): Promise<boolean> {
      let created: boolean;
      try {
        // kafkajs' own wait retries LEADER_NOT_AVAILABLE only; a broker that
        // has not yet learnt of the new topic answers UNKNOWN_TOPIC_OR_PARTITION
        // and the wait fails (tulios/kafkajs#1222): `waitForLeaders` below retries both.
        created = await admin.createTopics({
          waitForLeaders: false,
          topics: topics.map((spec) => ({
            topic: spec.topic,
            numPartitions: spec.numPartitions,
            replicationFactor: spec.replicationFactor ?? 1,
            configEntries: Object.entries(spec.configEntries ?? {}).map(([name, value]) => ({
              name,
              value,
            })),
          })),
        });
        await waitForLeaders(
          admin,
          topics.map((spec) => spec.topic),
        );
      } catch (error) {
        const names = topics.map((spec) => spec.topic).join(', ');
        throw new KafkaClientError(`Creating topics [${names}] failed: ${messageOf(error)}.`, {
          cause: error,
        });
      }
      return created;
    },
    async fetchTopicOffsetsByTimestamp(topic: string, timestamp: number) {
      const entries = await admin.fetchTopicOffsetsByTimestamp(topic, timestamp);
      return entries.map(toPartitionOffset);
    },
    async deleteTopics(topics: readonly string[]): Promise<void> {
      const existing = new Set(await admin.listTopics());
      const names = topics.filter((topic) => existing.has(topic));
      if (names.length > 0) await admin.deleteTopics({ topics: names });
    },
    async fetchTopicEndOffsets(topic: string) {
      const entries = await admin.fetchTopicOffsets(topic);
      return entries.map((entry) => ({ partition: entry.partition, offset: entry.high }));
    },
    async describeGroupMembers(groupId: string) {
      const { groups } = await admin.describeGroups([groupId]);
      return (groups[0]?.members ?? []).map(({ memberId, clientId, clientHost }) => ({
        memberId,
        clientId,
        clientHost,
      }));
    },
  };
}

/** Metadata errors of a topic that exists but is not yet known or led everywhere. */
const NOT_YET_LED = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Waits until every partition of `topics` has a leader, retrying the metadata
 * request every `delayMs` while it answers that a topic is unknown or
 * leaderless; any other error, or `timeoutMs` without leaders, throws.
 *
 * @example await waitForLeaders(admin, ['weft.late']);
 */
export async function waitForLeaders(
  admin: Pick<Admin, 'fetchTopicMetadata'>,
  topics: readonly string[],
  { timeoutMs = 30_000, delayMs = 100 }: { timeoutMs?: number; delayMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let waitingFor: string;
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: [...topics] });
      const leaderless = metadata.find((t) => t.partitions.some((p) => p.leader < 0));
      if (leaderless === undefined) return;
      waitingFor = `topic ${leaderless.name} has a partition without a leader`;
    } catch (error) {
      const type = protocolErrorType(error);
      if (type === null || !NOT_YET_LED.has(type)) throw error;
      waitingFor = `the broker answers ${type}`;
    }
    if (Date.now() + delayMs > deadline) {
      throw new KafkaClientError(
        `no leader for every partition after ${String(timeoutMs)} ms (${waitingFor}): check that the brokers are healthy`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** The Kafka error code name of a kafkajs error or of its cause (retries exhausted wrap it). */
function protocolErrorType(error: unknown): string | null {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return null;
}

function toPartitionOffset(entry: { partition: number; offset: string }): PartitionOffset {
  return { partition: entry.partition, offset: entry.offset };
}

function logCreatorFor(sink: KafkaLogSink): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, ...details } = log;
      const context = { kafkajs: namespace, ...details };
      if (level === logLevel.ERROR) sink.error(context, message);
      else if (level === logLevel.WARN) sink.warn(context, message);
      else if (level === logLevel.INFO) sink.info(context, message);
      else sink.debug(context, message);
    };
}
