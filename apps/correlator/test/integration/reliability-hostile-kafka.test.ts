import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostileCategory, TruthSession } from '@weft/simulator';
import type { Session } from '@weft/templates';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkajsClient } from '../../src/kafka/index.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  deleteTopics,
  freePort,
  liveCorrelateArgs,
  readTruth,
  scratchDir,
  simulateToKafka,
  sleep,
  startCorrelator,
  uniqueName,
  waitForFinalSessions,
  writeTestTemplate,
} from './live-harness.js';
import type { CorrelatorProcess } from './live-harness.js';
import {
  expectExactCorrelation,
  HOSTILE_COUNT,
  hostileBySource,
  memorySummary,
  prototypeGuardOptions,
} from '../support/reliability-hostile.js';
import { opsProbe } from '../support/reliability-services.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const templateId = 'in-app-purchase';
const PARTITIONS = 3;
/** Peak resident memory the correlator may reach on this input (measured ~250 MiB). */
const RSS_LIMIT_MIB = 768;

/**
 * Issue #10, hostile input through the Kafka source: 100,000 adversarial
 * payloads, half produced before and half after a simulated in-app-purchase
 * run into the same topics, consumed by the live `weft correlate --kafka`.
 * Every hostile payload must be stored as a dead letter with a reason and its
 * topic/partition/offset, the valid records must correlate with 100%
 * precision and recall, memory must stay bounded, and nothing may reach the
 * shared prototypes of the correlator process.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)(
  'weft correlate --kafka on 100,000 hostile payloads',
  () => {
    const brokers = kafkaEnv.value ?? '';
    const prefix = uniqueName('hostile');
    const producedPerTopic = new Map<string, number>();
    let categories: Map<HostileCategory, number>;
    let scratch: Awaited<ReturnType<typeof scratchDir>>;
    let database: Awaited<ReturnType<typeof createDatabase>>;
    let truth: TruthSession[];
    let simulatedDeadLetters: number;
    let sessions: Session[];
    let stderr: string;
    let rssSamples: number[];
    let correlator: CorrelatorProcess | undefined;

    beforeAll(async () => {
      scratch = await scratchDir();
      const template = await writeTestTemplate(scratch.path);
      const hostile = hostileBySource(29);
      categories = hostile.categories;
      await createSourceTopics(brokers, prefix, [...hostile.bySource.keys()]);
      await produceHostile(brokers, prefix, hostile.bySource, 0, producedPerTopic);
      const data = join(scratch.path, 'data');
      simulateToKafka({ brokers, prefix, dir: data, orders: 300, seed: 29 });
      await produceHostile(brokers, prefix, hostile.bySource, 1, producedPerTopic);
      truth = await readTruth(data);
      const manifest = JSON.parse(await readFile(join(data, 'manifest.json'), 'utf8')) as {
        counts: { deadLetters: number };
      };
      simulatedDeadLetters = manifest.counts.deadLetters;

      database = await createDatabase(mysqlEnv.value ?? '');
      const httpPort = await freePort();
      correlator = startCorrelator(
        [
          ...liveCorrelateArgs({
            template,
            brokers,
            db: database.url,
            prefix,
            group: `${prefix}g`,
            checkpointDir: join(scratch.path, 'checkpoints'),
          }),
          '--kafka-session-timeout',
          '6s',
          '--http-port',
          String(httpPort),
          '--log-level',
          'warn',
        ],
        { NODE_OPTIONS: prototypeGuardOptions() },
      );
      const ops = opsProbe(httpPort);
      rssSamples = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const rss = (await ops.metrics()).get('weft_process_resident_memory_bytes');
          if (rss !== undefined) rssSamples.push(rss);
          await sleep(250);
        }
      })();
      const expected = truth.reduce((sum, entry) => sum + entry.expected.length, 0);
      try {
        sessions = await waitForFinalSessions({
          brokers,
          prefix,
          db: database.url,
          templateId,
          expected,
          timeoutMs: 600_000,
        });
        await untilDeadLetters(database.url, HOSTILE_COUNT + simulatedDeadLetters, 60_000);
      } finally {
        sampling = false;
        await sampler;
        correlator.child.kill('SIGTERM');
      }
      expect(await correlator.exited, correlator.stderr().slice(-3_000)).toBe(0);
      stderr = correlator.stderr();
      const memory = memorySummary(rssSamples);
      console.info(
        `[weft] hostile-kafka: ${HOSTILE_COUNT} hostile + ${simulatedDeadLetters} simulated dead letters, ` +
          `${sessions.length} sessions, correlator RSS peak ${memory.peakMiB} MiB, last ${memory.lastMiB} MiB ` +
          `(${rssSamples.length} samples)`,
      );
    }, 1_200_000);

    afterAll(async () => {
      if (correlator?.child.exitCode === null) correlator.child.kill('SIGKILL');
      await database?.drop();
      await deleteTopics(brokers, prefix);
      await scratch?.dispose();
    });

    it('produced every hostile category', () => {
      expect(categories.size).toBe(12);
    });

    it('stores every hostile payload as a dead letter with a reason and its Kafka origin', async () => {
      const letters = await deadLetterRows(database.url);
      expect(letters.length).toBe(HOSTILE_COUNT + simulatedDeadLetters);
      const perTopic = new Map<string, number>();
      const origins = new Set<string>();
      const bad: string[] = [];
      for (const letter of letters) {
        const origin = JSON.parse(letter.origin_json) as Record<string, unknown>;
        const { topic, partition, offset } = origin;
        const ok =
          letter.reason.trim() !== '' &&
          typeof topic === 'string' &&
          topic.startsWith('weft.it.hostile.') &&
          typeof partition === 'number' &&
          typeof offset === 'string' &&
          /^\d+$/u.test(offset);
        if (!ok) bad.push(`${letter.reason} ${letter.origin_json}`);
        origins.add(`${String(topic)}/${String(partition)}/${String(offset)}`);
        perTopic.set(String(topic), (perTopic.get(String(topic)) ?? 0) + 1);
      }
      expect(bad.slice(0, 5)).toEqual([]);
      expect(origins.size).toBe(letters.length);
      for (const [topic, produced] of producedPerTopic) {
        expect(perTopic.get(topic) ?? 0, topic).toBeGreaterThanOrEqual(produced);
      }
    }, 180_000);

    it('correlates the valid records around them with 100% precision and recall', () => {
      expectExactCorrelation(expect, truth, sessions);
    });

    it('keeps memory bounded and the prototypes clean, without a crash', () => {
      expect(rssSamples.length).toBeGreaterThan(10);
      expect(memorySummary(rssSamples).peakMiB).toBeLessThan(RSS_LIMIT_MIB);
      expect(stderr).toContain('[weft] prototypes clean');
      expect(stderr).not.toContain('PROTOTYPE POLLUTED');
      expect(JSON.stringify(sessions)).not.toContain('polluted');
    });
  },
);

async function createSourceTopics(
  brokers: string,
  prefix: string,
  sources: readonly string[],
): Promise<void> {
  const admin = createKafkajsClient({
    brokers: brokers.split(','),
    clientId: 'weft-test-hostile',
  }).admin();
  await admin.connect();
  try {
    await admin.createTopics(
      sources.map((source) => ({ topic: `${prefix}${source}`, numPartitions: PARTITIONS })),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Produces one half (0 or 1) of each source's hostile lines, spread over the partitions. */
