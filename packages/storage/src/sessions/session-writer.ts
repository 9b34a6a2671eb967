import type { Transaction } from 'kysely';
import type { Session, SessionRetraction } from '@weft/templates';
import { chunk, statementChunks } from '../chunks.js';
import type { StoreDialect } from '../dialect/dialect.js';
import type { FieldCatalogCache } from '../field-catalog.js';
import { recordFieldKinds } from '../field-catalog.js';
import type { RowDelta } from '../rollups/contributions.js';
import { addContribution } from '../rollups/contributions.js';
import type { StoredRollup } from '../rollups/rollup-spec.js';
import { foldsIn } from '../rollups/rollup-spec.js';
import { applyRollupDeltas, rollupsForTemplates } from '../rollups/rollups.js';
import type { Database, SessionFieldsTable, SessionNodesTable, SessionsTable } from '../schema.js';
import type { SessionChange } from './session-batch.js';
import { BATCH_LIMITS, isRetraction, prepareBatch } from './session-batch.js';
import { rowToRollupSubject, sessionToRow } from './session-converters.js';
import {
  FIELD_VALUE_COLUMNS,
  NODE_VALUE_COLUMNS,
  fieldRowDelta,
  nodeRowDelta,
} from './session-row-delta.js';

/** What an upsert did: changes that won (newer than stored) and those ignored as stale or replayed. */
export interface UpsertResult {
  applied: number;
  ignored: number;
}

type StoredRow = Pick<
  SessionsTable,
  | 'session_id'
  | 'version'
  | 'template_id'
  | 'merged_into'
  | 'start_time'
  | 'end_time'
  | 'fields_json'
  | 'verdict_json'
  | 'status'
  | 'fire_reason'
  | 'template_version'
>;

/** Ids per locking read or delete: a whole batch (BATCH_LIMITS.sessions), so one version check per batch. */
const IDS_PER_READ = BATCH_LIMITS.sessions;
const UPDATED_COLUMNS = [
  'template_id',
  'template_version',
  'business_key',
  'version',
  'status',
  'fire_reason',
  'start_time',
  'end_time',
  'verdict',
  'severity',
  'merged_into',
  'fields_json',
  'verdicts_json',
  'verdict_json',
  'updated_at',
] as const;

/**
 * Applies a batch of session versions and retractions atomically. A change
 * wins only over a stored version lower than its own, so replays and
 * out-of-order deliveries change nothing; the rollups of every winner are
 * moved (old contribution out, new one in) in the same transaction.
 */
export async function upsertSessions(
  dialect: StoreDialect,
  catalog: FieldCatalogCache,
  batch: readonly SessionChange[],
): Promise<UpsertResult> {
  const changes = prepareBatch(batch);
  if (changes.length === 0) return { applied: 0, ignored: 0 };
  const now = Date.now();
  const { winners, catalogued } = await dialect.writeTransaction(async (trx) => {
    const stored = await lockStoredRows(
      dialect,
      trx,
      changes.map((c) => c.sessionId),
    );
    const won = changes.filter((c) => (stored.get(c.sessionId)?.version ?? 0) < c.version);
    if (won.length === 0) return { winners: won, catalogued: [] };
    const sessions = won.filter((c): c is Session => !isRetraction(c));
    const retractions = won.filter(isRetraction);
    // Leftovers of expired session rows go first: once a version or a tombstone is
    // written here, the session counts as stored and they would never be found again.
    await dropExpiredLeftovers(
      dialect,
      trx,
      won.filter((c) => !stored.has(c.sessionId)).map((c) => c.sessionId),
    );
    await writeSessions(dialect, trx, sessions, stored, now);
    await applyRetractions(dialect, trx, retractions, stored, now);
    const catalogued = await recordFieldKinds(dialect, trx, catalog, sessions, now);
    await moveRollups(dialect, trx, won, stored);
    return { winners: won, catalogued };
  });
  catalog.commit(catalogued);
  return { applied: winners.length, ignored: batch.length - winners.length };
}

