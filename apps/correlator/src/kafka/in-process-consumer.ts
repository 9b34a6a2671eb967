import { randomUUID } from 'node:crypto';
import { KafkaClientError } from '../errors.js';
import type {
  BatchHandler,
  ConsumedMessage,
  ConsumerOptions,
  FetchProgress,
  KafkaConsumer,
  OffsetCommit,
  TopicPartitionList,
} from './kafka-client.js';
import {
  CLIENT_ID,
  parseOffset,
  partitionLog,
  resolveAtOnce,
  topicLog,
} from './in-process-broker.js';
import type { Broker, RunningMember } from './in-process-broker.js';
import type { PartitionLog } from './in-process-partition.js';
import { partitionKey } from './partition-key.js';
import { PauseState } from './pause-state.js';

/**
 * An idle fetch loop looks again this often even if nothing woke it. Every
 * event that can make a batch deliverable wakes it at once; the timer also
 * keeps the process alive while a consumer runs, as the real client's sockets do.
 */
const IDLE_RECHECK_MS = 100;

const nextEventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface AssignedPartition {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
}

interface FetchLoopContext {
  readonly broker: Broker;
  readonly groupId: string;
  readonly assigned: readonly AssignedPartition[];
  /** Per {@link partitionKey}, the next offset to deliver; the consumer's seeks write here too. */
  readonly positions: Map<string, number>;
  readonly paused: PauseState;
  /** Per subscribed topic, whether a position past the end resets to the beginning. */
  readonly subscription: ReadonlyMap<string, boolean>;
  readonly handler: BatchHandler;
  /** Called once when the loop ended on an error (a handler's, or a deleted topic). */
  readonly crashed: (error: Error) => void;
  /** After each batch handled (not stale): the next offset and the end offset of its partition. */
  readonly progressed: (progress: FetchProgress) => void;
}

interface FetchLoop {
  readonly member: RunningMember;
  /** A seek on `key` happened: the batch in flight from it, if any, is stale. */
  sought(key: string): void;
  /** Stops fetching and waits for the handler in progress, if any. */
  stop(): Promise<void>;
}

/** One batch taken from a partition, not yet handed to the handler. */
interface FetchedBatch {
  readonly assigned: AssignedPartition;
  readonly highWatermark: string;
  readonly position: number;
  readonly messages: readonly ConsumedMessage[];
}

/**
 * The fetch loop of a running member: round-robin over the assigned
 * partitions, one batch at a time, each awaited before the next.
 */
function startFetchLoop(context: FetchLoopContext): FetchLoop {
  const { broker, groupId, assigned, positions, paused } = context;
  let stopping = false;
  /** Index in `assigned` of the partition fetched last: the next fetch starts after it. */
  let cursor = -1;
  let inFlight: { readonly key: string; sought: boolean } | undefined;
  let endWait: (() => void) | undefined;
  const member: RunningMember = {
    memberId: `${CLIENT_ID}-${randomUUID()}`,
    topics: new Set(assigned.map(({ topic }) => topic)),
    wake: () => endWait?.(),
  };

  const waitForWork = (): Promise<void> =>
    new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        endWait = undefined;
        resolve();
      };
      const timer = setTimeout(finish, IDLE_RECHECK_MS);
      endWait = finish;
    });

  /**
   * The partition's position, reset like Kafka's auto.offset.reset when out
   * of range: past the end (a re-created topic) or before the start (dropped
   * by retention).
   */
  const positionWithin = ({ topic, key }: AssignedPartition, log: PartitionLog): number => {
    const position = positions.get(key) ?? log.start;
    if (position >= log.start && position <= log.end) return position;
    const reset = context.subscription.get(topic) === true ? log.start : log.end;
    positions.set(key, reset);
    return reset;
  };

  const fetchFrom = (partition: AssignedPartition): FetchedBatch | undefined => {
    if (paused.isPaused(partition.topic, partition.partition)) return undefined;
    const action = `Consumer group '${groupId}' fetching from topic '${partition.topic}'`;
    const log = partitionLog(
      topicLog(broker, partition.topic, action),
      partition.topic,
      partition.partition,
      action,
    );
    const position = positionWithin(partition, log);
    if (position >= log.end) return undefined;
    const messages = log.read(position, broker.maxBatch);
    return { assigned: partition, highWatermark: String(log.end), position, messages };
  };

  const nextBatch = (): FetchedBatch | undefined => {
    for (let step = 1; step <= assigned.length; step++) {
      const index = (cursor + step) % assigned.length;
      const partition = assigned[index];
      const fetched = partition && fetchFrom(partition);
      if (fetched) {
        cursor = index;
        return fetched;
      }
    }
    return undefined;
  };

  const deliver = async ({ assigned: from, highWatermark, position, messages }: FetchedBatch) => {
    const batch = { key: from.key, sought: false };
    inFlight = batch;
    try {
      await context.handler({
        topic: from.topic,
        partition: from.partition,
        highWatermark,
        messages,
        heartbeat: resolveAtOnce,
        isStale: () => batch.sought,
      });
    } finally {
      inFlight = undefined;
    }
    if (batch.sought) return;
    const nextOffset = position + messages.length;
    positions.set(from.key, nextOffset);
    context.progressed({
      topic: from.topic,
      partition: from.partition,
      nextOffset: String(nextOffset),
      highWatermark,
    });
  };

  const loop = async (): Promise<void> => {
    for (;;) {
      // A real fetch is I/O: yielding a turn of the event loop before each one
      // keeps a long backlog and a quick handler from starving timers and I/O,
      // and lets `run` resolve before the first batch is handled, as with kafkajs.
      await nextEventLoopTurn();
      if (stopping) return;
      const fetched = nextBatch();
      if (fetched === undefined) await waitForWork();
      else await deliver(fetched);
    }
  };
  const finished = loop().catch((error: unknown) => {
    stopping = true;
    context.crashed(error instanceof Error ? error : new Error(String(error)));
  });

  return {
    member,
    sought(key: string): void {
      if (inFlight?.key === key) inFlight.sought = true;
      member.wake();
    },
    async stop(): Promise<void> {
      stopping = true;
      member.wake();
      await finished;
    },
  };
}

