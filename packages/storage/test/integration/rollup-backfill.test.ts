import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { aggregateSubjects, openStore } from '../../src/index.js';
import type { DashboardQuery, SessionChange, Store } from '../../src/index.js';
import { executeRaw, freshStore, testBackends } from '../backends.js';
import { makeSession, retraction } from '../sessions-fixture.js';

const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 1);
const SPEC = { dimensions: ['channel'], measures: [{ field: 'amount', agg: 'max' as const }] };

function session(templateId: string, i: number, version = 1, shift = 0): Session {
  const start = BASE + ((i * 7 + shift) % 48) * 15 * 60_000;
  return makeSession({
    sessionId: `${templateId}-${i}`,
    templateId,
    version,
    start,
    end: start + i * 1000,
    fields: { channel: ['app', 'web', 'pos'][(i + version) % 3]!, amount: (i * 13 + version) % 50 },
  });
}

function queries(templateId: string): DashboardQuery[] {
  const measures = (['count', 'sum', 'min', 'max', 'p95'] as const).map((agg) => ({
    field: 'amount',
    agg,
  }));
  return [
    {
      templateId,
      grain: 'hour',
      from: BASE,
      to: BASE + 12 * HOUR,
      dimensions: ['channel'],
      measures,
      filters: {},
    },
    {
      templateId,
      grain: 'minute',
      from: BASE,
      to: BASE + 12 * HOUR,
      dimensions: [],
      measures,
      filters: {},
    },
  ];
}

async function expectRollupsExact(store: Store, templateId: string): Promise<void> {
  const live: Session[] = [];
  for await (const s of store.sessions.export({ templateId }))
    if (s.mergedInto === null) live.push(s);
  for (const query of queries(templateId)) {
    const answer = await store.rollups.query(query);
    expect(answer.source).toBe('rollup');
    expect(answer.points).toEqual(aggregateSubjects(live, query));
  }
}

describe.each(testBackends())('batched rollup backfill on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('backfills in small batches while another writer changes, moves and retracts sessions', async () => {
    const templateId = 'busy';
    await store.sessions.upsert(Array.from({ length: 60 }, (_, i) => session(templateId, i)));
    const writer = await openStore(url);
    try {
      const writes = (async () => {
        for (let round = 2; round <= 9; round += 1) {
          const changes: SessionChange[] = [];
          for (let i = round; i < 60; i += 5)
            changes.push(session(templateId, i, round, round * 11));
          changes.push(session(templateId, 100 + round, 1));
          changes.push(retraction(session(templateId, round * 6), `${templateId}-0`, 50 + round));
          await writer.sessions.upsert(changes);
        }
      })();
      await Promise.all([store.rollups.define(templateId, SPEC, { batchSize: 3 }), writes]);
    } finally {
      await writer.close();
    }
    await expectRollupsExact(store, templateId);
  });

  it('serves nothing from a rollup until its backfill is done, and resumes one that stopped', async () => {
    const templateId = 'resumed';
    await store.sessions.upsert(Array.from({ length: 20 }, (_, i) => session(templateId, i)));
    const defined = await store.rollups.define(templateId, SPEC, { batchSize: 4 });
    await expectRollupsExact(store, templateId);
    // What a definer that stopped after recording the spec leaves behind.
    await executeRaw(url, `DELETE FROM rollups WHERE rollup_id = '${defined.rollupId}'`);
    await executeRaw(
      url,
      `UPDATE rollup_specs SET backfill_until = ${Number.MIN_SAFE_INTEGER} WHERE rollup_id = '${defined.rollupId}'`,
    );
    expect((await store.rollups.query(queries(templateId)[0]!)).source).toBe('raw');
    await store.sessions.upsert([session(templateId, 3, 2), session(templateId, 40)]);
    await store.rollups.define(templateId, SPEC, { batchSize: 4 });
    await expectRollupsExact(store, templateId);
  });
});