async function produceHostile(
  brokers: string,
  prefix: string,
  bySource: ReadonlyMap<string, Buffer[]>,
  half: 0 | 1,
  produced: Map<string, number>,
): Promise<void> {
  const producer = createKafkajsClient({
    brokers: brokers.split(','),
    clientId: 'weft-test-hostile',
  }).producer();
  await producer.connect();
  try {
    for (const [source, lines] of bySource) {
      const middle = Math.ceil(lines.length / 2);
      const part = half === 0 ? lines.slice(0, middle) : lines.slice(middle);
      const topic = `${prefix}${source}`;
      for (let partition = 0; partition < PARTITIONS; partition += 1) {
        const mine = part.filter((_, i) => i % PARTITIONS === partition);
        for (const batch of byteBatches(mine, 512 * 1024)) {
          await producer.send(
            topic,
            batch.map((value) => ({ partition, value })),
          );
        }
      }
      produced.set(topic, (produced.get(topic) ?? 0) + part.length);
    }
  } finally {
    await producer.disconnect();
  }
}

/** Consecutive slices of at most `maxBytes` each (the broker's default record batch limit is 1 MiB). */
function* byteBatches(values: readonly Buffer[], maxBytes: number): Generator<Buffer[]> {
  let batch: Buffer[] = [];
  let bytes = 0;
  for (const value of values) {
    if (batch.length > 0 && bytes + value.length > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(value);
    bytes += value.length + 64;
  }
  if (batch.length > 0) yield batch;
}

async function deadLetterRows(url: string): Promise<{ reason: string; origin_json: string }[]> {
  const connection = await createConnection(url);
  try {
    const [rows] = await connection.query('SELECT reason, origin_json FROM dead_letters');
    return rows as { reason: string; origin_json: string }[];
  } finally {
    await connection.end();
  }
}

async function untilDeadLetters(url: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const connection = await createConnection(url);
    const [rows] = await connection.query('SELECT COUNT(*) AS n FROM dead_letters');
    await connection.end();
    if (Number((rows as { n: number }[])[0]?.n) >= count || Date.now() > deadline) return;
    await sleep(500);
  }
}
