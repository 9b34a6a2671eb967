import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { aggregateSubjects, StorageValidationError } from '../../src/index.js';
import type { DashboardPoint, DashboardQuery, SessionChange, Store } from '../../src/index.js';
import { defineRollupSpec } from '../../src/rollups/rollup-spec.js';
import { executeRaw, freshStore, testBackends } from '../backends.js';
import { fraudVerdict, makeSession } from '../sessions-fixture.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
// Every run of the rollup property is tens of database round trips: cap it so
// that CI's raised run count stays within minutes, and give it the time it needs.
const rollupRuns = Math.min(runs, 300);
const rollupTimeoutMs = Math.max(30_000, rollupRuns * 400);
const HOUR = 3_600_000;
const BASE = Date.UTC(2026, 0, 1);
const SPEC = {
  dimensions: ['channel', '$verdict', 'region'],
  measures: [
    { field: 'amount', agg: 'p95' as const },
    { field: '$duration', agg: 'avg' as const },
  ],
};
const MEASURES = (['count', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99'] as const).flatMap(
  (agg) => [
    { field: 'amount', agg },
    { field: '$duration', agg },
  ],
);

/** One generated change: a version of one of six sessions, or its retraction. */
const changeArbitrary = fc.record({
  session: fc.integer({ min: 0, max: 5 }),
  version: fc.integer({ min: 1, max: 8 }),
  retract: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  minute: fc.integer({ min: 0, max: 3 * 60 - 1 }),
  duration: fc.integer({ min: 0, max: 90_000 }),
  channel: fc.constantFrom('app', 'web', null, undefined),
  region: fc.constantFrom('eu', 'us'),
  amount: fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.constant(undefined),
  ),
  fraud: fc.boolean(),
});
type GeneratedChange = typeof changeArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toChange(templateId: string, g: GeneratedChange): SessionChange {
  const sessionId = `${templateId}-s${g.session}`;
  if (g.retract)
    return { sessionId, templateId, mergedInto: `${templateId}-s0`, version: g.version };
  const start = BASE + g.minute * 60_000;
  const fields: Session['fields'] = { region: g.region };
  if (g.channel !== undefined) fields.channel = g.channel;
  if (g.amount !== undefined) fields.amount = g.amount;
  return makeSession({
    sessionId,
    templateId,
    version: g.version,
    start,
    end: start + g.duration,
    fields,
    verdict: g.fraud ? fraudVerdict : null,
    verdicts: g.fraud ? [fraudVerdict] : [],
  });
}

async function liveSessions(store: Store, templateId: string): Promise<Session[]> {
  const live: Session[] = [];
  for await (const s of store.sessions.export({ templateId }))
    if (s.mergedInto === null) live.push(s);
  return live;
}

