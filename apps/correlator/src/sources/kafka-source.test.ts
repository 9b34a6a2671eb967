import { describe, expect, it } from 'vitest';
import type {
  BatchHandler,
  ConsumedBatch,
  FetchProgress,
  KafkaConsumer,
  TopicPartitionList,
  TopicPartitions,
} from '../kafka/index.js';
import { partitionKey } from '../kafka/index.js';
import { createKafkaSource } from './kafka-source.js';
import type { KafkaSource, KafkaSourceOptions } from './kafka-source.js';
import type { RawInput } from './raw-input.js';

/** `topic`, or `topic[0+1]` for some of its partitions. */
function named({ topic, partitions }: TopicPartitions): string {
  return partitions === undefined ? topic : `${topic}[${partitions.join('+')}]`;
}

/** A KafkaConsumer stand-in that records calls and lets the test deliver batches. */
function fakeConsumer() {
  const calls: string[] = [];
  let handler: BatchHandler | undefined;
  let crash: ((error: Error) => void) | undefined;
  let assign: ((assignment: readonly TopicPartitionList[]) => void) | undefined;
  let progress: ((progress: FetchProgress) => void) | undefined;
  const consumer: KafkaConsumer = {
    connect: async () => void calls.push('connect'),
    subscribe: async (options) =>
      void calls.push(`subscribe ${options.topics.join(',')} ${options.fromBeginning}`),
    run: async (h) => {
      handler = h;
      calls.push('run');
    },
    pause: (p: readonly TopicPartitions[]) => void calls.push(`pause ${p.map(named)}`),
    resume: (p: readonly TopicPartitions[]) => void calls.push(`resume ${p.map(named)}`),
    commit: async () => void calls.push('commit'),
    seek: (topic, partition, offset) => void calls.push(`seek ${topic}[${partition}]@${offset}`),
    onAssignment: (listener) => (assign = listener),
    onCrash: (listener) => (crash = listener),
    onProgress: (listener) => (progress = listener),
    disconnect: async () => void calls.push('disconnect'),
  };
  const deliver = (
    batch: Partial<ConsumedBatch> & { offsets: string[]; tombstones?: string[] },
  ) => {
    const topic = batch.topic ?? 'weft.src.pay_done';
    const partition = batch.partition ?? 0;
    return handler?.({
      topic,
      partition,
      highWatermark: batch.highWatermark ?? '100',
      messages: batch.offsets.map((offset) => ({
        topic,
        partition,
        offset,
        timestamp: 1_764_000_000_000,
        key: null,
        value: batch.tombstones?.includes(offset) ? null : Buffer.from(`{"offset":${offset}}`),
        headers: {},
      })),
      heartbeat: async () => undefined,
      isStale: () => batch.isStale?.() ?? false,
    });
  };
  return {
    consumer,
    calls,
    deliver,
    crash: (error: Error) => crash?.(error),
    progress: (update: FetchProgress) => progress?.(update),
    assign: (assignment: readonly TopicPartitionList[]) => assign?.(assignment),
  };
}

const topics = new Map([
  ['weft.src.pay_done', 'pay_done'],
  ['weft.src.receipt', 'receipt'],
]);

/** A source over `consumer` for `topics`, started: from the beginning, 100 queued inputs unless overridden. */
async function startedSource(
  consumer: KafkaConsumer,
  options: Partial<KafkaSourceOptions> = {},
): Promise<KafkaSource> {
  const source = createKafkaSource({
    consumer,
    topics,
    fromBeginning: true,
    maxQueued: 100,
    ...options,
  });
  await source.start();
  return source;
}

