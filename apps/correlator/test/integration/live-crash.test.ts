import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { scoreSessions } from '@weft/simulator';
import type { TruthSession } from '@weft/simulator';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv } from './env.js';
import {
  contentOf,
  createDatabase,
  deleteTopics,
  freePort,
  lateQueueDrained,
  liveCorrelateArgs,
  readTruth,
  scratchDir,
  simulateToKafka,
  sleep,
  startCorrelator,
  storedSessions,
  uniqueName,
  waitForFinalSessions,
  writeTestTemplate,
} from './live-harness.js';
import type { CorrelatorProcess } from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

/** Seeded crash runs: CI runs one with 3 kills; `npm run test:faults` runs 20. */
const runs = Number(process.env.WEFT_FAULT_RUNS ?? 1);
const killsPerRun = Number(process.env.WEFT_KILL_POINTS ?? 3);
const baseSeed = Number(process.env.WEFT_FAULT_SEED ?? Date.now() % 1_000_000);
/**
 * The simulator's late-data fault rate (`npm run test:faults:late` sets
 * 0.05). Off by default: with it on, about 1 run in 20 ends with one stale
 * session (see the correlator README, "Guarantees"), which CI must not meet.
 */
const lateData = Number(process.env.WEFT_FAULT_LATE_DATA ?? 0);
const templateId = 'in-app-purchase';

/**
 * Crash safety of the live pipeline: the same Kafka traffic is correlated
 * once without interruption and then, per seeded run, with `kill -9` of the
 * correlator at random moments after it got its partitions, each followed by
 * a restart from the newest checkpoint; with `WEFT_FAULT_LATE_DATA` the
 * traffic carries the simulator's late-data fault, so the late side queue is
 * part of what is killed. The stored sessions must be the uninterrupted
 * run's (same ids, records, conclusions, status), and no stored session
 * version may ever go down while the store is polled.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('live correlator under kill -9', () => {
  const brokers = kafkaEnv.value ?? '';
  const prefix = uniqueName('crash');
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let template: string;
  let truth: TruthSession[];
  let expected: number;
  let reference: string[];
  /** Consumer groups started; each has its late side queue topic `<group>.late`. */
  const groups: string[] = [];

  const args = (db: string, name: string, httpPort: number) => [
    ...liveCorrelateArgs({
      template,
      brokers,
      db,
      prefix,
      group: `${prefix}${name}`,
      checkpointDir: join(scratch.path, `checkpoints-${name}`),
    }),
    '--checkpoint-interval',
    '1s',
    // A small writer backlog keeps each checkpoint's flush short, so checkpoints
    // complete during the backlog and the kills land between them.
    '--sink-max-queued',
    '1000',
    '--batch-max-records',
    '250',
    '--kafka-session-timeout',
    '6s',
    '--http-port',
    String(httpPort),
    '--log-level',
    'info',
  ];
  const start = async (db: string, name: string): Promise<CorrelatorProcess & { port: number }> => {
    if (!groups.includes(name)) groups.push(name);
    const port = await freePort();
    return { ...startCorrelator(args(db, name, port)), port };
  };

  beforeAll(async () => {
    scratch = await scratchDir();
    template = await writeTestTemplate(scratch.path);
    // With the late-data fault, its records (1–3 h behind) go through the late
    // side queue, and whether one is late depends on how partitions
    // interleave, which a restart changes; the stored sessions must not.
    simulateToKafka({
      brokers,
      prefix,
      dir: join(scratch.path, 'data'),
      orders: 1_500,
      seed: 5,
      ...(lateData > 0 ? { faults: `late-data=${lateData}` } : {}),
    });
    truth = await readTruth(join(scratch.path, 'data'));
    if (lateData > 0) expect(truth.some((entry) => entry.flags.late.length > 0)).toBe(true);
    expected = truth.reduce((sum, entry) => sum + entry.expected.length, 0);
    const database = await createDatabase(mysqlEnv.value ?? '');
    try {
      const correlator = await start(database.url, 'reference');
      const sessions = await finish(correlator, database.url);
      reference = sessions.map(comparable).sort();
      const report = scoreSessions(truth, sessions);
      expect(report.assignment.pairwise.precision).toBe(1);
      expect(report.assignment.pairwise.recall).toBe(1);
    } finally {
      await database.drop();
    }
  }, 240_000);

  afterAll(async () => {
    await scratch?.dispose();
    await deleteTopics(
      brokers,
      prefix,
      groups.map((name) => `${prefix}${name}.late`),
    );
  });

  async function checkpointsIn(name: string): Promise<number> {
    const dir = join(scratch.path, `checkpoints-${name}`);
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.filter((file) => file.startsWith('checkpoint-')).length;
  }

  /** Every session final and every late record applied, then SIGTERM; the stored sessions. */
  async function finish(
    correlator: CorrelatorProcess & { port: number },
    db: string,
  ): Promise<Session[]> {
    await waitForFinalSessions({ brokers, prefix, db, templateId, expected, timeoutMs: 120_000 });
    // The late records arrive after the sessions they belong to closed: wait until
    // every one is applied (nothing pending, every truth record assigned).
    let sessions: Session[] = [];
    await untilAsync(async () => {
      if (!(await lateQueueDrained(correlator.port))) return false;
      sessions = await storedSessions(db, templateId);
      return scoreSessions(truth, sessions).assignment.pairwise.recall === 1;
    }, 120_000);
    correlator.child.kill('SIGTERM');
    expect(await correlator.exited, correlator.stderr().slice(-2_000)).toBe(0);
    return sessions;
  }

  for (let run = 0; run < runs; run += 1) {
    const seed = baseSeed + run;
    it(`kill -9 at ${killsPerRun} random moments (seed ${seed}), restart: the uninterrupted run's sessions`, async () => {
      console.info(`[weft] live-crash: seed ${seed}; reproduce with WEFT_FAULT_SEED=${seed}`);
      const random = mulberry32(seed);
      const database = await createDatabase(mysqlEnv.value ?? '');
      const versions = watchVersions(database.url);
      const name = `crash-${seed}`;
      try {
        const kills: string[] = [];
        for (let kill = 0; kill < killsPerRun; kill += 1) {
          const correlator = await start(database.url, name);
          await until(() => correlator.stderr().includes('partitions assigned'), 60_000);
          if (kill === killsPerRun - 1) {
            // The last kill comes after a checkpoint, so that the final restart restores one.
            await untilAsync(async () => (await checkpointsIn(name)) > 0, 60_000);
          }
          const delay = Math.floor(random() * 4_000);
          await sleep(delay);
          correlator.child.kill('SIGKILL');
          expect(await correlator.exited).toBe('SIGKILL');
          kills.push(`${delay} ms after assignment${restoredFrom(correlator.stderr())}`);
        }
        const last = await start(database.url, name);
        const sessions = await finish(last, database.url);
        kills.push(`final run${restoredFrom(last.stderr())}`);
        expect(last.stderr()).toMatch(/"restoredCheckpoint":\d+/u);
        await versions.stop();
        console.info(`[weft] live-crash seed ${seed}: killed ${kills.join('; ')}`);

        expect(versions.decreases).toEqual([]);
        expect(sessions.map(comparable).sort()).toEqual(reference);
        const report = scoreSessions(truth, sessions);
        expect(report.assignment.pairwise.precision).toBe(1);
        expect(report.assignment.pairwise.recall).toBe(1);
      } finally {
        await versions.stop();
        await database.drop();
      }
    }, 300_000);
  }

  it('two correlators in one group: the second waits as a standby and, after kill -9 of the first, takes over to the same sessions', async () => {
    const seed = baseSeed;
    const random = mulberry32(seed);
    const database = await createDatabase(mysqlEnv.value ?? '');
    const versions = watchVersions(database.url);
    const name = `standby-${seed}`;
    try {
      const active = await start(database.url, name);
      await until(() => active.stderr().includes('partitions assigned'), 60_000);
      await untilAsync(async () => (await checkpointsIn(name)) > 0, 60_000);
      const standby = await start(database.url, name);
      await until(() => standby.stderr().includes('waiting as a standby'), 30_000);
      const health = (await (await fetch(`http://127.0.0.1:${standby.port}/healthz`)).json()) as {
        checks: Record<string, { ok: boolean; detail?: string }>;
      };
      expect(health.checks.group?.ok).toBe(false);
      expect(health.checks.group?.detail).toMatch(/^standby: consumer group /u);
      const delay = Math.floor(random() * 3_000);
      await sleep(delay);
      // The standby joined nothing while the active one ran.
      expect(standby.stderr()).not.toContain('partitions assigned');
      active.child.kill('SIGKILL');
      expect(await active.exited).toBe('SIGKILL');
      const sessions = await finish(standby, database.url);
      expect(standby.stderr()).toContain('the group is free: taking over');
      expect(standby.stderr()).toMatch(/"restoredCheckpoint":\d+/u);
      await versions.stop();
      console.info(
        `[weft] live-crash standby (seed ${seed}): active killed ${delay} ms after the standby waited`,
      );

      expect(versions.decreases).toEqual([]);
      expect(sessions.map(comparable).sort()).toEqual(reference);
    } finally {
      await versions.stop();
      await database.drop();
    }
  }, 300_000);
});

