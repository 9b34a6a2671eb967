import { KafkaClientError } from '../errors.js';
import type {
  ConsumedMessage,
  KafkaAdmin,
  KafkaHeaders,
  KafkaProducer,
  OutgoingMessage,
  PartitionOffset,
  TopicSpec,
} from './kafka-client.js';
import { PartitionLog } from './in-process-partition.js';
import { parsePartitionKey } from './partition-key.js';

/**
 * The shared state of one in-process Kafka (`createInProcessKafka`): its
 * topics and committed offsets, and the producers and admins over them. The
 * consumers are in `in-process-consumer.ts`.
 */

/** What describeGroupMembers reports for every in-process member. */
export const CLIENT_ID = 'weft-in-process';
const CLIENT_HOST = 'in-process';

/** One topic: its partitions' logs and its retention. */
interface TopicLog {
  readonly partitions: PartitionLog[];
  /** The topic's `retention.ms`: messages older than this (by timestamp) are dropped; null: kept. */
  readonly retentionMs: number | null;
  /** The partition the next message without key or partition goes to. */
  nextRoundRobin: number;
}

/** The running member of a consumer group. */
export interface RunningMember {
  readonly memberId: string;
  readonly topics: ReadonlySet<string>;
  /** Ends the member's wait for something to deliver. */
  wake(): void;
}

/** What the producers, consumers and admins of one in-process Kafka share. */
export interface Broker {
  readonly now: () => number;
  readonly maxBatch: number;
  readonly topics: Map<string, TopicLog>;
  /** Per group, per `partitionKey`, the committed next offset. */
  readonly committed: Map<string, Map<string, number>>;
  /** Per group, its one running member. */
  readonly members: Map<string, RunningMember>;
}

export const resolveAtOnce = (): Promise<void> => Promise.resolve();

export function createProducer(broker: Broker): KafkaProducer {
  let disconnected = false;
  return {
    async connect() {
      disconnected = false;
    },
    async disconnect() {
      disconnected = true;
    },
    async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
      const action = `Producing to topic '${topic}'`;
      if (disconnected) {
        throw new KafkaClientError(
          `${action} failed: the producer is disconnected; connect it again first.`,
        );
      }
      const log = topicLog(broker, topic, action);
      // Every message is placed (and validated) before any is appended: a bad one fails the whole send.
      const placed = messages.map((message) => ({
        message,
        partition: targetPartition(log, topic, message),
      }));
      for (const { message, partition } of placed) append(broker, log, topic, partition, message);
      applyRetention(broker, log);
      wakeReaders(broker, topic);
    },
  };
}

/** The explicit partition, else the key's, else the next one round-robin. */
function targetPartition(log: TopicLog, topic: string, message: OutgoingMessage): number {
  if (message.partition !== undefined) {
    partitionLog(log, topic, message.partition, `Producing to topic '${topic}'`);
    return message.partition;
  }
  const count = log.partitions.length;
  if (message.key !== undefined && message.key !== null)
    return keyHash(toBuffer(message.key)) % count;
  const partition = log.nextRoundRobin % count;
  log.nextRoundRobin = (partition + 1) % count;
  return partition;
}

/** FNV-1a over the key's bytes: stable across runs and processes, unsigned 32 bits. */
function keyHash(key: Buffer): number {
  let hash = 0x811c9dc5;
  for (const byte of key) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

function append(
  broker: Broker,
  log: TopicLog,
  topic: string,
  partition: number,
  message: OutgoingMessage,
): void {
  const messages = partitionLog(log, topic, partition, `Producing to topic '${topic}'`);
  messages.append((offset) => ({
    topic,
    partition,
    offset: String(offset),
    timestamp: message.timestamp ?? broker.now(),
    key: message.key === undefined || message.key === null ? null : toBuffer(message.key),
    value: toBuffer(message.value),
    headers: toHeaderBuffers(message.headers ?? {}),
  }));
}

/** Drops what the topic's `retention.ms` no longer keeps (checked on every send). */
function applyRetention(broker: Broker, log: TopicLog): void {
  if (log.retentionMs === null) return;
  const cutoff = broker.now() - log.retentionMs;
  for (const partition of log.partitions) partition.dropBefore(cutoff);
}

/** A copy of the bytes, so that a caller reusing its buffer cannot rewrite the log. */
function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
}

/** Header values as a Kafka consumer receives them: bytes. */
function toHeaderBuffers(headers: KafkaHeaders): ConsumedMessage['headers'] {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, toBuffer(value)]),
  );
}

