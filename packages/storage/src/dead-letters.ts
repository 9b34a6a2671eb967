import { createHash } from 'node:crypto';
import type { DeadLetter, RecordOrigin } from '@weft/templates';
import { statementChunks } from './chunks.js';
import type { Executor, StoreDialect } from './dialect/dialect.js';
import { purgeInBatches } from './purge-batches.js';
import type { DeadLettersTable } from './schema.js';

/** A stored dead letter with its id (a hash of source, origin and bytes, so replays do not duplicate). */
export type StoredDeadLetter = DeadLetter & { id: string };

/** Stores dead letters; the same input dead-lettered twice is stored once. */
export async function addDeadLetters(
  dialect: StoreDialect,
  letters: readonly DeadLetter[],
): Promise<void> {
  const rows = letters.map(toRow);
  for (const slice of statementChunks(
    rows,
    dialect.statementLimits,
    (row) => `dead letter "${row.dead_letter_id}"`,
  )) {
    await dialect.insertIgnore(dialect.db, 'dead_letters', slice);
  }
}

/** The newest dead letters first, optionally of one template. */
export async function listDeadLetters(
  executor: Executor,
  options: { templateId?: string; limit?: number } = {},
): Promise<StoredDeadLetter[]> {
  let query = executor.selectFrom('dead_letters').selectAll();
  if (options.templateId !== undefined) query = query.where('template_id', '=', options.templateId);
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('dead_letter_id')
    .limit(Math.min(Math.max(options.limit ?? 100, 1), 1000))
    .execute();
  return rows.map((row) => ({
    id: row.dead_letter_id,
    templateId: row.template_id,
    source: row.source,
    reason: row.reason,
    raw: row.raw,
    origin: JSON.parse(row.origin_json) as RecordOrigin,
    at: Number(row.at),
  }));
}

function toRow(letter: DeadLetter): DeadLettersTable {
  const origin = JSON.stringify(letter.origin);
  return {
    dead_letter_id: createHash('sha256')
      .update(`${letter.source}\u0000${origin}\u0000${letter.raw}`)
      .digest('hex')
      .slice(0, 32),
    template_id: letter.templateId,
    source: letter.source,
    reason: letter.reason,
    raw: letter.raw,
    origin_json: origin,
    at: letter.at,
  };
}

/**
 * Deletes the dead letters recorded before `before` (their `at`), along
 * `idx_dead_letters_at`, `batchSize` per short transaction. Returns how many
 * were deleted.
 */
export async function purgeDeadLetters(
  dialect: StoreDialect,
  before: number,
  batchSize = 1000,
): Promise<number> {
  return purgeInBatches(
    async () =>
      (
        await dialect.db
          .selectFrom('dead_letters')
          .select('dead_letter_id')
          .where('at', '<', before)
          .limit(batchSize)
          .execute()
      ).map((row) => row.dead_letter_id),
    async (ids) => {
      await dialect.writeTransaction((trx) =>
        trx.deleteFrom('dead_letters').where('dead_letter_id', 'in', ids).execute(),
      );
      return ids.length;
    },
  );
}
