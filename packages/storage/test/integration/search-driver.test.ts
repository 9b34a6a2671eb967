import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FieldValue, Session } from '@weft/templates';
import type { SearchQuery, Store } from '../../src/index.js';
import { chooseDriver, ESTIMATE_CAP } from '../../src/sessions/search-driver.js';
import type { Predicate } from '../../src/sessions/search-query.js';
import { freshStore, openDialect, testBackends } from '../backends.js';
import { makeSession } from '../sessions-fixture.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const T = 'driver';

/** 80 sessions; starts repeat (every 4th shares its start) so pages split ties by session id. */
const corpus: Session[] = Array.from({ length: 80 }, (_, i) =>
  makeSession({
    sessionId: `d-${String(i).padStart(3, '0')}`,
    templateId: T,
    start: 1_000 * Math.floor(i / 4),
    fields: {
      shop: `S${i % 5}`,
      score: (i * 7) % 10,
      flag: i % 3 === 0,
      code: i % 17 === 0 ? null : `C${i % 11}`,
    },
  }),
);

const predicates: Predicate[] = [
  { field: 'shop', op: '=', value: 'S1' },
  { field: 'shop', op: 'in', value: ['S2', 'S3'] },
  { field: 'score', op: '>=', value: 6 },
  { field: 'score', op: '<', value: 3 },
  { field: 'flag', op: '=', value: true },
  { field: 'code', op: '=', value: null },
  { field: 'code', op: 'prefix', value: 'C1' },
  { field: 'code', op: '!=', value: 'C4' },
];

function holds(value: FieldValue | undefined, p: Predicate): boolean {
  if (value === undefined) return false;
  switch (p.op) {
    case '=':
      return value === p.value;
    case '!=':
      return value !== p.value;
    case 'in':
      return p.value.includes(value);
    case 'prefix':
      return typeof value === 'string' && value.startsWith(p.value);
    case '<':
      return typeof value === typeof p.value && (value as number) < (p.value as number);
    case '<=':
      return typeof value === typeof p.value && (value as number) <= (p.value as number);
    case '>':
      return typeof value === typeof p.value && (value as number) > (p.value as number);
    case '>=':
      return typeof value === typeof p.value && (value as number) >= (p.value as number);
  }
}

/** Newest first, ties by session id descending: the order of every search page. */
function newestFirst(a: Session, b: Session): number {
  return b.start - a.start || (a.sessionId < b.sessionId ? 1 : -1);
}

describe.each(testBackends())(
  'search driven by the most selective condition on $name',
  (backend) => {
    let store: Store;
    let url: string;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ store, url, close } = await freshStore(backend));
      await store.sessions.upsert(corpus);
    });
    afterAll(() => close?.());

    it('pages through any conjunction in any order exactly as a filter of the sessions would', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.constantFrom(...predicates), { minLength: 1, maxLength: 3 }),
          fc.integer({ min: 1, max: 9 }),
          fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
          async (where, limit, from) => {
            const expected = corpus
              .filter((s) => where.every((p) => holds(s.fields[p.field], p)))
              .filter((s) => from === undefined || s.start >= from)
              .sort(newestFirst)
              .map((s) => s.sessionId);
            const seen: string[] = [];
            let cursor: string | undefined;
            do {
              const query: SearchQuery = { templateId: T, where, limit, from, cursor };
              const page = await store.sessions.search(query);
              seen.push(...page.sessions.map((s) => s.sessionId));
              cursor = page.nextCursor;
            } while (cursor !== undefined);
            expect(seen).toEqual(expected);
          },
        ),
        { numRuns: Math.min(runs, 60) },
      );
    });

    it('drives from the condition with the fewest matches, whatever order the caller gives', async () => {
      const dialect = await openDialect(url);
      try {
        const wide: Predicate = { field: 'score', op: '>=', value: 0 };
        const narrow: Predicate = { field: 'shop', op: '=', value: 'S4' };
        const unknown: Predicate = { field: 'nowhere', op: '=', value: 'x' };
        expect(await chooseDriver(dialect.db, [wide, narrow], {})).toBe(1);
        expect(await chooseDriver(dialect.db, [narrow, wide], {})).toBe(0);
        expect(await chooseDriver(dialect.db, [wide, narrow, unknown], {})).toBe(2);
        // The time range narrows the estimate: no 'S4' session starts at or after 20 s.
        expect(await chooseDriver(dialect.db, [wide, narrow], { from: 20_000 })).toBe(0);
      } finally {
        await dialect.close();
      }
    });

    it('prefers a condition that fixes the value when every estimate reaches the cap', async () => {
      const many = Array.from({ length: ESTIMATE_CAP + 5 }, (_, i) =>
        makeSession({ templateId: 'capped', start: i, fields: { kind: 'same', n: i } }),
      );
      for (let i = 0; i < many.length; i += 500)
        await store.sessions.upsert(many.slice(i, i + 500));
      const dialect = await openDialect(url);
      try {
        const range: Predicate = { field: 'n', op: '>=', value: 0 };
        const fixed: Predicate = { field: 'kind', op: '=', value: 'same' };
        expect(await chooseDriver(dialect.db, [range, fixed], {})).toBe(1);
        const page = await store.sessions.search({ templateId: 'capped', where: [range, fixed] });
        expect(page.sessions.map((s) => s.start)).toEqual(
          Array.from({ length: 50 }, (_, i) => ESTIMATE_CAP + 4 - i),
        );
      } finally {
        await dialect.close();
      }
    });
  },
);
