import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { serviceEnv } from './env.js';
import { produceHistory, templateWithoutEntities } from './history.js';
import {
  contentOf,
  createDatabase,
  freePort,
  lateQueueDrained,
  liveCorrelateArgs,
  liveSuite,
  loadItemCatalog,
  metricSum,
  startCorrelator,
  storedSessions,
  waitForFinalSessions,
  weft,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

/** What must match a bounded run: not the fire reason (late reprocessing may set it). */
const comparable = (session: Session) => contentOf({ ...session, fireReason: 'final' });

/**
 * `weft correlate --kafka --replay-from T`, Kappa style: a new run reads the
 * source topics from the offsets of T − (gap + maxSpan), writes only the
 * sessions that end at or after T, and goes on live.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('weft correlate --kafka --replay-from', () => {
  const brokers = kafkaEnv.value ?? '';
  const { prefix, group, scratchPath } = liveSuite(brokers, 'replay');

  it("stores exactly the bounded run's sessions that end at or after T, reading from T − (gap + maxSpan)", async () => {
    const template = await templateWithoutEntities(scratchPath());
    const data = join(scratchPath(), 'data');
    const simulated = weft([
      'simulate',
      ...['--orders', '150', '--seed', '23', '--faults', 'late-data=0'],
      ...['--start', '2026-11-24T00:00:00Z', '--span-hours', '4', '--out', data],
    ]);
    expect(simulated.status, simulated.stderr).toBe(0);
    const reference = await createDatabase(mysqlEnv.value ?? '');
    const live = await createDatabase(mysqlEnv.value ?? '');
    const port = await freePort();
    try {
      const bounded = weft([
        'correlate',
        '--template',
        template,
        '--input',
        data,
        '--db',
        reference.url,
      ]);
      expect(bounded.status, bounded.stderr).toBe(0);
      const all = await storedSessions(reference.url, 'in-app-purchase');
      const { warmUp, times } = await produceHistory(brokers, prefix, data, template);
      const ends = all.map((s) => s.end).sort((a, b) => a - b);
      const replayFrom = ends[Math.floor(ends.length * 0.85)]!;
      // The warm-up starts after the first sessions: the replay must skip records, not read all.
      expect(Math.min(...all.map((s) => s.start))).toBeLessThan(replayFrom - warmUp);
      const expected = all
        .filter((s) => s.end >= replayFrom)
        .map(comparable)
        .sort();
      expect(expected.length).toBeGreaterThan(10);
      expect(expected.length).toBeLessThan(all.length);

      loadItemCatalog(live.url, template, data);
      const correlator = startCorrelator([
        '--http-port',
        String(port),
        ...liveCorrelateArgs({
          template,
          brokers,
          db: live.url,
          prefix,
          group,
          checkpointDir: join(scratchPath(), 'checkpoints'),
        }),
        '--replay-from',
        new Date(replayFrom).toISOString(),
        '--log-level',
        'warn',
      ]);
      try {
        const stored = await waitForFinalSessions({
          brokers,
          prefix,
          db: live.url,
          templateId: 'in-app-purchase',
          expected: expected.length,
          // Records that a loaded machine makes late go through the late side queue, one at a time.
          timeoutMs: 180_000,
          settled: () => lateQueueDrained(port),
        });
        expect(stored.map(comparable).sort()).toEqual(expected);
        // It read the records from the warm-up start on (and the watermark sentinels), no earlier one.
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const read = metricSum(metrics, 'weft_records_in_total');
        const fromWarmUp = times.filter((t) => t >= replayFrom - warmUp).length;
        expect(read).toBeGreaterThanOrEqual(fromWarmUp);
        expect(read).toBeLessThan(fromWarmUp + 100);
        expect(fromWarmUp).toBeLessThan(times.length - 100);
      } finally {
        correlator.child.kill('SIGTERM');
        await correlator.exited;
      }
    } finally {
      await reference.drop();
      await live.drop();
    }
  }, 300_000);
});
