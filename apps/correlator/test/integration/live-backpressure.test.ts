import { join } from 'node:path';
import { scoreSessions } from '@weft/simulator';
import type { TruthSession } from '@weft/simulator';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import { loadTemplate } from '@weft/templates';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthChecks } from '../../src/http/index.js';
import { createKafkajsClient } from '../../src/kafka/index.js';
import type { KafkaClient, KafkaConsumer } from '../../src/kafka/index.js';
import { checkpointStore } from '../../src/live/checkpoint-store.js';
import { runLive } from '../../src/live/live-run.js';
import { prepareLiveStart } from '../../src/live/live-start.js';
import { listPartitions, sourceTopics } from '../../src/live/source-topics.js';
import { createLogger } from '../../src/logging.js';
import { createMetrics } from '../../src/metrics.js';
import { createStoreSink } from '../../src/pipeline/index.js';
import type { SinkBatch } from '../../src/pipeline/index.js';
import { eventSourceIds } from '../../src/correlate/template-ref.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  deleteTopics,
  pushWatermarkSentinel,
  readTruth,
  scratchDir,
  simulateToKafka,
  sleep,
  storedSessions,
  uniqueName,
  writeTestTemplate,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

/**
 * The store goes down in the middle of a live run (every write fails for a
 * while): the pipeline must pause every source topic, report the sink as
 * unhealthy, and once the store is back resume and store everything, with
 * nothing lost (scored against the truth).
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('live pipeline while the store is down', () => {
  const brokers = kafkaEnv.value ?? '';
  const prefix = uniqueName('outage');
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let templatePath: string;
  let truth: TruthSession[];

  beforeAll(async () => {
    scratch = await scratchDir();
    templatePath = await writeTestTemplate(scratch.path);
    simulateToKafka({ brokers, prefix, dir: join(scratch.path, 'data'), orders: 300, seed: 23 });
    truth = await readTruth(join(scratch.path, 'data'));
  }, 60_000);

  afterAll(async () => {
    await scratch?.dispose();
    await deleteTopics(brokers, prefix);
  });

  it('pauses the topics while writes fail, resumes when the store is back, and loses nothing', async () => {
    const database = await createDatabase(mysqlEnv.value ?? '');
    const store = await openStore(database.url);
    const abort = new AbortController();
    try {
      await applyMigrations(store);
      const template = loadTemplate(JSON.parse(await readFile(templatePath, 'utf8')));
      const pauses: string[] = [];
      const kafka = recordingPauses(
        createKafkajsClient({ brokers: brokers.split(','), clientId: 'weft-test-outage' }),
        pauses,
      );
      const topics = sourceTopics(eventSourceIds(template), prefix);
      const admin = kafka.admin();
      await admin.connect();
      const partitions = await listPartitions(admin, [...topics.keys()]);
      await admin.disconnect();
      const outage = storeOutage(store);
      const health = createHealthChecks();
      const metrics = createMetrics({ processMetrics: false });
      const recordsIn = async () =>
        (await metrics.recordsIn.get()).values.reduce((sum, v) => sum + v.value, 0);
      const start = await prepareLiveStart({
        template,
        partitions,
        groupId: `${prefix}g`,
        checkpoints: checkpointStore(join(scratch.path, 'checkpoints')),
        claimEpoch: (atLeast) => store.epochs.claim(template.id, atLeast),
        now: Date.now,
        onInvalid: () => undefined,
      });
      const run = runLive({
        templateId: template.id,
        kafka,
        groupId: `${prefix}g`,
        topics,
        lateTopic: null,
        lateStore: store,
        partitions,
        fromBeginning: true,
        sessionTimeoutMs: 6_000,
        start,
        sink: outage.sink,
        sinkOptions: { batchMaxRecords: 20, batchMaxDelayMs: 20, maxQueued: 100 },
        limits: { maxBytes: 1 << 20, maxDepth: 64 },
        metrics,
        logger: createLogger({ level: 'silent' }),
        health,
        now: Date.now,
        signal: abort.signal,
        checkpointIntervalMs: 1_000,
      });

      await waitFor(() => outage.failedWrites > 0, 30_000);
      await waitFor(() => pauses.includes('pause'), 10_000);
      const unhealthy = await health.run();
      expect(unhealthy.ok).toBe(false);
      expect(unhealthy.checks.sink?.detail).toContain('store is down (test outage)');
      const before = await recordsIn();
      await sleep(2_000);
      expect(await recordsIn()).toBe(before); // held: nothing is processed while the store is down
      outage.end();
      await waitFor(() => pauses.at(-1) === 'resume', 30_000);

      const expected = truth.reduce((sum, entry) => sum + entry.expected.length, 0);
      const deadline = Date.now() + 60_000;
      let sessions = await storedSessions(database.url, template.id);
      while (Date.now() < deadline) {
        await pushWatermarkSentinel(brokers, prefix);
        sessions = await storedSessions(database.url, template.id);
        if (sessions.length === expected && sessions.every((s) => s.status === 'closed')) break;
        await sleep(1_000);
      }
      expect((await health.run()).ok).toBe(true);
      abort.abort();
      await run;

      const report = scoreSessions(truth, sessions);
      expect(report.assignment.pairwise.precision).toBe(1);
      expect(report.assignment.pairwise.recall).toBe(1);
      expect(report.assignment.missingRecords).toBe(0);
    } finally {
      abort.abort();
      await store.close();
      await database.drop();
    }
  }, 180_000);
});

/** The real store sink, except that every write fails until `end()`, as with a database that is down. */
function storeOutage(store: Store) {
  const real = createStoreSink(store);
  let down = true;
  let writes = 0;
  const state = {
    failedWrites: 0,
    end: () => (down = false),
    sink: {
      async write(batch: SinkBatch): Promise<void> {
        writes += 1;
        // The first writes succeed, so the outage starts in the middle of the run.
        if (down && writes > 3) {
          state.failedWrites += 1;
          throw new Error('store is down (test outage)');
        }
        await real.write(batch);
      },
    },
  };
  return state;
}

/** The real client; its consumers record pause/resume calls. */
function recordingPauses(client: KafkaClient, calls: string[]): KafkaClient {
  return {
    producer: () => client.producer(),
    admin: () => client.admin(),
    consumer(options): KafkaConsumer {
      const consumer = client.consumer(options);
      return {
        ...consumer,
        pause(partitions) {
          calls.push('pause');
          consumer.pause(partitions);
        },
        resume(partitions) {
          calls.push('resume');
          consumer.resume(partitions);
        },
      };
    },
  };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}
