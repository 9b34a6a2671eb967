import { sql } from 'kysely';
import { z } from 'zod';
import type { StoreDialect } from '../dialect/dialect.js';
import { chunk } from '../chunks.js';
import { keyText } from './entity-converters.js';
import { EDGES_PER_MATCH } from './identity-edges.js';
import { parseInput } from './entity-inputs.js';
import { groupBy } from './versioned-save.js';

const PurgeSchema = z.object({
  templateId: z.string().min(1).max(128),
  before: z.number().int().min(0),
  // At most 6 bind parameters per edge: 4,000 stay under SQLite's 30,000.
  batchSize: z.number().int().min(1).max(4000).default(1000),
});
/** What to purge: one template's rows older than `before` (epoch ms), `batchSize` per transaction. */
export type EntityPurge = z.input<typeof PurgeSchema>;

/**
 * Deletes a template's entity states (live or forgotten) last saved before
 * `before` (wall-clock ms of the save), batch by batch in short
 * transactions. Use a time older than the longest history any feature
 * keeps: an entity not saved since then has nothing left in its windows. A
 * purged tombstone no longer stops a writer of an older version from saving
 * the entity again. Returns how many rows were deleted.
 *
 * @example await store.entityStates.purge({ templateId: 'pay', before: Date.now() - 400 * 86_400_000 })
 */
export async function purgeEntityStates(dialect: StoreDialect, input: EntityPurge) {
  return purgeByEntity(dialect, 'entity_states', 'updated_at', input, 'entity state purge');
}

/**
 * Deletes a template's identity-graph nodes last seen before `before`
 * (session time, as the identity graph's retention), batch by batch.
 * Returns how many nodes were deleted.
 *
 * @example await store.identityNodes.purge({ templateId: 'pay', before: newest - retention })
 */
export async function purgeIdentityNodes(dialect: StoreDialect, input: EntityPurge) {
  return purgeByEntity(dialect, 'identity_nodes', 'last_seen', input, 'identity node purge');
}

/** Batched deletes of a table keyed by (template_id, kind, entity_key), by a time column. */
async function purgeByEntity(
  dialect: StoreDialect,
  table: 'entity_states' | 'identity_nodes',
  time: 'updated_at' | 'last_seen',
  input: EntityPurge,
  what: string,
): Promise<number> {
  const { templateId, before, batchSize } = parseInput(PurgeSchema, input, what);
  let purged = 0;
  for (;;) {
    const rows = await sql<{ kind: string; entity_key: string | Buffer }>`
      SELECT kind, entity_key FROM ${sql.table(table)}
      WHERE template_id = ${templateId} AND ${sql.ref(time)} < ${before}
      LIMIT ${batchSize}`.execute(dialect.db);
    if (rows.rows.length === 0) return purged;
    for (const group of groupBy(rows.rows, (row) => row.kind)) {
      const keys = group.map((row) => keyText(row.entity_key));
      // The time is checked again: a row saved since the scan stays.
      const result = await sql`
        DELETE FROM ${sql.table(table)}
        WHERE template_id = ${templateId} AND kind = ${group[0]!.kind}
          AND entity_key IN (${sql.join(keys)}) AND ${sql.ref(time)} < ${before}`.execute(
        dialect.db,
      );
      purged += Number(result.numAffectedRows ?? 0);
    }
  }
}

/**
 * Deletes a template's identity edges last seen before `before` (session
 * time, like the identity graph's retention: newest link − retention),
 * batch by batch. Returns how many edges were deleted.
 *
 * @example await store.identityEdges.purge({ templateId: 'pay', before: newest - retention })
 */
export async function purgeIdentityEdges(dialect: StoreDialect, input: EntityPurge) {
  const { templateId, before, batchSize } = parseInput(PurgeSchema, input, 'identity edge purge');
  let purged = 0;
  for (;;) {
    const rows = await dialect.db
      .selectFrom('identity_edges')
      .select(['kind_a', 'key_a', 'kind_b', 'key_b'])
      .where('template_id', '=', templateId)
      .where('last_seen', '<', before)
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return purged;
    for (const slice of chunk(rows, EDGES_PER_MATCH)) {
      const result = await dialect.db
        .deleteFrom('identity_edges')
        .where((eb) =>
          eb.or(
            slice.map((row) =>
              eb.and([
                eb('template_id', '=', templateId),
                eb('kind_a', '=', row.kind_a),
                eb('key_a', '=', keyText(row.key_a)),
                eb('kind_b', '=', row.kind_b),
                eb('key_b', '=', keyText(row.key_b)),
                // Checked again: an edge seen since the scan stays. Inside each term,
                // so that SQLite plans one primary-key lookup per edge.
                eb('last_seen', '<', before),
              ]),
            ),
          ),
        )
        .executeTakeFirst();
      purged += Number(result.numDeletedRows);
    }
  }
}
