import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidOperatorConfigError,
  SnapshotFormatError,
  SnapshotMismatchError,
} from '../errors.js';
import { ProfileQueryTooOldError, UnknownProfileFeatureError } from './profile-errors.js';
import { layoutsOf, windowBounds } from './profile-layout.js';
import type { FeatureSpec, ProfileSpec } from './profile-spec.js';
import { profileSnapshotOf, type ProfileEntry } from './profile-snapshot.js';
import { ProfileStore } from './profile-store.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

// Small units so that a few hundred events cross every tier: buckets of 1, 10 and 100.
const features: FeatureSpec[] = [
  { name: 'count_5', aggregate: 'count', window: { last: 5, offset: 0 } },
  { name: 'sum_300', aggregate: 'sum', field: 'amount', window: { last: 300, offset: 0 } },
  { name: 'min_300_ago_50', aggregate: 'min', field: 'amount', window: { last: 300, offset: 50 } },
  { name: 'max_3000', aggregate: 'max', field: 'amount', window: { last: 3000, offset: 0 } },
  { name: 'devices_30', aggregate: 'distinct', field: 'device', window: { last: 30, offset: 0 } },
  {
    name: 'devices_240_ago_240',
    aggregate: 'distinct',
    field: 'device',
    window: { last: 240, offset: 240 },
  },
  { name: 'seen_before_24', aggregate: 'last_seen', window: { last: 2400, offset: 24 } },
  {
    name: 'count_300_kept_4000',
    aggregate: 'count',
    window: { last: 300, offset: 0, retain: 4000 },
  },
];
const spec: ProfileSpec = {
  entities: [
    { id: 'account', features },
    { id: 'device', features: features.slice(0, 2) },
  ],
  granularities: [1, 10, 100],
  queryLag: 40,
};

interface Event {
  readonly kind: 'account' | 'device';
  readonly key: string;
  readonly time: number;
  readonly amount: number | null;
  readonly device: string | null;
}

/** The definition, computed from every event: what the store must answer. */
function oracle(events: readonly Event[], kind: string, key: string, t: number) {
  const out: Record<string, number | null> = {};
  const declared = spec.entities.find((e) => e.id === kind)?.features ?? [];
  for (const feature of declared) {
    const { from, to } = windowBounds(spec.granularities as number[], feature.window, t);
    const hits = events.filter(
      (e) => e.kind === kind && e.key === key && e.time >= from && e.time < to,
    );
    const amounts = hits.flatMap((e) => (e.amount === null ? [] : [e.amount]));
    switch (feature.aggregate) {
      case 'count':
        out[feature.name] = hits.length;
        break;
      case 'sum':
        out[feature.name] = amounts.reduce((a, b) => a + b, 0);
        break;
      case 'min':
        out[feature.name] = amounts.length === 0 ? null : Math.min(...amounts);
        break;
      case 'max':
        out[feature.name] = amounts.length === 0 ? null : Math.max(...amounts);
        break;
      case 'distinct':
        out[feature.name] = new Set(
          hits.flatMap((e) => (e.device === null ? [] : [e.device])),
        ).size;
        break;
      case 'last_seen':
        out[feature.name] = hits.length === 0 ? null : Math.max(...hits.map((e) => e.time));
    }
  }
  return out;
}

const event: fc.Arbitrary<Event> = fc.record({
  kind: fc.constantFrom('account', 'device'),
  key: fc.constantFrom('k1', 'k2', 'k3'),
  time: fc.integer({ min: 0, max: 4500 }),
  amount: fc.option(fc.integer({ min: -50, max: 50 }), { nil: null }),
  device: fc.option(fc.constantFrom('d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'), { nil: null }),
});

/** Events in time order (the "truth") and the same events in some arrival order. */
const history = fc
  .array(event, { minLength: 1, maxLength: 120 })
  .chain((events) =>
    fc.tuple(
      fc.constant(events),
      fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
    ),
  );

const observe = (store: ProfileStore, e: Event) =>
  store.observe(e.kind, e.key, e.time, { amount: e.amount, device: e.device });

