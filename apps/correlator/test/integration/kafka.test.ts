import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKafkajsClient } from '../../src/kafka/index.js';
import type { ConsumedMessage, KafkaClient } from '../../src/kafka/index.js';
import { serviceEnv } from './env.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');

describe.skipIf(kafkaEnv.skip)('kafkajs client against a real broker', () => {
  let client: KafkaClient;
  const topic = `weft.test.kafka-client.${randomUUID()}`;

  beforeAll(async () => {
    client = createKafkajsClient({
      brokers: (kafkaEnv.value ?? '').split(','),
      clientId: 'weft-integration-test',
    });
    const admin = client.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics([{ topic, numPartitions: 2 }])).toBe(true);
      expect(await admin.createTopics([{ topic, numPartitions: 2 }])).toBe(false);
    } finally {
      await admin.disconnect();
    }
  });

  it('produces keyed messages and consumes them with their origin, then commits', async () => {
    const sentAt = Date.now();
    const producer = client.producer();
    await producer.connect();
    await producer.send(topic, [
      { key: 'O1', value: '{"order_id":"O1"}', headers: { source: 'pay_done' } },
      { key: 'O1', value: Buffer.from('{"order_id":"O1","n":2}') },
    ]);
    await producer.disconnect();

    const groupId = `weft-test-${randomUUID()}`;
    const received = await consumeCount(client, groupId, topic, 2);
    const [first, second] = received;
    expect(received.map((m) => m.value?.toString())).toEqual([
      '{"order_id":"O1"}',
      '{"order_id":"O1","n":2}',
    ]);
    // One key, one partition, consecutive offsets from 0.
    expect(first?.topic).toBe(topic);
    expect(second?.partition).toBe(first?.partition);
    expect([first?.offset, second?.offset]).toEqual(['0', '1']);
    expect(first?.key?.toString()).toBe('O1');
    expect(first?.headers.source?.toString()).toBe('pay_done');
    expect(first?.timestamp).toBeGreaterThanOrEqual(sentAt - 5_000);

    const admin = client.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicEndOffsets(topic);
      expect(ends.find((e) => e.partition === first?.partition)?.offset).toBe('2');
      const fromFuture = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() + 60_000);
      expect(sortedOffsets(fromFuture)).toEqual(sortedOffsets(ends));
      const fromPast = await admin.fetchTopicOffsetsByTimestamp(topic, sentAt - 60_000);
      expect(fromPast.find((e) => e.partition === first?.partition)?.offset).toBe('0');
    } finally {
      await admin.disconnect();
    }
  });

  it('resumes a group from its committed offset, not from the beginning', async () => {
    const resumeTopic = `${topic}.resume`;
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics([{ topic: resumeTopic, numPartitions: 1 }]);
    await admin.disconnect();
    const producer = client.producer();
    await producer.connect();
    await producer.send(resumeTopic, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    await producer.disconnect();

    const groupId = `weft-test-${randomUUID()}`;
    await consumeCount(client, groupId, resumeTopic, 3, { topic: resumeTopic, nextOffset: '2' });
    const again = await consumeCount(client, groupId, resumeTopic, 1);
    expect(again.map((m) => [m.offset, m.value?.toString()])).toEqual([['2', 'c']]);
  });
});

/** Consumes until `count` messages arrived, optionally commits, then leaves the group. */
async function consumeCount(
  client: KafkaClient,
  groupId: string,
  topic: string,
  count: number,
  commit?: { topic: string; nextOffset: string },
): Promise<ConsumedMessage[]> {
  const consumer = client.consumer({ groupId });
  const received: ConsumedMessage[] = [];
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run(async (batch) => {
      received.push(...batch.messages);
      if (received.length >= count) reached();
    });
    await withTimeout(done, 20_000, `consuming ${count} message(s) from ${topic}`);
    if (commit) await consumer.commit([{ ...commit, partition: 0 }]);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

function sortedOffsets(entries: readonly { partition: number; offset: string }[]): string[] {
  return [...entries].sort((a, b) => a.partition - b.partition).map((e) => e.offset);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
