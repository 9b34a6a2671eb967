import { readFile } from 'node:fs/promises';
import { openStore } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { orderRecords } from '../support/example-orders.js';
import { serviceEnv } from './env.js';
import {
  createDatabase,
  freePort,
  liveSuite,
  produceRaw,
  sleep,
  startCorrelator,
  storedSessions,
  writeTestTemplate,
} from './live-harness.js';

const kafkaEnv = serviceEnv('WEFT_TEST_KAFKA_BROKERS', 'bash scripts/services/kafka.sh start');
const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const t0 = Date.parse('2026-11-24T00:00:00Z');

/** The four baseline records of one order (it fires `complete` on pay_done). */
async function produceOrder(brokers: string, prefix: string, id: string, at: number) {
  for (const { source, raw } of orderRecords(id, at)) {
    await produceRaw(brokers, `${prefix}${source}`, 0, [Buffer.from(raw)]);
  }
}

async function waitForSession(db: string, businessKey: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await storedSessions(db, 'in-app-purchase')).find(
      (s) => s.businessKey === businessKey,
    );
    if (found !== undefined) return found;
    await sleep(250);
  }
  throw new Error(`no session for ${businessKey} within ${timeoutMs} ms`);
}

/**
 * `weft correlate --template ID --kafka` follows the published versions of
 * the template: a version published while it runs (a relabelled conclusion,
 * same sources) is applied without restart, from the next firing on.
 */
describe.skipIf(kafkaEnv.skip || mysqlEnv.skip)('live template changes (Kafka, MariaDB)', () => {
  const brokers = kafkaEnv.value ?? '';
  const { prefix, group, scratchPath } = liveSuite(brokers, 'tplchange');

  it('applies a newly published version from the next firing, without restart', async () => {
    const database = await createDatabase(mysqlEnv.value ?? '');
    const port = await freePort();
    const definition = JSON.parse(
      await readFile(await writeTestTemplate(scratchPath()), 'utf8'),
    ) as {
      version: number;
      conclusions: { label: string }[];
    };
    const store = await openStore(database.url);
    try {
      await store.templates.save({
        templateId: 'in-app-purchase',
        version: 1,
        status: 'published',
        definition,
      });
      const correlator = startCorrelator([
        '--http-port',
        String(port),
        '--template',
        'in-app-purchase',
        '--template-poll',
        '300ms',
        '--kafka',
        brokers,
        '--db',
        database.url,
        '--topic-prefix',
        prefix,
        '--group',
        group,
        '--checkpoint-dir',
        `${scratchPath()}/checkpoints`,
        '--kafka-session-timeout',
        '6s',
      ]);
      try {
        await produceOrder(brokers, prefix, 'O-V1', t0);
        const first = await waitForSession(database.url, 'O-V1', 30_000);
        expect(first.templateVersion).toBe(1);

        const next = structuredClone(definition);
        next.version = 2;
        for (const conclusion of next.conclusions) conclusion.label = `v2: ${conclusion.label}`;
        await store.templates.save({
          templateId: 'in-app-purchase',
          version: 2,
          status: 'published',
          definition: next,
        });
        const deadline = Date.now() + 20_000;
        while (!correlator.stderr().includes('template version applied live')) {
          if (Date.now() > deadline) throw new Error(`not applied: ${correlator.stderr()}`);
          await sleep(100);
        }
        await produceOrder(brokers, prefix, 'O-V2', t0 + 60_000);
        const second = await waitForSession(database.url, 'O-V2', 30_000);
        expect(second.templateVersion).toBe(2);
        expect(second.fireReason).toBe('complete');
        expect(second.verdicts.length).toBeGreaterThan(0);
        expect(first.verdicts.length).toBeGreaterThan(0);
        expect(second.verdicts.every((v) => v.label.startsWith('v2: '))).toBe(true);
        expect(first.verdicts.every((v) => !v.label.startsWith('v2: '))).toBe(true);
        const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as {
          checks: Record<string, { ok: boolean }>;
        };
        expect(health.checks.template?.ok).toBe(true);
      } finally {
        correlator.child.kill('SIGTERM');
        await correlator.exited;
      }
    } finally {
      await store.close();
      await database.drop();
    }
  }, 120_000);
});