/** Query times that the store must answer exactly after `arrived`: every event ≤ t is in, t ≥ frontier − lag. */
function answerableTimes(store: ProfileStore, pending: readonly Event[]): number[] {
  const complete = Math.min(Number.POSITIVE_INFINITY, ...pending.map((e) => e.time));
  const lowest = store.frontier - (spec.queryLag as number);
  const highest = Math.min(complete - 1, store.frontier + 200);
  if (!(highest >= lowest)) return [];
  const step = Math.max(1, Math.floor((highest - lowest) / 4));
  const out: number[] = [];
  for (let t = lowest; t <= highest; t += step) out.push(t);
  return out;
}

describe('ProfileStore point-in-time answers', () => {
  it('equal the brute-force definition in any arrival order, once every record up to t has arrived', () => {
    fc.assert(
      fc.property(history, ([events, arrival]) => {
        const store = new ProfileStore(spec);
        arrival.forEach((e, i) => {
          observe(store, e);
          if (i % 7 !== 6 && i !== arrival.length - 1) return;
          for (const t of answerableTimes(store, arrival.slice(i + 1)))
            for (const kind of ['account', 'device'] as const)
              for (const key of ['k1', 'k2'])
                expect(store.featuresAsOf(kind, key, t)).toEqual(oracle(events, kind, key, t));
        });
      }),
      { numRuns: runs },
    );
  });

  it('never reads a record after t, even one that arrived before the query', () => {
    const store = new ProfileStore(spec);
    store.observe('account', 'k1', 1000, { amount: 5 });
    store.observe('account', 'k1', 1003, { amount: 7 });
    expect(store.featuresAsOf('account', 'k1', 1002)).toMatchObject({ count_5: 1, sum_300: 5 });
    // t's own finest bucket is left out: the record at 1003 is not read as of 1003.
    expect(store.featuresAsOf('account', 'k1', 1003)).toMatchObject({ count_5: 1 });
    expect(store.featuresAsOf('account', 'k1', 1004)).toMatchObject({ count_5: 2, sum_300: 12 });
  });

  it('a restored snapshot answers and continues exactly as the original', () => {
    fc.assert(
      fc.property(history, fc.nat(), ([, arrival], cutSeed) => {
        const cut = cutSeed % (arrival.length + 1);
        const original = new ProfileStore(spec);
        arrival.slice(0, cut).forEach((e) => observe(original, e));
        const restored = ProfileStore.restore(
          JSON.parse(JSON.stringify(original.snapshot())),
          spec,
        );
        for (const e of arrival.slice(cut)) expect(observe(restored, e)).toBe(observe(original, e));
        expect(restored.stats()).toEqual(original.stats());
        expect(restored.frontier).toBe(original.frontier);
        const t = original.frontier;
        for (const key of ['k1', 'k2', 'k3'])
          expect(restored.featuresAsOf('account', key, t)).toEqual(
            original.featuresAsOf('account', key, t),
          );
      }),
      { numRuns: runs },
    );
  });
});

describe('ProfileStore per-entity entries (incremental saves)', () => {
  it('a header plus the changed entries saved after each batch rebuilds the full snapshot', () => {
    fc.assert(
      fc.property(history, fc.array(fc.nat(), { maxLength: 4 }), ([, arrival], cutSeeds) => {
        const store = new ProfileStore(spec);
        const saved = new Map<string, ProfileEntry>();
        expect(store.takeChanged()).toEqual([]);
        const cuts = [...cutSeeds.map((c) => c % (arrival.length + 1)), arrival.length].sort(
          (a, b) => a - b,
        );
        let done = 0;
        for (const cut of cuts) {
          arrival.slice(done, cut).forEach((e) => observe(store, e));
          done = Math.max(done, cut);
          if (cut === arrival.length) store.sweep();
          for (const entry of JSON.parse(JSON.stringify(store.takeChanged())) as ProfileEntry[])
            saved.set(`${entry.kind}/${entry.key}`, entry);
        }
        const rebuilt = profileSnapshotOf(store.snapshotHeader(), saved.values());
        const restored = ProfileStore.restore(rebuilt, spec);
        // Buckets may differ: compaction is not a change (a state saved before it answers the same).
        const { entities, dropped } = store.stats();
        expect(restored.stats()).toMatchObject({ entities, dropped });
        for (const key of ['k1', 'k2', 'k3'])
          expect(restored.featuresAsOf('account', key, store.frontier)).toEqual(
            store.featuresAsOf('account', key, store.frontier),
          );
        expect(store.takeChanged()).toEqual([]);
      }),
      { numRuns: runs },
    );
  });

  it('reports a forgotten entity with state null', () => {
    const store = new ProfileStore(spec);
    store.observe('account', 'old', 0, { amount: 1 });
    expect(store.takeChanged().map((e) => e.key)).toEqual(['old']);
    store.observe('account', 'new', 400 * 86_400_000, { amount: 1 });
    store.sweep();
    expect(store.takeChanged()).toEqual([
      expect.objectContaining({ kind: 'account', key: 'new' }),
      { kind: 'account', key: 'old', state: null },
    ]);
    expect(store.entries().map((e) => e.key)).toEqual(['new']);
  });
});

