import type { z } from 'zod';
import { chunk } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import type { IdentityEdgesTable } from '../schema.js';
import type { IdentityEdge, VersionedSaveResult } from './entity-converters.js';
import { compareRefs, EDGE_COLUMNS, keyText, rowToIdentityEdge } from './entity-converters.js';
import {
  IdentityEdgeInputSchema,
  IdentityEdgePageQuerySchema,
  parseBatch,
  parseInput,
} from './entity-inputs.js';
import { decodeKeyset, pageOf } from './keyset-cursor.js';
import { allPages, groupBy, saveVersioned } from './versioned-save.js';

/**
 * One identity edge to save: two entities seen in the same sessions, in
 * either order. `sessions` is the writer's total for the pair (not a delta),
 * so a replay after a crash sends the same total again.
 */
export type IdentityEdgeInput = z.input<typeof IdentityEdgeInputSchema>;
type ParsedEdge = z.output<typeof IdentityEdgeInputSchema>;
/** A page request of `identityEdges.page`: one template's edges in key order. */
export type IdentityEdgePageQuery = z.input<typeof IdentityEdgePageQuerySchema>;

/** One page of identity edges; `nextCursor` is absent on the last page. */
export interface IdentityEdgePage {
  edges: IdentityEdge[];
  nextCursor?: string;
}

interface StoredSeen {
  version: number;
  first_seen: number;
  last_seen: number;
}

const UPDATED = ['first_seen', 'last_seen', 'session_count', 'version', 'updated_at'] as const;
const KEY_COLUMNS = ['template_id', 'kind_a', 'key_a', 'kind_b', 'key_b'] as const;
/**
 * Most edges one statement matches by an OR of their key pairs: SQLite
 * refuses an expression deeper than 1,000, and each OR is a level (999
 * edges fail). A save's chunk can hold thousands of edges.
 */
export const EDGES_PER_MATCH = 500;

/**
 * Saves identity edges, each stored once with its two ends in a fixed
 * order. An edge replaces its row only when its version is higher (see
 * saveVersioned); the row then keeps the earliest first-seen and the newest
 * last-seen of the two, and the new session total.
 *
 * @example await store.identityEdges.save([{ templateId: 'order', a: { kind: 'account', key: 'A1' },
 *   b: { kind: 'device', key: 'D9' }, firstSeen, lastSeen, sessions: 3, version: 2_000_017 }])
 */
export async function saveIdentityEdges(
  dialect: StoreDialect,
  input: readonly IdentityEdgeInput[],
): Promise<VersionedSaveResult> {
  const edges = parseBatch(IdentityEdgeInputSchema, input, 'identity edge').map(canonical);
  const identity = (e: ParsedEdge) =>
    JSON.stringify([e.templateId, e.a.kind, e.a.key, e.b.kind, e.b.key]);
  const now = Date.now();
  return saveVersioned<ParsedEdge, StoredSeen, IdentityEdgesTable>(dialect, edges, {
    name: 'identity_edges',
    keys: KEY_COLUMNS,
    updated: UPDATED,
    identity,
    version: (e) => e.version,
    row: (e, old) => ({
      template_id: e.templateId,
      kind_a: e.a.kind,
      key_a: e.a.key,
      kind_b: e.b.kind,
      key_b: e.b.key,
      first_seen: Math.min(e.firstSeen, old?.first_seen ?? e.firstSeen),
      last_seen: Math.max(e.lastSeen, old?.last_seen ?? e.lastSeen),
      session_count: e.sessions,
      version: e.version,
      updated_at: now,
    }),
    describe: (row) =>
      `identity edge (template ${JSON.stringify(row.template_id)}, ` +
      `${row.kind_a} ${JSON.stringify(keyText(row.key_a))} – ${row.kind_b} ${JSON.stringify(keyText(row.key_b))})`,
    async lock(trx, slice) {
      const stored = new Map<string, StoredSeen>();
      const groups = groupBy(slice, (e) => JSON.stringify([e.templateId, e.a.kind, e.b.kind]));
      for (const group of groups.flatMap((g) => chunk(g, EDGES_PER_MATCH))) {
        const { templateId, a, b } = group[0] as ParsedEdge;
        const rows = await dialect
          .forUpdate(
            trx
              .selectFrom('identity_edges')
              .select(['key_a', 'key_b', 'version', 'first_seen', 'last_seen'])
              .where('template_id', '=', templateId)
              .where('kind_a', '=', a.kind)
              .where('kind_b', '=', b.kind)
              .where((eb) =>
                eb.or(
                  group.map((e) => eb.and([eb('key_a', '=', e.a.key), eb('key_b', '=', e.b.key)])),
                ),
              ),
          )
          .execute();
        for (const row of rows) {
          const id = JSON.stringify([
            templateId,
            a.kind,
            keyText(row.key_a),
            b.kind,
            keyText(row.key_b),
          ]);
          stored.set(id, {
            version: Number(row.version),
            first_seen: Number(row.first_seen),
            last_seen: Number(row.last_seen),
          });
        }
      }
      return stored;
    },
  });
}

