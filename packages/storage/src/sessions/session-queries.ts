import type { Session } from '@weft/templates';
import { chunk } from '../chunks.js';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import { purgeInBatches } from '../purge-batches.js';
import type { SessionNodesTable } from '../schema.js';
import type { SummaryColumns } from './session-converters.js';
import { rowsToNodes, rowToSummary, SUMMARY_COLUMNS } from './session-converters.js';

const EXPORT_PAGE = 200;

/** Loads full sessions (with nodes) for summary rows, keeping their order. */
export async function withNodes(
  executor: Executor,
  rows: readonly SummaryColumns[],
): Promise<Session[]> {
  const nodes = new Map<string, SessionNodesTable[]>();
  for (const ids of chunk(
    rows.map((r) => r.session_id),
    500,
  )) {
    const found = await executor
      .selectFrom('session_nodes')
      .selectAll()
      .where('session_id', 'in', ids)
      .execute();
    for (const node of found)
      nodes.set(node.session_id, [...(nodes.get(node.session_id) ?? []), node]);
  }
  return rows.map((row) => ({
    ...rowToSummary(row),
    nodes: rowsToNodes(nodes.get(row.session_id) ?? []),
  }));
}

/** One stored session with its nodes, or undefined. */
export async function getSession(
  executor: Executor,
  sessionId: string,
): Promise<Session | undefined> {
  const row = await executor
    .selectFrom('sessions')
    .select(SUMMARY_COLUMNS)
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const [session] = await withNodes(executor, [row]);
  return session;
}

export interface BusinessKeyLookup {
  templateId?: string;
  /** Also return sessions absorbed by a merge (default false). */
  includeMerged?: boolean;
}

/**
 * The sessions of one business key (an order id, say), newest first: an
 * index seek on (business_key, template_id).
 */
export async function findByBusinessKey(
  executor: Executor,
  businessKey: string,
  options: BusinessKeyLookup = {},
): Promise<Session[]> {
  let query = executor
    .selectFrom('sessions')
    .select(SUMMARY_COLUMNS)
    .where('business_key', '=', businessKey);
  if (options.templateId !== undefined) query = query.where('template_id', '=', options.templateId);
  if (options.includeMerged !== true) query = query.where('merged_into', 'is', null);
  const rows = await query
    .orderBy('start_time', 'desc')
    .orderBy('session_id', 'desc')
    .limit(100)
    .execute();
  return withNodes(executor, rows);
}

/** A live (not merged) session's id and stored version, found by its business key. */
export interface LiveSessionVersion {
  readonly sessionId: string;
  readonly businessKey: string;
  readonly version: number;
}

/**
 * The live sessions of a template under any of `businessKeys`: id and
 * version only, one index seek per key on (business_key, template_id), 500
 * keys per query. For writers that must retract what their new versions
 * supersede.
 */
export async function liveVersionsByBusinessKeys(
  executor: Executor,
  templateId: string,
  businessKeys: readonly string[],
): Promise<LiveSessionVersion[]> {
  const out: LiveSessionVersion[] = [];
  for (const keys of chunk([...new Set(businessKeys)], 500)) {
    const rows = await executor
      .selectFrom('sessions')
      .select(['session_id', 'business_key', 'version'])
      .where('business_key', 'in', keys)
      .where('template_id', '=', templateId)
      .where('merged_into', 'is', null)
      .execute();
    for (const row of rows)
      out.push({
        sessionId: row.session_id,
        businessKey: row.business_key,
        version: Number(row.version),
      });
  }
  return out;
}

/**
 * Every stored session (optionally of one template) in session-id order,
 * page by page, so an export of millions never holds them all in memory.
 */
export async function* exportSessions(
  dialect: StoreDialect,
  options: { templateId?: string } = {},
): AsyncGenerator<Session> {
  let after: string | undefined;
  for (;;) {
    let query = dialect.db.selectFrom('sessions').select(SUMMARY_COLUMNS);
    if (options.templateId !== undefined)
      query = query.where('template_id', '=', options.templateId);
    if (after !== undefined) query = query.where('session_id', '>', after);
    const rows = await query.orderBy('session_id').limit(EXPORT_PAGE).execute();
    if (rows.length === 0) return;
    yield* await withNodes(dialect.db, rows);
    after = rows.at(-1)?.session_id;
  }
}

/**
 * Deletes sessions that ended before `endedBefore`, `batchSize` at a time,
 * each batch in its own short transaction so writers are never blocked for
 * long. Rollups keep their history (they are purged separately); operator
 * actions are kept as the audit trail.
 */
export async function purgeSessions(
  dialect: StoreDialect,
  endedBefore: number,
  batchSize = 1000,
): Promise<number> {
  return purgeInBatches(
    async () =>
      (
        await dialect.db
          .selectFrom('sessions')
          .select('session_id')
          .where('end_time', '<', endedBefore)
          .limit(batchSize)
          .execute()
      ).map((row) => row.session_id),
    (ids) =>
      dialect.writeTransaction(async (trx) => {
        // Re-check under lock: a session may have received a newer version since the scan.
        const locked = await dialect
          .forUpdate(
            trx
              .selectFrom('sessions')
              .select('session_id')
              .where('session_id', 'in', ids)
              .where('end_time', '<', endedBefore),
          )
          .execute();
        const confirmed = locked.map((row) => row.session_id);
        if (confirmed.length === 0) return 0;
        await trx.deleteFrom('session_fields').where('session_id', 'in', confirmed).execute();
        await trx.deleteFrom('session_nodes').where('session_id', 'in', confirmed).execute();
        await trx.deleteFrom('sessions').where('session_id', 'in', confirmed).execute();
        return confirmed.length;
      }),
  );
}