function expectSamePoints(actual: DashboardPoint[], expected: DashboardPoint[]) {
  expect(actual.map(({ measures: _m, ...rest }) => rest)).toEqual(
    expected.map(({ measures: _m, ...rest }) => rest),
  );
  for (const [i, point] of actual.entries()) {
    for (const [key, value] of Object.entries(point.measures)) {
      const want = expected[i]?.measures[key] ?? null;
      if (value === null || want === null || !/^(sum|avg)/u.test(key))
        expect([key, value]).toEqual([key, want]);
      else expect(Math.abs(value - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
    }
  }
}

const queries = (templateId: string): DashboardQuery[] => [
  {
    templateId,
    grain: 'minute',
    from: BASE,
    to: BASE + 3 * HOUR,
    dimensions: ['channel', '$verdict', 'region'],
    measures: MEASURES,
    filters: {},
  },
  {
    templateId,
    grain: 'hour',
    from: BASE,
    to: BASE + 3 * HOUR,
    dimensions: ['region'],
    measures: MEASURES,
    filters: {},
  },
  {
    templateId,
    grain: 'hour',
    from: BASE,
    to: BASE + 3 * HOUR,
    dimensions: ['region', 'channel', '$verdict'],
    measures: MEASURES,
    filters: { region: 'eu' },
  },
  {
    templateId,
    grain: 'day',
    from: BASE,
    to: BASE + 24 * HOUR,
    dimensions: [],
    measures: MEASURES,
    filters: { channel: 'app' },
  },
  // Every rollup dimension at day grain: one day row per point, from its summary.
  {
    templateId,
    grain: 'day',
    from: BASE - 24 * HOUR,
    to: BASE + 48 * HOUR,
    dimensions: ['$verdict', 'region', 'channel'],
    measures: MEASURES,
    filters: {},
  },
];

describe.each(testBackends())('rollups on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it(
    'always equal the aggregate recomputed from the raw sessions, through versions, retractions and batched backfills',
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(changeArbitrary, { minLength: 1, maxLength: 4 }), {
            minLength: 1,
            maxLength: 6,
          }),
          fc.integer({ min: 0, max: 6 }),
          fc.integer({ min: 1, max: 5 }),
          async (batches, defineAfter, batchSize) => {
            run += 1;
            const templateId = `roll-${run}-${Math.random().toString(36).slice(2, 8)}`;
            for (const [i, batch] of batches.entries()) {
              if (i === defineAfter) await store.rollups.define(templateId, SPEC, { batchSize });
              await store.sessions.upsert(batch.map((g) => toChange(templateId, g)));
            }
            if (defineAfter >= batches.length)
              await store.rollups.define(templateId, SPEC, { batchSize });
            const live = await liveSessions(store, templateId);
            for (const query of queries(templateId)) {
              const answer = await store.rollups.query(query);
              expect(answer.source).toBe('rollup');
              expectSamePoints(answer.points, aggregateSubjects(live, query));
            }
          },
        ),
        { numRuns: rollupRuns },
      );
    },
    rollupTimeoutMs,
  );

  it('serves a query from the covering rollup with the fewest dimensions, which answers as the wider ones and the raw sessions do', async () => {
    const templateId = 'smallest';
    const measures = SPEC.measures;
    const narrow = { dimensions: ['channel'], measures };
    const wide = [
      { dimensions: ['channel', 'region'], measures },
      { dimensions: ['region', 'channel', '$verdict'], measures },
    ];
    const idOf = (spec: object) => defineRollupSpec(templateId, spec).rollupId;
    // The wider rollups are listed first (rollup_specs comes back in id order):
    // taking the first that covers the query would read a wide one.
    for (const spec of wide) expect(idOf(spec) < idOf(narrow)).toBe(true);
    for (const spec of [narrow, ...wide]) await store.rollups.define(templateId, spec);
    const sessions = Array.from({ length: 30 }, (_, i) =>
      makeSession({
        templateId,
        start: BASE + ((i * 7) % 180) * 60_000,
        end: BASE + ((i * 7) % 180) * 60_000 + i * 1000,
        fields: {
          channel: ['app', 'web', null][i % 3] ?? null,
          region: i % 2 === 0 ? 'eu' : 'us',
          amount: (i * 37) % 101,
        },
        verdict: i % 4 === 0 ? fraudVerdict : null,
        verdicts: i % 4 === 0 ? [fraudVerdict] : [],
      }),
    );
    await store.sessions.upsert(sessions);
    const query: DashboardQuery = {
      templateId,
      grain: 'hour',
      from: BASE,
      to: BASE + 3 * HOUR,
      dimensions: ['channel'],
      measures: MEASURES,
      filters: {},
    };
    const raw = aggregateSubjects(sessions, query);
    expect(raw.length).toBeGreaterThan(6);
    const chosen = await store.rollups.query(query);
    expect(chosen.source).toBe('rollup');
    expectSamePoints(chosen.points, raw);

    // With the narrow rollup not ready, a wide one answers, the same.
    const narrowId = idOf(narrow);
    await executeRaw(
      url,
      `UPDATE rollup_specs SET backfill_until = 0 WHERE rollup_id = '${narrowId}'`,
    );
    const fromWide = await store.rollups.query(query);
    expect(fromWide.source).toBe('rollup');
    expectSamePoints(fromWide.points, chosen.points);

    // Ready again, and the wide rollups' rows gone: the answer is unchanged,
    // so it was read from the narrow rollup.
    await executeRaw(
      url,
      `UPDATE rollup_specs SET backfill_until = NULL WHERE rollup_id = '${narrowId}'`,
    );
    const wideIds = wide.map((spec) => `'${idOf(spec)}'`).join(', ');
    await executeRaw(url, `DELETE FROM rollups WHERE rollup_id IN (${wideIds})`);
    expect(await store.rollups.query(query)).toEqual(chosen);
  });

  it('answers day dashboards of a rollup without day rows (defined before migration 10) from its hours, and keeps it so', async () => {
    const templateId = 'hours-only';
    await store.rollups.define(templateId, SPEC);
    const day = 24 * HOUR;
    const session = (i: number) =>
      makeSession({
        templateId,
        start: BASE + (i % 5) * day + i * 60_000,
        fields: { channel: i % 2 === 0 ? 'app' : 'web', region: 'eu', amount: i },
      });
    await store.sessions.upsert([1, 2, 3, 4, 5, 6].map(session));
    // What a rollup defined before migration 10 looks like: grains 'mh', no day rows.
    await executeRaw(
      url,
      `UPDATE rollup_specs SET grains = 'mh' WHERE template_id = '${templateId}'`,
    );
    await executeRaw(
      url,
      `DELETE FROM rollups WHERE grain = 'd' AND rollup_id IN (SELECT rollup_id FROM rollup_specs WHERE template_id = '${templateId}')`,
    );
    await store.sessions.upsert([7, 8, 9].map(session));
    const query: DashboardQuery = {
      templateId,
      grain: 'day',
      from: BASE,
      to: BASE + 5 * day,
      dimensions: ['channel', '$verdict', 'region'],
      measures: MEASURES,
      filters: {},
    };
    const answer = await store.rollups.query(query);
    expect(answer.source).toBe('rollup');
    expect(answer.points.length).toBeGreaterThan(4);
    expectSamePoints(
      answer.points,
      aggregateSubjects(await liveSessions(store, templateId), query),
    );
    // Defining the same spec again resumes nothing and adds no day rows: still answered from hours.
    await store.rollups.define(templateId, SPEC);
    expectSamePoints(
      (await store.rollups.query(query)).points,
      aggregateSubjects(await liveSessions(store, templateId), query),
    );
  });

  it('answers from the sketches the rows written before their summaries existed', async () => {
    const templateId = 'unsummarized';
    await store.rollups.define(templateId, SPEC);
    const sessions = [1, 2, 3, 4, 5].map((i) =>
      makeSession({
        templateId,
        start: BASE + (i % 2) * HOUR + i * 60_000,
        end: BASE + (i % 2) * HOUR + i * 60_000 + i * 1000,
        fields: { channel: i % 3 === 0 ? 'web' : 'app', region: 'eu', amount: i * 10.5 },
      }),
    );
    await store.sessions.upsert(sessions);
    const query: DashboardQuery = {
      templateId,
      grain: 'hour',
      from: BASE,
      to: BASE + 2 * HOUR,
      dimensions: ['channel', '$verdict', 'region'],
      measures: MEASURES,
      filters: {},
    };
    const summarized = await store.rollups.query(query);
    expect(summarized.points.length).toBeGreaterThan(1);
    // What a row looked like before migration 0003: no summary.
    await executeRaw(url, 'UPDATE rollups SET summary_json = NULL');
    const fromSketches = await store.rollups.query(query);
    expect(fromSketches).toEqual(summarized);
    expectSamePoints(fromSketches.points, aggregateSubjects(sessions, query));
  });

  it('serves uncovered dimensions from the raw sessions', async () => {
    const templateId = 'adhoc';
    await store.rollups.define(templateId, SPEC);
    const sessions = [1, 2, 3].map((i) =>
      makeSession({
        templateId,
        start: BASE + i * 60_000,
        fields: { city: i === 1 ? 'Lyon' : 'Paris', amount: i },
      }),
    );
    await store.sessions.upsert(sessions);
    const query: DashboardQuery = {
      templateId,
      grain: 'hour',
      from: BASE,
      to: BASE + HOUR,
      dimensions: ['city'],
      measures: [
        { field: 'amount', agg: 'max' },
        { field: 'amount', agg: 'count' },
      ],
      filters: {},
    };
    const answer = await store.rollups.query(query);
    expect(answer.source).toBe('raw');
    const rows = answer.points.map((p) => [
      p.dimensions.city,
      p.sessions,
      p.measures['max(amount)'],
      p.measures['count(amount)'],
    ]);
    expect(rows).toEqual([
      ['Lyon', 1, 1, 1],
      ['Paris', 2, 3, 2],
    ]);
  });

  it('rejects malformed dashboard queries and specs with typed errors', async () => {
    await expect(
      store.rollups.query({ templateId: 'x', grain: 'hour', from: 1, to: HOUR }),
    ).rejects.toThrow(StorageValidationError);
    await expect(
      store.rollups.query({ templateId: 'x', grain: 'week', from: 0, to: HOUR }),
    ).rejects.toThrow(/grain/u);
    await expect(
      store.rollups.define('x', { dimensions: ['a', 'b', 'c', 'd'], measures: [] }),
    ).rejects.toThrow(StorageValidationError);
  });
});
