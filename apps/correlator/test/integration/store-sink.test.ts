import { randomUUID } from 'node:crypto';
import { applyMigrations, openStore } from '@weft/storage';
import type { Store } from '@weft/storage';
import type { Session } from '@weft/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchingWriter } from '../../src/pipeline/batching-writer.js';
import { createStoreSink } from '../../src/pipeline/store-sink.js';
import { serviceEnv } from './env.js';

const mysqlEnv = serviceEnv('WEFT_TEST_MYSQL_URL', 'bash scripts/services/mariadb.sh start');

const backends = [
  { name: 'sqlite (embedded)', url: 'sqlite::memory:', skip: false },
  { name: 'MariaDB', url: mysqlEnv.value ?? '', skip: mysqlEnv.skip },
];

function session(sessionId: string, version: number): Session {
  return {
    sessionId,
    templateId: 'weft-correlator-test',
    templateVersion: 1,
    businessKey: `BK-${sessionId}`,
    version,
    status: version > 1 ? 'closed' : 'open',
    fireReason: version > 1 ? 'final' : 'complete',
    start: 1_764_000_000_000,
    end: 1_764_000_030_000,
    nodes: [
      {
        node: 'pay_done',
        kind: 'baseline',
        records: [
          {
            recordId: `${sessionId}-r1`,
            source: 'pay_done',
            eventTime: 1_764_000_030_000,
            raw: { order_id: `BK-${sessionId}`, status: 'SUCCESS' },
            fields: { status: 'SUCCESS' },
            late: false,
          },
        ],
      },
    ],
    fields: { order_id: `BK-${sessionId}`, amount: 6, version_seen: version },
    verdicts: [],
    verdict: null,
    mergedInto: null,
  };
}

for (const backend of backends) {
  describe.skipIf(backend.skip)(`store sink on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await openStore(backend.url);
      await applyMigrations(store);
    });

    afterAll(async () => {
      await store?.close();
    });

    it('stores sessions, keeps the highest version on replay, and stores dead letters once', async () => {
      const id = randomUUID();
      const writer = new BatchingWriter({
        sink: createStoreSink(store),
        maxBatchItems: 10,
        maxDelayMs: 5,
        maxQueued: 100,
        onBackpressure: () => undefined,
      });
      const letter = {
        templateId: 'weft-correlator-test',
        source: 'pay_done',
        reason: 'invalid_json: test',
        raw: `{${id}`,
        origin: { file: 'pay_done.ndjson', line: 3 },
        at: 1_764_000_000_000,
      };
      await writer.enqueue([{ kind: 'session', session: session(id, 2) }]);
      // A replay after a crash: an older version and the same dead letter again.
      await writer.enqueue([
        { kind: 'session', session: session(id, 1) },
        { kind: 'deadLetter', deadLetter: letter },
      ]);
      await writer.enqueue([{ kind: 'deadLetter', deadLetter: letter }]);
      await writer.close();

      const stored = await store.sessions.get(id);
      expect(stored?.version).toBe(2);
      expect(stored?.fields.version_seen).toBe(2);
      expect(stored?.nodes[0]?.records[0]?.raw).toEqual({
        order_id: `BK-${id}`,
        status: 'SUCCESS',
      });
      const letters = await store.deadLetters.list({
        templateId: 'weft-correlator-test',
        limit: 1000,
      });
      expect(letters.filter((l) => l.raw === `{${id}`)).toHaveLength(1);
    });
  });
}
