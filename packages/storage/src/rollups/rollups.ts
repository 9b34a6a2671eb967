import type { Transaction } from 'kysely';
import { chunk, rowsPerStatement } from '../chunks.js';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import type { Database } from '../schema.js';
import type { RowDelta } from './contributions.js';
import { addContribution, GRAIN_MS } from './contributions.js';
import { rollupToRow, rowToRollup } from './rollup-converters.js';
import type { RollupRow } from './rollup-row.js';
import { applyDelta } from './rollup-row.js';
import { loadRollupSubjects } from './rollup-sources.js';
import type { DefinedRollup } from './rollup-spec.js';
import { defineRollupSpec } from './rollup-spec.js';

const ROLLUP_COLUMNS = 8;
/** Keys per locking read: a full batch touches at most 2 rows per session and rollup. */
const KEYS_PER_READ = 4000;

/** The rollups defined for each of `templateIds`. */
export async function rollupsForTemplates(
  executor: Executor,
  templateIds: readonly string[],
): Promise<Map<string, DefinedRollup[]>> {
  const byTemplate = new Map<string, DefinedRollup[]>();
  if (templateIds.length === 0) return byTemplate;
  const rows = await executor
    .selectFrom('rollup_specs')
    .select(['template_id', 'spec_json'])
    .where('template_id', 'in', [...templateIds])
    .execute();
  for (const row of rows) {
    const defined = defineRollupSpec(row.template_id, JSON.parse(row.spec_json));
    byTemplate.set(row.template_id, [...(byTemplate.get(row.template_id) ?? []), defined]);
  }
  return byTemplate;
}

/**
 * Records a rollup spec for a template and backfills it from the sessions
 * already stored, in one transaction; defining the same spec again is a no-op.
 */
export async function defineRollup(
  dialect: StoreDialect,
  templateId: string,
  spec: unknown,
): Promise<DefinedRollup> {
  const defined = defineRollupSpec(templateId, spec);
  await dialect.writeTransaction(async (trx) => {
    const existing = await dialect
      .forUpdate(
        trx
          .selectFrom('rollup_specs')
          .select('rollup_id')
          .where('rollup_id', '=', defined.rollupId),
      )
      .executeTakeFirst();
    if (existing !== undefined) return;
    await trx
      .insertInto('rollup_specs')
      .values({
        rollup_id: defined.rollupId,
        template_id: templateId,
        spec_json: JSON.stringify(defined.spec),
        created_at: Date.now(),
      })
      .execute();
    const deltas = new Map<string, RowDelta>();
    const subjects = await loadRollupSubjects(
      trx,
      templateId,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    );
    for (const subject of subjects) addContribution(deltas, defined, subject, 1);
    await applyRollupDeltas(
      dialect,
      trx,
      [...deltas.values()],
      new Map([[defined.rollupId, defined]]),
    );
  });
  return defined;
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
  rollups: ReadonlyMap<string, DefinedRollup>,
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
  const perStatement = rowsPerStatement(dialect.maxParameters, ROLLUP_COLUMNS);
  for (const rows of chunk(writes.map(rollupToRow), perStatement)) {
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

/** Recomputes one row exactly from the live sessions of its bucket; undefined when none remain. */
async function rebuildRow(
  trx: Transaction<Database>,
  delta: RowDelta,
  rollups: ReadonlyMap<string, DefinedRollup>,
): Promise<RollupRow | undefined> {
  const rollup = rollups.get(delta.rollupId);
  if (rollup === undefined) return undefined;
  const end = delta.bucketStart + GRAIN_MS[delta.grain];
  const subjects = await loadRollupSubjects(trx, rollup.templateId, delta.bucketStart, end);
  const rebuilt = new Map<string, RowDelta>();
  for (const subject of subjects) addContribution(rebuilt, rollup, subject, 1);
  const own = rebuilt.get(delta.key);
  if (own === undefined) return undefined;
  const outcome = applyDelta(undefined, own);
  return outcome.kind === 'write' ? outcome.row : undefined;
}

/** Deletes rollup rows of buckets older than `before`, in batches (rollups outlive raw sessions). */
export async function purgeRollupsBefore(
  dialect: StoreDialect,
  before: number,
  batchSize = 1000,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const keys = await dialect.db
      .selectFrom('rollups')
      .select('rollup_key')
      .where('bucket_start', '<', before)
      .limit(batchSize)
      .execute();
    if (keys.length === 0) return purged;
    await dialect.writeTransaction((trx) =>
      trx
        .deleteFrom('rollups')
        .where(
          'rollup_key',
          'in',
          keys.map((k) => k.rollup_key),
        )
        .execute(),
    );
    purged += keys.length;
  }
}
