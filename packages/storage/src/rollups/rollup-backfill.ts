import type { Transaction } from 'kysely';
import type { StoreDialect } from '../dialect/dialect.js';
import type { Database } from '../schema.js';
import type { RowDelta } from './contributions.js';
import { addContribution } from './contributions.js';
import { loadRollupSubjects } from './rollup-sources.js';
import type { DefinedRollup } from './rollup-spec.js';
import { defineRollupSpec, parseGrains } from './rollup-spec.js';
import { applyRollupDeltas } from './rollups.js';

/** Options of `rollups.define`. */
export interface DefineRollupOptions {
  /** Sessions folded in per backfill transaction (default 2,000: well within TiDB's transaction limits). */
  batchSize?: number;
}

const DEFAULT_BATCH = 2000;

/**
 * Records a rollup spec for a template and backfills it from the sessions
 * already stored, in batches of short transactions by start time, so
 * writers wait at most one batch. Defining the same spec again is a no-op,
 * or resumes a backfill that stopped midway (a crash, a second definer).
 * Resolves once the backfill is done; until then dashboards do not read
 * the rollup.
 *
 * Exactness while writers run: a rollup whose spec says backfill_until = u
 * holds exactly the sessions starting before u. Writers fold a session in
 * or out only on that side of u (reading the spec under lock), and a batch
 * locks every session of [u, next) before it reads them and moves u, so a
 * writer touching one of them runs wholly before or wholly after the batch.
 *
 * @example await store.rollups.define('order', { dimensions: ['channel'], measures: [{ field: 'amount', agg: 'p95' }] });
 */
export async function defineRollup(
  dialect: StoreDialect,
  templateId: string,
  spec: unknown,
  options: DefineRollupOptions = {},
): Promise<DefinedRollup> {
  const fresh = defineRollupSpec(templateId, spec);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const defined = await dialect.writeTransaction(async (trx) => {
    const existing = await dialect
      .forUpdate(
        trx.selectFrom('rollup_specs').select('grains').where('rollup_id', '=', fresh.rollupId),
      )
      .executeTakeFirst();
    // A rollup defined before migration 0010 keeps its grains (no day rows) when resumed.
    if (existing !== undefined) return { ...fresh, grains: parseGrains(existing.grains) };
    await trx
      .insertInto('rollup_specs')
      .values({
        rollup_id: fresh.rollupId,
        template_id: templateId,
        spec_json: JSON.stringify(fresh.spec),
        created_at: Date.now(),
        // Nothing folded in yet: every session, whenever it started, is the backfill's.
        backfill_until: Number.MIN_SAFE_INTEGER,
        grains: fresh.grains.join(''),
      })
      .execute();
    return fresh;
  });
  while (
    !(await dialect.writeTransaction((trx) => backfillBatch(dialect, trx, defined, batchSize)))
  );
  return defined;
}

/** Folds the next `batchSize` sessions (by start) into the rollup; true once nothing is left. */
async function backfillBatch(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  rollup: DefinedRollup,
  batchSize: number,
): Promise<boolean> {
  const from = await backfillPosition(trx, rollup.rollupId);
  if (from === null) return true;
  const beyond = await trx
    .selectFrom('sessions')
    .select('start_time')
    .where('template_id', '=', rollup.templateId)
    .where('start_time', '>=', from)
    .orderBy('start_time')
    .limit(1)
    .offset(batchSize)
    .executeTakeFirst();
  // Sessions sharing one start go into the same batch, however many.
  const until = beyond === undefined ? null : Math.max(Number(beyond.start_time), from + 1);
  const subjects = await loadRollupSubjects(
    trx,
    rollup.templateId,
    from,
    until ?? Number.MAX_SAFE_INTEGER,
    { lockWith: dialect },
  );
  // Under lock now: a second definer may have folded this batch in meanwhile.
  if ((await backfillPosition(trx, rollup.rollupId, dialect)) !== from) return false;
  const deltas = new Map<string, RowDelta>();
  for (const subject of subjects) addContribution(deltas, rollup, subject, 1);
  await applyRollupDeltas(
    dialect,
    trx,
    [...deltas.values()],
    new Map([[rollup.rollupId, { ...rollup, backfillUntil: from }]]),
  );
  await trx
    .updateTable('rollup_specs')
    .set({ backfill_until: until })
    .where('rollup_id', '=', rollup.rollupId)
    .execute();
  return until === null;
}

/** The spec's backfill_until (null when done or gone), read under lock when `lockWith` is given. */
async function backfillPosition(
  trx: Transaction<Database>,
  rollupId: string,
  lockWith?: StoreDialect,
): Promise<number | null> {
  const query = trx
    .selectFrom('rollup_specs')
    .select('backfill_until')
    .where('rollup_id', '=', rollupId);
  const row = await (lockWith === undefined ? query : lockWith.forUpdate(query)).executeTakeFirst();
  return row?.backfill_until === null || row === undefined ? null : Number(row.backfill_until);
}
