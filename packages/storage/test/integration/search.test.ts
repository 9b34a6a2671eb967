import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { StorageValidationError } from '../../src/index.js';
import type { SearchQuery, Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';
import { fraudVerdict, makeSession } from '../sessions-fixture.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const T = 'search';

const corpus: Session[] = [
  makeSession({
    templateId: T,
    start: 1_000,
    fields: { city: 'Paris', amount: 10, vip: true, tag: 'ab' },
  }),
  makeSession({
    templateId: T,
    start: 2_000,
    fields: { city: 'paris', amount: 20, vip: false, tag: 'ab ' },
  }),
  makeSession({
    templateId: T,
    start: 3_000,
    fields: { city: 'Lyon', amount: 30, vip: true, tag: 'abc' },
  }),
  makeSession({
    templateId: T,
    start: 4_000,
    fields: { city: 'Lyon', amount: 40.5, vip: null, tag: 'x'.repeat(300) },
    verdict: fraudVerdict,
    verdicts: [fraudVerdict],
  }),
  makeSession({ templateId: T, start: 5_000, fields: { city: 'Nice', amount: -5, tag: '%_!' } }),
  makeSession({ templateId: 'other', start: 6_000, fields: { city: 'Paris', amount: 10 } }),
];

function ids(sessions: readonly { sessionId: string }[]) {
  return sessions.map((s) => s.sessionId).sort();
}

describe.each(testBackends())('search on $name', (backend) => {
  let store: Store;
  let close: () => Promise<void>;
  const search = async (query: SearchQuery) =>
    ids((await store.sessions.search({ templateId: T, ...query })).sessions);
  const expected = (pick: (s: Session) => boolean) =>
    ids(corpus.filter((s) => s.templateId === T && pick(s)));

  beforeAll(async () => {
    ({ store, close } = await freshStore(backend));
    await store.sessions.upsert(corpus);
  });
  afterAll(() => close?.());

  it.each<[string, SearchQuery['where'], (s: Session) => boolean]>([
    [
      '= string is exact and case-sensitive',
      [{ field: 'city', op: '=', value: 'Paris' }],
      (s) => s.fields.city === 'Paris',
    ],
    [
      '= ignores no trailing space',
      [{ field: 'tag', op: '=', value: 'ab' }],
      (s) => s.fields.tag === 'ab',
    ],
    [
      '!= requires the field',
      [{ field: 'vip', op: '!=', value: true }],
      (s) => 'vip' in s.fields && s.fields.vip !== true,
    ],
    ['= null', [{ field: 'vip', op: '=', value: null }], (s) => s.fields.vip === null],
    [
      '< number',
      [{ field: 'amount', op: '<', value: 20 }],
      (s) => (s.fields.amount as number) < 20,
    ],
    [
      '<= number',
      [{ field: 'amount', op: '<=', value: 20 }],
      (s) => (s.fields.amount as number) <= 20,
    ],
    [
      '> number',
      [{ field: 'amount', op: '>', value: 30 }],
      (s) => (s.fields.amount as number) > 30,
    ],
    [
      '>= number',
      [{ field: 'amount', op: '>=', value: 30 }],
      (s) => (s.fields.amount as number) >= 30,
    ],
    [
      'prefix',
      [{ field: 'tag', op: 'prefix', value: 'ab' }],
      (s) => String(s.fields.tag).startsWith('ab'),
    ],
    [
      'prefix with a trailing space',
      [{ field: 'tag', op: 'prefix', value: 'ab ' }],
      (s) => String(s.fields.tag).startsWith('ab '),
    ],
    [
      'prefix of a long value',
      [{ field: 'tag', op: 'prefix', value: 'xxx' }],
      (s) => String(s.fields.tag).startsWith('xxx'),
    ],
    [
      'prefix with LIKE wildcards is literal',
      [{ field: 'tag', op: 'prefix', value: '%_' }],
      (s) => String(s.fields.tag).startsWith('%_'),
    ],
    [
      'in',
      [{ field: 'city', op: 'in', value: ['Lyon', 'Nice', 42] }],
      (s) => ['Lyon', 'Nice'].includes(String(s.fields.city)),
    ],
    [
      'a conjunction',
      [
        { field: 'city', op: '=', value: 'Lyon' },
        { field: 'amount', op: '<', value: 35 },
      ],
      (s) => s.fields.city === 'Lyon' && (s.fields.amount as number) < 35,
    ],
  ])('%s', async (_name, where, pick) => {
    expect(await search({ where })).toEqual(expected(pick));
  });

  it('filters by time range, verdict and template', async () => {
    expect(await search({ from: 2_000, to: 4_000 })).toEqual(
      expected((s) => s.start >= 2_000 && s.start < 4_000),
    );
    expect(await search({ verdict: 'fraud' })).toEqual(
      expected((s) => s.verdict?.conclusion === 'fraud'),
    );
    expect(await search({ verdict: null })).toEqual(expected((s) => s.verdict === null));
    expect(
      ids(
        (await store.sessions.search({ where: [{ field: 'city', op: '=', value: 'Paris' }] }))
          .sessions,
      ),
    ).toEqual(ids(corpus.filter((s) => s.fields.city === 'Paris')));
  });

  it('pages with a keyset cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.sessions.search({
        templateId: T,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.sessions.map((s) => s.sessionId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const newestFirst = corpus.filter((s) => s.templateId === T).sort((a, b) => b.start - a.start);
    expect(seen).toEqual(newestFirst.map((s) => s.sessionId));
  });

  it.each<[string, unknown]>([
    ['an unknown operator', { where: [{ field: 'city', op: 'LIKE', value: 'x' }] }],
    [
      'a field name with a control character',
      { where: [{ field: 'ci\u0000ty', op: '=', value: 'x' }] },
    ],
    ['a range on a boolean', { where: [{ field: 'vip', op: '<', value: true }] }],
    ['NaN', { where: [{ field: 'amount', op: '=', value: Number.NaN }] }],
    ['a lone surrogate', { where: [{ field: 'city', op: '=', value: '\ud800' }] }],
    [
      'an equality value longer than the index',
      { where: [{ field: 'tag', op: '=', value: 'x'.repeat(300) }] },
    ],
    ['a forged cursor', { cursor: 'eyJhIjoxfQ' }],
    ['a huge limit', { limit: 1e9 }],
  ])('rejects %s with a typed validation error', async (_name, query) => {
    await expect(store.sessions.search(query as SearchQuery)).rejects.toThrow(
      StorageValidationError,
    );
  });

  it.each([
    "' OR '1'='1",
    "Paris' --",
    '"; DROP TABLE sessions; --',
    "\\' OR 1=1 #",
    "') UNION SELECT * FROM weft_migrations --",
  ])('treats %j as a plain value and a plain field name', async (attack) => {
    expect(await search({ where: [{ field: 'city', op: '=', value: attack }] })).toEqual([]);
    expect(await search({ where: [{ field: attack, op: '=', value: 'Paris' }] })).toEqual([]);
    expect(await search({ where: [{ field: 'city', op: 'prefix', value: attack }] })).toEqual([]);
    expect(await search({ verdict: attack })).toEqual([]);
    expect((await store.sessions.search({ templateId: attack })).sessions).toEqual([]);
    expect(await store.sessions.get(corpus[0]!.sessionId)).toEqual(corpus[0]);
  });

  it('answers any generated value or field name with results or a validation error, never a database error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.double(),
          fc.boolean(),
          fc.constant(null),
        ),
        fc.constantFrom('=', '!=', '<', '>=', 'prefix', 'in'),
        async (field, value, op) => {
          const query = {
            templateId: T,
            where: [{ field, op, value: op === 'in' ? [value] : value }],
          };
          try {
            const page = await store.sessions.search(query as SearchQuery);
            expect(Array.isArray(page.sessions)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(StorageValidationError);
          }
        },
      ),
      { numRuns: Math.min(runs, 100) },
    );
  });
});