/** The edge with its ends in storage order (a before b). */
function canonical(edge: ParsedEdge): ParsedEdge {
  return compareRefs(edge.a, edge.b) <= 0 ? edge : { ...edge, a: edge.b, b: edge.a };
}

/**
 * One page of a template's identity edges in primary-key order, optionally
 * only those last seen at or after `seenSince`. Keyset-paged: pass
 * `nextCursor` back as `cursor`.
 *
 * @example const { edges, nextCursor } = await store.identityEdges.page({ templateId: 'order', seenSince })
 */
export async function pageIdentityEdges(
  dialect: StoreDialect,
  input: IdentityEdgePageQuery,
): Promise<IdentityEdgePage> {
  const query = parseInput(IdentityEdgePageQuerySchema, input, 'identity edge page query');
  let select = dialect.db
    .selectFrom('identity_edges')
    .select(EDGE_COLUMNS)
    .where('template_id', '=', query.templateId);
  if (query.seenSince !== undefined) select = select.where('last_seen', '>=', query.seenSince);
  if (query.cursor !== undefined) {
    const [kindA, keyA, kindB, keyB] = decodeKeyset(query.cursor, 4) as [
      string,
      string,
      string,
      string,
    ];
    select = select.where((eb) =>
      eb.or([
        eb('kind_a', '>', kindA),
        eb.and([eb('kind_a', '=', kindA), eb('key_a', '>', keyA)]),
        eb.and([eb('kind_a', '=', kindA), eb('key_a', '=', keyA), eb('kind_b', '>', kindB)]),
        eb.and([
          eb('kind_a', '=', kindA),
          eb('key_a', '=', keyA),
          eb('kind_b', '=', kindB),
          eb('key_b', '>', keyB),
        ]),
      ]),
    );
  }
  const rows = await select
    .orderBy('kind_a')
    .orderBy('key_a')
    .orderBy('kind_b')
    .orderBy('key_b')
    .limit(query.limit + 1)
    .execute();
  const { items, nextCursor } = pageOf(rows, query.limit, rowToIdentityEdge, (edge) => [
    edge.a.kind,
    edge.a.key,
    edge.b.kind,
    edge.b.key,
  ]);
  return nextCursor === undefined ? { edges: items } : { edges: items, nextCursor };
}

/**
 * Every identity edge of a template (optionally only those seen since a
 * time), page by page: what a correlator rebuilds its identity graph from.
 *
 * @example for await (const e of store.identityEdges.export({ templateId: 'order', seenSince })) graph.link([e.a, e.b], e.lastSeen)
 */
export async function* exportIdentityEdges(
  dialect: StoreDialect,
  options: Omit<IdentityEdgePageQuery, 'cursor'>,
): AsyncGenerator<IdentityEdge> {
  yield* allPages(async (cursor) => {
    const page = await pageIdentityEdges(dialect, { ...options, cursor });
    return { items: page.edges, nextCursor: page.nextCursor };
  });
}
