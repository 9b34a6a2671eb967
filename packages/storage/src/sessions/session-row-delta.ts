import type { FieldValue, Session } from '@weft/templates';
import type { SessionFieldsTable, SessionNodesTable, SessionsTable } from '../schema.js';
import { sessionToFieldRows, sessionToNodeRows } from './session-converters.js';

/** What the stored version of a session left in `session_fields`, read from its `sessions` row. */
export type StoredFieldSource = Pick<SessionsTable, 'template_id' | 'start_time' | 'fields_json'>;

/** The field rows a new version changes: rows to write (insert or overwrite) and field names to delete. */
export interface FieldRowDelta {
  readonly write: SessionFieldsTable[];
  readonly remove: string[];
}

/** The node rows a new version changes: rows to write and the first stored position to delete from (null: none). */
export interface NodeRowDelta {
  readonly write: SessionNodesTable[];
  readonly removeFrom: number | null;
}

/** The columns of a field row besides its key (session, field): a row that differs in any is written again. */
export const FIELD_VALUE_COLUMNS = [
  'template_id',
  'value_kind',
  'str_value',
  'num_value',
  'start_time',
] as const satisfies readonly (keyof SessionFieldsTable)[];

/** The columns of a node row besides its key (session, position). */
export const NODE_VALUE_COLUMNS = [
  'node',
  'kind',
  'records_json',
] as const satisfies readonly (keyof SessionNodesTable)[];

/**
 * The `session_fields` rows that turn the stored version's rows into the
 * new version's. The stored rows are exactly `sessionToFieldRows` of the
 * stored row's fields (they are only ever written together, in one
 * transaction), so they are rebuilt from `fields_json` instead of read. A
 * later version of a session mostly repeats the fields of the one before
 * (a purchase gets about 2.6 versions and 40 % of their field rows change),
 * and each row written is also an entry written into the value index.
 *
 * Example: fieldRowDelta(v2, storedRowOfV1) → { write: [rows of the fields v2 changed or added], remove: [fields v2 dropped] }
 */
export function fieldRowDelta(session: Session, stored?: StoredFieldSource): FieldRowDelta {
  const rows = sessionToFieldRows(session);
  if (stored === undefined) return { write: rows, remove: [] };
  const before = new Map(
    sessionToFieldRows({
      ...session,
      templateId: stored.template_id,
      start: Number(stored.start_time),
      fields: JSON.parse(stored.fields_json) as Record<string, FieldValue>,
    }).map((row) => [row.field, row]),
  );
  const write = rows.filter((row) => {
    const old = before.get(row.field);
    return old === undefined || !sameColumns(old, row, FIELD_VALUE_COLUMNS);
  });
  const kept = new Set(rows.map((row) => row.field));
  const remove = [...before.keys()].filter((field) => !kept.has(field));
  return { write, remove };
}

/**
 * The `session_nodes` rows that turn the stored rows (read in the same
 * transaction; undefined for a session not stored) into the new version's:
 * rows by position that differ, and the positions past the new last node.
 */
export function nodeRowDelta(
  session: Session,
  stored:
    readonly Pick<SessionNodesTable, 'position' | 'node' | 'kind' | 'records_json'>[] | undefined,
): NodeRowDelta {
  const rows = sessionToNodeRows(session);
  if (stored === undefined) return { write: rows, removeFrom: null };
  const before = new Map(stored.map((row) => [Number(row.position), row]));
  const write = rows.filter((row) => {
    const old = before.get(row.position);
    return old === undefined || !sameColumns(old, row, NODE_VALUE_COLUMNS);
  });
  const beyond = [...before.keys()].some((position) => position >= rows.length);
  return { write, removeFrom: beyond ? rows.length : null };
}

function sameColumns<K extends string>(
  a: Readonly<Record<K, unknown>>,
  b: Readonly<Record<K, unknown>>,
  columns: readonly K[],
): boolean {
  return columns.every((column) => sameValue(a[column], b[column]));
}

/** Column equality as the database stores it: numbers read back from the MySQL family may be strings. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return false;
}
