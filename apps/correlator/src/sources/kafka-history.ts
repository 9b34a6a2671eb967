import { randomUUID } from 'node:crypto';
import { SourceError, messageOf } from '../errors.js';
import { partitionKey } from '../kafka/index.js';
import type { KafkaAdmin, KafkaClient, PartitionOffset, TopicPartitions } from '../kafka/index.js';
import { BoundedQueue } from './bounded-queue.js';
import { batchToInputs } from './kafka-source.js';
import type { RawInput } from './raw-input.js';

export interface KafkaHistoryOptions {
  kafka: KafkaClient;
  /** Source topic → template source id (`sourceTopics`). */
  topics: ReadonlyMap<string, string>;
  /**
   * Read from the first record whose Kafka timestamp is at or after this
   * (epoch ms; offsets by timestamp); from each partition's start when −∞.
   */
  from: number;
  /** Consumer group of the read; a fresh one by default (nothing is committed). */
  groupId?: string;
  /** Above this many read inputs not yet consumed, fetching pauses. Default 10,000. */
  maxQueued?: number;
}

/** Where a history read starts and stops, per partition. */
export interface HistoryRange {
  topic: string;
  partition: number;
  /** The first offset read. */
  start: bigint;
  /** The partition's end offset when the read began: offsets from here on are not read. */
  end: bigint;
}

/** A bounded read of Kafka history: the inputs, and how many records the ranges hold. */
export interface KafkaHistory {
  readonly ranges: readonly HistoryRange[];
  /** Records in the ranges (end − start, summed): the read's total, for progress. */
  readonly records: number;
  readonly inputs: AsyncIterable<RawInput>;
}

/**
 * Opens a bounded read of the source topics, as a backfill replays them:
 * every partition from the offset of `from` (Kafka's offsets-by-timestamp) up
 * to its end offset as it is now, so records produced meanwhile are left to
 * the live run. Reading uses a consumer group of its own that commits
 * nothing; it ends when every partition has reached its end offset.
 *
 * Kafka timestamps are the producers' (or the broker's append time), not
 * event times: a record whose timestamp is before `from` but whose event time
 * is not is not read, and records read before `from` in event time are for
 * the job to filter out.
 *
 * @example
 * const history = await openKafkaHistory({ kafka, topics: sourceTopics(['pay_done'], 'weft.src.'), from: Date.parse('2026-11-23') });
 * for await (const input of history.inputs) job.push(...);
 */
export async function openKafkaHistory(options: KafkaHistoryOptions): Promise<KafkaHistory> {
  const ranges = await historyRanges(options);
  const records = ranges.reduce((sum, r) => sum + Number(r.end - r.start), 0);
  return { ranges, records, inputs: readRanges(options, ranges) };
}

async function historyRanges(options: KafkaHistoryOptions): Promise<HistoryRange[]> {
  const admin = options.kafka.admin();
  await admin.connect();
  try {
    const ranges: HistoryRange[] = [];
    for (const topic of options.topics.keys()) {
      let ends: PartitionOffset[];
      let starts: PartitionOffset[];
      try {
        ends = await admin.fetchTopicEndOffsets(topic);
        starts = await offsetsAtTime(admin, topic, options.from);
      } catch (error) {
        throw new SourceError(
          `cannot read the offsets of source topic '${topic}': ${messageOf(error)}. ` +
            'Check --kafka and --topic-prefix (the topic of source S is <prefix>S).',
          { cause: error },
        );
      }
      const startOf = new Map(starts.map((s) => [s.partition, BigInt(s.offset)]));
      for (const { partition, offset } of ends) {
        const end = BigInt(offset);
        const start = startOf.get(partition) ?? end;
        ranges.push({ topic, partition, start: start < end ? start : end, end });
      }
    }
    return ranges.sort((a, b) =>
      a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.partition - b.partition,
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Per partition of `topic`, the offset of its first record whose Kafka
 * timestamp is at or after `at` (the end offset when none is); from the
 * first record still kept when `at` is −∞ or before 1970.
 *
 * @example await offsetsAtTime(admin, 'weft.src.pay_done', Date.parse('2026-11-24'))
 */
export function offsetsAtTime(
  admin: Pick<KafkaAdmin, 'fetchTopicOffsetsByTimestamp'>,
  topic: string,
  at: number,
): Promise<PartitionOffset[]> {
  // Timestamp 0 is the earliest record of the partition still kept.
  return admin.fetchTopicOffsetsByTimestamp(topic, Number.isFinite(at) ? Math.max(0, at) : 0);
}

async function* readRanges(
  options: KafkaHistoryOptions,
  ranges: readonly HistoryRange[],
): AsyncGenerator<RawInput> {
  /** Next offset to read, per partition still to be read. */
  const next = new Map<string, { range: HistoryRange; next: bigint }>();
  for (const range of ranges) {
    if (range.start < range.end) {
      next.set(partitionKey(range.topic, range.partition), { range, next: range.start });
    }
  }
  if (next.size === 0) return;
  const consumer = options.kafka.consumer({
    groupId: options.groupId ?? `weft-backfill-${randomUUID()}`,
  });
  const finished: TopicPartitions[] = [];
  const maxQueued = options.maxQueued ?? 10_000;
  const queue = new BoundedQueue<RawInput>({
    highWaterMark: maxQueued,
    lowWaterMark: Math.floor(maxQueued / 2),
    onFull: () => consumer.pause(topicList()),
    onDrained: () => {
      consumer.resume(topicList());
      if (finished.length > 0) consumer.pause(finished);
    },
  });
  function topicList(): TopicPartitions[] {
    return [...options.topics.keys()].map((topic) => ({ topic }));
  }
  consumer.onCrash((error) => queue.fail(error));
  /** The partition is read up to `nextOffset`: once that reaches its range's end, it is done. */
  const readUpTo = (topic: string, partition: number, nextOffset: bigint): void => {
    const key = partitionKey(topic, partition);
    const position = next.get(key);
    if (position === undefined) return;
    if (nextOffset > position.next) position.next = nextOffset;
    if (position.next < position.range.end) return;
    next.delete(key);
    const done = { topic, partitions: [partition] };
    finished.push(done);
    consumer.pause([done]);
    if (next.size === 0) queue.close();
  };
  // A range can end on offsets no record comes from (a transaction's marker, aborted records):
  // the consumer's progress past them finishes it.
  consumer.onProgress?.((progress) =>
    readUpTo(progress.topic, progress.partition, BigInt(progress.nextOffset)),
  );
  consumer.onAssignment((assignment) => {
    for (const { topic, partitions } of assignment) {
      for (const partition of partitions) {
        const position = next.get(partitionKey(topic, partition));
        // Partitions already read to their end stay paused; others resume where they were.
        if (position === undefined) consumer.pause([{ topic, partitions: [partition] }]);
        else consumer.seek(topic, partition, position.next.toString());
      }
    }
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics.keys()], fromBeginning: true });
    await consumer.run(async (batch) => {
      if (batch.isStale()) return;
      const position = next.get(partitionKey(batch.topic, batch.partition));
      if (position === undefined) return;
      const wanted = batch.messages.filter((m) => {
        const offset = BigInt(m.offset);
        return offset >= position.next && offset < position.range.end;
      });
      for (const input of batchToInputs({ ...batch, messages: wanted }, options.topics)) {
        queue.push(input);
      }
      const last = wanted.at(-1);
      if (last !== undefined) readUpTo(batch.topic, batch.partition, BigInt(last.offset) + 1n);
    });
    yield* queue;
  } finally {
    queue.abort();
    await consumer.disconnect();
  }
}
