import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createInProcessKafka } from './in-process-kafka.js';
import type { InProcessKafka, InProcessKafkaOptions } from './in-process-kafka.js';
import type { ConsumedBatch, KafkaConsumer, SubscribeOptions } from './kafka-client.js';

const TOPIC = 'weft.src.pay_done';

/**
 * Polls `condition` on every turn of the event loop (setImmediate, which the
 * fake-timer test leaves real) until it holds; fails with `what` after `timeoutMs`.
 */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const eventLoopTurns = async (count: number): Promise<void> => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** Lets the fetch loop run for a while, to show that it delivers nothing. */
const settle = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function kafkaWithTopic(partitions: number, options?: InProcessKafkaOptions) {
  const kafka = createInProcessKafka(options);
  await kafka.admin().createTopics([{ topic: TOPIC, numPartitions: partitions }]);
  return kafka;
}

/** A consumer of TOPIC recording every batch it is handed. */
async function recordingConsumer(
  kafka: InProcessKafka,
  groupId: string,
  subscribe: Partial<SubscribeOptions> = {},
  prepare: (consumer: KafkaConsumer) => void = () => undefined,
) {
  const consumer = kafka.consumer({ groupId });
  const batches: ConsumedBatch[] = [];
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true, ...subscribe });
  prepare(consumer);
  await consumer.run(async (batch) => {
    batches.push(batch);
  });
  const offsets = (partition: number): string[] =>
    batches
      .filter((batch) => batch.partition === partition)
      .flatMap((batch) => batch.messages.map((message) => message.offset));
  const values = (): string[] =>
    batches.flatMap((batch) => batch.messages.map((message) => String(message.value)));
  return { consumer, batches, offsets, values };
}

