import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Executor } from '../dialect/dialect.js';
import { fieldCondition, fixesValue } from './search-conditions.js';
import type { Predicate } from './search-query.js';

/**
 * How many index entries each condition's estimate reads at most. Below it
 * the count is exact and the search with that condition first costs at most
 * this many lookups; at or above it, all that is known is "many".
 */
export const ESTIMATE_CAP = 1000;

/** Start-time bounds [from, to) of a search, applied to the driving field's index entries. */
export interface StartRange {
  from?: number;
  to?: number;
}

/**
 * Picks the condition a conjunctive search reads first (the others are
 * checked by primary-key lookups of the driver's matches): the one with the
 * fewest matches, counted up to ESTIMATE_CAP with one covered index range
 * each. When every condition has at least that many, a condition that fixes
 * the value wins, because its matches come newest first and the search
 * stops after a page; among equals, the caller's order decides. The
 * planner's own statistics cannot tell `merchant = M17` (a thousandth of the
 * rows) from `riskScore >= 90` (a tenth): both are one index range to it.
 */
export async function chooseDriver(
  executor: Executor,
  where: readonly Predicate[],
  range: StartRange,
): Promise<number> {
  if (where.length < 2) return 0;
  const counts = await Promise.all(where.map((p) => cappedCount(executor, p, range)));
  let best = 0;
  for (let i = 1; i < where.length; i += 1) {
    if (rank(counts[i]!, where[i]!) < rank(counts[best]!, where[best]!)) best = i;
  }
  return best;
}

/** Lower is a better driver: exact small counts first, then "many" with a fixed value, then the rest. */
function rank(count: number, predicate: Predicate): number {
  if (count < ESTIMATE_CAP) return count;
  return fixesValue(predicate) ? ESTIMATE_CAP : ESTIMATE_CAP + 1;
}

async function cappedCount(
  executor: Executor,
  predicate: Predicate,
  range: StartRange,
): Promise<number> {
  const result = await sql<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM (
      SELECT 1 AS one FROM session_fields d
      WHERE d.field = ${predicate.field} AND ${fieldCondition('d', predicate)}${startRange('d', range)}
      LIMIT ${ESTIMATE_CAP}
    ) capped`.execute(executor);
  return Number(result.rows[0]?.n ?? 0);
}

/** ` AND alias.start_time >= from AND alias.start_time < to`, for the bounds given. */
export function startRange(alias: string, range: StartRange): RawBuilder<unknown> {
  const column = sql.raw(`${alias}.start_time`);
  const parts: RawBuilder<unknown>[] = [];
  if (range.from !== undefined) parts.push(sql` AND ${column} >= ${range.from}`);
  if (range.to !== undefined) parts.push(sql` AND ${column} < ${range.to}`);
  return sql.join(parts, sql``);
}