/** Every partition of the subscribed topics: the whole group is this one member. */
function assignEverything(
  broker: Broker,
  groupId: string,
  subscription: ReadonlyMap<string, boolean>,
): TopicPartitionList[] {
  return [...subscription.keys()].map((topic) => {
    const log = topicLog(broker, topic, `Consumer group '${groupId}' joining`);
    return { topic, partitions: log.partitions.map((_messages, partition) => partition) };
  });
}

export function createConsumer(broker: Broker, options: ConsumerOptions): KafkaConsumer {
  const { groupId } = options;
  /** Subscribed topic → fromBeginning. */
  const subscription = new Map<string, boolean>();
  /** Per {@link partitionKey}, the next offset to deliver; seeks made before `run` wait here. */
  const positions = new Map<string, number>();
  const paused = new PauseState();
  const assignmentListeners: ((assignment: readonly TopicPartitionList[]) => void)[] = [];
  const crashListeners: ((error: Error) => void)[] = [];
  const progressListeners: ((progress: FetchProgress) => void)[] = [];
  let running: FetchLoop | undefined;

  const leaveGroup = (loop: FetchLoop): void => {
    if (running !== loop) return;
    if (broker.members.get(groupId) === loop.member) broker.members.delete(groupId);
    running = undefined;
    positions.clear();
  };

  /** A seek made before or at assignment wins; else the committed offset; else per `fromBeginning`. */
  const startPosition = (topic: string, partition: number): number => {
    const key = partitionKey(topic, partition);
    const committed = broker.committed.get(groupId)?.get(key);
    const log = broker.topics.get(topic)?.partitions[partition];
    const earliest = log?.start ?? 0;
    const latest = log?.end ?? 0;
    return (
      positions.get(key) ?? committed ?? (subscription.get(topic) === true ? earliest : latest)
    );
  };

  const refuseRun = (): string | undefined => {
    if (running) return 'this consumer is already running';
    if (subscription.size === 0) return 'it is subscribed to no topic; call subscribe first';
    const holder = broker.members.get(groupId);
    if (holder) {
      return `the group already has a running member (${holder.memberId}), and the in-process Kafka serves one member per group; disconnect that one first`;
    }
    return undefined;
  };

  return {
    connect: resolveAtOnce,
    async subscribe({ topics, fromBeginning }) {
      const action = `Consumer group '${groupId}' subscribing`;
      if (running)
        throw new KafkaClientError(`${action} failed: disconnect the running consumer first.`);
      for (const topic of topics) topicLog(broker, topic, action);
      for (const topic of topics) subscription.set(topic, fromBeginning);
    },
    async run(handler: BatchHandler): Promise<void> {
      const refusal = refuseRun();
      if (refusal)
        throw new KafkaClientError(`Consumer group '${groupId}' cannot run: ${refusal}.`);
      const assignment = assignEverything(broker, groupId, subscription);
      for (const listener of assignmentListeners) listener(assignment);
      const assigned = assignment.flatMap(({ topic, partitions }) =>
        partitions.map((partition) => ({ topic, partition, key: partitionKey(topic, partition) })),
      );
      for (const { topic, partition, key } of assigned) {
        positions.set(key, startPosition(topic, partition));
      }
      const loop = startFetchLoop({
        broker,
        groupId,
        assigned,
        positions,
        paused,
        subscription,
        handler,
        crashed: (error) => {
          leaveGroup(loop);
          for (const listener of crashListeners) listener(error);
        },
        progressed: (progress) => {
          for (const listener of progressListeners) listener(progress);
        },
      });
      running = loop;
      broker.members.set(groupId, loop.member);
    },
    pause(partitions) {
      paused.pause(partitions);
    },
    resume(partitions) {
      paused.resume(partitions);
      running?.member.wake();
    },
    async commit(offsets: readonly OffsetCommit[]): Promise<void> {
      const parsed = offsets.map(({ topic, partition, nextOffset }) => {
        const action = `Committing ${topic}[${partition}]@${nextOffset} for group '${groupId}'`;
        partitionLog(topicLog(broker, topic, action), topic, partition, action);
        return [partitionKey(topic, partition), parseOffset(nextOffset, action)] as const;
      });
      const committed = broker.committed.get(groupId) ?? new Map<string, number>();
      broker.committed.set(groupId, committed);
      for (const [key, nextOffset] of parsed) committed.set(key, nextOffset);
    },
    seek(topic: string, partition: number, offset: string): void {
      const action = `Consumer group '${groupId}' seeking ${topic}[${partition}] to ${offset}`;
      if (!subscription.has(topic)) {
        throw new KafkaClientError(
          `${action} failed: the consumer is not subscribed to topic '${topic}'.`,
        );
      }
      partitionLog(topicLog(broker, topic, action), topic, partition, action);
      const key = partitionKey(topic, partition);
      positions.set(key, parseOffset(offset, action));
      running?.sought(key);
    },
    onAssignment(listener) {
      assignmentListeners.push(listener);
    },
    onCrash(listener) {
      crashListeners.push(listener);
    },
    onProgress(listener) {
      progressListeners.push(listener);
    },
    async disconnect(): Promise<void> {
      const loop = running;
      if (loop === undefined) return;
      await loop.stop();
      leaveGroup(loop);
    },
  };
}
