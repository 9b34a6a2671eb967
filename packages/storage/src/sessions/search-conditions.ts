import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Predicate, Scalar } from './search-query.js';

/** Above every code point a string can continue a prefix with (binary collations order by code point). */
const PREFIX_END = '\u{10FFFF}';

/**
 * The SQL condition on the session_fields alias `alias` for one predicate;
 * only bound values, never spliced text. Every condition states which typed
 * column is NULL (`str_value IS NULL` for numbers, booleans and null,
 * `num_value IS NULL` for strings and null): on MySQL that keeps the value
 * inside the prefix of the one (field, value_kind, str_value, num_value,
 * start_time) index, on SQLite it selects the partial index of its kind
 * (migrations 0002 and 0007).
 */
export function fieldCondition(alias: string, predicate: Predicate): RawBuilder<unknown> {
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
 * True when the predicate fixes every value column of the index, so its
 * matches come out of the index newest first (ordered by start_time, then
 * session id) and a search driven by it can stop after one page.
 */
export function fixesValue(predicate: Predicate): boolean {
  return predicate.op === '=' || (predicate.op === 'in' && predicate.value.length === 1);
}

/**
 * Exact equality on the typed columns. Strings also compare their byte
 * length: MySQL's PAD SPACE collations would otherwise let 'a' equal 'a '.
 */
function equals(f: RawBuilder<unknown>, value: Scalar): RawBuilder<unknown> {
  if (value === null)
    return sql`${f}.value_kind = 'z' AND ${f}.str_value IS NULL AND ${f}.num_value IS NULL`;
  if (typeof value === 'boolean')
    return sql`${f}.value_kind = 'b' AND ${f}.str_value IS NULL AND ${f}.num_value = ${value ? 1 : 0}`;
  if (typeof value === 'number')
    return sql`${f}.value_kind = 'n' AND ${f}.str_value IS NULL AND ${f}.num_value = ${value}`;
  return sql`${f}.value_kind = 's' AND ${f}.num_value IS NULL AND ${f}.str_value = ${value} AND OCTET_LENGTH(${f}.str_value) = ${Buffer.byteLength(
    value,
    'utf8',
  )}`;
}
