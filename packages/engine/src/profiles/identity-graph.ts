import { z } from 'zod';
import { InvalidOperatorConfigError, SnapshotFormatError } from '../errors.js';

/** One entity: its kind (account, device, card, ip) and its key. */
export interface EntityRef {
  readonly kind: string;
  readonly key: string;
}

export const IDENTITY_GRAPH_SNAPSHOT_FORMAT = 'weft.identity-graph/1';

const GraphSnapshotSchema = z.strictObject({
  format: z.literal(IDENTITY_GRAPH_SNAPSHOT_FORMAT),
  frontier: z.number().nullable(),
  /** Nodes as `[kind, key, lastSeen]`, referenced by index from `edges`. */
  nodes: z.array(z.tuple([z.string(), z.string(), z.number()])),
  /** `[a, b, lastSeen]`, a < b: the newest session time that linked them. */
  edges: z.array(
    z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number()]),
  ),
});
export type IdentityGraphSnapshot = z.infer<typeof GraphSnapshotSchema>;

const refId = (ref: EntityRef) => `${ref.kind}\u0000${ref.key}`;

/**
 * The identity graph: entities seen together in a session are linked, and
 * connected components are kept by a union-find (union by size, path
 * halving) with per-component counts by kind, so "accounts linked to this
 * device" is one lookup. Links are as of everything linked so far (a
 * union-find cannot answer "as of t"); process sessions in event-time order
 * (batch mode does) for point-in-time graph features. Edges older than
 * `retention` behind the newest link are dropped by `evict`, which rebuilds
 * the components from the edges that remain.
 *
 * @example
 * graph.link([{ kind: 'account', key: 'A1' }, { kind: 'device', key: 'D1' }], sessionTime);
 * graph.componentCount({ kind: 'device', key: 'D1' }, 'account'); // 1
 */
export class IdentityGraph {
  private ids = new Map<string, number>();
  private refs: EntityRef[] = [];
  private parent: number[] = [];
  private size: number[] = [];
  private seen: number[] = [];
  /** Per root with more than one member: members by kind. */
  private kindCounts = new Map<number, Map<string, number>>();
  /** `a:b` (a < b) → newest link time. */
  private edges = new Map<string, number>();
  /** `node:kind` → distinct direct neighbours of that kind. */
  private degree = new Map<string, number>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(readonly retention: number) {
    if (!(Number.isSafeInteger(retention) && retention > 0))
      throw new InvalidOperatorConfigError(
        `identity graph retention = ${String(retention)}: use a positive number of ms`,
      );
  }

  get frontier(): number {
    return this.newest;
  }

  get nodeCount(): number {
    return this.refs.length;
  }

  get edgeCount(): number {
    return this.edges.size;
  }

  /** Links every entity of one session (seen at `time`) to every other; a lone entity becomes a node. */
  link(entities: readonly EntityRef[], time: number): void {
    if (time > this.newest) this.newest = time;
    const nodes = [...new Set(entities.map((e) => this.nodeOf(e)))];
    for (const node of nodes) this.seen[node] = Math.max(this.seen[node] as number, time);
    for (let i = 0; i < nodes.length; i++)
      for (let j = i + 1; j < nodes.length; j++)
        this.addEdge(nodes[i] as number, nodes[j] as number, time);
  }

  /** Members of the entity's component (0 for an entity never linked). */
  componentSize(ref: EntityRef): number {
    const node = this.ids.get(refId(ref));
    return node === undefined ? 0 : (this.size[this.find(node)] as number);
  }

  /** Members of kind `kind` in the entity's component, itself included. */
  componentCount(ref: EntityRef, kind: string): number {
    const node = this.ids.get(refId(ref));
    if (node === undefined) return 0;
    const root = this.find(node);
    const counts = this.kindCounts.get(root);
    if (counts === undefined) return (this.refs[root] as EntityRef).kind === kind ? 1 : 0;
    return counts.get(kind) ?? 0;
  }

  /** Distinct entities of kind `kind` linked directly to this one (e.g. accounts per device). */
  neighbours(ref: EntityRef, kind: string): number {
    const node = this.ids.get(refId(ref));
    return node === undefined ? 0 : (this.degree.get(`${String(node)}:${kind}`) ?? 0);
  }

  /** The members of the entity's component (for an entity page). */
  component(ref: EntityRef): EntityRef[] {
    const node = this.ids.get(refId(ref));
    if (node === undefined) return [];
    const root = this.find(node);
    return this.refs.filter((_, i) => this.find(i) === root);
  }

