import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scoreSessions } from '@weft/simulator';
import { openStore } from '@weft/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCorrelate } from '../../src/correlate/run-correlate.js';
import { createLogger } from '../../src/logging.js';
import { createEngineJob } from '../../src/run/index.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  createSourceTopics,
  deleteTopics,
  freePort,
  lateQueueDrained,
  liveCorrelateArgs,
  loadItemCatalog,
  metricSum,
  produceRaw,
  readTruth,
  scratchDir,
  simulateToKafka,
  startCorrelator,
  uniqueName,
  waitForFinalSessions,
  waitUntilConsuming,
  weft,
  writeTestTemplate,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

/**
 * Simulated traffic produced to Kafka → `weft correlate --kafka` as a real
 * child process of the built CLI → MariaDB → scored against the simulator's
 * truth. Every test has its own topic prefix, consumer group, database and
 * checkpoint directory, so parallel runs never meet.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('weft correlate --kafka (live)', () => {
  const brokers = kafkaEnv.value ?? '';
  const prefix = uniqueName('live');
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let template: string;

  beforeAll(async () => {
    scratch = await scratchDir();
    // The example's 10 s out-of-orderness: delayed deliveries and the late-data fault's records
    // (1–3 h behind) go through the late side queue and its reprocessor.
    template = await writeTestTemplate(scratch.path, '10s');
    await createSourceTopics(brokers, prefix);
    await produceRaw(brokers, `${prefix}client_order`, 1, [
      Buffer.from('{"ts":1795478446146,broken'),
    ]);
    await produceRaw(brokers, `${prefix}pay_done`, 2, [Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]);
  });

  afterAll(async () => {
    await scratch?.dispose();
    await deleteTopics(brokers, prefix, [`${prefix}uninterrupted.late`]);
  });

  it('stores sessions with 100% record-assignment precision and recall, late records included, then stops cleanly on SIGTERM', async () => {
    const database = await createDatabase(mysqlEnv.value ?? '');
    const port = await freePort();
    try {
      // The item catalog of this seed, in MariaDB before the run starts (the enrichment lookup
      // loads it at start): the same simulation as below, to files only.
      const catalogDir = join(scratch.path, 'catalog');
      const simulated = weft([
        'simulate',
        ...['--orders', '120', '--seed', '11', '--faults', 'late-data=0.05'],
        ...['--start', '2026-11-24T00:00:00Z', '--span-hours', '2', '--out', catalogDir],
      ]);
      expect(simulated.status, simulated.stderr).toBe(0);
      loadItemCatalog(database.url, template, catalogDir);
      const correlator = startCorrelator([
        '--http-port',
        String(port),
        ...liveCorrelateArgs({
          template,
          brokers,
          db: database.url,
          prefix,
          group: `${prefix}uninterrupted`,
          checkpointDir: join(scratch.path, 'checkpoints-uninterrupted'),
        }),
        '--kafka-session-timeout',
        '6s',
        '--log-level',
        'warn',
      ]);
      // Traffic arrives while the correlator runs, at 300 records/s: with every partition
      // moving, records behind the 10 s bound (delayed deliveries, the late-data fault's
      // records 1–3 h behind) are late and go through the late side queue.
      await waitUntilConsuming(port, 30_000);
      simulateToKafka({
        brokers,
        prefix,
        dir: join(scratch.path, 'data'),
        orders: 120,
        seed: 11,
        faults: 'late-data=0.05',
        rate: 300,
      });
      const truth = await readTruth(join(scratch.path, 'data'));
      expect(truth.some((entry) => entry.flags.late.length > 0)).toBe(true);
      const expectedSessions = truth.reduce((sum, entry) => sum + entry.expected.length, 0);
      const sessions = await waitForFinalSessions({
        brokers,
        prefix,
        db: database.url,
        templateId: 'in-app-purchase',
        expected: expectedSessions,
        timeoutMs: 90_000,
        settled: () => lateQueueDrained(port),
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain(
        'weft_dead_letters_total{source="client_order",reason="invalid_json"} 1',
      );
      expect(metrics).toContain(
        'weft_dead_letters_total{source="pay_done",reason="invalid_utf8"} 1',
      );
      expect(metrics).toMatch(
        /weft_session_fires_total\{template="in-app-purchase",reason="final"\} [1-9]/u,
      );
      expect(metricSum(metrics, 'weft_late_records_total')).toBeGreaterThan(0);
      expect(metrics).toMatch(
        /weft_enrichment_table_rows\{template="in-app-purchase",lookup="item"\} [1-9]/u,
      );
      expect(metrics).not.toMatch(/weft_enrichment_lookups_total\{[^}]*outcome="miss"\}/u);
      expect(metrics).toMatch(
        /weft_late_reprocessed_total\{template="in-app-purchase",outcome="applied"\} [1-9]/u,
      );
      correlator.child.kill('SIGTERM');
      expect(await correlator.exited, correlator.stderr()).toBe(0);
      expect(correlator.stdout()).toMatch(/^correlated in-app-purchase: \d+ inputs/u);

      const store = await openStore(database.url);
      const letters = await store.deadLetters.list({ templateId: 'in-app-purchase' });
      await store.close();
      expect(
        letters.map((l) => [
          l.source,
          l.reason.split(':')[0],
          l.origin.topic,
          l.origin.partition,
          l.origin.offset,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['client_order', 'invalid_json', `${prefix}client_order`, 1, expect.any(String)],
          ['pay_done', 'invalid_utf8', `${prefix}pay_done`, 2, expect.any(String)],
        ]),
      );
      expect(letters.find((l) => l.source === 'pay_done')?.raw).toBe(
        Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
      );

      // Every order carries its item's catalog row (late-reprocessed sessions included).
      const catalog = new Map(
        (await readFile(join(scratch.path, 'data', 'item_catalog.ndjson'), 'utf8'))
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .map((row) => [row.item_id, row]),
      );
      const ordered = sessions.filter((s) => s.fields.item_id != null);
      expect(ordered.length).toBeGreaterThan(100);
      for (const session of ordered) {
        const row = catalog.get(session.fields.item_id);
        expect(
          [session.fields.item_name, session.fields.category, session.fields.price_cents],
          session.sessionId,
        ).toEqual([row?.item_name, row?.category, row?.price_cents]);
      }

      const report = scoreSessions(truth, sessions);
      expect(report.assignment.pairwise.precision).toBe(1);
      expect(report.assignment.pairwise.recall).toBe(1);
      expect(report.assignment.missingRecords).toBe(0);
      expect(report.splitMerge.expectedSplitsHonored).toBe(report.splitMerge.expectedSplits);
      expect(offDiagonal(report.conclusions.counts)).toEqual([]);
      expect(report.conclusions.accuracy).toBe(1);
    } finally {
      await database.drop();
    }
  }, 150_000);

  it('refuses to start when a source topic does not exist, naming it', async () => {
    const missing = uniqueName('missing');
    await expect(
      runCorrelate({
        flags: {
          template,
          kafka: brokers,
          db: `sqlite:${join(scratch.path, 'missing.db')}`,
          topicPrefix: missing,
        },
        env: {},
        readFile: () => '{}',
        jobFactory: createEngineJob,
        out: () => undefined,
        now: Date.now,
        logger: createLogger({ level: 'silent' }),
      }),
    ).rejects.toThrow(
      new RegExp(`source topic '${missing.replaceAll('.', '\\.')}client_order'`, 'u'),
    );
  });
});

/** Cells of the confusion matrix off its diagonal that hold sessions. */
function offDiagonal(counts: Readonly<Record<string, Readonly<Record<string, number>>>>): string[] {
  return Object.entries(counts).flatMap(([expected, row]) =>
    Object.entries(row)
      .filter(([predicted, count]) => predicted !== expected && count > 0)
      .map(([predicted, count]) => `${expected} → ${predicted}: ${count}`),
  );
}
