import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderRecords } from '../support/example-orders.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  createSourceTopics,
  deleteTopics,
  liveCorrelateArgs,
  produceRaw,
  scratchDir,
  startCorrelator,
  uniqueName,
  waitForSessions,
  writeTestTemplate,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const t0 = Date.parse('2026-11-24T00:00:00Z');
const ORDERS = ['O-1', 'O-2'];

/**
 * The documented rebuild — the same topics read again by a run with a new
 * --group and a new --checkpoint-dir, here with a new template version —
 * replaces what an earlier run stored: the new directory's first epoch is
 * claimed from the store, above every earlier run's, so its session
 * versions win.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)(
  'a live run on a new checkpoint dir (Kafka, MariaDB)',
  () => {
    const brokers = kafkaEnv.value ?? '';
    const prefix = uniqueName('newdir');
    const groups = [`${prefix}g1`, `${prefix}g2`];
    let scratch: Awaited<ReturnType<typeof scratchDir>>;

    beforeAll(async () => {
      scratch = await scratchDir();
      await createSourceTopics(brokers, prefix);
      for (const [i, id] of ORDERS.entries()) {
        for (const { source, raw } of orderRecords(id, t0 + i * 60_000)) {
          await produceRaw(brokers, `${prefix}${source}`, 0, [Buffer.from(raw)]);
        }
      }
    });
    afterAll(async () => {
      await scratch?.dispose();
      await deleteTopics(
        brokers,
        prefix,
        groups.map((group) => `${group}.late`),
      );
    });

    /** Runs the correlator until `done` holds for the stored sessions, then stops it with SIGTERM. */
    async function runUntil(
      run: { template: string; db: string; group: string; checkpointDir: string },
      done: (sessions: Session[]) => boolean,
    ): Promise<Session[]> {
      const correlator = startCorrelator([
        ...liveCorrelateArgs({ ...run, brokers, prefix }),
        '--kafka-session-timeout',
        '6s',
      ]);
      try {
        return await waitForSessions(run.db, done, 30_000);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${correlator.stderr()}`);
      } finally {
        correlator.child.kill('SIGTERM');
        expect(await correlator.exited).toBe(0);
      }
    }

    it("stores the new run's sessions over the earlier run's, with a new template version", async () => {
      const database = await createDatabase(mysqlEnv.value ?? '');
      try {
        const v1 = await writeTestTemplate(scratch.path);
        const definition = JSON.parse(await readFile(v1, 'utf8')) as {
          version: number;
          conclusions: { label: string }[];
        };
        definition.version = 2;
        for (const conclusion of definition.conclusions)
          conclusion.label = `v2: ${conclusion.label}`;
        const v2 = join(scratch.path, 'template-v2.json');
        await writeFile(v2, JSON.stringify(definition));
        /** Run `n` (0, 1): its own group and checkpoint dir, until every order's session carries `version`. */
        const run = (n: number, template: string, version: number) =>
          runUntil(
            {
              template,
              db: database.url,
              group: groups[n]!,
              checkpointDir: join(scratch.path, `checkpoints-${n}`),
            },
            (sessions) =>
              sessions.length === ORDERS.length &&
              sessions.every((s) => s.fireReason === 'complete' && s.templateVersion === version),
          );

        const first = await run(0, v1, 1);
        const firstHighest = Math.max(...first.map((s) => s.version));
        const second = await run(1, v2, 2);
        expect(second.map((s) => s.sessionId).sort()).toEqual(first.map((s) => s.sessionId).sort());
        for (const session of second) {
          expect(session.version).toBeGreaterThan(firstHighest);
          expect(session.verdicts.length).toBeGreaterThan(0);
          expect(session.verdicts.every((v) => v.label.startsWith('v2: '))).toBe(true);
        }
        // The new directory records the epoch the store granted: the first run had 0.
        const epochFile = await readFile(join(scratch.path, 'checkpoints-1', 'epoch.json'), 'utf8');
        expect(JSON.parse(epochFile)).toEqual({ epoch: 1 });
      } finally {
        await database.drop();
      }
    }, 90_000);
  },
);