describe('ProfileStore bounded state', () => {
  it('keeps at most the buckets its horizons allow, however long an entity lives', () => {
    const store = new ProfileStore(spec);
    const layout = layoutsOf(spec).get('account');
    if (layout === undefined) throw new Error('no layout');
    const bound = layout.horizons.reduce(
      (sum, h, k) => sum + Math.ceil(h / (layout.granularities[k] as number)) + 2,
      0,
    );
    let most = 0;
    for (let time = 0; time < 50_000; time += 1) {
      store.observe('account', 'busy', time, { amount: 1, device: `d${String(time % 3)}` });
      most = Math.max(most, store.stats().buckets);
    }
    expect(most).toBeLessThanOrEqual(bound);
  });

  it('drops records older than the retention and forgets entities with nothing left', () => {
    const store = new ProfileStore(spec);
    store.observe('account', 'old', 0, {});
    store.observe('account', 'new', 20_000, {});
    expect(store.observe('account', 'late', 100, {})).toBe(false);
    expect(store.stats().dropped).toBe(1);
    expect(store.sweep()).toBe(1);
    expect(store.stats().entities).toBe(1);
  });
});

describe('ProfileStore errors', () => {
  it('refuses a query further back than queryLag, saying what to change', () => {
    const store = new ProfileStore(spec);
    store.observe('account', 'k1', 1000, {});
    expect(() => store.featuresAsOf('account', 'k1', 900)).toThrow(ProfileQueryTooOldError);
    expect(() => store.featuresAsOf('account', 'k1', 900)).toThrow(
      /100 ms behind .* raise queryLag/,
    );
  });

  it('names undeclared entity kinds', () => {
    const store = new ProfileStore(spec);
    expect(() => store.observe('card', 'c1', 1, {})).toThrow(UnknownProfileFeatureError);
    expect(() => store.observe('card', 'c1', 1, {})).toThrow(
      'entity kind "card" is not declared; declared: account, device',
    );
  });

  it.each([
    [
      { entities: [], granularities: [10, 15] },
      'granularities[1] = 15 must be a multiple of granularities[0] = 10',
    ],
    [
      {
        entities: [
          { id: 'a', features: [{ name: 'x', aggregate: 'sum', window: { last: 10, offset: 0 } }] },
        ],
      },
      'entity "a" feature "x": sum needs a field',
    ],
    [
      {
        entities: [
          {
            id: 'a',
            features: [
              { name: 'x', aggregate: 'count', window: { last: 10, offset: 0, retain: 5 } },
            ],
          },
        ],
      },
      'window.retain = 5 must be at least last + offset = 10',
    ],
  ] as [ProfileSpec, string][])('rejects a spec that cannot work: %#', (bad, message) => {
    expect(() => new ProfileStore(bad)).toThrow(InvalidOperatorConfigError);
    expect(() => new ProfileStore(bad)).toThrow(message);
  });

  it('refuses snapshots that are not one, or were taken under another spec', () => {
    const store = new ProfileStore(spec);
    store.observe('account', 'k1', 5, { amount: 1 });
    expect(() => ProfileStore.restore({ format: 'weft.profiles/0' }, spec)).toThrow(
      SnapshotFormatError,
    );
    const other: ProfileSpec = { ...spec, queryLag: 80 };
    expect(() => ProfileStore.restore(store.snapshot(), other)).toThrow(SnapshotMismatchError);
  });
});
