import type { Orphan } from '@weft/templates';
import { statementChunks } from './chunks.js';
import type { Executor, StoreDialect } from './dialect/dialect.js';
import { purgeInBatches } from './purge-batches.js';

/** Stores orphans, keyed by (template, node, record id): storing one twice keeps one. */
export async function addOrphans(dialect: StoreDialect, orphans: readonly Orphan[]): Promise<void> {
  const now = Date.now();
  const rows = orphans.map((o) => ({
    template_id: o.templateId,
    node: o.node,
    record_id: o.record.recordId,
    event_time: o.record.eventTime,
    keys_json: JSON.stringify(o.keys),
    record_json: JSON.stringify(o.record),
    created_at: now,
  }));
  for (const slice of statementChunks(
    rows,
    dialect.statementLimits,
    (row) => `orphan record "${row.record_id}" of node "${row.node}"`,
  )) {
    await dialect.insertIgnore(dialect.db, 'orphans', slice);
  }
}

/** Orphans of a template whose record's event time is in [from, to), oldest first. */
export async function listOrphans(
  executor: Executor,
  templateId: string,
  range: { from?: number; to?: number; limit?: number } = {},
): Promise<Orphan[]> {
  let query = executor.selectFrom('orphans').selectAll().where('template_id', '=', templateId);
  if (range.from !== undefined) query = query.where('event_time', '>=', range.from);
  if (range.to !== undefined) query = query.where('event_time', '<', range.to);
  const rows = await query
    .orderBy('event_time')
    .orderBy('record_id')
    .limit(Math.min(Math.max(range.limit ?? 100, 1), 1000))
    .execute();
  return rows.map((row) => ({
    templateId: row.template_id,
    node: row.node,
    keys: JSON.parse(row.keys_json) as Orphan['keys'],
    record: JSON.parse(row.record_json) as Orphan['record'],
  }));
}

/** Removes orphans a late reprocessing has since attached to a session. */
export async function removeOrphans(
  executor: Executor,
  keys: readonly { templateId: string; node: string; recordId: string }[],
): Promise<void> {
  for (const key of keys) {
    await executor
      .deleteFrom('orphans')
      .where('template_id', '=', key.templateId)
      .where('node', '=', key.node)
      .where('record_id', '=', key.recordId)
      .execute();
  }
}

/**
 * Deletes the orphans whose record's event time is before `before`,
 * template by template along `idx_orphans_event_time`, `batchSize` per
 * short transaction. Returns how many were deleted.
 */
export async function purgeOrphans(
  dialect: StoreDialect,
  before: number,
  batchSize = 1000,
): Promise<number> {
  const templateIds = (
    await dialect.db.selectFrom('orphans').select('template_id').distinct().execute()
  ).map((row) => row.template_id);
  let purged = 0;
  for (const templateId of templateIds) {
    purged += await purgeInBatches(
      () =>
        dialect.db
          .selectFrom('orphans')
          .select(['node', 'record_id'])
          .where('template_id', '=', templateId)
          .where('event_time', '<', before)
          .limit(batchSize)
          .execute(),
      async (keys) => {
        // One `record_id IN (…)` per node: an OR of (node, record_id) pairs nests a
        // level per pair, and SQLite refuses expressions deeper than 1,000.
        const byNode = new Map<string, string[]>();
        for (const key of keys)
          byNode.set(key.node, [...(byNode.get(key.node) ?? []), key.record_id]);
        await dialect.writeTransaction(async (trx) => {
          for (const [node, recordIds] of byNode)
            await trx
              .deleteFrom('orphans')
              .where('template_id', '=', templateId)
              .where('node', '=', node)
              .where('record_id', 'in', recordIds)
              .execute();
        });
        return keys.length;
      },
    );
  }
  return purged;
}