describe('createInProcessKafka', () => {
  it('delivers each partition in offset order, with sequential offsets, buffers and the end offset', async () => {
    const kafka = await kafkaWithTopic(2, { now: () => 1_000 });
    const producer = kafka.producer();
    await producer.send(TOPIC, [
      { partition: 0, key: 'a', value: 'p0-first', headers: { trace: 't1' } },
      { partition: 1, value: 'p1-first', timestamp: 7 },
      { partition: 0, value: Buffer.from('p0-second') },
    ]);
    const { consumer, batches, offsets } = await recordingConsumer(kafka, 'g');
    await until(() => offsets(0).length === 2 && offsets(1).length === 1, 'three messages');
    await producer.send(TOPIC, [{ partition: 0, value: 'p0-third' }]);
    await until(() => offsets(0).length === 3, 'the third message of partition 0');

    expect(offsets(0)).toEqual(['0', '1', '2']);
    expect(offsets(1)).toEqual(['0']);
    const first = batches.find((batch) => batch.partition === 0);
    expect(first?.highWatermark).toBe('2');
    expect(first?.messages.map((message) => message.value?.toString())).toEqual([
      'p0-first',
      'p0-second',
    ]);
    expect(first?.messages[0]).toMatchObject({
      topic: TOPIC,
      partition: 0,
      timestamp: 1_000,
      key: Buffer.from('a'),
      headers: { trace: Buffer.from('t1') },
    });
    expect(first?.messages[1]?.key).toBeNull();
    expect(batches.find((batch) => batch.partition === 1)?.messages[0]?.timestamp).toBe(7);
    await consumer.disconnect();
  });

  it('hands out at most maxBatch messages per batch, taking partitions in turn', async () => {
    const kafka = await kafkaWithTopic(2, { maxBatch: 2 });
    await kafka
      .producer()
      .send(TOPIC, [
        ...['a', 'b', 'c'].map((value) => ({ partition: 0, value })),
        ...['x', 'y', 'z'].map((value) => ({ partition: 1, value })),
      ]);
    const { consumer, batches, values } = await recordingConsumer(kafka, 'g');
    await until(() => values().length === 6, 'six messages');

    expect(batches.map((batch) => `${batch.partition}:${batch.messages.length}`)).toEqual([
      '0:2',
      '1:2',
      '0:1',
      '1:1',
    ]);
    expect(values()).toEqual(['a', 'b', 'x', 'y', 'c', 'z']);
    await consumer.disconnect();
  });

  it('yields to the event loop between batches, so a backlog does not starve timers and I/O', async () => {
    const kafka = await kafkaWithTopic(1, { maxBatch: 1 });
    await kafka.producer().send(
      TOPIC,
      Array.from({ length: 1_000 }, (_, index) => ({ value: `${index}` })),
    );
    const { consumer, batches } = await recordingConsumer(kafka, 'g');
    const handledBeforeOtherWork = await new Promise<number>((resolve) =>
      setImmediate(() => resolve(batches.length)),
    );
    expect(handledBeforeOtherWork).toBeLessThan(5);
    await until(() => batches.length === 1_000, 'the whole backlog');
    await consumer.disconnect();
  });

  it('keeps every message of a key on one partition, and spreads keyless messages round-robin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.integer({ min: 1, max: 5 }), async (key, count) => {
        const kafka = await kafkaWithTopic(4);
        const messages = Array.from({ length: count }, (_, index) => ({ key, value: `${index}` }));
        for (const message of messages) await kafka.producer().send(TOPIC, [message]);
        const ends = await kafka.admin().fetchTopicEndOffsets(TOPIC);
        expect(ends.map((end) => end.offset).sort()).toEqual(['0', '0', '0', String(count)]);
      }),
      { numRuns: 50 },
    );

    const kafka = await kafkaWithTopic(3);
    await kafka.producer().send(
      TOPIC,
      Array.from({ length: 7 }, (_, index) => ({ value: `${index}` })),
    );
    const ends = await kafka.admin().fetchTopicEndOffsets(TOPIC);
    expect(ends).toEqual([
      { partition: 0, offset: '3' },
      { partition: 1, offset: '2' },
      { partition: 2, offset: '2' },
    ]);
  });

  it('sends the same key to the same partition in another instance, and different keys to several', async () => {
    const partitionsOf = async (keys: readonly string[]) => {
      const kafka = await kafkaWithTopic(8);
      const partitions: number[] = [];
      for (const key of keys) {
        const before = await kafka.admin().fetchTopicEndOffsets(TOPIC);
        await kafka.producer().send(TOPIC, [{ key, value: 'v' }]);
        const after = await kafka.admin().fetchTopicEndOffsets(TOPIC);
        partitions.push(after.findIndex((end, index) => end.offset !== before[index]?.offset));
      }
      return partitions;
    };
    const keys = Array.from({ length: 40 }, (_, index) => `order-${index}`);
    const first = await partitionsOf(keys);
    expect(await partitionsOf(keys)).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(4);
  });

  it('starts a group without committed offsets at the beginning or at the end per fromBeginning', async () => {
    const kafka = await kafkaWithTopic(1);
    const producer = kafka.producer();
    await producer.send(TOPIC, [{ value: 'old-1' }, { value: 'old-2' }]);
    const earliest = await recordingConsumer(kafka, 'from-beginning', { fromBeginning: true });
    const latest = await recordingConsumer(kafka, 'latest', { fromBeginning: false });
    await until(() => earliest.values().length === 2, 'the old messages');
    await settle();
    expect(latest.values()).toEqual([]);

    await producer.send(TOPIC, [{ value: 'new' }]);
    await until(() => latest.values().length === 1, 'the new message');
    expect(latest.offsets(0)).toEqual(['2']);
    await until(() => earliest.values().length === 3, 'the new message, from the beginning');
    expect(earliest.values()).toEqual(['old-1', 'old-2', 'new']);
    await Promise.all([earliest.consumer.disconnect(), latest.consumer.disconnect()]);
  });

  it('resumes a new member of the group at its committed offsets', async () => {
    const kafka = await kafkaWithTopic(2);
    await kafka
      .producer()
      .send(TOPIC, [
        ...['a', 'b', 'c'].map((value) => ({ partition: 0, value })),
        { partition: 1, value: 'x' },
      ]);
    const first = await recordingConsumer(kafka, 'g', { fromBeginning: false });
    await first.consumer.commit([{ topic: TOPIC, partition: 0, nextOffset: '2' }]);
    await first.consumer.disconnect();

    const second = await recordingConsumer(kafka, 'g', { fromBeginning: true });
    await until(() => second.values().length === 2, 'the uncommitted messages');
    expect(second.offsets(0)).toEqual(['2']);
    expect(second.offsets(1)).toEqual(['0']);
    await second.consumer.disconnect();
  });

  it('starts where onAssignment seeks, over the committed offset', async () => {
    const kafka = await kafkaWithTopic(2);
    await kafka.producer().send(
      TOPIC,
      ['a', 'b', 'c', 'd'].map((value) => ({ partition: 0, value })),
    );
    const committer = kafka.consumer({ groupId: 'g' });
    await committer.commit([{ topic: TOPIC, partition: 0, nextOffset: '1' }]);
    let assignment: unknown;
    const { consumer, offsets } = await recordingConsumer(kafka, 'g', {}, (consumer) =>
      consumer.onAssignment((partitions) => {
        assignment = partitions;
        consumer.seek(TOPIC, 0, '3');
      }),
    );
    await until(() => offsets(0).length > 0, 'the first message');

    expect(assignment).toEqual([{ topic: TOPIC, partitions: [0, 1] }]);
    expect(offsets(0)).toEqual(['3']);
    await consumer.disconnect();
  });

  it('stops delivering from paused partitions and restarts on resume', async () => {
    const kafka = await kafkaWithTopic(2);
    const producer = kafka.producer();
    const { consumer, offsets } = await recordingConsumer(kafka, 'g');
    consumer.pause([{ topic: TOPIC }]);
    await producer.send(TOPIC, [
      { partition: 0, value: 'a' },
      { partition: 1, value: 'b' },
    ]);
    await settle();
    expect(offsets(0).length + offsets(1).length).toBe(0);

    consumer.resume([{ topic: TOPIC, partitions: [1] }]);
    await until(() => offsets(1).length === 1, 'the resumed partition');
    await settle();
    expect(offsets(0)).toEqual([]);

    consumer.resume([{ topic: TOPIC }]);
    await until(() => offsets(0).length === 1, 'the paused partition after resume');
    await consumer.disconnect();
  });

  it('wakes an idle consumer at once on a send, a resume and a seek, not on its fallback timer', async () => {
    // setTimeout is faked and never advanced: only the wake-ups can deliver.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const kafka = await kafkaWithTopic(1);
      const producer = kafka.producer();
      const { consumer, offsets } = await recordingConsumer(kafka, 'g');
      await eventLoopTurns(5); // the loop found nothing and waits
      await producer.send(TOPIC, [{ value: 'a' }]);
      await until(() => offsets(0).length === 1, 'the sent message');
      consumer.pause([{ topic: TOPIC }]);
      await producer.send(TOPIC, [{ value: 'b' }]);
      consumer.resume([{ topic: TOPIC }]);
      await until(() => offsets(0).length === 2, 'the message after resume');
      consumer.seek(TOPIC, 0, '0');
      await until(() => offsets(0).length === 4, 'the messages again after the seek');
      expect(offsets(0)).toEqual(['0', '1', '0', '1']);
      await consumer.disconnect();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a batch stale after a seek on its partition during the handler, then redelivers', async () => {
    const kafka = await kafkaWithTopic(1);
    await kafka.producer().send(TOPIC, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const consumer = kafka.consumer({ groupId: 'g' });
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    const seen: { offsets: string[]; stale: boolean }[] = [];
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    await consumer.run(async (batch) => {
      const entry = { offsets: batch.messages.map((message) => message.offset), stale: false };
      seen.push(entry);
      if (seen.length === 1) await firstHeld;
      entry.stale = batch.isStale();
    });
    await until(() => seen.length === 1, 'the first batch');
    consumer.seek(TOPIC, 0, '1');
    releaseFirst();
    await until(() => seen.length === 2, 'the batch after the seek');

    expect(seen).toEqual([
      { offsets: ['0', '1', '2'], stale: true },
      { offsets: ['1', '2'], stale: false },
    ]);
    await consumer.disconnect();
  });

  it('stops on a handler error and tells the onCrash listeners, leaving the group', async () => {
    const kafka = await kafkaWithTopic(1);
    await kafka.producer().send(TOPIC, [{ value: 'a' }]);
    const consumer = kafka.consumer({ groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    const failure = new Error('the sink refused the batch');
    let calls = 0;
    await consumer.run(async () => {
      calls += 1;
      throw failure;
    });
    await until(() => crashes.length === 1, 'the crash');

    expect(crashes[0]).toBe(failure);
    expect(await kafka.admin().describeGroupMembers('g')).toEqual([]);
    await kafka.producer().send(TOPIC, [{ value: 'b' }]);
    await settle();
    expect(calls).toBe(1);
  });

  it('crashes a member whose topic is deleted', async () => {
    const kafka = await kafkaWithTopic(1);
    const consumer = kafka.consumer({ groupId: 'g' });
    const crashes: Error[] = [];
    consumer.onCrash((error) => crashes.push(error));
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await consumer.run(async () => undefined);
    await kafka.admin().deleteTopics([TOPIC]);
    await until(() => crashes.length === 1, 'the crash');
    expect(crashes[0]?.message).toMatch(`topic '${TOPIC}' does not exist`);
  });

  it('refuses a second running member of a group until the first leaves, and lists the member', async () => {
    const kafka = await kafkaWithTopic(1);
    const admin = kafka.admin();
    expect(await admin.describeGroupMembers('g')).toEqual([]);
    const first = await recordingConsumer(kafka, 'g');
    await expect(first.consumer.run(async () => undefined)).rejects.toThrow(
      /group 'g' cannot run: this consumer is already running/,
    );
    const members = await admin.describeGroupMembers('g');
    expect(members).toEqual([
      {
        memberId: expect.stringMatching(/^weft-in-process-/),
        clientId: 'weft-in-process',
        clientHost: 'in-process',
      },
    ]);

    const second = kafka.consumer({ groupId: 'g' });
    await second.subscribe({ topics: [TOPIC], fromBeginning: true });
    await expect(second.run(async () => undefined)).rejects.toThrow(
      /group 'g' cannot run: the group already has a running member/,
    );
    expect(await admin.describeGroupMembers('other')).toEqual([]);

    await first.consumer.disconnect();
    expect(await admin.describeGroupMembers('g')).toEqual([]);
    await second.run(async () => undefined);
    const now = await admin.describeGroupMembers('g');
    expect(now).toHaveLength(1);
    expect(now[0]?.memberId).not.toBe(members[0]?.memberId);
    await second.disconnect();
    expect(await admin.describeGroupMembers('g')).toEqual([]);
  });

  it('waits in disconnect for the handler in progress', async () => {
    const kafka = await kafkaWithTopic(1);
    await kafka.producer().send(TOPIC, [{ value: 'a' }]);
    const consumer = kafka.consumer({ groupId: 'g' });
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    const events: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await consumer.run(async () => {
      events.push('handler started');
      await held;
      events.push('handler finished');
    });
    await until(() => events.length === 1, 'the handler');
    const disconnected = consumer.disconnect().then(() => events.push('disconnected'));
    await settle(5);
    release();
    await disconnected;
    expect(events).toEqual(['handler started', 'handler finished', 'disconnected']);
  });

  it('reports its progress after each batch: the next offset and the end offset', async () => {
    const kafka = await kafkaWithTopic(1);
    await kafka.producer().send(TOPIC, [{ value: 'a' }, { value: 'b' }]);
    const progress: unknown[] = [];
    const { consumer, values } = await recordingConsumer(kafka, 'progress', {}, (c) =>
      c.onProgress?.((p) => progress.push(p)),
    );
    await until(() => values().length === 2 && progress.length === 1, 'one batch and its progress');
    expect(progress).toEqual([{ topic: TOPIC, partition: 0, nextOffset: '2', highWatermark: '2' }]);
    await consumer.disconnect();
  });

  it('answers end offsets and offsets by timestamp per partition', async () => {
    let clock = 100;
    const kafka = await kafkaWithTopic(2, { now: () => clock });
    const producer = kafka.producer();
    await producer.send(TOPIC, [{ partition: 0, value: 'a' }]);
    clock = 200;
    await producer.send(TOPIC, [{ partition: 0, value: 'b' }]);
    await producer.send(TOPIC, [{ partition: 0, value: 'c', timestamp: 300 }]);
    const admin = kafka.admin();

    expect(await admin.fetchTopicEndOffsets(TOPIC)).toEqual([
      { partition: 0, offset: '3' },
      { partition: 1, offset: '0' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC, 150)).toEqual([
      { partition: 0, offset: '1' },
      { partition: 1, offset: '0' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC, 200)).toEqual([
      { partition: 0, offset: '1' },
      { partition: 1, offset: '0' },
    ]);
    expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC, 301)).toEqual([
      { partition: 0, offset: '3' },
      { partition: 1, offset: '0' },
    ]);
  });

  it("drops messages older than the topic's retention.ms, moving its start offset, never renumbering", async () => {
    let now = 10_000;
    const kafka = createInProcessKafka({ now: () => now });
    const admin = kafka.admin();
    await admin.createTopics([
      { topic: TOPIC, numPartitions: 1, configEntries: { 'retention.ms': '1000' } },
    ]);
    const producer = kafka.producer();
    await producer.send(TOPIC, [{ value: 'old-1' }, { value: 'old-2' }]);
    now = 10_600;
    await producer.send(TOPIC, [{ value: 'newer' }]);
    now = 11_500;
    await producer.send(TOPIC, [{ value: 'newest' }]);
    expect(await admin.fetchTopicEndOffsets(TOPIC)).toEqual([{ partition: 0, offset: '4' }]);
    // A group starting from the beginning starts at the log start, not at offset 0.
    const { consumer, offsets, values } = await recordingConsumer(kafka, 'retention');
    await until(() => values().length === 2, 'the two messages retention kept');
    expect(values()).toEqual(['newer', 'newest']);
    expect(offsets(0)).toEqual(['2', '3']);
    expect(await admin.fetchTopicOffsetsByTimestamp(TOPIC, 0)).toEqual([
      { partition: 0, offset: '2' },
    ]);
    await consumer.disconnect();
  });

  it('resets a member whose position retention dropped to the log start', async () => {
    let now = 0;
    const kafka = createInProcessKafka({ now: () => now });
    await kafka
      .admin()
      .createTopics([{ topic: TOPIC, numPartitions: 1, configEntries: { 'retention.ms': '100' } }]);
    const producer = kafka.producer();
    await producer.send(TOPIC, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const { consumer, values } = await recordingConsumer(kafka, 'behind', {}, (c) =>
      c.seek(TOPIC, 0, '1'),
    );
    await until(() => values().length === 2, 'b and c');
    await consumer.disconnect();
    now = 1_000;
    await producer.send(TOPIC, [{ value: 'd' }]);
    const again = await recordingConsumer(kafka, 'behind-2', {}, (c) => c.seek(TOPIC, 0, '1'));
    await until(() => again.values().length === 1, 'd only');
    expect(again.offsets(0)).toEqual(['3']);
    await again.consumer.disconnect();
  });

  it('refuses a retention.ms that is not -1 or whole milliseconds, naming it', async () => {
    const admin = createInProcessKafka().admin();
    await expect(
      admin.createTopics([
        { topic: TOPIC, numPartitions: 1, configEntries: { 'retention.ms': '1h' } },
      ]),
    ).rejects.toThrow(/retention.ms must be -1 or a whole number of milliseconds, got '1h'/u);
    expect(
      await admin.createTopics([
        { topic: TOPIC, numPartitions: 1, configEntries: { 'retention.ms': '-1' } },
      ]),
    ).toBe(true);
  });

  it('creates topics once and deletes them', async () => {
    const kafka = createInProcessKafka();
    const admin = kafka.admin();
    expect(await admin.createTopics([{ topic: 'a', numPartitions: 1 }])).toBe(true);
    expect(await admin.createTopics([{ topic: 'a', numPartitions: 3 }])).toBe(false);
    expect(await admin.fetchTopicEndOffsets('a')).toHaveLength(1);
    await admin.deleteTopics(['a', 'never-created']);
    await expect(admin.fetchTopicEndOffsets('a')).rejects.toThrow(/topic 'a' does not exist/);
    await expect(admin.createTopics([{ topic: 'b', numPartitions: 0 }])).rejects.toThrow(
      /numPartitions must be a positive integer, got 0/,
    );
  });

  it('rejects unknown topics, partitions out of range and a disconnected producer with clear errors', async () => {
    const kafka = await kafkaWithTopic(2);
    const producer = kafka.producer();
    const admin = kafka.admin();
    const unknown = /topic 'nope' does not exist\. Create it first with admin\(\)\.createTopics/;
    await expect(producer.send('nope', [{ value: 'a' }])).rejects.toThrow(unknown);
    await expect(
      kafka.consumer({ groupId: 'g' }).subscribe({ topics: ['nope'], fromBeginning: true }),
    ).rejects.toThrow(unknown);
    await expect(admin.fetchTopicEndOffsets('nope')).rejects.toThrow(unknown);
    await expect(admin.fetchTopicOffsetsByTimestamp('nope', 0)).rejects.toThrow(unknown);
    await expect(
      producer.send(TOPIC, [{ value: 'a' }, { partition: 2, value: 'b' }]),
    ).rejects.toThrow(`topic '${TOPIC}' has partitions 0 to 1, not 2`);
    expect(await admin.fetchTopicEndOffsets(TOPIC)).toEqual([
      { partition: 0, offset: '0' },
      { partition: 1, offset: '0' },
    ]);

    await producer.disconnect();
    await expect(producer.send(TOPIC, [{ value: 'a' }])).rejects.toThrow(
      /producer is disconnected/,
    );
    await producer.connect();
    await producer.send(TOPIC, [{ value: 'a' }]);

    const consumer = kafka.consumer({ groupId: 'g' });
    await expect(consumer.run(async () => undefined)).rejects.toThrow(/subscribed to no topic/);
    expect(() => consumer.seek(TOPIC, 0, '0')).toThrow(/not subscribed to topic/);
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    expect(() => consumer.seek(TOPIC, 0, '-1')).toThrow(
      /offset '-1' is not a non-negative integer/,
    );
  });
});
