import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Executor } from '../dialect/dialect.js';
import type { SessionSummary } from './session-converters.js';
import { rowToSummary, SUMMARY_COLUMNS } from './session-converters.js';
import type { Predicate, Scalar, SearchQuery } from './search-query.js';
import { encodeCursor, parseSearchQuery } from './search-query.js';

/** One page of search results, newest first; `nextCursor` is absent on the last page. */
export interface SearchPage {
  sessions: SessionSummary[];
  nextCursor?: string;
}

/** Above every code point a string can continue a prefix with (binary collations order by code point). */
const PREFIX_END = '\u{10FFFF}';

/**
 * Finds sessions by a conjunction of field conditions. Each condition is a
 * join on session_fields whose value index makes it a covered seek. Every
 * condition states which typed column is NULL (`str_value IS NULL` for
 * numbers, `num_value IS NULL` for strings and null): on MySQL that keeps
 * the value inside the prefix of the one (field, value_kind, str_value,
 * num_value) index, on SQLite it selects the partial index of its kind (see
 * migrations/0002). Values and field names are bound parameters, and
 * invalid input is a StorageValidationError before any SQL runs.
 */
export async function searchSessions(executor: Executor, input: SearchQuery): Promise<SearchPage> {
  const query = parseSearchQuery(input);
  const joins = query.where.map(
    (p, i) =>
      sql`JOIN session_fields ${sql.raw(`f${i}`)} ON ${sql.raw(`f${i}`)}.session_id = s.session_id AND ${sql.raw(
        `f${i}`,
      )}.field = ${p.field} AND ${condition(`f${i}`, p)}`,
  );
  const filters: RawBuilder<unknown>[] = [];
  if (!query.includeMerged) filters.push(sql`s.merged_into IS NULL`);
  if (query.templateId !== undefined) filters.push(sql`s.template_id = ${query.templateId}`);
  if (query.from !== undefined) filters.push(sql`s.start_time >= ${query.from}`);
  if (query.to !== undefined) filters.push(sql`s.start_time < ${query.to}`);
  if (query.verdict === null) filters.push(sql`s.verdict IS NULL`);
  else if (query.verdict !== undefined) filters.push(sql`s.verdict = ${query.verdict}`);
  if (query.after !== undefined) {
    const { start, sessionId } = query.after;
    filters.push(
      sql`(s.start_time < ${start} OR (s.start_time = ${start} AND s.session_id < ${sessionId}))`,
    );
  }
  const where = filters.length === 0 ? sql`` : sql`WHERE ${sql.join(filters, sql` AND `)}`;
  // Two steps: the conjunction, order and limit run on narrow rows (the
  // covering idx_sessions_search of migration 0005), then only the page's
  // sessions are read whole. Sorting every match with its JSON columns made
  // a 1,000-match search read and sort megabytes.
  const page = await sql<{ session_id: string; start_time: number }>`
    SELECT s.session_id, s.start_time
    FROM sessions s ${sql.join(joins, sql` `)}
    ${where}
    ORDER BY s.start_time DESC, s.session_id DESC
    LIMIT ${query.limit + 1}`.execute(executor);
  const ids = page.rows.slice(0, query.limit).map((row) => row.session_id);
  const sessions = await summariesInOrder(executor, ids);
  const last = sessions.at(-1);
  const more = page.rows.length > query.limit && last !== undefined;
  return more
    ? { sessions, nextCursor: encodeCursor({ start: last.start, sessionId: last.sessionId }) }
    : { sessions };
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

/** The SQL condition on field alias `f` for one predicate; only bound values, never spliced text. */
function condition(alias: string, predicate: Predicate): RawBuilder<unknown> {
  const f = sql.raw(alias);
  switch (predicate.op) {
    case '=':
      return equals(f, predicate.value);
    case '!=':
      return sql`NOT (${equals(f, predicate.value)})`;
    case 'in':
      return sql`(${sql.join(
        predicate.value.map((v) => equals(f, v)),
        sql` OR `,
      )})`;
    case 'prefix': {
      const bytes = Buffer.byteLength(predicate.value, 'utf8');
      const length = Array.from(predicate.value).length;
      return sql`${f}.value_kind IN ('s', 'l') AND ${f}.num_value IS NULL AND ${f}.str_value >= ${predicate.value} AND ${f}.str_value < ${
        predicate.value + PREFIX_END
      } AND SUBSTR(${f}.str_value, 1, ${length}) = ${predicate.value} AND OCTET_LENGTH(SUBSTR(${f}.str_value, 1, ${length})) = ${bytes}`;
    }
    default: {
      // The operator is one of the four literals the schema admits, never caller text.
      const op = sql.raw(predicate.op);
      return typeof predicate.value === 'number'
        ? sql`${f}.value_kind = 'n' AND ${f}.str_value IS NULL AND ${f}.num_value ${op} ${predicate.value}`
        : sql`${f}.value_kind IN ('s', 'l') AND ${f}.num_value IS NULL AND ${f}.str_value ${op} ${predicate.value}`;
    }
  }
}

/**
 * Exact equality on the typed columns. Strings also compare their byte
 * length: MySQL's PAD SPACE collations would otherwise let 'a' equal 'a '.
 */
function equals(f: RawBuilder<unknown>, value: Scalar): RawBuilder<unknown> {
  if (value === null) return sql`${f}.value_kind = 'z' AND ${f}.num_value IS NULL`;
  if (typeof value === 'boolean')
    return sql`${f}.value_kind = 'b' AND ${f}.str_value IS NULL AND ${f}.num_value = ${value ? 1 : 0}`;
  if (typeof value === 'number')
    return sql`${f}.value_kind = 'n' AND ${f}.str_value IS NULL AND ${f}.num_value = ${value}`;
  return sql`${f}.value_kind = 's' AND ${f}.num_value IS NULL AND ${f}.str_value = ${value} AND OCTET_LENGTH(${f}.str_value) = ${Buffer.byteLength(
    value,
    'utf8',
  )}`;
}