function wakeReaders(broker: Broker, topic: string): void {
  for (const member of broker.members.values()) if (member.topics.has(topic)) member.wake();
}

export function topicLog(broker: Broker, topic: string, action: string): TopicLog {
  const log = broker.topics.get(topic);
  if (log === undefined) {
    throw new KafkaClientError(
      `${action} failed: topic '${topic}' does not exist. Create it first with admin().createTopics (topics are never created implicitly).`,
    );
  }
  return log;
}

export function partitionLog(
  log: TopicLog,
  topic: string,
  partition: number,
  action: string,
): PartitionLog {
  const messages = log.partitions[partition];
  if (messages === undefined) {
    throw new KafkaClientError(
      `${action} failed: topic '${topic}' has partitions 0 to ${log.partitions.length - 1}, not ${partition}.`,
    );
  }
  return messages;
}

/** A decimal offset string as a number (an in-memory log stays far below 2^53). */
export function parseOffset(offset: string, action: string): number {
  const value = Number(offset);
  if (!/^\d+$/.test(offset) || !Number.isSafeInteger(value)) {
    throw new KafkaClientError(
      `${action} failed: offset '${offset}' is not a non-negative integer.`,
    );
  }
  return value;
}

export function createAdmin(broker: Broker): KafkaAdmin {
  const endOffsets = (topic: string, action: string): PartitionOffset[] =>
    topicLog(broker, topic, action).partitions.map((messages, partition) => ({
      partition,
      offset: String(messages.end),
    }));
  return {
    connect: resolveAtOnce,
    disconnect: resolveAtOnce,
    async createTopics(specs: readonly TopicSpec[]): Promise<boolean> {
      for (const spec of specs) validateTopicSpec(spec);
      let created = false;
      for (const spec of specs) {
        if (broker.topics.has(spec.topic)) continue;
        const partitions = Array.from({ length: spec.numPartitions }, () => new PartitionLog());
        broker.topics.set(spec.topic, {
          partitions,
          retentionMs: retentionOf(spec),
          nextRoundRobin: 0,
        });
        created = true;
      }
      return created;
    },
    async deleteTopics(topics: readonly string[]): Promise<void> {
      for (const topic of topics) {
        if (!broker.topics.delete(topic)) continue;
        forgetCommittedOffsets(broker, topic);
        // A member reading the topic finds it gone on its next fetch, and crashes.
        wakeReaders(broker, topic);
      }
    },
    async fetchTopicEndOffsets(topic: string): Promise<PartitionOffset[]> {
      return endOffsets(topic, `Fetching the end offsets of topic '${topic}'`);
    },
    async fetchTopicOffsetsByTimestamp(topic: string, timestamp: number) {
      const action = `Fetching the offsets of topic '${topic}' at ${timestamp}`;
      return topicLog(broker, topic, action).partitions.map((messages, partition) => ({
        partition,
        offset: String(messages.offsetAt(timestamp)),
      }));
    },
    async describeGroupMembers(groupId: string) {
      const member = broker.members.get(groupId);
      if (member === undefined) return [];
      return [{ memberId: member.memberId, clientId: CLIENT_ID, clientHost: CLIENT_HOST }];
    },
  };
}

function validateTopicSpec(spec: TopicSpec): void {
  if (!Number.isInteger(spec.numPartitions) || spec.numPartitions < 1) {
    throw new KafkaClientError(
      `Creating topic '${spec.topic}' failed: numPartitions must be a positive integer, got ${spec.numPartitions}.`,
    );
  }
  retentionOf(spec);
}

/** The spec's `retention.ms` (Kafka's topic config; -1 or absent: keep everything). */
function retentionOf(spec: TopicSpec): number | null {
  const value = spec.configEntries?.['retention.ms'];
  if (value === undefined || value === '-1') return null;
  const ms = Number(value);
  if (!/^\d+$/u.test(value) || !Number.isSafeInteger(ms)) {
    throw new KafkaClientError(
      `Creating topic '${spec.topic}' failed: retention.ms must be -1 or a whole number of milliseconds, got '${value}'.`,
    );
  }
  return ms;
}

/** Kafka drops a deleted topic's committed offsets; a re-created topic starts afresh. */
function forgetCommittedOffsets(broker: Broker, topic: string): void {
  for (const offsets of broker.committed.values()) {
    for (const key of offsets.keys()) {
      if (parsePartitionKey(key).topic === topic) offsets.delete(key);
    }
  }
}

/** One assigned partition, with its `partitionKey`. */
