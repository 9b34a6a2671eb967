/**
 * The small Kafka surface the correlator needs, so that the client library
 * (kafkajs today, unmaintained) can be replaced by another without touching
 * sources, sinks or the pipeline. Only `kafkajs-*.ts` files import kafkajs.
 *
 * Offsets are decimal strings (Kafka offsets are int64). A committed offset is
 * always the *next* offset to read, as in Kafka itself: after processing
 * offset 41, commit `nextOffset: '42'`.
 */

/** Header values as Kafka carries them. */
export type KafkaHeaders = Record<string, string | Buffer>;

/** One message to produce. A message with a key goes to the key's partition (murmur2, as Java clients do). */
export interface OutgoingMessage {
  key?: string | Buffer | null;
  value: Buffer | string;
  headers?: KafkaHeaders;
  /** Record timestamp, epoch ms; the broker's append time when absent. */
  timestamp?: number;
  /** An explicit partition, overriding the key's (tests that must reach every partition). */
  partition?: number;
}

export interface KafkaProducer {
  connect(): Promise<void>;
  /** Resolves once every message is acknowledged by the broker (acks = all). */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** One consumed message with where it came from. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  /** Record timestamp, epoch ms. */
  timestamp: number;
  key: Buffer | null;
  /** Null for a tombstone. */
  value: Buffer | null;
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** The messages of one fetch from one partition, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  /** The partition's log end offset at fetch time (for lag). */
  highWatermark: string;
  messages: readonly ConsumedMessage[];
  /** Tells the group coordinator this member is alive during long batches. */
  heartbeat(): Promise<void>;
  /** True when a rebalance or seek made this batch obsolete: drop it, it will be redelivered. */
  isStale(): boolean;
}

export type BatchHandler = (batch: ConsumedBatch) => Promise<void>;

export interface TopicPartitions {
  topic: string;
  /** All partitions of the topic when absent. */
  partitions?: readonly number[];
}

/** Partitions of one topic, all listed. */
export interface TopicPartitionList {
  topic: string;
  partitions: readonly number[];
}

export interface OffsetCommit {
  topic: string;
  partition: number;
  /** The next offset to read: last processed offset + 1. */
  nextOffset: string;
}

export interface ConsumerOptions {
  groupId: string;
  /** Default 30 000. A member silent for longer is removed from the group. */
  sessionTimeoutMs?: number;
  /** Default 3 000; must be well under sessionTimeoutMs. */
  heartbeatIntervalMs?: number;
}

export interface SubscribeOptions {
  topics: readonly string[];
  /** Where a group without committed offsets starts: the earliest offset when true. */
  fromBeginning: boolean;
}

/**
 * A consumer-group member. Offsets are never committed automatically: the
 * pipeline commits what its sink has made durable (see pipeline/offset-tracker).
 */
export interface KafkaConsumer {
  connect(): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<void>;
  /** Starts fetching; resolves once the consumer is running, `handler` is then called per batch. */
  run(handler: BatchHandler): Promise<void>;
  /** Stops fetching from these partitions; batches already delivered still complete. */
  pause(partitions: readonly TopicPartitions[]): void;
  resume(partitions: readonly TopicPartitions[]): void;
  commit(offsets: readonly OffsetCommit[]): Promise<void>;
  /**
   * Moves a partition's fetch position to `offset` (the next offset to read).
   * Only valid once `run` was called, for a partition assigned to this member;
   * batches fetched before the seek are reported stale (`isStale()`).
   */
  seek(topic: string, partition: number, offset: string): void;
  /**
   * Called after every group join with this member's partitions, before the
   * first fetch of the new generation: the place to `seek` restored offsets.
   */
  onAssignment(listener: (assignment: readonly TopicPartitionList[]) => void): void;
  /**
   * Called when the client gives up on an error it cannot recover from
   * (authorization, a deleted topic, a bad configuration): the process should
   * stop. A broker outage, however long, never ends here: the consumer keeps
   * reconnecting, and `onHeartbeat` falls silent meanwhile.
   */
  onCrash(listener: (error: Error) => void): void;
  /**
   * Called after every heartbeat the group coordinator acknowledged. While the
   * broker is unreachable none arrive, which is how `/healthz` notices an
   * outage the client itself keeps retrying through.
   */
  onHeartbeat?(listener: () => void): void;
  /**
   * Called after every fetched batch of a partition — also one that hands
   * the handler nothing, because it held only a transaction's commit or
   * abort marker, aborted records or compacted-away offsets — with the
   * offset the consumer reads next and the partition's end offset then.
   * Record offsets have gaps on such topics (a transactional producer's
   * marker takes one), so "the last record's offset + 1" can stay below the
   * end offset for good; this is how a reader knows it has read to the end.
   */
  onProgress?(listener: (progress: FetchProgress) => void): void;
  disconnect(): Promise<void>;
}

/** Where a consumer stands in one partition after a fetched batch (`onProgress`). */
export interface FetchProgress {
  topic: string;
  partition: number;
  /** The next offset the consumer fetches from this partition. */
  nextOffset: string;
  /** The partition's end offset at that fetch. */
  highWatermark: string;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Default 1 (a single-broker test cluster); production uses the broker default. */
  replicationFactor?: number;
  configEntries?: Record<string, string>;
}

/** The offset of one partition. */
export interface PartitionOffset {
  partition: number;
  offset: string;
}

/** One member of a consumer group. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  /** Creates the missing topics and waits for their leaders; resolves false when all existed. */
  createTopics(topics: readonly TopicSpec[]): Promise<boolean>;
  /**
   * Per partition, the earliest offset whose timestamp is at or after `timestamp`
   * (epoch ms), or the end offset when there is none: where a backfill starts.
   */
  fetchTopicOffsetsByTimestamp(topic: string, timestamp: number): Promise<PartitionOffset[]>;
  /** Per partition, the end offset (the next offset to be written): for consumer lag. */
  fetchTopicEndOffsets(topic: string): Promise<PartitionOffset[]>;
  /**
   * The members of a consumer group as the coordinator lists them (none for
   * an empty or unknown group); a crashed member stays until its session
   * timeout.
   */
  describeGroupMembers(groupId: string): Promise<GroupMember[]>;
  /** Deletes topics that exist (tests and benchmarks clean up after themselves). */
  deleteTopics(topics: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * Entry point of the Kafka seam.
 *
 * @example
 * const kafka = createKafkajsClient({ brokers: ['127.0.0.1:19092'], clientId: 'weft' });
 * const producer = kafka.producer();
 * await producer.connect();
 * await producer.send('weft.src.pay_done', [{ key: 'O1', value: '{"order_id":"O1"}' }]);
 */
export interface KafkaClient {
  producer(): KafkaProducer;
  consumer(options: ConsumerOptions): KafkaConsumer;
  admin(): KafkaAdmin;
}

/** Where the client's own log lines go (pino's logger fits). */
export interface KafkaLogSink {
  error(details: object, message: string): void;
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
  debug(details: object, message: string): void;
}
