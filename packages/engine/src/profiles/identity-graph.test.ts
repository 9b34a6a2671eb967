import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SnapshotFormatError } from '../errors.js';
import { IdentityGraph, type EntityRef } from './identity-graph.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const KINDS = ['account', 'device', 'card'] as const;

interface Session {
  readonly time: number;
  readonly entities: EntityRef[];
}

const ref: fc.Arbitrary<EntityRef> = fc.record({
  kind: fc.constantFrom(...KINDS),
  key: fc.constantFrom('1', '2', '3', '4', '5', '6'),
});
const session: fc.Arbitrary<Session> = fc.record({
  time: fc.integer({ min: 0, max: 1000 }),
  entities: fc.array(ref, { minLength: 1, maxLength: 4 }),
});
const id = (r: EntityRef) => `${r.kind}/${r.key}`;

/** Breadth-first search over the links of sessions newer than `limit`: the definition of a component. */
function bfsOracle(sessions: readonly Session[], limit: number) {
  const adjacency = new Map<string, Set<string>>();
  const node = (r: string) => adjacency.get(r) ?? adjacency.set(r, new Set()).get(r)!;
  const lastSeen = new Map<string, number>();
  for (const s of sessions)
    for (const e of s.entities)
      lastSeen.set(id(e), Math.max(lastSeen.get(id(e)) ?? -Infinity, s.time));
  for (const s of sessions) {
    for (const a of s.entities) {
      if ((lastSeen.get(id(a)) as number) > limit) node(id(a));
      if (s.time <= limit) continue;
      for (const b of s.entities) if (id(a) !== id(b)) node(id(a)).add(id(b));
    }
  }
  const component = (start: string) => {
    const seen = new Set([start]);
    const queue = [start];
    for (let next = queue.shift(); next !== undefined; next = queue.shift())
      for (const n of adjacency.get(next) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    return seen;
  };
  return { adjacency, component };
}

function expectMatches(graph: IdentityGraph, sessions: readonly Session[], limit: number) {
  const { adjacency, component } = bfsOracle(sessions, limit);
  for (const kind of KINDS)
    for (const key of ['1', '2', '3', '4', '5', '6']) {
      const r = { kind, key };
      const members = adjacency.has(id(r)) ? component(id(r)) : new Set<string>();
      expect(graph.componentSize(r)).toBe(members.size);
      for (const other of KINDS) {
        expect(graph.componentCount(r, other)).toBe(
          [...members].filter((m) => m.startsWith(`${other}/`)).length,
        );
        expect(graph.neighbours(r, other)).toBe(
          [...(adjacency.get(id(r)) ?? [])].filter((m) => m.startsWith(`${other}/`)).length,
        );
      }
    }
  expect(graph.nodeCount).toBe(adjacency.size);
}

describe('IdentityGraph', () => {
  it('union-find components equal breadth-first search over the links', () => {
    fc.assert(
      fc.property(fc.array(session, { maxLength: 40 }), (sessions) => {
        const graph = new IdentityGraph(10_000);
        for (const s of sessions) graph.link(s.entities, s.time);
        expectMatches(graph, sessions, Number.NEGATIVE_INFINITY);
      }),
      { numRuns: runs },
    );
  });

  it('after eviction, components equal the search over the links within the retention', () => {
    fc.assert(
      fc.property(
        fc.array(session, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 800 }),
        (sessions, retention) => {
          const graph = new IdentityGraph(retention);
          for (const s of sessions) graph.link(s.entities, s.time);
          graph.evict();
          const newest = Math.max(...sessions.map((s) => s.time));
          expectMatches(graph, sessions, newest - retention);
        },
      ),
      { numRuns: runs },
    );
  });

  it('a restored snapshot answers and continues as the original', () => {
    fc.assert(
      fc.property(fc.array(session, { maxLength: 40 }), fc.nat(), (sessions, cutSeed) => {
        const cut = cutSeed % (sessions.length + 1);
        const original = new IdentityGraph(10_000);
        for (const s of sessions.slice(0, cut)) original.link(s.entities, s.time);
        const restored = IdentityGraph.restore(
          JSON.parse(JSON.stringify(original.snapshot())),
          10_000,
        );
        for (const s of sessions.slice(cut)) {
          original.link(s.entities, s.time);
          restored.link(s.entities, s.time);
        }
        expect(restored.snapshot()).toEqual(original.snapshot());
        expectMatches(restored, sessions, Number.NEGATIVE_INFINITY);
      }),
      { numRuns: runs },
    );
  });

  it('lists a component and counts accounts per device', () => {
    const graph = new IdentityGraph(1000);
    for (const account of ['A1', 'A2', 'A3'])
      graph.link(
        [
          { kind: 'account', key: account },
          { kind: 'device', key: 'D1' },
        ],
        10,
      );
    graph.link(
      [
        { kind: 'account', key: 'A3' },
        { kind: 'card', key: 'C1' },
      ],
      20,
    );
    const device = { kind: 'device', key: 'D1' };
    expect(graph.neighbours(device, 'account')).toBe(3);
    expect(graph.componentCount(device, 'card')).toBe(1);
    expect(
      graph
        .component({ kind: 'card', key: 'C1' })
        .map((r) => r.key)
        .sort(),
    ).toEqual(['A1', 'A2', 'A3', 'C1', 'D1']);
  });

  it('refuses a snapshot whose edges name missing nodes', () => {
    const bad = {
      format: 'weft.identity-graph/1',
      frontier: 1,
      nodes: [['account', 'A1', 1]],
      edges: [[0, 3, 1]],
    };
    expect(() => IdentityGraph.restore(bad, 10)).toThrow(SnapshotFormatError);
    expect(() => IdentityGraph.restore(bad, 10)).toThrow(
      'edge [0, 3] does not name two nodes in order (of 1)',
    );
  });
});