async function lockStoredRows(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<Map<string, StoredRow>> {
  const stored = new Map<string, StoredRow>();
  for (const slice of chunk(ids, IDS_PER_READ)) {
    const rows = await dialect
      .forUpdate(
        trx
          .selectFrom('sessions')
          .select([
            'session_id',
            'version',
            'template_id',
            'merged_into',
            'start_time',
            'end_time',
            'fields_json',
            'verdict_json',
            'status',
            'fire_reason',
            'template_version',
          ])
          .where('session_id', 'in', slice),
      )
      .execute();
    for (const row of rows) stored.set(row.session_id, { ...row, version: Number(row.version) });
  }
  return stored;
}

/**
 * Writes the session rows, and of their field and node rows only those that
 * differ from the stored version's (see `fieldRowDelta`): unchanged rows,
 * most of a later version's, are left as they are instead of being deleted
 * and inserted again with their index entries.
 */
async function writeSessions(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  sessions: readonly Session[],
  stored: ReadonlyMap<string, StoredRow>,
  now: number,
): Promise<void> {
  const limits = dialect.statementLimits;
  const rows = sessions.map((s) => sessionToRow(s, now));
  for (const slice of statementChunks(rows, limits, describeSession)) {
    await dialect.upsert(trx, 'sessions', slice, ['session_id'], UPDATED_COLUMNS);
  }
  const storedNodes = await readStoredNodes(
    dialect,
    trx,
    sessions.filter((s) => stored.has(s.sessionId)).map((s) => s.sessionId),
  );
  const fields: SessionFieldsTable[] = [];
  const nodes: SessionNodesTable[] = [];
  for (const session of sessions) {
    const id = session.sessionId;
    const fieldDelta = fieldRowDelta(session, stored.get(id));
    fields.push(...fieldDelta.write);
    for (const names of chunk(fieldDelta.remove, IDS_PER_READ)) {
      await trx
        .deleteFrom('session_fields')
        .where('session_id', '=', id)
        .where('field', 'in', names)
        .execute();
    }
    const nodeDelta = nodeRowDelta(
      session,
      storedNodes.get(id) ?? (stored.has(id) ? [] : undefined),
    );
    nodes.push(...nodeDelta.write);
    if (nodeDelta.removeFrom !== null) {
      await trx
        .deleteFrom('session_nodes')
        .where('session_id', '=', id)
        .where('position', '>=', nodeDelta.removeFrom)
        .execute();
    }
  }
  const describeField = (row: SessionFieldsTable) =>
    `field "${row.field}" of session "${row.session_id}"`;
  for (const slice of statementChunks(fields, limits, describeField)) {
    await dialect.upsert(
      trx,
      'session_fields',
      slice,
      ['session_id', 'field'],
      FIELD_VALUE_COLUMNS,
    );
  }
  const describeNode = (row: SessionNodesTable) =>
    `node "${row.node}" (its records) of session "${row.session_id}"`;
  for (const slice of statementChunks(nodes, limits, describeNode)) {
    await dialect.upsert(
      trx,
      'session_nodes',
      slice,
      ['session_id', 'position'],
      NODE_VALUE_COLUMNS,
    );
  }
}

/**
 * Under row TTLs (TiDB) a session row expires `graceDays` before its field
 * and node rows; a session stored again in that time must not inherit
 * them. Elsewhere retention deletes the three together, so nothing is left.
 */
async function dropExpiredLeftovers(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<void> {
  if (!dialect.rowTtl) return;
  for (const slice of chunk(ids, IDS_PER_READ)) {
    await trx.deleteFrom('session_fields').where('session_id', 'in', slice).execute();
    await trx.deleteFrom('session_nodes').where('session_id', 'in', slice).execute();
  }
}

/** The stored node rows of `ids`, by session, read under lock (a session without node rows is absent). */
async function readStoredNodes(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<Map<string, Pick<SessionNodesTable, 'position' | 'node' | 'kind' | 'records_json'>[]>> {
  const bySession = new Map<
    string,
    Pick<SessionNodesTable, 'position' | 'node' | 'kind' | 'records_json'>[]
  >();
  for (const slice of chunk(ids, IDS_PER_READ)) {
    // A locking read: TiDB's pessimistic transactions read plain SELECTs from their start
    // snapshot, which misses rows a writer committed while this one waited for its locks.
    const rows = await dialect
      .forUpdate(
        trx
          .selectFrom('session_nodes')
          .select(['session_id', 'position', 'node', 'kind', 'records_json'])
          .where('session_id', 'in', slice),
      )
      .execute();
    for (const { session_id, ...row } of rows) {
      const list = bySession.get(session_id);
      if (list === undefined) bySession.set(session_id, [row]);
      else list.push(row);
    }
  }
  return bySession;
}

function describeSession(row: SessionsTable): string {
  return `session "${row.session_id}" (its fields and verdicts)`;
}

/**
 * Marks absorbed sessions as merged into their survivor. A retraction of a
 * session never stored leaves a tombstone row, so that its older versions,
 * if they arrive later, lose to it.
 */
async function applyRetractions(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  retractions: readonly SessionRetraction[],
  stored: ReadonlyMap<string, StoredRow>,
  now: number,
): Promise<void> {
  for (const retraction of retractions.filter((r) => stored.has(r.sessionId))) {
    await trx
      .updateTable('sessions')
      .set({ merged_into: retraction.mergedInto, version: retraction.version, updated_at: now })
      .where('session_id', '=', retraction.sessionId)
      .execute();
  }
  const tombstones = retractions
    .filter((r) => !stored.has(r.sessionId))
    .map((r) => tombstone(r, now));
  for (const slice of statementChunks(tombstones, dialect.statementLimits, describeSession)) {
    await dialect.upsert(trx, 'sessions', slice, ['session_id'], UPDATED_COLUMNS);
  }
}

function tombstone(retraction: SessionRetraction, now: number): SessionsTable {
  return {
    session_id: retraction.sessionId,
    template_id: retraction.templateId,
    template_version: 1,
    business_key: '',
    version: retraction.version,
    status: 'closed',
    fire_reason: 'merge',
    start_time: 0,
    end_time: 0,
    verdict: null,
    severity: null,
    merged_into: retraction.mergedInto,
    fields_json: '{}',
    verdicts_json: '[]',
    verdict_json: null,
    updated_at: now,
  };
}

/**
 * Retracts each winner's stored contribution and adds its new one, for every
 * rollup of its template — of a rollup still being backfilled, only the
 * contributions of sessions starting before its backfill position.
 */
async function moveRollups(
  dialect: StoreDialect,
  trx: Transaction<Database>,
  winners: readonly SessionChange[],
  stored: ReadonlyMap<string, StoredRow>,
): Promise<void> {
  const templateIds = new Set<string>(winners.map((w) => w.templateId));
  for (const w of winners) {
    const old = stored.get(w.sessionId);
    if (old !== undefined) templateIds.add(old.template_id);
  }
  const byTemplate = await rollupsForTemplates(trx, [...templateIds], dialect);
  if (byTemplate.size === 0) return;
  const deltas = new Map<string, RowDelta>();
  const all = new Map<string, StoredRollup>();
  for (const change of winners) {
    const old = stored.get(change.sessionId);
    if (old !== undefined && old.merged_into === null) {
      const subject = rowToRollupSubject(old);
      for (const rollup of byTemplate.get(old.template_id) ?? []) {
        if (!foldsIn(rollup, subject.start)) continue;
        all.set(rollup.rollupId, rollup);
        addContribution(deltas, rollup, subject, -1);
      }
    }
    if (isRetraction(change) || change.mergedInto !== null) continue;
    for (const rollup of byTemplate.get(change.templateId) ?? []) {
      if (!foldsIn(rollup, change.start)) continue;
      all.set(rollup.rollupId, rollup);
      addContribution(deltas, rollup, change, 1);
    }
  }
  await applyRollupDeltas(dialect, trx, [...deltas.values()], all);
}
