import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter, Orphan } from '@weft/templates';
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

    expect(outcome).toMatchObject({ mode: 'purge', statements: [], sessions: 2 });
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
    expect(
      await store.retention.enforce({ maxAgeDays: 36_500, minuteRollupDays: 36_500 }),
    ).toMatchObject({
      mode: 'purge',
      sessions: 0,
      orphans: 0,
      deadLetters: 0,
      minuteRollupRows: 0,
    });
  });

  it('purges orphans by their record time and dead letters by when they were recorded', async () => {
    const now = Date.now();
    const record = (recordId: string, eventTime: number) => ({
      recordId,
      source: 'callbacks',
      eventTime,
      raw: { transId: recordId },
      fields: { transId: recordId },
      late: false,
    });
    const orphan = (templateId: string, recordId: string, daysAgo: number): Orphan => ({
      templateId,
      node: 'callback',
      record: record(recordId, now - daysAgo * DAY),
      keys: { transId: recordId },
    });
    await store.orphans.add([
      orphan('orphaned', 'o-old-1', 45),
      orphan('orphaned', 'o-old-2', 31),
      orphan('orphaned', 'o-young', 29),
      orphan('orphaned-too', 'o-old-3', 400),
    ]);
    const letter = (reason: string, daysAgo: number): DeadLetter => ({
      templateId: 'orphaned',
      source: 'callbacks',
      reason,
      raw: `{"reason":"${reason}"}`,
      origin: { file: 'callbacks.ndjson', line: 1 },
      at: now - daysAgo * DAY,
    });
    await store.deadLetters.add([letter('old', 60), letter('young', 2)]);

    const outcome = await store.retention.enforce({ maxAgeDays: 30, batchSize: 1 }, now);

    expect(outcome).toMatchObject({ orphans: 3, deadLetters: 1, before: now - 30 * DAY });
    expect((await store.orphans.list('orphaned')).map((o) => o.record.recordId)).toEqual([
      'o-young',
    ]);
    expect(await store.orphans.list('orphaned-too')).toEqual([]);
    expect((await store.deadLetters.list()).map((l) => l.reason)).toEqual(['young']);
  });

  it('purges a full default batch of orphans (more than SQLite nests in one expression)', async () => {
    const now = Date.now();
    const orphans: Orphan[] = Array.from({ length: 2_500 }, (_, i) => ({
      templateId: 'many-orphans',
      node: i % 2 === 0 ? 'callback' : 'refund',
      record: {
        recordId: `bulk-${i}`,
        source: 'callbacks',
        eventTime: now - (i < 2_400 ? 40 : 1) * DAY,
        raw: { i },
        fields: {},
        late: false,
      },
      keys: { transId: `T${i}` },
    }));
    await store.orphans.add(orphans);

    const outcome = await store.retention.enforce({ maxAgeDays: 30 }, now);

    expect(outcome.orphans).toBe(2_400);
    const left = await store.orphans.list('many-orphans', { limit: 1000 });
    expect(left).toHaveLength(100);
    expect(left.every((o) => o.record.eventTime > now - 30 * DAY)).toBe(true);
  });

  it('drops minute rollup rows after minuteRollupDays and keeps hour and day rows', async () => {
    const now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const templateId = 'rolled';
    await store.rollups.define(templateId, {
      dimensions: ['channel'],
      measures: [{ field: 'amount', agg: 'sum' }],
    });
    const at = (daysAgo: number) => now - daysAgo * DAY;
    const sessions = [10, 8, 6, 1].map((daysAgo) =>
      makeSession({ templateId, start: at(daysAgo), end: at(daysAgo) + 1_000 }),
    );
    await store.sessions.upsert(sessions);
    const sessionsIn = async (grain: 'minute' | 'hour' | 'day', daysAgo: number) => {
      const step = { minute: 60_000, hour: 3_600_000, day: DAY }[grain];
      const from = Math.floor(at(daysAgo) / step) * step;
      const answer = await store.rollups.query({
        templateId,
        grain,
        from,
        to: from + step,
        dimensions: ['channel'],
      });
      expect(answer.source).toBe('rollup');
      return answer.points.reduce((sum, point) => sum + point.sessions, 0);
    };
    for (const daysAgo of [10, 8, 6, 1]) expect(await sessionsIn('minute', daysAgo)).toBe(1);

    const outcome = await store.retention.enforce(
      { maxAgeDays: 30, minuteRollupDays: 7, batchSize: 1 },
      now,
    );

    expect(outcome).toMatchObject({ minuteRollupRows: 2, minuteRollupsBefore: at(7) });
    for (const daysAgo of [10, 8]) {
      expect(await sessionsIn('minute', daysAgo)).toBe(0);
      expect(await sessionsIn('hour', daysAgo)).toBe(1);
      expect(await sessionsIn('day', daysAgo)).toBe(1);
    }
    for (const daysAgo of [6, 1]) expect(await sessionsIn('minute', daysAgo)).toBe(1);
    // The sessions themselves are younger than maxAgeDays: all still there.
    for (const session of sessions)
      expect(await store.sessions.get(session.sessionId)).toEqual(session);
  });

  it.each([
    [{ maxAgeDays: -3 }, /maxAgeDays/u],
    [{ maxAgeDays: 30, minuteRollupDays: 0 }, /minuteRollupDays/u],
    [{ maxAgeDays: 30, batchSize: 20_000 }, /batchSize/u],
  ])('rejects the malformed policy %j before touching the database', async (policy, field) => {
    const rejected = store.retention.enforce(policy);
    await expect(rejected).rejects.toThrow(StorageValidationError);
    await expect(rejected).rejects.toThrow(field);
  });
});
