import type { z } from 'zod';
import type { StoreDialect } from '../dialect/dialect.js';
import type { IdentityNodesTable } from '../schema.js';
import type { IdentityNode, VersionedSaveResult } from './entity-converters.js';
import { keyText } from './entity-converters.js';
import {
  IdentityNodeInputSchema,
  IdentityNodePageQuerySchema,
  parseBatch,
  parseInput,
} from './entity-inputs.js';
import { afterEntityKey, pageOf } from './keyset-cursor.js';
import { allPages, groupBy, saveVersioned } from './versioned-save.js';

/** One identity-graph node to save: an entity and the newest session time it was seen at. */
export type IdentityNodeInput = z.input<typeof IdentityNodeInputSchema>;
type ParsedNode = z.output<typeof IdentityNodeInputSchema>;
/** A page request of `identityNodes.page`: one template's nodes in (kind, key) order. */
export type IdentityNodePageQuery = z.input<typeof IdentityNodePageQuerySchema>;

/** One page of identity-graph nodes; `nextCursor` is absent on the last page. */
export interface IdentityNodePage {
  nodes: IdentityNode[];
  nextCursor?: string;
}

const UPDATED = ['last_seen', 'version', 'updated_at'] as const;

interface StoredNode {
  version: number;
  lastSeen: number;
}

/**
 * Saves identity-graph nodes, every entity the graph has seen (entities
 * seen alone too, which no edge records). A node replaces its row only when
 * its version is higher (see saveVersioned), keeping the newer last-seen of
 * the two.
 *
 * @example await store.identityNodes.save([{ templateId: 'pay', kind: 'device', key: 'D9', lastSeen, version }])
 */
export async function saveIdentityNodes(
  dialect: StoreDialect,
  input: readonly IdentityNodeInput[],
): Promise<VersionedSaveResult> {
  const nodes = parseBatch(IdentityNodeInputSchema, input, 'identity node');
  const identity = (n: { templateId: string; kind: string; key: string }) =>
    JSON.stringify([n.templateId, n.kind, n.key]);
  const now = Date.now();
  return saveVersioned<ParsedNode, StoredNode, IdentityNodesTable>(dialect, nodes, {
    name: 'identity_nodes',
    keys: ['template_id', 'kind', 'entity_key'],
    updated: UPDATED,
    identity,
    version: (n) => n.version,
    row: (n, old) => ({
      template_id: n.templateId,
      kind: n.kind,
      entity_key: n.key,
      last_seen: Math.max(n.lastSeen, old?.lastSeen ?? n.lastSeen),
      version: n.version,
      updated_at: now,
    }),
    describe: (row) =>
      `identity node (template ${JSON.stringify(row.template_id)}, kind ${JSON.stringify(row.kind)}, ` +
      `key ${JSON.stringify(keyText(row.entity_key))})`,
    async lock(trx, slice) {
      const stored = new Map<string, StoredNode>();
      for (const group of groupBy(slice, (n) => JSON.stringify([n.templateId, n.kind]))) {
        const { templateId, kind } = group[0] as ParsedNode;
        const rows = await dialect
          .forUpdate(
            trx
              .selectFrom('identity_nodes')
              .select(['entity_key', 'version', 'last_seen'])
              .where('template_id', '=', templateId)
              .where('kind', '=', kind)
              .where(
                'entity_key',
                'in',
                group.map((n) => n.key),
              ),
          )
          .execute();
        for (const row of rows)
          stored.set(identity({ templateId, kind, key: keyText(row.entity_key) }), {
            version: Number(row.version),
            lastSeen: Number(row.last_seen),
          });
      }
      return stored;
    },
  });
}

/**
 * One page of a template's identity-graph nodes in (kind, key) order,
 * optionally only those last seen at or after `seenSince`. Keyset-paged:
 * pass `nextCursor` back as `cursor`.
 *
 * @example const { nodes, nextCursor } = await store.identityNodes.page({ templateId: 'pay', seenSince })
 */
export async function pageIdentityNodes(
  dialect: StoreDialect,
  input: IdentityNodePageQuery,
): Promise<IdentityNodePage> {
  const query = parseInput(IdentityNodePageQuerySchema, input, 'identity node page query');
  let select = dialect.db
    .selectFrom('identity_nodes')
    .select(['template_id', 'kind', 'entity_key', 'last_seen', 'version'])
    .where('template_id', '=', query.templateId);
  if (query.seenSince !== undefined) select = select.where('last_seen', '>=', query.seenSince);
  if (query.cursor !== undefined) select = select.where(afterEntityKey(query.cursor));
  const rows = await select
    .orderBy('kind')
    .orderBy('entity_key')
    .limit(query.limit + 1)
    .execute();
  const { items, nextCursor } = pageOf(
    rows,
    query.limit,
    (row): IdentityNode => ({
      templateId: row.template_id,
      kind: row.kind,
      key: keyText(row.entity_key),
      lastSeen: Number(row.last_seen),
      version: Number(row.version),
    }),
    (node) => [node.kind, node.key],
  );
  return nextCursor === undefined ? { nodes: items } : { nodes: items, nextCursor };
}

/**
 * Every identity-graph node of a template (optionally only those seen
 * since a time), page by page: with `identityEdges.export`, what a
 * correlator rebuilds its identity graph from.
 *
 * @example for await (const n of store.identityNodes.export({ templateId: 'pay', seenSince })) nodes.push([n.kind, n.key, n.lastSeen])
 */
export async function* exportIdentityNodes(
  dialect: StoreDialect,
  options: Omit<IdentityNodePageQuery, 'cursor'>,
): AsyncGenerator<IdentityNode> {
  yield* allPages(async (cursor) => {
    const page = await pageIdentityNodes(dialect, { ...options, cursor });
    return { items: page.nodes, nextCursor: page.nextCursor };
  });
}