/**
 * What must not depend on the kills: id, key, status, records per node and
 * conclusions. Not the fire reason: whether a record reached its session
 * through the job (final) or through the late reprocessor (late) depends on
 * whether it was behind the watermark when read, which the kills change.
 */
function comparable(session: Session): string {
  return contentOf({ ...session, fireReason: 'final' });
}

/**
 * Polls the stored sessions every 200 ms, remembering the highest version of
 * each and every time one went down; `stop` ends the polling and looks once
 * more at what is stored.
 */
function watchVersions(db: string) {
  const highest = new Map<string, number>();
  const decreases: string[] = [];
  const observe = async (): Promise<void> => {
    for (const session of await storedSessions(db, templateId, { includeMerged: true })) {
      const seen = highest.get(session.sessionId) ?? 0;
      if (session.version < seen)
        decreases.push(`${session.sessionId}: ${seen} → ${session.version}`);
      highest.set(session.sessionId, Math.max(seen, session.version));
    }
  };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await observe();
      await sleep(200);
    }
  })();
  return {
    decreases,
    async stop(): Promise<void> {
      if (!polling) return poller;
      polling = false;
      await poller;
      await observe();
    },
  };
}

function restoredFrom(stderr: string): string {
  const match = /"restoredCheckpoint":(\d+|null)/u.exec(stderr);
  return match?.[1] === undefined || match[1] === 'null'
    ? ', no checkpoint yet'
    : `, restored ${match[1]}`;
}

async function untilAsync(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** A small seeded PRNG (mulberry32): the kill moments of a seed are reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
