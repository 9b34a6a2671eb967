import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkajsClient } from '../../src/kafka/index.js';
import type { KafkaClient } from '../../src/kafka/index.js';
import { createKafkaSource, openKafkaHistory } from '../../src/sources/index.js';
import type { RawInput } from '../../src/sources/index.js';
import { serviceEnv } from './env.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');

/** Resolves with `work`'s value, or fails saying what did not finish within `ms`. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Topics written by a transactional producer (Kafka Streams, Flink's
 * exactly-once sinks): each committed transaction leaves a commit marker
 * that takes an offset but is never delivered, so the last record's offset
 * + 1 stays below the end offset. A history read must still end, and a live
 * source must still see itself caught up.
 */
describe.skipIf(kafkaEnv.skip)('reading topics written in transactions', () => {
  const brokers = (kafkaEnv.value ?? '').split(',');
  const topic = `weft.test.transactions.${randomUUID()}`;
  const topics = new Map([[topic, 'pay_done']]);
  let client: KafkaClient;

  beforeAll(async () => {
    client = createKafkajsClient({ brokers, clientId: 'weft-test-transactions' });
    const admin = client.admin();
    await admin.connect();
    await admin.createTopics([{ topic, numPartitions: 1 }]);
    await admin.disconnect();
    const kafka = new Kafka({
      brokers,
      clientId: 'weft-test-tx-producer',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({
      transactionalId: `weft-test-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    for (let batch = 0; batch < 2; batch += 1) {
      const transaction = await producer.transaction();
      await transaction.send({
        topic,
        messages: [0, 1, 2].map((n) => ({ value: JSON.stringify({ batch, n }) })),
      });
      await transaction.commit();
    }
    await producer.disconnect();
  }, 60_000);

  afterAll(async () => {
    const admin = client.admin();
    await admin.connect();
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  });

  it('has an end offset past its last record (two commit markers)', async () => {
    const admin = client.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicEndOffsets(topic);
    await admin.disconnect();
    // 6 records at offsets 0–2 and 4–6, markers at 3 and 7.
    expect(end?.offset).toBe('8');
  });

  it('reads the history to its end offset and finishes', async () => {
    const history = await openKafkaHistory({
      kafka: client,
      topics,
      from: Number.NEGATIVE_INFINITY,
    });
    const read: RawInput[] = [];
    await within(
      30_000,
      'the history read',
      (async () => {
        for await (const input of history.inputs) read.push(input);
      })(),
    );
    expect(read.map((input) => input.origin.offset)).toEqual(['0', '1', '2', '4', '5', '6']);
  }, 60_000);

  it('counts a live source caught up once it has read every record', async () => {
    const consumer = client.consumer({ groupId: `weft-test-${randomUUID()}` });
    const source = createKafkaSource({ consumer, topics, fromBeginning: true, maxQueued: 100 });
    await source.start();
    try {
      const inputs = source.inputs[Symbol.asyncIterator]();
      for (let i = 0; i < 6; i += 1) await within(30_000, `record ${i}`, inputs.next());
      await within(
        30_000,
        'the source catching up',
        (async () => {
          while (!source.caughtUp) await new Promise((resolve) => setTimeout(resolve, 50));
        })(),
      );
      expect(source.backlogged()).toEqual([]);
      // Every record processed (the next is 7): the lag counts from past the final marker.
      expect(source.positionAfter(topic, 0, 7n)).toBe(8n);
    } finally {
      await source.stop();
    }
  }, 60_000);
});
