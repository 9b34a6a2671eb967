import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import {
  BatchTooLargeError,
  BATCH_LIMITS,
  chunkSessionBatch,
  openStore,
  StorageValidationError,
} from '../../src/index.js';
import type { Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';
import { fraudVerdict, makeSession, retraction, withFields } from '../sessions-fixture.js';

async function exportAll(store: Store, templateId?: string): Promise<Session[]> {
  const sessions: Session[] = [];
  for await (const session of store.sessions.export(
    templateId === undefined ? {} : { templateId },
  )) {
    sessions.push(session);
  }
  return sessions;
}

describe.each(testBackends())('sessions on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('stores a session and returns it exactly, raw records included', async () => {
    const session = makeSession({
      verdict: fraudVerdict,
      verdicts: [fraudVerdict],
      fields: { k: 'ü 🚀', n: -1.5 },
    });
    expect(await store.sessions.upsert([session])).toEqual({ applied: 1, ignored: 0 });
    expect(await store.sessions.get(session.sessionId)).toEqual(session);
    expect(await store.sessions.get('missing')).toBeUndefined();
  });

  it('never lets an older or equal version overwrite a newer one', async () => {
    const v2 = makeSession({ version: 2, status: 'open' });
    const v3 = { ...v2, version: 3, status: 'closed' as const, fields: { orderId: 'changed' } };
    await store.sessions.upsert([v3]);
    expect(await store.sessions.upsert([v2])).toEqual({ applied: 0, ignored: 1 });
    expect(await store.sessions.upsert([{ ...v3, fields: { orderId: 'same version' } }])).toEqual({
      applied: 0,
      ignored: 1,
    });
    expect(await store.sessions.get(v2.sessionId)).toEqual(v3);
  });

  it('keeps the highest version when one batch carries several', async () => {
    const v1 = makeSession();
    const v5 = { ...v1, version: 5, fields: { orderId: 'v5' } };
    const v4 = { ...v1, version: 4, fields: { orderId: 'v4' } };
    expect(await store.sessions.upsert([v1, v5, v4])).toEqual({ applied: 1, ignored: 2 });
    expect((await store.sessions.get(v1.sessionId))?.fields).toEqual({ orderId: 'v5' });
  });

  it('changes nothing when a batch is replayed', async () => {
    const batch = [
      makeSession({ templateId: 'replay' }),
      makeSession({ templateId: 'replay', version: 2 }),
    ];
    await store.sessions.upsert(batch);
    const before = await exportAll(store, 'replay');
    expect(await store.sessions.upsert(batch)).toEqual({ applied: 0, ignored: 2 });
    expect(await exportAll(store, 'replay')).toEqual(before);
  });

  it('marks a retracted session merged, and a later older version cannot revive it', async () => {
    const absorbed = makeSession({ businessKey: 'merge-key' });
    await store.sessions.upsert([absorbed]);
    await store.sessions.upsert([retraction(absorbed, 'survivor', 2)]);
    expect((await store.sessions.get(absorbed.sessionId))?.mergedInto).toBe('survivor');
    expect(await store.sessions.upsert([{ ...absorbed, version: 2 }])).toEqual({
      applied: 0,
      ignored: 1,
    });
    expect(await store.sessions.byBusinessKey('merge-key')).toEqual([]);
    expect(await store.sessions.byBusinessKey('merge-key', { includeMerged: true })).toHaveLength(
      1,
    );
  });

  it('leaves a tombstone for a retraction that arrives before the session', async () => {
    const late = makeSession();
    await store.sessions.upsert([retraction(late, 'survivor', 3)]);
    expect(await store.sessions.upsert([{ ...late, version: 2 }])).toEqual({
      applied: 0,
      ignored: 1,
    });
    expect((await store.sessions.get(late.sessionId))?.mergedInto).toBe('survivor');
  });

  it('finds sessions by business key, newest first, within a template', async () => {
    const early = makeSession({ businessKey: 'ORD-42', start: 1_000 });
    const later = makeSession({ businessKey: 'ORD-42', start: 2_000 });
    const other = makeSession({ businessKey: 'ORD-42', templateId: 'payment' });
    await store.sessions.upsert([early, later, other]);
    expect(
      (await store.sessions.byBusinessKey('ORD-42', { templateId: 'order' })).map(
        (s) => s.sessionId,
      ),
    ).toEqual([later.sessionId, early.sessionId]);
    expect(await store.sessions.byBusinessKey('ORD-42')).toHaveLength(3);
  });

  it('lists the id and version of the live sessions of several keys within a template', async () => {
    const a = makeSession({ businessKey: 'LV-1', start: 1_000, version: 3 });
    const b = makeSession({ businessKey: 'LV-2', start: 2_000 });
    const merged = makeSession({ businessKey: 'LV-2', start: 3_000 });
    const other = makeSession({ businessKey: 'LV-1', templateId: 'payment' });
    await store.sessions.upsert([a, b, merged, other]);
    await store.sessions.upsert([retraction(merged, b.sessionId, merged.version + 1)]);
    const found = await store.sessions.liveVersions('order', ['LV-1', 'LV-2', 'LV-3', 'LV-1']);
    expect(found.sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1))).toEqual(
      [
        { sessionId: a.sessionId, businessKey: 'LV-1', version: 3 },
        { sessionId: b.sessionId, businessKey: 'LV-2', version: b.version },
      ].sort((x, y) => (x.sessionId < y.sessionId ? -1 : 1)),
    );
    expect(await store.sessions.liveVersions('order', [])).toEqual([]);
  });

  it('returns the full detail with operator actions', async () => {
    const session = makeSession();
    await store.sessions.upsert([session]);
    const action = await store.operatorActions.record({
      sessionId: session.sessionId,
      action: 'annotate',
      actor: 'ana',
      at: 5,
      payload: { note: 'refund confirmed' },
    });
    expect(await store.sessions.detail(session.sessionId)).toEqual({
      session,
      operatorActions: [action],
    });
  });

  it('keeps the field catalog of each template', async () => {
    await store.sessions.upsert([
      makeSession({ templateId: 'catalog', fields: { a: 1, b: 'x' } }),
      makeSession({ templateId: 'catalog', fields: { a: 'one', c: true } }),
    ]);
    expect(await store.fieldCatalog.list('catalog')).toEqual([
      { field: 'a', types: ['number', 'string'], firstSeen: expect.any(Number) },
      { field: 'b', types: ['string'], firstSeen: expect.any(Number) },
      { field: 'c', types: ['boolean'], firstSeen: expect.any(Number) },
    ]);
  });

  it('rejects oversized batches and ids with typed errors, and chunks batches to fit', async () => {
    const many = Array.from({ length: BATCH_LIMITS.sessions + 1 }, () => makeSession());
    await expect(store.sessions.upsert(many)).rejects.toThrow(BatchTooLargeError);
    expect(chunkSessionBatch(many).map((b) => b.length)).toEqual([BATCH_LIMITS.sessions, 1]);
    await expect(
      store.sessions.upsert([makeSession({ sessionId: 'x'.repeat(200) })]),
    ).rejects.toThrow(StorageValidationError);
  });

  it('refuses a field name ending with a space (MySQL-family keys ignore trailing spaces)', async () => {
    const session = makeSession({ fields: { a: 1, 'a ': 2 } });
    await expect(store.sessions.upsert([session])).rejects.toThrow(/field name "a ".*space/u);
    expect(await store.sessions.get(session.sessionId)).toBeUndefined();
  });

  it('settles concurrent writers from several connections on the highest version of each session', async () => {
    const writers = await Promise.all([1, 2, 3, 4].map(() => openStore(url, { poolSize: 4 })));
    try {
      const ids = Array.from({ length: 12 }, (_, i) => `race-${i}`);
      const versionsOf = (writer: number) =>
        ids.map((id, i) =>
          withFields(
            makeSession({
              sessionId: id,
              templateId: 'race',
              version: 1 + ((writer * 7 + i * 3) % 10),
            }),
            {
              writer,
            },
          ),
        );
      await Promise.all(
        writers.map(async (writer, w) => {
          for (let round = 0; round < 3; round += 1) {
            const batch = versionsOf(w).map((s) => ({ ...s, version: s.version + round * 10 }));
            await writer.sessions.upsert(round % 2 === 0 ? batch : [...batch].reverse());
          }
        }),
      );
      const stored = await exportAll(store, 'race');
      for (const [i, id] of ids.entries()) {
        const highest = Math.max(...[0, 1, 2, 3].map((w) => 1 + ((w * 7 + i * 3) % 10) + 20));
        expect(stored.find((s) => s.sessionId === id)?.version).toBe(highest);
      }
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });

  it('purges sessions that ended before the cutoff, in batches', async () => {
    const old = [1, 2, 3].map(() => makeSession({ templateId: 'purge', start: 10, end: 20 }));
    const recent = makeSession({ templateId: 'purge', start: 5_000, end: 6_000 });
    await store.sessions.upsert([...old, recent]);
    expect(await store.sessions.purge({ endedBefore: 1_000, batchSize: 2 })).toBeGreaterThanOrEqual(
      3,
    );
    expect((await exportAll(store, 'purge')).map((s) => s.sessionId)).toEqual([recent.sessionId]);
  });
});
