import type { z } from 'zod';
import { chunk } from '../chunks.js';
import type { Executor } from '../dialect/dialect.js';
import type { EntityRef, IdentityEdge } from './entity-converters.js';
import { compareRefs, EDGE_COLUMNS, rowToIdentityEdge } from './entity-converters.js';
import { NeighboursQuerySchema, parseInput } from './entity-inputs.js';

/** A neighbourhood request: the entity, how many hops (1–3) and how many nodes at most. */
export type NeighboursQuery = z.input<typeof NeighboursQuerySchema>;

/** An entity of a neighbourhood and its distance in hops from the one asked about (0 for itself). */
export interface EntityNode extends EntityRef {
  depth: number;
}

/**
 * The linked entities around one entity: `nodes` (itself first, then by
 * depth), the `edges` followed between them, and `truncated` when the node
 * limit or the per-hop edge cap left some out.
 */
export interface Neighbourhood {
  nodes: EntityNode[];
  edges: IdentityEdge[];
  truncated: boolean;
}

/** Entities whose edges one query reads (two index ranges each, one per end). */
const FRONTIER_PER_QUERY = 50;
/** Edges read per hop at most, newest first: a device linked to 100,000 accounts costs no more than this. */
export const EDGES_PER_HOP = 5000;

/**
 * A bounded breadth-first walk of the identity edges from one entity:
 * each hop reads the edges of the entities found at the previous hop from
 * both ends (the primary key for end a, idx_identity_edges_b for end b),
 * newest link first, and admits new entities until `limit` nodes.
 *
 * @example await store.entities.neighbours({ templateId: 'order', kind: 'device', key: 'D9', depth: 2, limit: 100 })
 */
export async function identityNeighbours(
  executor: Executor,
  input: NeighboursQuery,
): Promise<Neighbourhood> {
  const query = parseInput(NeighboursQuerySchema, input, 'identity neighbours query');
  const start: EntityNode = { kind: query.kind, key: query.key, depth: 0 };
  const nodes = new Map<string, EntityNode>([[nodeId(start), start]]);
  const edges = new Map<string, IdentityEdge>();
  let truncated = false;
  let frontier: EntityRef[] = [start];
  for (let depth = 1; depth <= query.depth && frontier.length > 0; depth += 1) {
    const read = await edgesOf(executor, query.templateId, frontier);
    truncated ||= read.capped;
    const next: EntityRef[] = [];
    for (const edge of read.edges) {
      for (const end of [edge.a, edge.b]) {
        if (nodes.has(nodeId(end))) continue;
        if (nodes.size >= query.limit) {
          truncated = true;
          continue;
        }
        const node = { ...end, depth };
        nodes.set(nodeId(node), node);
        next.push(node);
      }
      if (nodes.has(nodeId(edge.a)) && nodes.has(nodeId(edge.b)))
        edges.set(`${nodeId(edge.a)}\u0000${nodeId(edge.b)}`, edge);
    }
    frontier = next;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}

/** The edges touching `frontier`, newest first (ties in storage order), at most EDGES_PER_HOP. */
async function edgesOf(
  executor: Executor,
  templateId: string,
  frontier: readonly EntityRef[],
): Promise<{ edges: IdentityEdge[]; capped: boolean }> {
  const found = new Map<string, IdentityEdge>();
  let capped = false;
  for (const slice of chunk(frontier, FRONTIER_PER_QUERY)) {
    for (const end of ['a', 'b'] as const) {
      const kind = end === 'a' ? 'kind_a' : 'kind_b';
      const key = end === 'a' ? 'key_a' : 'key_b';
      const rows = await executor
        .selectFrom('identity_edges')
        .select(EDGE_COLUMNS)
        .where('template_id', '=', templateId)
        .where((eb) =>
          eb.or(slice.map((ref) => eb.and([eb(kind, '=', ref.kind), eb(key, '=', ref.key)]))),
        )
        .orderBy('last_seen', 'desc')
        .limit(EDGES_PER_HOP + 1)
        .execute();
      capped ||= rows.length > EDGES_PER_HOP;
      for (const edge of rows.slice(0, EDGES_PER_HOP).map(rowToIdentityEdge))
        found.set(`${nodeId(edge.a)}\u0000${nodeId(edge.b)}`, edge);
    }
  }
  const edges = [...found.values()].sort(
    (x, y) => y.lastSeen - x.lastSeen || compareRefs(x.a, y.a) || compareRefs(x.b, y.b),
  );
  capped ||= edges.length > EDGES_PER_HOP;
  return { edges: edges.slice(0, EDGES_PER_HOP), capped };
}

function nodeId(ref: EntityRef): string {
  return `${ref.kind}\u0000${ref.key}`;
}
