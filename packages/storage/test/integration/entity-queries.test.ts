import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '@weft/templates';
import { StorageValidationError } from '../../src/index.js';
import type { EntityRef, Neighbourhood, Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';
import { makeSession } from '../sessions-fixture.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

type Pair = [EntityRef, EntityRef];
const ref = (kind: string, key: string): EntityRef => ({ kind, key });
const id = (r: EntityRef) => `${r.kind}:${r.key}`;

async function saveGraph(store: Store, templateId: string, pairs: readonly Pair[], version = 1) {
  await store.identityEdges.save(
    pairs.map(([a, b], i) => ({
      templateId,
      a,
      b,
      firstSeen: i,
      lastSeen: 1_000 + i,
      sessions: 1,
      version,
    })),
  );
}

/** Breadth-first distances by brute force over the pair list. */
function distances(pairs: readonly Pair[], start: EntityRef, depth: number): Map<string, number> {
  const dist = new Map([[id(start), 0]]);
  for (let d = 1; d <= depth; d += 1) {
    for (const [a, b] of pairs) {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        if (dist.get(id(x)) === d - 1 && !dist.has(id(y))) dist.set(id(y), d);
      }
    }
  }
  return dist;
}

function summary(n: Neighbourhood) {
  return {
    nodes: new Map(n.nodes.map((node) => [id(node), node.depth])),
    edges: new Set(n.edges.map((e) => [id(e.a), id(e.b)].sort().join(' '))),
  };
}

