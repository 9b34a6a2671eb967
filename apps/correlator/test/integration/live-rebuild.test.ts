import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { serviceEnv } from './env.js';
import { produceHistory, templateWithoutEntities } from './history.js';
import {
  contentOf,
  createDatabase,
  freePort,
  lateQueueDrained,
  liveSuite,
  loadItemCatalog,
  metricSum,
  sleep,
  startCorrelator,
  storedSessions,
  waitForFinalSessions,
  weft,
} from './live-harness.js';
import type { CorrelatorProcess } from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const t0 = Date.parse('2026-11-24T00:00:00Z');
/** Records before it are produced before version 2 is published, the rest after. */
const switchAt = t0 + 4 * 3_600_000;

interface Definition {
  version: number;
  sources: { id: string; fields?: Record<string, unknown> }[];
}

/** Version 2: the channel callback source extracts one more field (a change of sources). */
function version2(v1: Definition): Definition {
  const next = structuredClone(v1);
  next.version = 2;
  const callback = next.sources.find((s) => s.id === 'channel_callback');
  if (callback?.fields === undefined) throw new Error('the test template has no channel_callback');
  callback.fields.trade_status_v2 = { path: 'trade_status', type: 'string' };
  return next;
}

/** What must match a bounded run of the version: the content and every record's extracted fields. */
const comparable = (session: Session) =>
  contentOf({ ...session, fireReason: 'final' }) +
  JSON.stringify(
    [...session.nodes]
      .sort((a, b) => (a.node < b.node ? -1 : 1))
      .map((node) =>
        [...node.records].sort((a, b) => (a.recordId < b.recordId ? -1 : 1)).map((r) => r.fields),
      ),
  );

/** The replay cut-off of the newest checkpoint taken with `version`, once there is one. */
async function handOverOf(dir: string, version: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const name of (await readdir(dir).catch(() => [])).filter((n) =>
      /^checkpoint-/u.test(n),
    )) {
      const checkpoint = JSON.parse(await readFile(join(dir, name), 'utf8').catch(() => '{}')) as {
        templateVersion?: number;
        replayFrom?: number | null;
      };
      if (checkpoint.templateVersion === version && typeof checkpoint.replayFrom === 'number')
        return checkpoint.replayFrom;
    }
    await sleep(250);
  }
  throw new Error(`no checkpoint of version ${version} with a hand-over within ${timeoutMs} ms`);
}

async function recordsRead(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return metricSum(text, 'weft_records_in_total');
}

/**
 * A live run that follows a template (`--template ID`) and sees a version
 * published that changes its sources rebuilds its pipeline in the same
 * process: the previous version's sessions stay up to the hand-over time,
 * and from there on the store holds the new version's, as a bounded run of
 * it would write them.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('live rebuild on a change of sources', () => {
  const brokers = kafkaEnv.value ?? '';
  const { prefix, group, scratchPath } = liveSuite(brokers, 'rebuild');

  it("stores version 1's sessions before the hand-over and version 2's from it, without a restart", async () => {
    const v1Path = await templateWithoutEntities(scratchPath());
    const v1 = JSON.parse(await readFile(v1Path, 'utf8')) as Definition;
    const v2 = version2(v1);
    const v2Path = join(scratchPath(), 'template-v2.json');
    await writeFile(v2Path, JSON.stringify(v2));
    const data = join(scratchPath(), 'data');
    const simulated = weft([
      'simulate',
      ...['--orders', '150', '--seed', '29', '--faults', 'late-data=0'],
      ...['--start', new Date(t0).toISOString(), '--span-hours', '6', '--out', data],
    ]);
    expect(simulated.status, simulated.stderr).toBe(0);
    const reference = {
      v1: await createDatabase(mysqlEnv.value ?? ''),
      v2: await createDatabase(mysqlEnv.value ?? ''),
    };
    const live = await createDatabase(mysqlEnv.value ?? '');
    const port = await freePort();
    const checkpointDir = join(scratchPath(), 'checkpoints');
    let correlator: CorrelatorProcess | undefined;
    const store = await openStore(live.url);
    try {
      for (const [path, db] of [
        [v1Path, reference.v1.url],
        [v2Path, reference.v2.url],
      ] as const) {
        const bounded = weft(['correlate', '--template', path, '--input', data, '--db', db]);
        expect(bounded.status, bounded.stderr).toBe(0);
      }
      const byVersion = {
        v1: await storedSessions(reference.v1.url, 'in-app-purchase'),
        v2: await storedSessions(reference.v2.url, 'in-app-purchase'),
      };
      await store.templates.save({
        templateId: 'in-app-purchase',
        version: 1,
        status: 'published',
        definition: v1,
      });
      loadItemCatalog(live.url, v1Path, data);
      const before = await produceHistory(brokers, prefix, data, v1Path, (t) => t < switchAt);
      correlator = startCorrelator([
        ...[
          '--http-port',
          String(port),
          '--template',
          'in-app-purchase',
          '--template-poll',
          '300ms',
        ],
        ...['--kafka', brokers, '--db', live.url, '--topic-prefix', prefix, '--group', group],
        ...['--checkpoint-dir', checkpointDir, '--checkpoint-interval', '2s'],
        ...['--kafka-session-timeout', '6s', '--log-level', 'warn'],
      ]);
      const deadline = Date.now() + 60_000;
      while ((await recordsRead(port).catch(() => 0)) < before.times.length) {
        if (Date.now() > deadline)
          throw new Error(`version 1 did not read its records: ${correlator.stderr()}`);
        await sleep(250);
      }

      await store.templates.save({
        templateId: 'in-app-purchase',
        version: 2,
        status: 'published',
        definition: v2,
      });
      const handOver = await handOverOf(checkpointDir, 2, 60_000);
      // The hand-over lies the larger settle delay (gap 20m + maxSpan 2h + lateness 5m) before
      // version 1's watermark: the least of its partitions' last records before the switch
      // (an order every 2.4 minutes over 6 sources), less the out-of-orderness (90s).
      expect(handOver).toBeLessThan(switchAt - 145 * 60_000);
      expect(handOver).toBeGreaterThan(switchAt - 145 * 60_000 - 30 * 60_000);
      await produceHistory(brokers, prefix, data, v1Path, (t) => t >= switchAt);

      const expected = [
        ...byVersion.v1.filter((s) => s.end < handOver),
        ...byVersion.v2.filter((s) => s.end >= handOver),
      ];
      expect(expected.filter((s) => s.end < handOver).length).toBeGreaterThan(10);
      expect(expected.filter((s) => s.end >= handOver).length).toBeGreaterThan(10);
      // The versions differ in what the test compares, so it tells them apart.
      const v1Content = new Set(byVersion.v1.map(comparable));
      expect(byVersion.v2.filter((s) => !v1Content.has(comparable(s))).length).toBeGreaterThan(10);

      const stored = await waitForFinalSessions({
        brokers,
        prefix,
        db: live.url,
        templateId: 'in-app-purchase',
        expected: expected.length,
        timeoutMs: 120_000,
        settled: () => lateQueueDrained(port),
      });
      expect(stored.map(comparable).sort()).toEqual(expected.map(comparable).sort());
      for (const session of stored)
        expect(session.templateVersion).toBe(session.end < handOver ? 1 : 2);
      expect(correlator.child.exitCode).toBeNull();
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
        ok: boolean;
      };
      expect(health.ok).toBe(true);
    } finally {
      correlator?.child.kill('SIGTERM');
      await correlator?.exited;
      await store.close();
      await reference.v1.drop();
      await reference.v2.drop();
      await live.drop();
    }
  }, 300_000);
});
