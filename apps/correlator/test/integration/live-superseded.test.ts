import { join } from 'node:path';
import { openStore } from '@weft/storage';
import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { orderRecords } from '../support/example-orders.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  liveCorrelateArgs,
  liveSuite,
  produceRaw,
  sleep,
  startCorrelator,
  waitForSessions,
  writeTestTemplate,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const t0 = Date.parse('2026-11-24T00:00:00Z');
const EPOCH_VERSIONS = 1_000_000;

/**
 * A live run superseded by a newer writer (here an epoch claimed the way a
 * backfill or a bounded run claims one) stops with an error that says what
 * happened, instead of writing updates the store ignores; started again, it
 * claims a newer epoch and stores what it read meanwhile: nothing is lost.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('a live run superseded by a newer epoch', () => {
  const brokers = kafkaEnv.value ?? '';
  const { prefix, group, scratchPath } = liveSuite(brokers, 'superseded');

  const produceOrder = async (id: string, at: number) => {
    for (const { source, raw } of orderRecords(id, at)) {
      await produceRaw(brokers, `${prefix}${source}`, 0, [Buffer.from(raw)]);
    }
  };

  it('stops without a checkpoint, and the next start stores what it read meanwhile', async () => {
    const database = await createDatabase(mysqlEnv.value ?? '');
    const args = [
      ...liveCorrelateArgs({
        template: await writeTestTemplate(scratchPath()),
        brokers,
        db: database.url,
        prefix,
        group,
        checkpointDir: join(scratchPath(), 'checkpoints'),
      }),
      '--kafka-session-timeout',
      '6s',
      '--checkpoint-interval',
      '1s',
    ];
    const complete = (ids: string[]) => (sessions: Session[]) =>
      ids.every((id) => sessions.some((s) => s.businessKey === id && s.fireReason === 'complete'));
    try {
      await produceOrder('O-1', t0);
      const first = startCorrelator(args);
      const before = await waitForSessions(database.url, complete(['O-1']), 30_000).catch(
        (error: unknown) => {
          throw new Error(`${(error as Error).message}\n${first.stderr()}`);
        },
      );
      const firstEpoch = Math.floor(before[0]!.version / EPOCH_VERSIONS);

      // Another writer takes over the template, as a backfill would.
      const store = await openStore(database.url);
      const claimed = await store.epochs.claim('in-app-purchase').finally(() => store.close());
      expect(claimed).toBeGreaterThan(firstEpoch);
      await produceOrder('O-2', t0 + 60_000);

      const code = await Promise.race([first.exited, sleep(40_000).then(() => 'still running')]);
      expect(code, first.stderr().slice(-2_000)).toBe(1);
      expect(first.stderr()).toContain(
        `writes in epoch ${firstEpoch}, but epoch ${claimed} has been claimed since`,
      );

      // O-2 was read after the last checkpoint the first run could save: the
      // second run replays it and stores it again, in its own newer epoch.
      const epochOf = (session: Session | undefined) =>
        session === undefined ? -1 : Math.floor(session.version / EPOCH_VERSIONS);
      const second = startCorrelator(args);
      let stored: Session[] = [];
      try {
        stored = await waitForSessions(
          database.url,
          (sessions) =>
            complete(['O-1', 'O-2'])(sessions) &&
            epochOf(sessions.find((s) => s.businessKey === 'O-2')) > claimed,
          30_000,
        ).catch((error: unknown) => {
          throw new Error(`${(error as Error).message}\n${second.stderr()}`);
        });
      } finally {
        second.child.kill('SIGTERM');
      }
      expect(await second.exited, second.stderr().slice(-2_000)).toBe(0);
      expect(stored.map((s) => s.businessKey).sort()).toEqual(['O-1', 'O-2']);
    } finally {
      await database.drop();
    }
  }, 150_000);
});