describe.each(testBackends())('entity page queries on $name', (backend) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  describe('identity neighbours', () => {
    // D1 ─ A1, D1 ─ A2 ─ C1 ─ A3 ─ D2; and in another template D1 ─ A9.
    const chain: Pair[] = [
      [ref('device', 'D1'), ref('account', 'A1')],
      [ref('account', 'A2'), ref('device', 'D1')],
      [ref('account', 'A2'), ref('card', 'C1')],
      [ref('card', 'C1'), ref('account', 'A3')],
      [ref('account', 'A3'), ref('device', 'D2')],
    ];
    beforeAll(async () => {
      await saveGraph(store, 'graph', chain);
      await saveGraph(store, 'other', [[ref('device', 'D1'), ref('account', 'A9')]]);
    });

    it.each([
      [1, ['device:D1', 'account:A1', 'account:A2'], 2],
      [2, ['device:D1', 'account:A1', 'account:A2', 'card:C1'], 3],
      [3, ['device:D1', 'account:A1', 'account:A2', 'card:C1', 'account:A3'], 4],
    ])(
      'walks %i hop(s) from either end of the edges, in one template',
      async (depth, ids, edgeCount) => {
        const found = await store.entities.neighbours({
          templateId: 'graph',
          kind: 'device',
          key: 'D1',
          depth,
        });
        expect(found.nodes.map(id).sort()).toEqual([...ids].sort());
        expect(found.nodes[0]).toEqual({ kind: 'device', key: 'D1', depth: 0 });
        expect(found.edges).toHaveLength(edgeCount);
        expect(found.truncated).toBe(false);
        const expected = distances(chain, ref('device', 'D1'), depth);
        expect(summary(found).nodes).toEqual(expected);
      },
    );

    it('returns the edges with their times and counts', async () => {
      const found = await store.entities.neighbours({
        templateId: 'graph',
        kind: 'account',
        key: 'A1',
      });
      expect(found.edges).toEqual([
        {
          templateId: 'graph',
          a: { kind: 'account', key: 'A1' },
          b: { kind: 'device', key: 'D1' },
          firstSeen: 0,
          lastSeen: 1_000,
          sessions: 1,
          version: 1,
        },
      ]);
    });

    it('stops at the node limit and says so', async () => {
      const found = await store.entities.neighbours({
        templateId: 'graph',
        kind: 'device',
        key: 'D1',
        depth: 3,
        limit: 3,
      });
      expect(found.nodes).toHaveLength(3);
      expect(found.truncated).toBe(true);
      expect(found.nodes.map((n) => n.depth)).toEqual([0, 1, 1]);
    });

    it('reads a device linked to more accounts than the limit without returning more', async () => {
      const accounts = Array.from({ length: 1_203 }, (_, i): Pair => [
        ref('device', 'hub'),
        ref('account', `acc${i}`),
      ]);
      await saveGraph(store, 'hub', accounts);
      const found = await store.entities.neighbours({
        templateId: 'hub',
        kind: 'device',
        key: 'hub',
        depth: 2,
        limit: 500,
      });
      expect(found.nodes).toHaveLength(500);
      expect(found.edges).toHaveLength(499);
      expect(found.truncated).toBe(true);
      // Newest of the links read first: saveGraph gives later pairs a later lastSeen.
      expect(found.nodes[1]).toEqual({ kind: 'account', key: 'acc1202', depth: 1 });
    });

    it('answers an entity without edges with itself alone', async () => {
      expect(
        await store.entities.neighbours({ templateId: 'graph', kind: 'device', key: 'nope' }),
      ).toEqual({
        nodes: [{ kind: 'device', key: 'nope', depth: 0 }],
        edges: [],
        truncated: false,
      });
    });

    it.each([
      [{ depth: 0 }, /depth/u],
      [{ depth: 4 }, /depth/u],
      [{ limit: 0 }, /limit/u],
      [{ limit: 501 }, /limit/u],
      [{ kind: 'Device' }, /kind: use the entity kind/u],
      [{ key: 'k'.repeat(256) }, /key: entity keys are at most 255 characters/u],
      [{ templateId: '' }, /templateId/u],
    ])('rejects %j with a message naming the field', async (bad, message) => {
      const query = { templateId: 'graph', kind: 'device', key: 'D1', ...bad };
      await expect(store.entities.neighbours(query)).rejects.toThrow(StorageValidationError);
      await expect(store.entities.neighbours(query)).rejects.toThrow(message);
    });

    it('equals a brute-force breadth-first walk on random graphs, and keeps the limit', async () => {
      let round = 0;
      const entity = fc
        .tuple(fc.constantFrom('account', 'device', 'card'), fc.integer({ min: 0, max: 5 }))
        .map(([kind, n]) => ref(kind, `k${n}`));
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(entity, entity), { maxLength: 25 }),
          entity,
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 20 }),
          async (raw, start, depth, limit) => {
            round += 1;
            const templateId = `random-${round}`;
            const pairs = raw.filter(([a, b]) => id(a) !== id(b));
            await saveGraph(store, templateId, pairs);
            const found = await store.entities.neighbours({
              templateId,
              kind: start.kind,
              key: start.key,
              depth,
              limit,
            });
            const expected = distances(pairs, start, depth);
            const got = summary(found);
            // Every node is at its true distance, within the limit, and
            // each but the start hangs off a node one hop closer.
            expect(found.nodes.length).toBe(Math.min(limit, expected.size));
            expect(found.truncated).toBe(expected.size > limit);
            for (const [node, d] of got.nodes) expect(expected.get(node)).toBe(d);
            for (const node of found.nodes.slice(1)) {
              const linked = found.edges.some((e) => {
                const [a, b] = [id(e.a), id(e.b)];
                const other = a === id(node) ? b : b === id(node) ? a : null;
                return other !== null && got.nodes.get(other) === node.depth - 1;
              });
              expect(linked).toBe(true);
            }
            if (expected.size <= limit) {
              // All reachable nodes: the edges are those touching a node closer than `depth`.
              const edges = new Set(
                pairs
                  .filter(
                    ([a, b]) =>
                      Math.min(expected.get(id(a)) ?? depth, expected.get(id(b)) ?? depth) < depth,
                  )
                  .map(([a, b]) => [id(a), id(b)].sort().join(' ')),
              );
              expect(got.edges).toEqual(edges);
            }
          },
        ),
        { numRuns: Math.min(runs, 60) },
      );
    });
  });

  describe('feature history', () => {
    const start = Date.UTC(2026, 2, 1);
    const definition = {
      entities: {
        kinds: [
          { id: 'account', field: 'account_id' },
          { id: 'device', field: 'device_id' },
        ],
      },
    };
    const sessions: Session[] = Array.from({ length: 12 }, (_, i) =>
      makeSession({
        sessionId: `h-${String(i).padStart(2, '0')}`,
        templateId: 'pay',
        start: start + i * 60_000,
        fields: {
          account_id: i % 3 === 0 ? 'A1' : `B${i}`,
          device_id: i % 2 === 0 ? 42 : 7,
          amount: i,
          'entity.account.payments_1h': i,
          'entity.account.devices_24h': i % 4,
          'entity.device.accounts': 3,
        },
      }),
    );
    beforeAll(async () => {
      await store.templates.save({
        templateId: 'pay',
        version: 1,
        status: 'published',
        definition,
      });
      await store.sessions.upsert(sessions);
      // The same account in another template is another entity.
      await store.sessions.upsert([
        makeSession({ templateId: 'refund', start, fields: { account_id: 'A1' } }),
      ]);
    });

    it("returns the entity's sessions newest first with their entity.<kind>.* features", async () => {
      const page = await store.entities.featureHistory({
        templateId: 'pay',
        kind: 'account',
        key: 'A1',
      });
      expect(page.field).toBe('account_id');
      expect(page.nextCursor).toBeUndefined();
      expect(page.points).toEqual(
        [9, 6, 3, 0].map((i) => ({
          sessionId: `h-${String(i).padStart(2, '0')}`,
          businessKey: sessions[i]!.businessKey,
          start: start + i * 60_000,
          end: sessions[i]!.end,
          verdict: null,
          features: { payments_1h: i, devices_24h: i % 4 },
        })),
      );
    });

    it('finds a numeric entity field by its key text, within a time range, page by page', async () => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.entities.featureHistory({
          templateId: 'pay',
          kind: 'device',
          key: '42',
          from: start + 2 * 60_000,
          to: start + 10 * 60_000,
          limit: 2,
          cursor,
        });
        expect(page.points.length).toBeLessThanOrEqual(2);
        for (const p of page.points) expect(p.features).toEqual({ accounts: 3 });
        ids.push(...page.points.map((p) => p.sessionId));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(ids).toEqual(['h-08', 'h-06', 'h-04', 'h-02']);
    });

    it('uses the field given instead of the declared one', async () => {
      const page = await store.entities.featureHistory({
        templateId: 'pay',
        kind: 'account',
        key: 'B4',
        field: 'account_id',
      });
      expect(page.points.map((p) => p.sessionId)).toEqual(['h-04']);
      const none = await store.entities.featureHistory({
        templateId: 'pay',
        kind: 'account',
        key: 'A1',
        field: 'never_stored',
      });
      expect(none).toEqual({ field: 'never_stored', points: [] });
    });

    it('says which kinds are declared, or that the template is not stored', async () => {
      await expect(
        store.entities.featureHistory({ templateId: 'pay', kind: 'card', key: 'C1' }),
      ).rejects.toThrow(/declares no entity kind "card" \(declared: account, device\)/u);
      await expect(
        store.entities.featureHistory({ templateId: 'absent', kind: 'card', key: 'C1' }),
      ).rejects.toThrow(/Template "absent" is not stored.*pass the field as `field`/u);
      await expect(
        store.entities.featureHistory({ templateId: 'pay', kind: 'account', key: 'A1', limit: 0 }),
      ).rejects.toThrow(/limit/u);
    });
  });
});