  /**
   * Forgets edges and nodes last seen `retention` or more before the newest
   * link and rebuilds the components from what remains; returns how many
   * nodes were forgotten. Cost: linear in the graph, so call it rarely (at
   * checkpoints).
   */
  evict(): number {
    const limit = this.newest - this.retention;
    const edges = [...this.edges].filter(([, seen]) => seen > limit);
    const nodes = this.refs.flatMap((ref, n) =>
      (this.seen[n] as number) > limit ? [[ref, this.seen[n] as number] as const] : [],
    );
    const forgotten = this.refs.length - nodes.length;
    if (forgotten === 0 && edges.length === this.edges.size) return 0;
    const old = this.refs;
    this.ids = new Map();
    this.refs = [];
    this.parent = [];
    this.size = [];
    this.seen = [];
    this.kindCounts = new Map();
    this.edges = new Map();
    this.degree = new Map();
    for (const [ref, seen] of nodes) this.seen[this.nodeOf(ref)] = seen;
    for (const [pair, seen] of edges) {
      const [a, b] = edgeEnds(pair).map((n) => this.nodeOf(old[n] as EntityRef)) as [
        number,
        number,
      ];
      this.addEdge(a, b, seen);
    }
    return forgotten;
  }

  snapshot(): IdentityGraphSnapshot {
    return {
      format: IDENTITY_GRAPH_SNAPSHOT_FORMAT,
      frontier: Number.isFinite(this.newest) ? this.newest : null,
      nodes: this.refs.map((r, n) => [r.kind, r.key, this.seen[n] as number]),
      edges: [...this.edges].map(([pair, seen]) => {
        const [a, b] = edgeEnds(pair);
        return [a, b, seen];
      }),
    };
  }

  /** Rebuilds the graph (components included) from a snapshot. */
  static restore(input: unknown, retention: number): IdentityGraph {
    const parsed = GraphSnapshotSchema.safeParse(input);
    if (!parsed.success)
      throw new SnapshotFormatError(
        `not a ${IDENTITY_GRAPH_SNAPSHOT_FORMAT} snapshot: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const graph = new IdentityGraph(retention);
    const { nodes, edges, frontier } = parsed.data;
    for (const [kind, key, seen] of nodes) graph.seen[graph.nodeOf({ kind, key })] = seen;
    for (const [a, b, seen] of edges) {
      if (a >= nodes.length || b >= nodes.length || a >= b)
        throw new SnapshotFormatError(
          `edge [${String(a)}, ${String(b)}] does not name two nodes in order (of ${String(nodes.length)})`,
        );
      graph.addEdge(a, b, seen);
    }
    graph.newest = frontier ?? Number.NEGATIVE_INFINITY;
    return graph;
  }

  private nodeOf(ref: EntityRef): number {
    const id = refId(ref);
    let node = this.ids.get(id);
    if (node === undefined) {
      node = this.refs.length;
      this.ids.set(id, node);
      this.refs.push({ kind: ref.kind, key: ref.key });
      this.parent.push(node);
      this.size.push(1);
      this.seen.push(Number.NEGATIVE_INFINITY);
    }
    return node;
  }

  private addEdge(x: number, y: number, time: number): void {
    const [a, b] = x < y ? [x, y] : [y, x];
    const pair = `${String(a)}:${String(b)}`;
    const seen = this.edges.get(pair);
    if (seen === undefined) {
      this.bumpDegree(a, (this.refs[b] as EntityRef).kind);
      this.bumpDegree(b, (this.refs[a] as EntityRef).kind);
    }
    if (seen === undefined || time > seen) this.edges.set(pair, time);
    this.union(a, b);
  }

  private bumpDegree(node: number, kind: string): void {
    const key = `${String(node)}:${kind}`;
    this.degree.set(key, (this.degree.get(key) ?? 0) + 1);
  }

  private find(node: number): number {
    let x = node;
    while (this.parent[x] !== x) {
      const grand = this.parent[this.parent[x] as number] as number;
      this.parent[x] = grand;
      x = grand;
    }
    return x;
  }

  private union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
    const into = this.countsOf(ra);
    for (const [kind, n] of this.countsOf(rb)) into.set(kind, (into.get(kind) ?? 0) + n);
    this.kindCounts.delete(rb);
  }

  private countsOf(root: number): Map<string, number> {
    let counts = this.kindCounts.get(root);
    if (counts === undefined) {
      counts = new Map([[(this.refs[root] as EntityRef).kind, 1]]);
      this.kindCounts.set(root, counts);
    }
    return counts;
  }
}

function edgeEnds(pair: string): [number, number] {
  const colon = pair.indexOf(':');
  return [Number(pair.slice(0, colon)), Number(pair.slice(colon + 1))];
}
