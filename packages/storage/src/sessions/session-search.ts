import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import type { SessionSummary } from './session-converters.js';
import { rowToSummary, SUMMARY_COLUMNS } from './session-converters.js';
import { fieldCondition } from './search-conditions.js';
import { chooseDriver, startRange } from './search-driver.js';
import type { ParsedSearchQuery, SearchCursor, SearchQuery } from './search-query.js';
import { encodeCursor, parseSearchQuery } from './search-query.js';

/** One page of search results, newest first; `nextCursor` is absent on the last page. */
export interface SearchPage {
  sessions: SessionSummary[];
  nextCursor?: string;
}

type Parsed = ParsedSearchQuery & { after?: SearchCursor };

/**
 * Finds sessions by a conjunction of field conditions, newest first. One
 * condition drives (see chooseDriver): its matches are read from the value
 * index, which ends with start_time (migration 0007), so when it fixes the
 * value they arrive newest first and the search stops after a page; every
 * other condition is a primary-key lookup of (session, field), and the
 * session filters a lookup in the narrow idx_sessions_search (migration
 * 0005; named, because MariaDB otherwise reads the wide clustered row). The join order is fixed (STRAIGHT_JOIN / CROSS JOIN) because the
 * planners cannot tell a selective equality from a wide range. Values and
 * field names are bound parameters, and invalid input is a
 * StorageValidationError before any SQL runs.
 */
export async function searchSessions(
  dialect: StoreDialect,
  input: SearchQuery,
): Promise<SearchPage> {
  const query = parseSearchQuery(input);
  const executor = dialect.db;
  const page =
    query.where.length === 0
      ? await sessionsOnly(executor, query)
      : await drivenByField(dialect, query);
  const ids = page.slice(0, query.limit).map((row) => row.session_id);
  const sessions = await summariesInOrder(executor, ids);
  const last = sessions.at(-1);
  const more = page.length > query.limit && last !== undefined;
  return more
    ? { sessions, nextCursor: encodeCursor({ start: last.start, sessionId: last.sessionId }) }
    : { sessions };
}

interface PageRow {
  session_id: string;
  start_time: number;
}

async function drivenByField(dialect: StoreDialect, query: Parsed): Promise<PageRow[]> {
  const range = { from: query.from, to: query.to };
  const first = await chooseDriver(dialect.db, query.where, range);
  const driver = query.where[first]!;
  const join = sql.raw(dialect.fixedJoin);
  const others = query.where
    .filter((_, i) => i !== first)
    .map((p, i) => {
      const alias = `f${i}`;
      const f = sql.raw(alias);
      return sql`${join} session_fields ${f} ON ${f}.session_id = d.session_id AND ${f}.field = ${p.field} AND ${fieldCondition(alias, p)}`;
    });
  const result = await sql<PageRow>`
    SELECT d.session_id, d.start_time
    FROM session_fields d
    ${sql.join(others, sql` `)}
    ${join} sessions s ${sql.raw(dialect.useIndex('idx_sessions_search'))} ON s.session_id = d.session_id
    WHERE d.field = ${driver.field} AND ${fieldCondition('d', driver)}${startRange('d', range)}${keyset('d', query.after)}
    ${sql.join(sessionFilters(query), sql``)}
    ORDER BY d.start_time DESC, d.session_id DESC
    LIMIT ${query.limit + 1}`.execute(dialect.db);
  return result.rows;
}

/** A search without field conditions: the sessions' own (template, start) index, newest first. */
async function sessionsOnly(executor: Executor, query: Parsed): Promise<PageRow[]> {
  const result = await sql<PageRow>`
    SELECT s.session_id, s.start_time
    FROM sessions s
    WHERE 1 = 1${startRange('s', query)}${keyset('s', query.after)}
    ${sql.join(sessionFilters(query), sql``)}
    ORDER BY s.start_time DESC, s.session_id DESC
    LIMIT ${query.limit + 1}`.execute(executor);
  return result.rows;
}

/** ` AND …` conditions on the session row `s`. */
function sessionFilters(query: Parsed): RawBuilder<unknown>[] {
  const filters: RawBuilder<unknown>[] = [];
  if (!query.includeMerged) filters.push(sql` AND s.merged_into IS NULL`);
  if (query.templateId !== undefined) filters.push(sql` AND s.template_id = ${query.templateId}`);
  if (query.verdict === null) filters.push(sql` AND s.verdict IS NULL`);
  else if (query.verdict !== undefined) filters.push(sql` AND s.verdict = ${query.verdict}`);
  return filters;
}

/**
 * Rows strictly after the cursor in (start_time, session_id) descending
 * order, written as a range on start_time plus a filter so both planners
 * keep it an index range.
 */
function keyset(alias: string, after: SearchCursor | undefined): RawBuilder<unknown> {
  if (after === undefined) return sql``;
  const start = sql.raw(`${alias}.start_time`);
  const id = sql.raw(`${alias}.session_id`);
  return sql` AND ${start} <= ${after.start} AND (${start} < ${after.start} OR ${id} < ${after.sessionId})`;
}

/** The summaries of `ids`, in that order (an id purged meanwhile is left out). */
async function summariesInOrder(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await executor
    .selectFrom('sessions')
    .select(SUMMARY_COLUMNS)
    .where('session_id', 'in', [...ids])
    .execute();
  const byId = new Map(rows.map((row) => [row.session_id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row === undefined ? [] : [rowToSummary(row)];
  });
}