describe('createKafkaSource', () => {
  it('subscribes, maps topics to sources and carries topic/partition/offset origins', async () => {
    const fake = fakeConsumer();
    const lags: unknown[] = [];
    const source = await startedSource(fake.consumer, { onBatch: (info) => lags.push(info) });
    expect(fake.calls).toEqual([
      'connect',
      'subscribe weft.src.pay_done,weft.src.receipt true',
      'run',
    ]);
    await fake.deliver({ topic: 'weft.src.receipt', partition: 2, offsets: ['5', '6'] });
    await source.stop();
    const inputs: RawInput[] = [];
    for await (const input of source.inputs) inputs.push(input);
    expect(inputs.map((i) => [i.source, i.origin, i.bytes.toString(), i.timestamp])).toEqual([
      [
        'receipt',
        { topic: 'weft.src.receipt', partition: 2, offset: '5' },
        '{"offset":5}',
        1_764_000_000_000,
      ],
      [
        'receipt',
        { topic: 'weft.src.receipt', partition: 2, offset: '6' },
        '{"offset":6}',
        1_764_000_000_000,
      ],
    ]);
    // Reported as the pipeline takes each input: what is queued counts as lag.
    expect(lags).toEqual([
      { topic: 'weft.src.receipt', partition: 2, highWatermark: '100', lastOffset: '5' },
      { topic: 'weft.src.receipt', partition: 2, highWatermark: '100', lastOffset: '6' },
    ]);
  });

  it('pauses every topic when the queue is full and resumes when it drained, losing nothing', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer, { fromBeginning: false, maxQueued: 4 });
    await fake.deliver({ offsets: ['0', '1', '2'] });
    expect(fake.calls).not.toContain('pause weft.src.pay_done,weft.src.receipt');
    await fake.deliver({ offsets: ['3', '4', '5'] });
    expect(fake.calls.filter((c) => c.startsWith('pause'))).toEqual([
      'pause weft.src.pay_done,weft.src.receipt',
    ]);
    const iterator = source.inputs[Symbol.asyncIterator]();
    const offsets: string[] = [];
    for (let i = 0; i < 4; i += 1) offsets.push((await iterator.next()).value?.origin.offset ?? '');
    expect(fake.calls.filter((c) => c.startsWith('resume'))).toEqual([
      'resume weft.src.pay_done,weft.src.receipt',
    ]);
    await source.stop();
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      offsets.push(r.value.origin.offset ?? '');
    }
    expect(offsets).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('drops stale batches (they are redelivered after the rebalance) and keeps tombstones as empty inputs', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer, { maxQueued: 10 });
    await fake.deliver({ offsets: ['0'], isStale: () => true });
    await fake.deliver({ offsets: ['0'], tombstones: ['0'] });
    await source.stop();
    const inputs: RawInput[] = [];
    for await (const input of source.inputs) inputs.push(input);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.bytes.length).toBe(0);
  });

  it('ends the input stream with the error when the consumer crashes for good', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer, { maxQueued: 10 });
    fake.crash(new Error('group coordinator not available'));
    await expect(
      (async () => {
        for await (const _ of source.inputs) void _;
      })(),
    ).rejects.toThrow('group coordinator not available');
  });

  it('seeks assigned partitions to their start offsets and enqueues each offset once', async () => {
    const fake = fakeConsumer();
    const assigned: string[] = [];
    const source = await startedSource(fake.consumer, {
      startOffsets: new Map([[partitionKey('weft.src.pay_done', 1), '7']]),
      onAssignment: (assignment) => assigned.push(JSON.stringify(assignment)),
    });
    fake.assign([{ topic: 'weft.src.pay_done', partitions: [0, 1] }]);
    expect(fake.calls.filter((c) => c.startsWith('seek'))).toEqual(['seek weft.src.pay_done[1]@7']);
    expect(assigned).toHaveLength(1);
    // A batch fetched from an older position is cut at the start offset.
    await fake.deliver({ partition: 1, offsets: ['5', '6', '7', '8'] });
    // After a rejoin the partition is sought to the next offset not enqueued, and redeliveries are skipped.
    fake.assign([{ topic: 'weft.src.pay_done', partitions: [1] }]);
    expect(fake.calls.filter((c) => c.startsWith('seek')).at(-1)).toBe(
      'seek weft.src.pay_done[1]@9',
    );
    await fake.deliver({ partition: 1, offsets: ['8', '9'] });
    await source.stop();
    const offsets: string[] = [];
    for await (const input of source.inputs) offsets.push(input.origin.offset ?? '');
    expect(offsets).toEqual(['7', '8', '9']);
  });

  it('is caught up only when nothing is queued and no partition has messages left in Kafka', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer);
    expect(source.caughtUp).toBe(true);
    fake.assign([{ topic: 'weft.src.pay_done', partitions: [0, 1] }]);
    await fake.deliver({ partition: 0, offsets: ['0', '1'], highWatermark: '10' });
    await fake.deliver({ partition: 1, offsets: ['0'], highWatermark: '1' });
    const inputs = source.inputs[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i += 1) await inputs.next();
    expect(source.queued).toBe(0);
    expect(source.caughtUp).toBe(false); // partition 0 has 8 more messages to fetch
    await fake.deliver({
      partition: 0,
      offsets: ['2', '3', '4', '5', '6', '7', '8', '9'],
      highWatermark: '10',
    });
    for (let i = 0; i < 8; i += 1) await inputs.next();
    expect(source.caughtUp).toBe(true);
    await fake.deliver({ partition: 1, offsets: ['1'], highWatermark: '50' });
    await inputs.next();
    expect(source.caughtUp).toBe(false);
    fake.assign([{ topic: 'weft.src.pay_done', partitions: [0] }]); // partition 1 went to another member
    expect(source.caughtUp).toBe(true);
  });

  it("is caught up past a transaction's marker: the consumer's progress, not the last record, counts", async () => {
    const fake = fakeConsumer();
    const fetched: string[] = [];
    const source = await startedSource(fake.consumer, {
      onFetched: (topic, partition) => fetched.push(`${topic}[${partition}]`),
    });
    fake.assign([{ topic: 'weft.src.pay_done', partitions: [0] }]);
    // Records 0–2 of a committed transaction; its commit marker is offset 3.
    await fake.deliver({ partition: 0, offsets: ['0', '1', '2'], highWatermark: '4' });
    const inputs = source.inputs[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i += 1) await inputs.next();
    expect(source.caughtUp).toBe(false);
    expect(source.positionAfter('weft.src.pay_done', 0, 3n)).toBe(3n);
    fake.progress({
      topic: 'weft.src.pay_done',
      partition: 0,
      nextOffset: '4',
      highWatermark: '4',
    });
    expect(source.caughtUp).toBe(true);
    expect(fetched).toEqual(['weft.src.pay_done[0]']);
    // Processed through record 2, the marker after it is no lag; through record 1, record 2 is.
    expect(source.positionAfter('weft.src.pay_done', 0, 3n)).toBe(4n);
    expect(source.positionAfter('weft.src.pay_done', 0, 2n)).toBe(2n);
    // Progress of a partition this member was not assigned changes nothing.
    fake.progress({
      topic: 'weft.src.pay_done',
      partition: 1,
      nextOffset: '0',
      highWatermark: '9',
    });
    expect(source.caughtUp).toBe(true);
    expect(source.backlogged()).toEqual([]);
  });

  it('pauses while any reason holds fetching and resumes only when none does', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer, { maxQueued: 2 });
    source.hold('sink', true);
    await fake.deliver({ offsets: ['0', '1'] }); // the queue is full as well
    const iterator = source.inputs[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next(); // drained: the queue releases its hold, the sink still holds
    expect(fake.calls.filter((c) => /^(pause|resume)/u.test(c))).toEqual([
      'pause weft.src.pay_done,weft.src.receipt',
    ]);
    source.hold('sink', false);
    expect(fake.calls.filter((c) => /^(pause|resume)/u.test(c)).at(-1)).toBe(
      'resume weft.src.pay_done,weft.src.receipt',
    );
    source.interrupt();
    expect((await iterator.next()).done).toBe(true);
  });

  it('pauses the partitions alignment names, and keeps them paused across a hold', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer);
    const pauses = () => fake.calls.filter((c) => /^(pause|resume)/u.test(c));
    source.align([
      { topic: 'weft.src.pay_done', partition: 1 },
      { topic: 'weft.src.receipt', partition: 0 },
    ]);
    expect(pauses()).toEqual(['pause weft.src.pay_done[1],weft.src.receipt[0]']);
    // Only the difference is applied.
    source.align([
      { topic: 'weft.src.pay_done', partition: 1 },
      { topic: 'weft.src.pay_done', partition: 2 },
    ]);
    expect(pauses().slice(1)).toEqual(['resume weft.src.receipt[0]', 'pause weft.src.pay_done[2]']);
    // A hold pauses everything; alignment changes meanwhile wait for its release,
    // which resumes everything and pauses the aligned partitions again.
    source.hold('sink', true);
    source.align([{ topic: 'weft.src.receipt', partition: 3 }]);
    source.hold('sink', false);
    expect(pauses().slice(3)).toEqual([
      'pause weft.src.pay_done,weft.src.receipt',
      'resume weft.src.pay_done,weft.src.receipt',
      'pause weft.src.receipt[3]',
    ]);
    source.align([]);
    expect(pauses().at(-1)).toBe('resume weft.src.receipt[3]');
  });

  it('lists the partitions with records left after their last fetched batch', async () => {
    const fake = fakeConsumer();
    const source = await startedSource(fake.consumer);
    fake.assign([
      { topic: 'weft.src.pay_done', partitions: [0, 1] },
      { topic: 'weft.src.receipt', partitions: [0] },
    ]);
    await fake.deliver({ partition: 0, offsets: ['0', '1'], highWatermark: '10' });
    await fake.deliver({ partition: 1, offsets: ['0', '1'], highWatermark: '2' });
    await fake.deliver({ topic: 'weft.src.receipt', offsets: ['5'], highWatermark: '9' });
    expect(source.backlogged()).toEqual([
      { topic: 'weft.src.pay_done', partition: 0 },
      { topic: 'weft.src.receipt', partition: 0 },
    ]);
  });
});
