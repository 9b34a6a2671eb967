import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/index.js';
import { StorageValidationError } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';
import { makeSession } from '../sessions-fixture.js';

const DAY = 86_400_000;

describe.each(testBackends())('retention on $name', (backend) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('purges, in batches, the sessions that ended before the retention age (not TiDB)', async () => {
    const now = Date.now();
    const old = [100, 40].map((days) =>
      makeSession({
        templateId: 'retained',
        start: now - days * DAY - 60_000,
        end: now - days * DAY,
      }),
    );
    const young = makeSession({ templateId: 'retained', start: now - DAY, end: now - DAY + 1 });
    await store.sessions.upsert([...old, young]);

    const outcome = await store.retention.enforce({ maxAgeDays: 30, batchSize: 1 });

    expect(outcome.mode).toBe('purge');
    expect(outcome).toMatchObject({ purged: 2 });
    for (const session of old) expect(await store.sessions.get(session.sessionId)).toBeUndefined();
    expect(await store.sessions.get(young.sessionId)).toEqual(young);
    const found = await store.sessions.search({ templateId: 'retained' });
    expect(found.sessions.map((s) => s.sessionId)).toEqual([young.sessionId]);
    // Its field and node rows went with it: storing it again conflicts with nothing.
    const again = { ...old[0]!, version: 2 };
    expect(await store.sessions.upsert([again])).toEqual({ applied: 1, ignored: 0 });
    expect(await store.sessions.get(again.sessionId)).toEqual(again);
  });

  it('is a no-op when nothing is old enough', async () => {
    expect(await store.retention.enforce({ maxAgeDays: 36_500 })).toMatchObject({
      mode: 'purge',
      purged: 0,
    });
  });

  it('rejects a malformed policy before touching the database', async () => {
    await expect(store.retention.enforce({ maxAgeDays: -3 })).rejects.toThrow(
      StorageValidationError,
    );
  });
});
