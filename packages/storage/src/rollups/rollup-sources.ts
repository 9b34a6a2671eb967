import { sql } from 'kysely';
import type { Executor, StoreDialect } from '../dialect/dialect.js';
import { rowToRollupSubject } from '../sessions/session-converters.js';
import type { RollupSubject } from './contributions.js';

/** How loadRollupSubjects reads: with the dialect's analytical hint, or under lock. */
export interface SubjectRead {
  /** The dialect's analytical hint for the `sessions` alias `s`. */
  hint?: string;
  /** Read the rows under lock (`FOR UPDATE`): the latest versions, held until commit. */
  lockWith?: StoreDialect;
}

/**
 * The live (not merged) sessions of a template that start in [from, to), as
 * rollup subjects: the raw rows every rollup must agree with.
 */
export async function loadRollupSubjects(
  executor: Executor,
  templateId: string,
  from: number,
  to: number,
  { hint = '', lockWith }: SubjectRead = {},
): Promise<RollupSubject[]> {
  let query = executor
    .selectFrom('sessions as s')
    .select([
      's.start_time',
      's.end_time',
      's.fields_json',
      's.verdict_json',
      's.status',
      's.fire_reason',
      's.template_version',
    ])
    .where('s.template_id', '=', templateId)
    .where('s.start_time', '>=', from)
    .where('s.start_time', '<', to)
    .where('s.merged_into', 'is', null);
  if (hint !== '') query = query.modifyFront(sqlHint(hint));
  if (lockWith !== undefined) query = lockWith.forUpdate(query);
  const rows = await query.execute();
  return rows.map(rowToRollupSubject);
}

function sqlHint(hint: string) {
  // The hint is one of the dialect's fixed strings, never user input.
  return sql.raw(hint);
}
