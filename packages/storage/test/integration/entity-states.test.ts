import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageValidationError } from '../../src/index.js';
import type { EntityStateInput, IdentityEdgeInput, Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';

const FORMAT = 'weft.profiles/1';
const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

function state(overrides: Partial<EntityStateInput> = {}): EntityStateInput {
  return {
    templateId: 'pay',
    kind: 'account',
    key: 'A1',
    format: FORMAT,
    version: 1_000_001,
    state: JSON.stringify({ tiers: [[{ at: [0, 1, 0] }]] }),
    ...overrides,
  };
}

function edge(
  a: [string, string],
  b: [string, string],
  overrides: Partial<IdentityEdgeInput> = {},
): IdentityEdgeInput {
  return {
    templateId: 'pay',
    a: { kind: a[0], key: a[1] },
    b: { kind: b[0], key: b[1] },
    firstSeen: 1_000,
    lastSeen: 2_000,
    sessions: 1,
    version: 1_000_001,
    ...overrides,
  };
}

async function allStates(store: Store, templateId: string, limit: number, kind?: string) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await store.entityStates.page({ templateId, kind, limit, cursor });
    pages.push(page.states);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return pages;
}

describe.each(testBackends())('entity states and identity edges on $name', (backend) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('saves a state once: a replay of the same version and an older version change nothing', async () => {
    const first = state({ templateId: 'replay', state: '{"n":1}' });
    expect(await store.entityStates.save([first])).toEqual({ written: 1, stale: 0 });
    expect(await store.entityStates.save([first])).toEqual({ written: 0, stale: 1 });
    const older = { ...first, version: first.version - 1, state: '{"n":0}' };
    expect(await store.entityStates.save([older])).toEqual({ written: 0, stale: 1 });
    const { states } = await store.entityStates.page({ templateId: 'replay' });
    expect(states).toEqual([
      {
        templateId: 'replay',
        kind: 'account',
        key: 'A1',
        format: FORMAT,
        version: first.version,
        state: '{"n":1}',
        updatedAt: expect.any(Number) as number,
      },
    ]);
  });

  it('lets a newer version replace the state, and keeps the newest of a batch whatever its order', async () => {
    const base = state({ templateId: 'newer', state: '{"n":1}' });
    await store.entityStates.save([base]);
    const result = await store.entityStates.save([
      { ...base, version: base.version + 2, state: '{"n":3}' },
      { ...base, version: base.version + 1, state: '{"n":2}' },
    ]);
    expect(result).toEqual({ written: 1, stale: 1 });
    const { states } = await store.entityStates.page({ templateId: 'newer' });
    expect(states.map((s) => [s.version, s.state])).toEqual([[base.version + 2, '{"n":3}']]);
  });

  it('forgets an entity with a null state that older saves cannot bring back', async () => {
    const base = state({ templateId: 'forget', key: 'gone' });
    await store.entityStates.save([base, state({ templateId: 'forget', key: 'kept' })]);
    await store.entityStates.save([{ ...base, version: base.version + 1, state: null }]);
    expect(await store.entityStates.save([base])).toEqual({ written: 0, stale: 1 });
    const { states } = await store.entityStates.page({ templateId: 'forget' });
    expect(states.map((s) => s.key)).toEqual(['kept']);
  });

  it('keeps keys exactly: trailing spaces, case and non-ASCII are distinct entities', async () => {
    const keys = ['a', 'a ', 'A', 'ä', '', '日本', 'x'.repeat(255)];
    await store.entityStates.save(
      keys.map((key, i) => state({ templateId: 'exact', key, state: `{"i":${i}}` })),
    );
    const { states } = await store.entityStates.page({ templateId: 'exact' });
    expect(new Map(states.map((s) => [s.key, s.state]))).toEqual(
      new Map(keys.map((key, i) => [key, `{"i":${i}}`])),
    );
    // One per page: the cursor compares these keys as the database orders them (UTF-8 bytes).
    const paged = (await allStates(store, 'exact', 1)).flat().map((s) => s.key);
    expect(paged).toEqual(states.map((s) => s.key));
    expect([...paged].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))).toEqual(
      paged,
    );
  });

  it('pages any set of keys exactly once, whatever their characters', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 12 }),
            // Keys a PAD SPACE or case-insensitive comparison would merge.
            fc.constantFrom('a', 'a ', 'a  ', 'A', ' ', ''),
          ),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 5 }),
        async (keys, limit) => {
          round += 1;
          const templateId = `any-keys-${round}`;
          await store.entityStates.save(keys.map((key) => state({ templateId, key })));
          const paged = (await allStates(store, templateId, limit)).flat().map((s) => s.key);
          expect([...paged].sort()).toEqual([...keys].sort());
        },
      ),
      { numRuns: Math.min(runs, 40) },
    );
  });

  it('pages every state exactly once in (kind, key) order, for a template or one kind', async () => {
    const inputs = ['account', 'card', 'device'].flatMap((kind) =>
      Array.from({ length: 7 }, (_, i) => state({ templateId: 'paged', kind, key: `k${i}` })),
    );
    // Saves split into several statements: entity-statement-size.test.ts. Here the input is out of order.
    await store.entityStates.save([...inputs].reverse());
    for (const limit of [1, 4, 21, 100]) {
      const pages = await allStates(store, 'paged', limit);
      expect(pages.every((p) => p.length <= limit)).toBe(true);
      expect(pages.flat().map((s) => `${s.kind}/${s.key}`)).toEqual(
        inputs.map((s) => `${s.kind}/${s.key}`),
      );
    }
    const cards = (await allStates(store, 'paged', 3, 'card')).flat();
    expect(cards.map((s) => s.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    const exported = [];
    for await (const s of store.entityStates.export({ templateId: 'paged', limit: 5 }))
      exported.push(s.key);
    expect(exported).toHaveLength(21);
  });

  it('saves a batch of 1,203 states, and reports the stale part of a mixed replay', async () => {
    const inputs = Array.from({ length: 1_203 }, (_, i) =>
      state({ templateId: 'bulk', key: `e${String(i).padStart(5, '0')}` }),
    );
    expect(await store.entityStates.save(inputs)).toEqual({ written: 1_203, stale: 0 });
    const mixed = inputs.map((s, i) => (i % 3 === 0 ? { ...s, version: s.version + 1 } : s));
    expect(await store.entityStates.save(mixed)).toEqual({ written: 401, stale: 802 });
    const exported = [];
    for await (const s of store.entityStates.export({ templateId: 'bulk' })) exported.push(s);
    expect(exported).toHaveLength(1_203);
    expect(exported.filter((s) => s.version === inputs[0]!.version + 1)).toHaveLength(401);
  });

  it('saves states of the largest size, several to a batch, made of characters the driver escapes', async () => {
    const largest = (fill: string) =>
      JSON.stringify('"\\'.repeat(1_048_575))
        .slice(0, -1)
        .padEnd(4 * 1024 * 1024 - 1, fill) + '"';
    const states = ['a', 'b', 'c'].map((key) =>
      state({ templateId: 'large', key, state: largest(key) }),
    );
    expect(Buffer.byteLength(states[0]!.state!, 'utf8')).toBe(4 * 1024 * 1024);
    expect(await store.entityStates.save(states)).toEqual({ written: 3, stale: 0 });
    const saved = (await store.entityStates.page({ templateId: 'large' })).states;
    expect(saved.map((s) => s.state === states.find((x) => x.key === s.key)?.state)).toEqual([
      true,
      true,
      true,
    ]);
    await expect(
      store.entityStates.save([state({ templateId: 'large', state: `${largest('x')} ` })]),
    ).rejects.toThrow(/state: one entity's state is at most 4194304 bytes/u);
  });

  it('rejects bad input with the field and what to do, before writing anything', async () => {
    const cases: [unknown, RegExp][] = [
      [[state({ kind: 'Account' })], /entity state \[0\]: kind: use the entity kind/u],
      [[state(), state({ version: 0 })], /entity state \[1\]: version/u],
      [[state({ key: 'k'.repeat(256) })], /key: entity keys are at most 255 characters/u],
      [[state({ state: '' })], /state/u],
      [[state({ templateId: '' })], /templateId/u],
      ['not an array', /pass an array/u],
    ];
    for (const [input, message] of cases) {
      await expect(store.entityStates.save(input as EntityStateInput[])).rejects.toThrow(
        StorageValidationError,
      );
      await expect(store.entityStates.save(input as EntityStateInput[])).rejects.toThrow(message);
    }
    expect((await store.entityStates.page({ templateId: 'pay' })).states).toEqual([]);
    await expect(store.entityStates.page({ templateId: 'pay', cursor: 'nope' })).rejects.toThrow(
      /pass back the nextCursor/u,
    );
  });

  it('stores an edge once whichever way round it is given, versioned like states', async () => {
    const account: [string, string] = ['account', 'A1'];
    const device: [string, string] = ['device', 'D1'];
    expect(
      await store.identityEdges.save([edge(device, account, { templateId: 'edges', sessions: 2 })]),
    ).toEqual({ written: 1, stale: 0 });
    const replay = edge(account, device, { templateId: 'edges', sessions: 2 });
    expect(await store.identityEdges.save([replay])).toEqual({ written: 0, stale: 1 });
    const later = { ...replay, firstSeen: 1_500, lastSeen: 3_000, sessions: 5, version: 2_000_001 };
    expect(await store.identityEdges.save([later])).toEqual({ written: 1, stale: 0 });
    const stale = { ...replay, firstSeen: 10, lastSeen: 9_000, sessions: 9 };
    expect(await store.identityEdges.save([stale])).toEqual({ written: 0, stale: 1 });
    const { edges } = await store.identityEdges.page({ templateId: 'edges' });
    expect(edges).toEqual([
      {
        templateId: 'edges',
        a: { kind: 'account', key: 'A1' },
        b: { kind: 'device', key: 'D1' },
        // The earliest first-seen of every accepted save, the newest last-seen.
        firstSeen: 1_000,
        lastSeen: 3_000,
        sessions: 5,
        version: 2_000_001,
      },
    ]);
  });

  it('pages edges in key order, and only those seen since a time when asked', async () => {
    const inputs = Array.from({ length: 9 }, (_, i) =>
      edge(['account', `A${i % 3}`], ['device', `D${i}`], {
        templateId: 'edge-pages',
        lastSeen: 2_000 + i,
      }),
    );
    await store.identityEdges.save(inputs);
    const keys = [];
    let cursor: string | undefined;
    do {
      const page = await store.identityEdges.page({ templateId: 'edge-pages', limit: 2, cursor });
      keys.push(...page.edges.map((e) => `${e.a.key}-${e.b.key}`));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(keys).toEqual(
      inputs.map((e) => `${e.a.key}-${e.b.key}`).sort((x, y) => (x < y ? -1 : 1)),
    );
    const recent = [];
    for await (const e of store.identityEdges.export({
      templateId: 'edge-pages',
      seenSince: 2_006,
    }))
      recent.push(e.b.key);
    expect(recent.sort()).toEqual(['D6', 'D7', 'D8']);
  });

  it('rejects an edge from an entity to itself, and times out of order', async () => {
    await expect(store.identityEdges.save([edge(['a', '1'], ['a', '1'])])).rejects.toThrow(
      /identity edge \[0\]: b: an edge links two different entities/u,
    );
    await expect(
      store.identityEdges.save([edge(['a', '1'], ['b', '1'], { firstSeen: 5, lastSeen: 4 })]),
    ).rejects.toThrow(/firstSeen must not be after lastSeen/u);
  });

  it('purges the states not saved since a time, batch by batch, and edges last seen before one', async () => {
    await store.entityStates.save(
      ['old1', 'old2', 'old3'].map((key) => state({ templateId: 'purge', key })),
    );
    const [saved] = (await store.entityStates.page({ templateId: 'purge', limit: 1 })).states;
    // Wait until the clock has moved past the first save, so the second one is later.
    while (Date.now() <= saved!.updatedAt) await new Promise((r) => setTimeout(r, 1));
    await store.entityStates.save([state({ templateId: 'purge', key: 'new', kind: 'device' })]);
    await store.entityStates.save([state({ templateId: 'purge-other', key: 'old1' })]);
    const before = saved!.updatedAt + 1;
    expect(await store.entityStates.purge({ templateId: 'purge', before, batchSize: 2 })).toBe(3);
    expect(
      (await store.entityStates.page({ templateId: 'purge' })).states.map((s) => s.key),
    ).toEqual(['new']);
    expect((await store.entityStates.page({ templateId: 'purge-other' })).states).toHaveLength(1);

    await store.identityEdges.save(
      [0, 1, 2, 3, 4].map((i) =>
        edge(['account', `A${i}`], ['device', 'D'], { templateId: 'purge', lastSeen: 2_000 + i }),
      ),
    );
    expect(
      await store.identityEdges.purge({ templateId: 'purge', before: 2_003, batchSize: 2 }),
    ).toBe(3);
    const { edges } = await store.identityEdges.page({ templateId: 'purge' });
    expect(edges.map((e) => e.lastSeen)).toEqual([2_003, 2_004]);
    await expect(store.identityEdges.purge({ templateId: 'purge', before: -1 })).rejects.toThrow(
      /identity edge purge: before/u,
    );
  });

  it('keeps identity nodes, alone or linked, versioned, with the newest last-seen, paged and purged', async () => {
    const node = (key: string, lastSeen: number, version = 1_000_001) => ({
      templateId: 'nodes',
      kind: 'device',
      key,
      lastSeen,
      version,
    });
    expect(
      await store.identityNodes.save([node('lone', 5_000), node('d1', 4_000), node('d2', 3_000)]),
    ).toEqual({ written: 3, stale: 0 });
    expect(await store.identityNodes.save([node('lone', 9_000)])).toEqual({ written: 0, stale: 1 });
    // A newer writer that saw the node earlier keeps the stored, newer last-seen.
    expect(await store.identityNodes.save([node('d1', 1_000, 2_000_001)])).toEqual({
      written: 1,
      stale: 0,
    });
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await store.identityNodes.page({ templateId: 'nodes', limit: 1, cursor });
      all.push(...page.nodes);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(all).toEqual([
      { templateId: 'nodes', kind: 'device', key: 'd1', lastSeen: 4_000, version: 2_000_001 },
      { templateId: 'nodes', kind: 'device', key: 'd2', lastSeen: 3_000, version: 1_000_001 },
      { templateId: 'nodes', kind: 'device', key: 'lone', lastSeen: 5_000, version: 1_000_001 },
    ]);
    const recent = [];
    for await (const n of store.identityNodes.export({ templateId: 'nodes', seenSince: 4_000 }))
      recent.push(n.key);
    expect(recent).toEqual(['d1', 'lone']);
    expect(
      await store.identityNodes.purge({ templateId: 'nodes', before: 4_500, batchSize: 1 }),
    ).toBe(2);
    expect(
      (await store.identityNodes.page({ templateId: 'nodes' })).nodes.map((n) => n.key),
    ).toEqual(['lone']);
    await expect(store.identityNodes.save([node('x', -1)])).rejects.toThrow(
      /identity node \[0\]: lastSeen/u,
    );
  });

  it('lets concurrent writers of overlapping edge batches all finish, the highest version winning', async () => {
    const pairs = Array.from(
      { length: 30 },
      (_, i) =>
        [
          ['account', `A${i % 6}`],
          ['device', `D${i % 5}`],
        ] as const,
    );
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((writer) =>
        store.identityEdges.save(
          // Each writer saves every pair, in its own order, with its own version.
          (writer % 2 === 0 ? [...pairs].reverse() : pairs).map(([a, b]) =>
            edge([a[0], a[1]], [b[0], b[1]], {
              templateId: 'edge-race',
              sessions: writer,
              version: 1_000_000 + writer,
            }),
          ),
        ),
      ),
    );
    const { edges } = await store.identityEdges.page({ templateId: 'edge-race' });
    expect(edges).toHaveLength(30);
    expect(new Set(edges.map((e) => [e.version, e.sessions].join()))).toEqual(
      new Set([`${1_000_006},6`]),
    );
  });

  it('lets concurrent writers race on the same rows: the highest version wins', async () => {
    const versions = [5, 3, 9, 1, 7, 2, 8, 4, 6].map((v) => 1_000_000 + v);
    await Promise.all(
      versions.map((version) =>
        store.entityStates.save([
          state({ templateId: 'race', key: 'shared', version, state: `{"v":${version}}` }),
        ]),
      ),
    );
    const { states } = await store.entityStates.page({ templateId: 'race' });
    expect(states.map((s) => s.state)).toEqual([`{"v":${1_000_009}}`]);
  });
});
