import { sql } from 'kysely';
import type { z } from 'zod';
import { chunk } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
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

/** Entities whose edges one statement reads (two index lookups each, one per end). */
const FRONTIER_PER_QUERY = 20;
/** Edges read per entity and end at most: a device linked to 100,000 accounts costs no more than this. */
export const EDGES_PER_ENTITY = 1000;
/** Edges read per hop: once reached, the hop's remaining entities are not expanded. */
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
  dialect: StoreDialect,
  input: NeighboursQuery,
): Promise<Neighbourhood> {
  const query = parseInput(NeighboursQuerySchema, input, 'identity neighbours query');
  const start: EntityNode = { kind: query.kind, key: query.key, depth: 0 };
  const nodes = new Map<string, EntityNode>([[nodeId(start), start]]);
  const edges = new Map<string, IdentityEdge>();
  let truncated = false;
  let frontier: EntityRef[] = [start];
  for (let depth = 1; depth <= query.depth && frontier.length > 0; depth += 1) {
    const read = await edgesOf(dialect, query.templateId, frontier);
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

/**
 * The edges touching `frontier`, newest first (ties in storage order).
 * One statement per FRONTIER_PER_QUERY entities: a UNION ALL of one
 * equality lookup per entity and end, each capped at EDGES_PER_ENTITY. Not
 * an OR of the entities: SQLite without statistics plans that as a scan of
 * the template's edges (and an ORDER BY last_seen as a walk of
 * idx_identity_edges_seen); one equality per arm is an index seek on both
 * backends: the primary key for end a, idx_identity_edges_b for end b
 * (named: SQLite would otherwise walk the primary key under the LIMIT).
 */
async function edgesOf(
  dialect: StoreDialect,
  templateId: string,
  frontier: readonly EntityRef[],
): Promise<{ edges: IdentityEdge[]; capped: boolean }> {
  const found = new Map<string, IdentityEdge>();
  let capped = false;
  for (const slice of chunk(frontier, FRONTIER_PER_QUERY)) {
    if (found.size >= EDGES_PER_HOP) {
      capped = true;
      break;
    }
    const columns = sql.join(EDGE_COLUMNS.map((c) => sql.ref(c)));
    const arms = slice.flatMap((ref, i) =>
      (['a', 'b'] as const).map((end, side) => {
        const index = sql.raw(end === 'a' ? '' : dialect.useIndex('idx_identity_edges_b'));
        const lookup = sql`template_id = ${templateId} AND ${sql.ref(`kind_${end}`)} = ${ref.kind} AND ${sql.ref(`key_${end}`)} = ${ref.key}`;
        return sql`SELECT ${2 * i + side} AS arm, x.* FROM (
          SELECT ${columns} FROM identity_edges ${index} WHERE ${lookup} LIMIT ${EDGES_PER_ENTITY + 1}) x`;
      }),
    );
    const result = await sql<
      EdgeRow & { arm: number }
    >`${sql.join(arms, sql` UNION ALL `)}`.execute(dialect.db);
    const perArm = new Map<number, number>();
    for (const row of result.rows) {
      const edge = rowToIdentityEdge(row);
      found.set(`${nodeId(edge.a)}\u0000${nodeId(edge.b)}`, edge);
      const arm = Number(row.arm);
      perArm.set(arm, (perArm.get(arm) ?? 0) + 1);
    }
    // An arm that returned more than its cap stands for an entity with edges left out.
    capped ||= [...perArm.values()].some((n) => n > EDGES_PER_ENTITY);
  }
  const edges = [...found.values()].sort(
    (x, y) => y.lastSeen - x.lastSeen || compareRefs(x.a, y.a) || compareRefs(x.b, y.b),
  );
  return { edges, capped };
}

type EdgeRow = Parameters<typeof rowToIdentityEdge>[0];

function nodeId(ref: EntityRef): string {
  return `${ref.kind}\u0000${ref.key}`;
}
