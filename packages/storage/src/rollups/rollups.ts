import type { Transaction } from 'kysely';
import { chunk, statementChunks } from '../chunks.js';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import { purgeInBatches } from '../purge-batches.js';
import type { Database } from '../schema.js';
import type { RowDelta, StoredGrain } from './contributions.js';
import { addContribution, GRAIN_MS, STORED_GRAINS } from './contributions.js';
import { rollupToRow, rowToRollup } from './rollup-converters.js';
import type { RollupRow } from './rollup-row.js';
import { applyDelta } from './rollup-row.js';
import { loadRollupSubjects } from './rollup-sources.js';
import type { StoredRollup } from './rollup-spec.js';
import { defineRollupSpec, parseGrains } from './rollup-spec.js';

/** Keys per locking read: a full batch touches at most 3 rows (minute, hour, day) per session and rollup. */
const KEYS_PER_READ = 4000;

/**
 * The rollups defined for each of `templateIds`. A writer passes its
 * dialect as `lockWith`: the specs are then read under lock (the latest
 * backfill_until, not a snapshot's), which also orders the writer after a
 * backfill batch of the same rollup (see rollup-backfill.ts).
 */
export async function rollupsForTemplates(
  executor: Executor,
  templateIds: readonly string[],
  lockWith?: StoreDialect,
): Promise<Map<string, StoredRollup[]>> {
  const byTemplate = new Map<string, StoredRollup[]>();
  if (templateIds.length === 0) return byTemplate;
  const query = executor
    .selectFrom('rollup_specs')
    .select(['template_id', 'spec_json', 'backfill_until', 'grains'])
    .where('template_id', 'in', [...templateIds]);
  const rows = await (lockWith === undefined ? query : lockWith.forUpdate(query)).execute();
  for (const row of rows) {
    const stored: StoredRollup = {
      ...defineRollupSpec(row.template_id, JSON.parse(row.spec_json)),
      grains: parseGrains(row.grains),
      backfillUntil: row.backfill_until === null ? null : Number(row.backfill_until),
    };
    byTemplate.set(row.template_id, [...(byTemplate.get(row.template_id) ?? []), stored]);
  }
  return byTemplate;
}

/**
 * Folds signed deltas into the stored rollup rows, inside the caller's
 * transaction: rows are read under lock, merged, and written back in
 * multi-row upserts; rows whose min/max cannot be retracted are rebuilt from
 * the raw sessions (which the caller has already updated in this transaction).
 */
export async function applyRollupDeltas(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  deltas: readonly RowDelta[],
  rollups: ReadonlyMap<string, StoredRollup>,
): Promise<void> {
  if (deltas.length === 0) return;
  const sorted = [...deltas].sort((a, b) => (a.key < b.key ? -1 : 1));
  const stored = await readRowsForUpdate(
    dialect,
    trx,
    sorted.map((d) => d.key),
  );
  const writes: RollupRow[] = [];
  const deletes: string[] = [];
  for (const delta of sorted) {
    const outcome = applyDelta(stored.get(delta.key), delta);
    if (outcome.kind === 'write') writes.push(outcome.row);
    else if (outcome.kind === 'delete') deletes.push(outcome.key);
    else {
      const rebuilt = await rebuildRow(trx, delta, rollups);
      if (rebuilt === undefined) deletes.push(delta.key);
      else writes.push(rebuilt);
    }
  }
  for (const keys of chunk(deletes, KEYS_PER_READ)) {
    await trx.deleteFrom('rollups').where('rollup_key', 'in', keys).execute();
  }
  const describe = (row: { rollup_key: string }) => `rollup row "${row.rollup_key}"`;
  for (const rows of statementChunks(writes.map(rollupToRow), dialect.statementLimits, describe)) {
    await dialect.upsert(
      trx,
      'rollups',
      rows,
      ['rollup_key'],
      ['session_count', 'measures_json', 'summary_json'],
    );
  }
}

async function readRowsForUpdate(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  keys: readonly string[],
): Promise<Map<string, RollupRow>> {
  const rows = new Map<string, RollupRow>();
  for (const slice of chunk(keys, KEYS_PER_READ)) {
    const found = await dialect
      .forUpdate(trx.selectFrom('rollups').selectAll().where('rollup_key', 'in', slice))
      .execute();
    for (const row of found) rows.set(row.rollup_key, rowToRollup(row));
  }
  return rows;
}

/**
 * Recomputes one row exactly from the live sessions of its bucket (those a
 * rollup still being backfilled already folds in); undefined when none remain.
 */
async function rebuildRow(
  trx: Transaction<Database>,
  delta: RowDelta,
  rollups: ReadonlyMap<string, StoredRollup>,
): Promise<RollupRow | undefined> {
  const rollup = rollups.get(delta.rollupId);
  if (rollup === undefined) return undefined;
  const bucketEnd = delta.bucketStart + GRAIN_MS[delta.grain];
  const end = rollup.backfillUntil === null ? bucketEnd : Math.min(bucketEnd, rollup.backfillUntil);
  const subjects = await loadRollupSubjects(trx, rollup.templateId, delta.bucketStart, end);
  const rebuilt = new Map<string, RowDelta>();
  for (const subject of subjects) addContribution(rebuilt, rollup, subject, 1);
  const own = rebuilt.get(delta.key);
  if (own === undefined) return undefined;
  const outcome = applyDelta(undefined, own);
  return outcome.kind === 'write' ? outcome.row : undefined;
}

/**
 * Deletes rollup rows of buckets older than `before`, `batchSize` per short
 * transaction (rollups outlive raw sessions): every grain, or only `grains`
 * (retention drops minute rows long before hour and day rows). Each rollup
 * is walked along its primary key (rollup_id, grain, bucket_start), so a
 * batch is a range read however large the table is.
 *
 * @example await purgeRollupsBefore(dialect, Date.now() - 7 * 86_400_000, 1000, ['m'])
 */
export async function purgeRollupsBefore(
  dialect: StoreDialect,
  before: number,
  batchSize = 1000,
  grains: readonly StoredGrain[] = STORED_GRAINS,
): Promise<number> {
  const rollupIds = (await dialect.db.selectFrom('rollup_specs').select('rollup_id').execute()).map(
    (row) => row.rollup_id,
  );
  let purged = 0;
  for (const rollupId of rollupIds) {
    for (const grain of grains) {
      purged += await purgeInBatches(
        async () =>
          (
            await dialect.db
              .selectFrom('rollups')
              .select('rollup_key')
              .where('rollup_id', '=', rollupId)
              .where('grain', '=', grain)
              .where('bucket_start', '<', before)
              .limit(batchSize)
              .execute()
          ).map((row) => row.rollup_key),
        async (keys) => {
          await dialect.writeTransaction((trx) =>
            trx.deleteFrom('rollups').where('rollup_key', 'in', keys).execute(),
          );
          return keys.length;
        },
      );
    }
  }
  return purged;
}
